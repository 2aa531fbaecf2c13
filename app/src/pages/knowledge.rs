//! Knowledge pages: `/pages` (spaces and their trees, one's review queue), `/pages/new`
//! (from a template), `/pages/{id}` (the page, its review state, "still true"),
//! `/pages/{id}/edit` and `/pages/{id}/history` (diffs, restore). Plain forms
//! throughout: every action works without JavaScript and redirects back.

use crate::api::knowledge::{
    knowledge_history, knowledge_overview, knowledge_page, page_edit_form, page_new_form,
    CreatePage, DeletePage, EditPage, HandPageOver, RestorePage, VerifyPage,
};
use crate::components::notice::{ErrorNotice, FormError, Loading};
use crate::i18n::{format_date, local_date, Texts};
use crate::model::knowledge::{
    PageSummary, PageTemplate, ReviewState, Space, SpaceKey, DEFAULT_REVIEW_DAYS, MAX_REVIEW_DAYS,
    MIN_REVIEW_DAYS,
};
use crate::model::PageId;
use crate::prefs::{use_prefs, use_texts};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn space_name(t: &Texts, space: &Space) -> String {
    match space.key {
        SpaceKey::Company => t.knowledge.company_space.to_owned(),
        SpaceKey::Channel(_) => (t.knowledge.channel_space)(&space.name),
        SpaceKey::Department(_) => (t.knowledge.department_space)(&space.name),
    }
}

fn state_label(t: &Texts, state: ReviewState) -> &'static str {
    match state {
        ReviewState::Verified => t.knowledge.state_verified,
        ReviewState::Due => t.knowledge.state_due,
        ReviewState::Stale => t.knowledge.state_stale,
    }
}

/// A date in the reader's language, at the company's offset.
fn day(unix_ms: i64, utc_offset_minutes: i32) -> String {
    format_date(use_prefs().lang, &local_date(unix_ms, utc_offset_minutes))
}

fn template_label(t: &Texts, template: PageTemplate) -> &'static str {
    match template {
        PageTemplate::Policy => t.knowledge.template_policy,
        PageTemplate::HowTo => t.knowledge.template_how_to,
        PageTemplate::Process => t.knowledge.template_process,
        PageTemplate::Onboarding => t.knowledge.template_onboarding,
    }
}

/// The page's id from the route.
fn page_id() -> impl Fn() -> Option<PageId> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<PageId>().ok())
    }
}

#[component]
fn StateBadge(state: ReviewState) -> impl IntoView {
    let t = use_texts();
    let class = match state {
        ReviewState::Verified => "badge page-state",
        _ => "badge badge-warn page-state",
    };
    view! { <span class=class data-state=state.as_str()>{state_label(t, state)}</span> }
}

#[component]
fn PageLine(page: PageSummary) -> impl IntoView {
    // Indented by depth with a class (the CSP allows no inline styles); deeper than
    // five levels stays at five.
    let class = format!("page-line depth-{}", page.depth.min(5));
    view! {
        <li class=class data-depth=page.depth.to_string()>
            <a href=format!("/pages/{}", page.id)>{page.title.clone()}</a>" "
            <StateBadge state=page.state/>
        </li>
    }
}

