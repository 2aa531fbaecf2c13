//! Writing a post in a channel: Markdown in a plain form, so posting works without
//! JavaScript. Folded to a one-line "Write something…" box until it is used (people open
//! Townhall to read, and a phone's first screen should show posts): the channel, kind,
//! schedule, preview and the channel's guidelines open with it, by CSS alone (see
//! `.composer` in the stylesheet), with or without script.
//!
//! What script adds (the `ComposerInPlace` island, `islands::composer`): `@` suggestions,
//! a preview, the post sent in place and the list refreshed. Both fetch server-rendered
//! HTML from here, so the browser's code holds no view of a composer.

use crate::api::posts::CreatePost;
use crate::components::client_id::ClientId;
use crate::components::notice::FormError;
use crate::components::post_card::kind_label;
use crate::components::schedule_fields::ScheduleFields;
use crate::model::{ChannelRef, PostKind};
use crate::prefs::use_texts;
use leptos::prelude::*;

/// `channels`: where the post may go; with one, it goes there, with more, the writer
/// chooses (the first is preselected). `back`: the page to come back to after a plain
/// form post. `guidelines`: the channel's, shown beside the open box.
#[component]
pub fn Composer(
    channels: Vec<ChannelRef>,
    kinds: Vec<PostKind>,
    back: String,
    #[prop(optional)] guidelines: Option<String>,
) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<CreatePost>::new();
    view! {
        <section class="card composer" aria-label=t.new_post data-composer="">
            <FormError action/>
            // Multipart, so the plain form (no script) carries its files too.
            <ActionForm action attr:class="form composer-form" attr:enctype="multipart/form-data">
                <input type="hidden" name="back" value=back/>
                <ClientId/>
                <label class="composer-box">
                    <span class="visually-hidden">{t.field_post}</span>
                    <textarea name="body" rows="1" required maxlength="20000"
                        placeholder=t.composer_placeholder aria-describedby="markdown-hint"></textarea>
                </label>
                // Opens with the box (CSS `:focus-within`, or text in it, or the island's
                // `open` class so it stays open while the writer looks elsewhere).
                <div class="composer-more">
                    {guidelines.filter(|g| !g.is_empty()).map(|g| view! {
                        <aside class="guidelines">
                            <h2>{t.channel_guidelines}</h2>
                            <p>{g}</p>
                        </aside>
                    })}
                    {match channels.as_slice() {
                        [only] => view! { <input type="hidden" name="channel" value=only.slug.clone()/> }.into_any(),
                        many => view! {
                            <label>
                                {t.field_channel}
                                <select name="channel">
                                    {many.iter().map(|c| view! { <option value=c.slug.clone()>"#"{c.name.clone()}</option> }).collect_view()}
                                </select>
                            </label>
                        }.into_any(),
                    }}
                    <crate::components::attachments::AttachPicker/>
                    <p class="hint" id="markdown-hint">{t.markdown_hint}</p>
                    // Without script always there; with it, once `@channel` is typed.
                    <label class="inline-label confirm-channel">
                        <input type="checkbox" name="confirm_channel" value="on"/>
                        " "{t.confirm_channel_mention}
                    </label>
                    // Folded away: most posts go out now.
                    <details class="schedule">
                        <summary>{t.schedule_later}</summary>
                        <ScheduleFields/>
                        <p class="hint">{t.schedule_hint}" "<a href="/scheduled">{t.scheduled_link}</a></p>
                    </details>
                    <div class="form-actions">
                        <label class="inline-label">
                            {t.field_kind}" "
                            <select name="kind">
                                {kinds.into_iter().map(|kind| view! {
                                    <option value=kind.as_str()>{kind_label(t, kind)}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        // Needs script: the island shows it.
                        <button type="button" class="preview-button" data-preview="" hidden>{t.preview}</button>
                        <button type="submit" class="primary">{t.post_button}</button>
                    </div>
                </div>
            </ActionForm>
            // What the island says after a post: filled from these server-rendered lines.
            <p class="notice" role="status" data-composer-done="scheduled" hidden>
                {t.scheduled_done}" "<a href="/scheduled">{t.scheduled_link}</a>
            </p>
            <p class="notice" role="status" data-composer-done="not-notified" hidden
                data-template=(t.not_notified)(NAMES)></p>
            // Questions already asked like the one being typed (the island fills it).
            <div class="similar-questions" data-similar="" aria-live="polite"></div>
            <div class="preview" aria-live="polite" hidden>
                <p class="card-meta">{t.preview}</p>
                <div class="post-body" data-preview-body=""></div>
            </div>
        </section>
    }
}

/// Where the names go in the "not notified" line's template.
pub const NAMES: &str = "{names}";

/// The people whose handle or name starts with `prefix`, as the list under the composer
/// shows them (each a button carrying the handle it inserts); empty when none.
#[server(prefix = "/api", endpoint = "posts/mention-list")]
pub async fn mention_list_html(prefix: String) -> Result<String, crate::error::AppError> {
    let found = crate::api::feed::mention_suggestions(prefix).await?;
    if found.is_empty() {
        return Ok(String::new());
    }
    let prefs = crate::prefs::use_prefs();
    let owner = Owner::new();
    Ok(owner.with(move || {
        provide_context(prefs);
        let t = use_texts();
        view! {
            <ul class="mention-suggestions" role="listbox" aria-label=t.mention_suggestions>
                {found.into_iter().map(|s| {
                    let (name, title) = (s.person.name.clone(), s.person.job_title.clone());
                    let shown = format!("@{}", s.handle);
                    view! {
                        <li role="option">
                            <button type="button" data-handle=s.handle>
                                <crate::components::post_card::Avatar person=s.person small=true/>
                                <span class="suggestion-name">{name}</span>
                                <span class="suggestion-handle">{shown}</span>
                                <span class="suggestion-title">{title}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .to_html()
    }))
}

/// Questions already asked that look like `text` (a question being typed), as the list
/// under the composer shows them, answered ones first; empty when there are none.
#[server(prefix = "/api", endpoint = "questions/similar-list")]
pub async fn similar_questions_html(text: String) -> Result<String, crate::error::AppError> {
    let found = crate::api::questions::similar_questions(text).await?;
    if found.is_empty() {
        return Ok(String::new());
    }
    let prefs = crate::prefs::use_prefs();
    let owner = Owner::new();
    Ok(owner.with(move || {
        provide_context(prefs);
        let t = use_texts();
        view! {
            <section class="similar-list" data-testid="similar-questions">
                <h2>{t.qa.similar_heading}</h2>
                <ul>
                    {found.into_iter().map(|q| view! {
                        <li>
                            <a href=format!("/posts/{}", q.id) target="_blank">{q.title}</a>
                            " "
                            {q.answered.then(|| view! { <span class="answered-badge">"✓ "{t.qa.answered}</span> })}
                            <span class="card-meta">" #"{q.channel_name}" · "{(t.qa.similar_answers)(q.comment_count)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
        .to_html()
    }))
}
