//! Administration: inviting people and keeping the list of departments.

use crate::api::admin::{admin_overview, CreateInvitation, RevokeInvitation, SaveDepartment};
use crate::api::questions::{question_settings, SaveQuestionSettings};
use crate::components::notice::{ErrorNotice, FormError, Loading};
use crate::components::post_card::Time;
use crate::model::{Administration, Invited, Role};
use crate::pages::accounts::role_name;
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminPage() -> impl IntoView {
    let t = use_texts();
    let overview = Resource::new(|| (), |_| admin_overview());
    let create = ServerAction::<CreateInvitation>::new();
    view! {
        <Title text=t.admin_title/>
        <section class="page admin" aria-labelledby="admin-heading">
            <h1 id="admin-heading">{t.admin_title}</h1>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(admin) => view! { <AdminView admin create/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AdminView(admin: Administration, create: ServerAction<CreateInvitation>) -> impl IntoView {
    let t = use_texts();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let department = ServerAction::<SaveDepartment>::new();
    // A new link is shown in place (from the call's answer), or after a plain form post
    // from the address the server redirected to.
    let query = use_query_map();
    let origin = admin.origin.clone();
    let answer = move || {
        create.value().get().and_then(Result::ok).or_else(|| {
            let query = query.read();
            if let Some(token) = query.get("invitation") {
                return Some(Invited::Link(format!("{origin}/join/{token}")));
            }
            let list = |key: &str| {
                query
                    .get(key)
                    .map(|list| {
                        list.split(", ")
                            .filter(|a| !a.is_empty())
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default()
            };
            query.get("mailed").map(|_| Invited::Mailed {
                to: list("mailed"),
                already_here: list("already"),
            })
        })
    };
    let offset = admin.utc_offset_minutes;
    let department_choices = admin.departments.clone();
    view! {
        <section aria-labelledby="invitations-heading">
            <h2 id="invitations-heading">{t.invitations_title}</h2>
            <p class="page-intro">{t.invitations_intro}</p>
            {move || answer().map(|answer| match answer {
                Invited::Link(link) => view! {
                    <div class="notice notice-ok" role="status">
                        <p>{t.invitation_created}</p>
                        <input type="text" readonly class="invitation-link" value=link aria-label=t.invitations_title/>
                    </div>
                }.into_any(),
                Invited::Mailed { to, already_here } => view! {
                    <div class="notice notice-ok invitations-mailed" role="status">
                        {(!to.is_empty()).then(|| view! { <p>{(t.mail.invitations_mailed)(&to.join(", "))}</p> })}
                        {(!already_here.is_empty()).then(|| view! { <p>{(t.mail.already_here)(&already_here.join(", "))}</p> })}
                    </div>
                }.into_any(),
            })}
            <FormError action=create/>
            <ActionForm action=create attr:class="form invite-form">
                <label>{t.field_role}
                    <select name="role">
                        {[Role::Member, Role::Admin, Role::Guest].into_iter().map(|r| view! {
                            <option value=r.as_str()>{role_name(t, r)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{t.field_department}
                    <select name="department">
                        <option value="">{t.none_option}</option>
                        {department_choices.into_iter().map(|d| view! { <option value=d.id>{d.name}</option> }).collect_view()}
                    </select>
                </label>
                <label>{t.field_channel}
                    <select name="channel" aria-describedby="guest-channel-hint">
                        <option value="">{t.none_option}</option>
                        {admin.channels.iter().map(|c| view! { <option value=c.id>"#"{c.name.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <p class="hint" id="guest-channel-hint">{t.guest_channel_hint}</p>
                {admin.mail.then(|| view! {
                    <label>{t.mail.invite_emails}
                        <textarea name="emails" rows="2" aria-describedby="invite-emails-hint"
                            autocomplete="off" spellcheck="false"></textarea>
                    </label>
                    <p class="hint" id="invite-emails-hint">{t.mail.invite_emails_hint}</p>
                })}
                <label>{t.field_valid_days}
                    <input type="number" name="valid_days" value="7" min="1" max="90" required/>
                </label>
                <fieldset>
                    <legend>{t.field_uses}</legend>
                    <label class="check"><input type="radio" name="uses" value="one" checked/>{t.uses_one}</label>
                    <label class="check"><input type="radio" name="uses" value="many"/>{t.uses_many}</label>
                </fieldset>
                <button type="submit" class="primary">{t.invite_button}</button>
            </ActionForm>

            <h3>{t.pending_invitations}</h3>
            <FormError action=revoke/>
            {if admin.invitations.is_empty() {
                view! { <p class="empty">{t.no_invitations}</p> }.into_any()
            } else {
                view! {
                    <ul class="card-list invitations">
                        {admin.invitations.into_iter().map(|i| view! {
                            <li class="card invitation">
                                <p>
                                    <strong>{role_name(t, i.role)}</strong>
                                    {i.department.map(|d| format!(" · {d}"))}
                                    {i.channel.map(|c| format!(" · #{c}"))}
                                </p>
                                <p class="card-meta">
                                    {(t.invitation_uses)(i.uses, i.max_uses)}
                                    " · "{t.expires}" "<Time unix_ms=i.expires_at utc_offset_minutes=offset/>
                                    {i.created_by.map(|name| format!(" · {} {name}", t.created_by))}
                                    {i.email.map(|email| format!(" · {}", (t.mail.invitation_mailed_to)(&email)))}
                                </p>
                                <ActionForm action=revoke attr:class="inline-form">
                                    <input type="hidden" name="id" value=i.id/>
                                    <button type="submit" class="danger">{t.revoke}</button>
                                </ActionForm>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>

        <section id="departments" aria-labelledby="departments-heading">
            <h2 id="departments-heading">{t.departments_title}</h2>
            <FormError action=department/>
            <ul class="card-list departments">
                {admin.departments.into_iter().map(|d| view! {
                    <li class="card">
                        <ActionForm action=department attr:class="inline-form">
                            <input type="hidden" name="id" value=d.id/>
                            <input type="text" name="name" value=d.name.clone() required maxlength="80"
                                aria-label=t.field_department_name/>
                            <span class="card-meta">{(t.people_count)(d.people)}</span>
                            <button type="submit">{t.rename}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
            <ActionForm action=department attr:class="inline-form">
                <label>{t.field_department_name}" "
                    <input type="text" name="name" required maxlength="80"/>
                </label>
                <button type="submit">{t.add_department}</button>
            </ActionForm>
        </section>
        <QuestionSettings/>
        <FileSettings/>
    }
    .into_any()
}

/// The largest file, and all files together; and how much is used.
#[component]
fn FileSettings() -> impl IntoView {
    use crate::api::files::{file_settings, SaveFileSettings};
    let t = use_texts();
    let f = t.files;
    let save = ServerAction::<SaveFileSettings>::new();
    let settings = Resource::new(move || save.version().get(), |_| file_settings());
    let back = crate::components::session::current_path();
    let (max_range, quota_range) = (
        crate::model::files::FILE_MAX_MB_RANGE,
        crate::model::files::FILE_QUOTA_MB_RANGE,
    );
    view! {
        <section id="files" aria-labelledby="files-heading">
            <h2 id="files-heading">{f.settings_heading}</h2>
            <FormError action=save/>
            <Transition>
                {move || Suspend::new({
                    let back = back.clone();
                    async move {
                        settings.await.ok().map(|(max_mb, quota_mb, used)| view! {
                            <p class="page-intro">{(f.settings_used)(
                                &crate::model::files::human_size(used),
                                &crate::model::files::human_size(quota_mb * 1024 * 1024),
                            )}</p>
                            <ActionForm action=save attr:class="form file-settings">
                                <input type="hidden" name="back" value=back/>
                                <label>{f.field_max_mb}
                                    <input type="number" name="max_mb" min=max_range.0 max=max_range.1 required value=max_mb/>
                                </label>
                                <label>{f.field_quota_mb}
                                    <input type="number" name="quota_mb" min=quota_range.0 max=quota_range.1 required value=quota_mb/>
                                </label>
                                <button type="submit">{t.qa.save_settings}</button>
                            </ActionForm>
                        })
                    }
                })}
            </Transition>
            {move || save.value().get().and_then(Result::ok).map(|()| view! {
                <p class="notice notice-ok" role="status">{f.settings_saved}</p>
            })}
        </section>
    }
}

/// How long the question reminders wait.
#[component]
fn QuestionSettings() -> impl IntoView {
    let t = use_texts();
    let save = ServerAction::<SaveQuestionSettings>::new();
    let settings = Resource::new(move || save.version().get(), |_| question_settings());
    let back = crate::components::session::current_path();
    view! {
        <section id="questions" aria-labelledby="questions-heading">
            <h2 id="questions-heading">{t.qa.settings_heading}</h2>
            <p class="page-intro">{t.qa.settings_note}</p>
            <FormError action=save/>
            <Transition>
                {move || Suspend::new({
                    let back = back.clone();
                    async move {
                        settings.await.ok().map(|(accept, unanswered)| view! {
                            <ActionForm action=save attr:class="form question-settings">
                                <input type="hidden" name="back" value=back/>
                                <label>{t.qa.accept_reminder_days}
                                    <input type="number" name="accept_days" min="0" max="90" required value=accept/>
                                </label>
                                <label>{t.qa.unanswered_reminder_days}
                                    <input type="number" name="unanswered_days" min="0" max="90" required value=unanswered/>
                                </label>
                                <button type="submit">{t.qa.save_settings}</button>
                            </ActionForm>
                        })
                    }
                })}
            </Transition>
            {move || save.value().get().and_then(Result::ok).map(|()| view! {
                <p class="notice notice-ok" role="status">{t.qa.settings_saved}</p>
            })}
        </section>
    }
}