#[component]
pub fn KnowledgePage() -> impl IntoView {
    let t = use_texts();
    let home = Resource::new(|| (), |_| knowledge_overview());
    let query = use_query_map();
    let deleted = move || query.read().get("deleted").is_some();
    view! {
        <Title text=t.knowledge.title/>
        <section class="page knowledge" aria-labelledby="knowledge-heading">
            <h1 id="knowledge-heading">{t.knowledge.title}</h1>
            {move || deleted().then(|| view! { <p class="notice notice-ok page-deleted" role="status">{t.knowledge.deleted}</p> })}
            <p class="page-intro">{t.knowledge.intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match home.await {
                        Ok(home) => {
                            let offset = home.utc_offset_minutes;
                            view! {
                                {home.may_create.then(|| view! {
                                    <p><a class="button primary" href="/pages/new">{t.knowledge.new_page}</a></p>
                                })}
                                <section class="card review-queue" aria-labelledby="reviews-heading">
                                    <h2 id="reviews-heading">{t.knowledge.reviews_title}</h2>
                                    {if home.reviews.is_empty() {
                                        view! { <p class="empty">{t.knowledge.reviews_empty}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="review-list">
                                                {home.reviews.into_iter().map(|p| view! {
                                                    <li class="page-line">
                                                        <a href=format!("/pages/{}", p.id)>{p.title.clone()}</a>" "
                                                        <StateBadge state=p.state/>" "
                                                        <span class="hint">{space_name(t, &p.space)}" · "{day(p.due_at, offset)}</span>
                                                    </li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </section>
                                {if home.spaces.is_empty() {
                                    view! { <p class="empty">{t.knowledge.empty}</p> }.into_any()
                                } else {
                                    home.spaces.into_iter().map(|tree| view! {
                                        <section class="card space" data-space=tree.space.key.to_string()>
                                            <h2>{space_name(t, &tree.space)}</h2>
                                            <ul class="page-tree">
                                                {tree.pages.into_iter().map(|page| view! { <PageLine page/> }).collect_view()}
                                            </ul>
                                        </section>
                                    }).collect_view().into_any()
                                }}
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The fields a page's form shares: title, text, interval.
#[component]
fn PageFields(title: String, body: String, review_days: i64) -> impl IntoView {
    let t = use_texts();
    view! {
        <label>
            {t.knowledge.field_title}
            <input type="text" name="title" required maxlength="200" value=title/>
        </label>
        <label>
            {t.knowledge.field_body}
            <textarea name="body" rows="16" required maxlength="50000">{body}</textarea>
            <span class="hint">{t.knowledge.markdown_hint}</span>
        </label>
        <label>
            {t.knowledge.field_review_days}
            <input type="number" name="review_days" required min=MIN_REVIEW_DAYS max=MAX_REVIEW_DAYS value=review_days/>
        </label>
    }
}

#[component]
pub fn NewPagePage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (
            q.get("template").unwrap_or_default(),
            q.get("question")
                .and_then(|id| id.parse::<crate::model::PostId>().ok()),
        )
    };
    let form = Resource::new(args, |(template, question)| {
        page_new_form(template, question)
    });
    let create = ServerAction::<CreatePage>::new();
    view! {
        <Title text=t.knowledge.new_title/>
        <section class="page knowledge-new" aria-labelledby="new-page-heading">
            <h1 id="new-page-heading">{t.knowledge.new_title}</h1>
            <nav class="templates" aria-label=t.knowledge.templates>
                {t.knowledge.templates}" "
                <a href="/pages/new">{t.knowledge.blank}</a>
                {PageTemplate::ALL.into_iter().map(|tpl| view! {
                    " · "<a href=format!("/pages/new?template={}", tpl.as_str()) data-template=tpl.as_str()>{template_label(t, tpl)}</a>
                }).collect_view()}
            </nav>
            <FormError action=create/>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(form) if form.spaces.is_empty() => view! { <p class="empty">{t.knowledge.no_spaces}</p> }.into_any(),
                        Ok(form) => view! {
                            <ActionForm action=create attr:class="form page-form" attr:enctype="multipart/form-data">
                                {form.from_question.map(|id| view! {
                                    <input type="hidden" name="from_question" value=id/>
                                    <p class="notice" role="status">{t.qa.page_from_question}" "
                                        <a href=format!("/posts/{id}")>{t.qa.see_question}</a></p>
                                })}
                                <label>
                                    {t.knowledge.field_space}
                                    <select name="space" required>
                                        {form.spaces.iter().map(|s| view! {
                                            <option value=s.key.to_string()>{space_name(t, s)}</option>
                                        }).collect_view()}
                                    </select>
                                </label>
                                <label>
                                    {t.knowledge.field_parent}
                                    <select name="parent">
                                        <option value="">{t.knowledge.top_of_space}</option>
                                        // Grouped by space: a page goes under one of its own space.
                                        {form.spaces.iter().filter(|s| form.parents.iter().any(|p| p.2 == s.key)).map(|s| view! {
                                            <optgroup label=space_name(t, s)>
                                                {form.parents.iter().filter(|p| p.2 == s.key).map(|(id, title, _)| view! {
                                                    <option value=id.to_string()>{title.clone()}</option>
                                                }).collect_view()}
                                            </optgroup>
                                        }).collect_view()}
                                    </select>
                                </label>
                                <PageFields title=form.title body=form.body review_days=DEFAULT_REVIEW_DAYS/>
                                <crate::components::attachments::AttachPicker/>
                                <button type="submit" class="primary">{t.knowledge.create}</button>
                            </ActionForm>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn PageViewPage() -> impl IntoView {
    let t = use_texts();
    let id = page_id();
    let query = use_query_map();
    let page = Resource::new(id, |id| async move {
        match id {
            Some(id) => knowledge_page(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    let verify = ServerAction::<VerifyPage>::new();
    let tick = ServerAction::<crate::api::journeys::TickStep>::new();
    let verified = move || query.read().get("verified").is_some();
    let handed_over = move || query.read().get("owner").is_some();
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => {
                        let offset = page.utc_offset_minutes;
                        let owner = page.owner.name.clone();
                        let banner = match page.state {
                            ReviewState::Verified => view! {
                                <p class="notice notice-ok page-verified" role="status">
                                    {(t.knowledge.verified_by)(
                                        &page.verified_by.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
                                        &day(page.verified_at, offset),
                                    )}
                                    ". "{(t.knowledge.next_review)(&day(page.due_at, offset))}
                                </p>
                            }.into_any(),
                            ReviewState::Due => view! {
                                <p class="notice notice-error page-due" role="alert">{(t.knowledge.due_warning)(&day(page.due_at, offset))}</p>
                            }.into_any(),
                            ReviewState::Stale => view! {
                                <p class="notice notice-error page-stale" role="alert">{(t.knowledge.stale_warning)(&day(page.due_at, offset), &owner)}</p>
                            }.into_any(),
                        };
                        view! {
                            <Title text=page.title.clone()/>
                            <article class="page knowledge-page" aria-labelledby="page-heading" data-page=page.id.to_string()>
                                <nav class="breadcrumbs" aria-label=t.knowledge.breadcrumbs>
                                    <a href="/pages">{t.knowledge.title}</a>" › "
                                    <span>{space_name(t, &page.space)}</span>
                                    {page.breadcrumbs.iter().map(|(id, title)| view! {
                                        " › "<a href=format!("/pages/{id}")>{title.clone()}</a>
                                    }).collect_view()}
                                </nav>
                                <h1 id="page-heading">{page.title.clone()}" "<StateBadge state=page.state/></h1>
                                {verified().then(|| view! { <p class="notice notice-ok" role="status">{t.knowledge.verified_done}</p> })}
                                {handed_over().then(|| view! { <p class="notice notice-ok page-handed-over" role="status">{t.knowledge.handed_over}</p> })}
                                <FormError action=verify/>
                                {banner}
                                <p class="card-meta page-facts">
                                    {t.knowledge.owner}": "<a href=format!("/people/{}", page.owner.id)>{owner.clone()}</a>
                                    " · "{(t.knowledge.review_every)(page.review_days)}
                                    " · "{(t.knowledge.version_line)(
                                        page.version,
                                        &page.updated_by.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
                                        &day(page.updated_at, offset),
                                    )}
                                </p>
                                <div class="page-actions">
                                    {page.may_edit.then(|| view! {
                                        <ActionForm action=verify attr:class="verify-page inline-form">
                                            <input type="hidden" name="id" value=page.id/>
                                            <button type="submit" class="primary">{t.knowledge.still_true}</button>
                                        </ActionForm>
                                        <a class="button" href=format!("/pages/{}/edit", page.id)>{t.knowledge.edit}</a>
                                    })}
                                    <a class="button" href=format!("/pages/{}/history", page.id)>{t.knowledge.history}</a>
                                </div>
                                <JourneyRead page=page.id steps=page.journey_steps.clone() tick/>
                                <div class="post-body page-body" inner_html=page.body_html.clone()></div>
                                <crate::components::attachments::AttachmentList files=page.attachments.clone()/>
                                {(page.may_edit && !page.attachments.is_empty()).then(|| view! {
                                    <PageFilesRemoval page=page.id files=page.attachments.clone()/>
                                })}
                                {(!page.children.is_empty()).then(|| view! {
                                    <section class="page-children">
                                        <h2>{t.knowledge.children}</h2>
                                        <ul>{page.children.iter().map(|(id, title)| view! {
                                            <li><a href=format!("/pages/{id}")>{title.clone()}</a></li>
                                        }).collect_view()}</ul>
                                    </section>
                                })}
                                {(!page.linked_from.is_empty()).then(|| view! {
                                    <section class="page-backlinks">
                                        <h2>{t.knowledge.linked_from}</h2>
                                        <ul>{page.linked_from.iter().map(|(id, title)| view! {
                                            <li><a href=format!("/pages/{id}")>{title.clone()}</a></li>
                                        }).collect_view()}</ul>
                                    </section>
                                })}
                                {(!page.questions.is_empty()).then(|| view! {
                                    <section class="page-questions">
                                        <h2>{t.qa.led_here}</h2>
                                        <ul>{page.questions.iter().map(|(id, title)| view! {
                                            <li><a href=format!("/posts/{id}")>{title.clone()}</a></li>
                                        }).collect_view()}</ul>
                                    </section>
                                })}
                            </article>
                        }.into_any()
                    }
                    Err(error) => view! { <section class="page"><ErrorNotice error/></section> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// For the page's editors: each file with a button that takes it off the page.
#[component]
fn PageFilesRemoval(page: PageId, files: Vec<crate::model::files::Attachment>) -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let t = use_texts();
    let remove_url = crate::api::knowledge::RemovePageFile::url();
    view! {
        <details class="page-files-edit">
            <summary>{t.files.manage}</summary>
            <ul>
                {files.into_iter().map(|file| view! {
                    <li>
                        <form action=remove_url method="post" class="inline-form">
                            <input type="hidden" name="id" value=page/>
                            <input type="hidden" name="key" value=file.key.clone()/>
                            <span class="file-name">{file.name.clone()}</span>" "
                            <button type="submit" aria-label=(t.files.remove_named)(&file.name)>{t.files.remove}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
        </details>
    }
}

/// "I have read it", on a page the reader's onboarding journey asks them to read; once
/// done, says so.
#[component]
fn JourneyRead(
    page: PageId,
    steps: Vec<(crate::model::journeys::StepId, bool)>,
    tick: ServerAction<crate::api::journeys::TickStep>,
) -> impl IntoView {
    let t = use_texts();
    let undone = steps.iter().find(|(_, done)| !done).map(|(id, _)| *id);
    match (steps.is_empty(), undone) {
        (true, _) => ().into_any(),
        (false, Some(step)) => view! {
            <ActionForm action=tick attr:class="journey-read inline-form">
                <input type="hidden" name="step" value=step.to_string()/>
                <input type="hidden" name="back" value=format!("/pages/{page}")/>
                <button type="submit" class="primary">{t.journeys.read_it}</button>
                <FormError action=tick/>
            </ActionForm>
        }
        .into_any(),
        (false, None) => view! {
            <p class="notice notice-ok journey-read" role="status">{t.journeys.read_done}</p>
        }
        .into_any(),
    }
}

#[component]
pub fn EditPagePage() -> impl IntoView {
    let t = use_texts();
    let id = page_id();
    let form = Resource::new(id, |id| async move {
        match id {
            Some(id) => page_edit_form(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    let edit = ServerAction::<EditPage>::new();
    view! {
        <Title text=t.knowledge.edit_title/>
        <section class="page knowledge-edit" aria-labelledby="edit-page-heading">
            <h1 id="edit-page-heading">{t.knowledge.edit_title}</h1>
            <FormError action=edit/>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(form) => {
                            let page = form.page;
                            let current = page.parent_id;
                            view! {
                                <ActionForm action=edit attr:class="form page-form" attr:enctype="multipart/form-data">
                                    <input type="hidden" name="id" value=page.id/>
                                    <label>
                                        {t.knowledge.field_parent}
                                        <select name="parent">
                                            <option value="">{t.knowledge.top_of_space}</option>
                                            {form.parents.iter().map(|(id, title)| view! {
                                                <option value=id.to_string() selected={current == Some(*id)}>{title.clone()}</option>
                                            }).collect_view()}
                                        </select>
                                    </label>
                                    <PageFields title=page.title.clone() body=page.body.clone() review_days=page.review_days/>
                                    // Added to the page's files; its files are removed on the page itself.
                                    <crate::components::attachments::AttachPicker/>
                                    <button type="submit" class="primary">{t.knowledge.save}</button>
                                    " "<a href=format!("/pages/{}", page.id)>{t.knowledge.back_to_page}</a>
                                </ActionForm>
                                <PageKeeping page=page.id owner=page.owner.id owners=form.owners/>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Below a page's edit form, for its editors: hand it to someone else to keep, or
/// delete it (behind a disclosure, so it takes two deliberate clicks).
#[component]
fn PageKeeping(
    page: PageId,
    owner: crate::model::PersonId,
    owners: Vec<(crate::model::PersonId, String)>,
) -> impl IntoView {
    let t = use_texts();
    let hand_over = ServerAction::<HandPageOver>::new();
    let delete = ServerAction::<DeletePage>::new();
    view! {
        <section class="card page-owner" aria-labelledby="page-owner-heading">
            <h2 id="page-owner-heading">{t.knowledge.hand_over_heading}</h2>
            <p class="hint">{t.knowledge.hand_over_hint}</p>
            <FormError action=hand_over/>
            <ActionForm action=hand_over attr:class="inline-form hand-over">
                <input type="hidden" name="id" value=page/>
                <label>
                    <span class="visually-hidden">{t.knowledge.owner}</span>
                    <select name="owner">
                        {owners.into_iter().map(|(id, name)| view! {
                            <option value=id.to_string() selected={id == owner}>{name}</option>
                        }).collect_view()}
                    </select>
                </label>
                " "<button type="submit">{t.knowledge.hand_over}</button>
            </ActionForm>
        </section>
        <details class="card page-delete">
            <summary>{t.knowledge.delete_heading}</summary>
            <p class="hint">{t.knowledge.delete_hint}</p>
            <FormError action=delete/>
            <ActionForm action=delete attr:class="inline-form">
                <input type="hidden" name="id" value=page/>
                <button type="submit" class="danger">{t.knowledge.delete}</button>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn PageHistoryPage() -> impl IntoView {
    let t = use_texts();
    let id = page_id();
    let history = Resource::new(id, |id| async move {
        match id {
            Some(id) => knowledge_history(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    let restore = ServerAction::<RestorePage>::new();
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(history) => {
                        let offset = history.utc_offset_minutes;
                        let title = (t.knowledge.history_title)(&history.title);
                        view! {
                            <Title text=title.clone()/>
                            <section class="page knowledge-history" aria-labelledby="page-history-heading">
                                <h1 id="page-history-heading">{title}</h1>
                                <p class="page-intro">{t.knowledge.history_intro}</p>
                                <p><a href=format!("/pages/{}", history.id)>{t.knowledge.back_to_page}</a></p>
                                <FormError action=restore/>
                                <ol class="card-list versions page-versions">
                                    {history.versions.into_iter().map(|v| {
                                        let who = v.edited_by.as_ref().map(|p| p.name.clone()).unwrap_or_default();
                                        view! {
                                            <li class="card version" data-version=v.version>
                                                <p class="card-meta">
                                                    {(t.knowledge.version_line)(v.version, &who, &day(v.edited_at, offset))}
                                                    {v.restored_from.map(|from| view! { " · "{(t.knowledge.restored_from)(from)} })}
                                                    {(v.version == history.current).then(|| view! { " · "<strong>{t.knowledge.current}</strong> })}
                                                    {(v.version == 1).then(|| view! { " · "{t.knowledge.first_version} })}
                                                </p>
                                                {if v.diff_html.is_empty() {
                                                    view! { <p class="hint">{t.knowledge.no_change}</p> }.into_any()
                                                } else {
                                                    view! { <pre class="page-diff" inner_html=v.diff_html></pre> }.into_any()
                                                }}
                                                {(history.may_edit && v.version != history.current).then(|| view! {
                                                    <ActionForm action=restore attr:class="restore-page inline-form">
                                                        <input type="hidden" name="id" value=history.id/>
                                                        <input type="hidden" name="version" value=v.version/>
                                                        <button type="submit">{t.knowledge.restore}</button>
                                                    </ActionForm>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! { <section class="page"><ErrorNotice error/></section> }.into_any(),
                }
            })}
        </Transition>
    }
}
