//! A person's profile (who they are, whom they report to, what to ask them about) and
//! its edit form. Plain forms underneath, so editing works with JavaScript off.

use crate::api::admin::guest_channel_choices;
use crate::api::feed::person_feed;
use crate::api::people::{
    editable_profile, person_profile, ChangeRole, SaveProfile, SetActive, SetLeader,
};
use crate::components::notice::{ErrorNotice, FormError, Loading};
use crate::components::post_card::Avatar;
use crate::error::AppError;
use crate::i18n::{format_clock, format_date, format_day_month};
use crate::islands::lists::NewItems;
use crate::model::{PersonId, PersonRef, Profile, ProfileForm, Role, TIME_ZONES};
use crate::pages::accounts::role_name;
use crate::pages::feed::FeedList;
use crate::prefs::use_prefs;
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The `:id` of the route, as a person id.
fn person_id() -> impl Fn() -> Option<PersonId> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").and_then(|v| v.parse().ok())
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let id = person_id();
    let t = use_texts();
    let query = use_query_map();
    let before = move || query.read().get("before");
    let profile = Resource::new(id, |id| async move {
        match id {
            Some(id) => person_profile(id).await,
            None => Err(AppError::NotFound),
        }
    });
    // Their posts that the viewer may read, below the profile.
    let posts = Resource::new(
        move || (id(), before()),
        |(id, before)| async move {
            match id {
                Some(id) => person_feed(id, before).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <section class="page profile">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let (profile, posts) = (profile.await, posts.await);
                    match profile {
                        Ok(profile) => {
                            let base = format!("/people/{}", profile.person.id);
                            view! {
                                <ProfileView profile/>
                                {posts.ok().map(|page| view! {
                                    <section class="feed person-posts" aria-labelledby="person-posts-heading">
                                        <h2 id="person-posts-heading">{t.profile_posts}</h2>
                                        <FeedList page is_first=before().is_none() base new_items=NewItems::None/>
                                    </section>
                                })}
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn person_list(people: Vec<PersonRef>) -> impl IntoView {
    view! {
        <ul class="person-list">
            {people.into_iter().map(|p| view! {
                <li>
                    <Avatar person=p.clone() small=true/>
                    <a href=format!("/people/{}", p.id)>{p.name}</a>
                    {(!p.job_title.is_empty()).then(|| view! { <span class="card-meta">" · "{p.job_title}</span> })}
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn ProfileView(profile: Profile) -> impl IntoView {
    let t = use_texts();
    let lang = use_prefs().lang;
    let id = profile.person.id;
    let local_time = profile.utc_offset_minutes.map(|offset| {
        format!(
            "{} ({})",
            format_clock(lang, profile.now_ms, offset),
            profile.time_zone.clone().unwrap_or_default()
        )
    });
    let role_badge = (profile.role != Role::Member).then(|| role_name(t, profile.role));
    let session = expect_context::<crate::components::session::SessionResource>();
    let is_me = move || {
        session
            .get()
            .and_then(Result::ok)
            .and_then(|s| s.viewer)
            .is_some_and(|v| v.user_id == id)
    };
    view! {
        <Title text=profile.person.name.clone()/>
        <header class="profile-head">
            <Avatar person=profile.person.clone()/>
            <div>
                <h1>{profile.person.name.clone()}</h1>
                <p class="profile-title">{profile.person.job_title.clone()}</p>
                <p class="card-meta">
                    {profile.department.clone().map(|d| d.name).unwrap_or_else(|| t.no_department.to_owned())}
                    {role_badge.map(|r| view! { " · " <span class="badge">{r}</span> })}
                    {(!profile.active).then(|| view! { " · " <span class="badge badge-warn">{t.deactivated_badge}</span> })}
                </p>
            </div>
            <div class="profile-actions">
                {profile.may_edit.then(|| view! {
                    <a class="button" href=format!("/people/{id}/edit")>{t.edit_profile}</a>
                })}
                {(profile.may_edit || profile.may_manage).then(|| view! {
                    <a class="button journey-link" href=format!("/people/{id}/journey")>{t.journeys.nav}</a>
                })}
                <Transition>{move || is_me().then(|| view! { <a href="/account">{t.account_title}</a> })}</Transition>
            </div>
        </header>
        <dl class="facts">
            {(!profile.email.is_empty()).then(|| view! {
                <dt>{t.field_email}</dt>
                <dd><a href=format!("mailto:{}", profile.email)>{profile.email.clone()}</a></dd>
            })}
            {(!profile.location.is_empty()).then(|| view! {
                <dt>{t.field_location}</dt><dd>{profile.location.clone()}</dd>
            })}
            {local_time.map(|time| view! {
                <dt>{t.local_time}</dt><dd data-testid="local-time">{time}</dd>
            })}
            {profile.start_date.clone().map(|date| view! {
                <dt>{t.field_start_date}</dt><dd>{format_date(lang, &date)}</dd>
            })}
            {profile.birthday.clone().map(|day| view! {
                <dt>{t.field_birthday}</dt><dd>{format_day_month(lang, &day)}</dd>
            })}
        </dl>
        {(!profile.expertise.is_empty()).then(|| view! {
            <h2>{t.field_expertise}</h2>
            <ul class="tags">
                {profile.expertise.iter().map(|tag| view! { <li class="tag">{tag.clone()}</li> }).collect_view()}
            </ul>
        })}
        {(!profile.responsibilities.is_empty()).then(|| view! {
            <h2>{t.field_responsibilities}</h2>
            <ul class="responsibilities">
                {profile.responsibilities.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}
            </ul>
        })}
        <h2>{t.reports_to}</h2>
        {if profile.managers.is_empty() {
            view! { <p class="card-meta">{t.no_manager}</p> }.into_any()
        } else {
            view! { <div class="manager-chain">{person_list(profile.managers.clone())}</div> }.into_any()
        }}
        {(!profile.reports.is_empty()).then(|| view! {
            <h2>{t.direct_reports}</h2>
            {person_list(profile.reports.clone())}
        })}
        {profile.may_manage.then(|| view! { <ManageAccess profile=profile.clone()/> })}
    }
    .into_any()
}

/// An admin's controls: role, and deactivation.
#[component]
fn ManageAccess(profile: Profile) -> impl IntoView {
    let t = use_texts();
    let id = profile.person.id;
    let role_action = ServerAction::<ChangeRole>::new();
    let active_action = ServerAction::<SetActive>::new();
    let leader_action = ServerAction::<SetLeader>::new();
    // Whom a member turned guest may stay with: only asked when they are not one yet.
    let keeps =
        (profile.role != Role::Guest).then(|| Resource::new(|| (), |_| guest_channel_choices()));
    let keep_choice = move || {
        keeps.map(|keeps| {
            view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let choices = keeps.await.unwrap_or_default();
                        view! {
                            <label>
                                {t.guest_keeps_channel}" "
                                <select name="keep" aria-describedby="guest-keeps-hint">
                                    <option value="">{t.guest_keeps_none}</option>
                                    {choices.into_iter().map(|c| view! {
                                        <option value=c.id>"#"{c.name}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <p class="hint" id="guest-keeps-hint">{t.guest_keeps_hint}</p>
                        }
                    })}
                </Suspense>
            }
        })
    };
    view! {
        <section class="card manage" aria-labelledby="manage-heading">
            <h2 id="manage-heading">{t.manage_access}</h2>
            <FormError action=role_action/>
            <ActionForm action=role_action attr:class="inline-form">
                <input type="hidden" name="person" value=id/>
                <label>
                    {t.field_role}" "
                    <select name="role">
                        {[Role::Admin, Role::Member, Role::Guest].into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r == profile.role>{role_name(t, r)}</option>
                        }).collect_view()}
                    </select>
                </label>
                {keep_choice}
                <button type="submit">{t.change_role}</button>
            </ActionForm>
            // Guests are never given the leader permission (the server refuses too).
            {(profile.leader || profile.role != Role::Guest).then(|| view! {
                <FormError action=leader_action/>
                <ActionForm action=leader_action attr:class="inline-form">
                    <input type="hidden" name="person" value=id/>
                    <input type="hidden" name="leader" value=(!profile.leader).to_string()/>
                    <p class="hint">{if profile.leader { t.dash.is_leader } else { t.dash.leader_hint }}</p>
                    <button type="submit">{if profile.leader { t.dash.take_leader } else { t.dash.give_leader }}</button>
                </ActionForm>
            })}
            {profile.may_reset.then(|| view! { <ResetLink id origin=profile.origin.clone()/> })}
            <FormError action=active_action/>
            <ActionForm action=active_action attr:class="inline-form">
                <input type="hidden" name="person" value=id/>
                <input type="hidden" name="active" value=(!profile.active).to_string()/>
                {if profile.active {
                    view! {
                        <p class="hint">{t.deactivate_hint}</p>
                        <button type="submit" class="danger" data-testid="deactivate">{t.deactivate}</button>
                    }.into_any()
                } else {
                    view! { <button type="submit" data-testid="reactivate">{t.reactivate}</button> }.into_any()
                }}
            </ActionForm>
        </section>
    }
    .into_any()
}

/// An admin's "Make a reset link": a one-time link to a new password, shown once after
/// it is made (from the address the plain form is sent back to).
#[component]
fn ResetLink(id: crate::model::PersonId, origin: String) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<crate::api::accounts::MakeResetLink>::new();
    let query = leptos_router::hooks::use_query_map();
    let made = move || {
        query
            .read()
            .get("reset")
            .map(|token| format!("{origin}/reset/{token}"))
    };
    view! {
        <div class="reset-link">
            <h3>{t.reset_link_heading}</h3>
            {move || made().map(|link| view! {
                <div class="notice notice-ok" role="status">
                    <p>{t.reset_link_made}</p>
                    <input type="text" readonly class="reset-link-value" value=link aria-label=t.reset_link_heading/>
                </div>
            })}
            <p class="hint">{t.reset_link_hint}</p>
            <FormError action/>
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="person" value=id/>
                <button type="submit">{t.reset_link_make}</button>
            </ActionForm>
        </div>
    }
}

#[component]
pub fn ProfileEditPage() -> impl IntoView {
    let id = person_id();
    let form = Resource::new(id, |id| async move {
        match id {
            Some(id) => editable_profile(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <section class="page profile-edit">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(form) => view! { <ProfileEditor form/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ProfileEditor(form: ProfileForm) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SaveProfile>::new();
    let p = form.profile;
    let id = p.person.id;
    let (birth_month, birth_day) = p
        .birthday
        .as_deref()
        .and_then(|b| b.split_once('-'))
        .and_then(|(m, d)| Some((m.parse::<u32>().ok()?, d.parse::<u32>().ok()?)))
        .unzip();
    let title = (t.edit_profile_of)(&p.person.name);
    let zone = p.time_zone.clone().unwrap_or_default();
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <AvatarForm person=p.person.clone()/>
        <FormError action/>
        <ActionForm action attr:class="form profile-form">
            <input type="hidden" name="person" value=id/>
            <label>{t.field_name}
                <input type="text" name="name" required maxlength="100" value=p.person.name.clone() autocomplete="name"/>
            </label>
            <label>{t.field_job_title}
                <input type="text" name="job_title" maxlength="100" value=p.person.job_title.clone() autocomplete="organization-title"/>
            </label>
            {if form.may_edit_organisation {
                view! {
                    <label>{t.field_department}
                        <select name="department">
                            <option value="">{t.none_option}</option>
                            {form.departments.into_iter().map(|d| {
                                let selected = p.department.as_ref().is_some_and(|x| x.id == d.id);
                                view! { <option value=d.id selected=selected>{d.name}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label>{t.field_manager}
                        <select name="manager">
                            <option value="">{t.none_option}</option>
                            {form.managers.into_iter().map(|m| {
                                let selected = p.managers.first().is_some_and(|x| x.id == m.id);
                                view! { <option value=m.id selected=selected>{m.name}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                }.into_any()
            } else {
                view! { <p class="hint">{t.organisation_hint}</p> }.into_any()
            }}
            <label>{t.field_location}
                <input type="text" name="location" maxlength="100" value=p.location.clone()/>
            </label>
            <label>{t.field_time_zone}
                <select name="time_zone">
                    <option value="">{t.none_option}</option>
                    {TIME_ZONES.iter().map(|z| view! {
                        <option value=*z selected=*z == zone>{z.replace('_', " ")}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{t.field_start_date}
                <input type="date" name="start_date" value=p.start_date.clone().unwrap_or_default()/>
            </label>
            <fieldset class="birthday">
                <legend>{t.field_birthday}</legend>
                <label>{t.day_label}" "
                    <select name="birthday_day">
                        <option value="">"–"</option>
                        {(1..=31u32).map(|d| view! { <option value=d selected=birth_day == Some(d)>{d}</option> }).collect_view()}
                    </select>
                </label>
                <label>{t.month_label}" "
                    <select name="birthday_month">
                        <option value="">"–"</option>
                        {t.months_long.iter().zip(1..=12u32).map(|(name, m)| view! {
                            <option value=m selected=birth_month == Some(m)>{*name}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" name="birthday_public" value="on" checked=p.birthday_public/>
                    {t.birthday_public_label}
                </label>
                <p class="hint">{t.birthday_private_note}</p>
            </fieldset>
            <label>{t.field_expertise}
                <input type="text" name="expertise" maxlength="1000" value=p.expertise.join(", ") aria-describedby="expertise-hint"/>
            </label>
            <p class="hint" id="expertise-hint">{t.expertise_hint}</p>
            <label>{t.field_responsibilities}
                <textarea name="responsibilities" rows="4" maxlength="4200" aria-describedby="responsibilities-hint">{p.responsibilities.join("\n")}</textarea>
            </label>
            <p class="hint" id="responsibilities-hint">{t.responsibilities_hint}</p>
            <div class="form-actions">
                <button type="submit" class="primary">{t.save}</button>
                <a href=format!("/people/{id}")>{t.cancel}</a>
            </div>
        </ActionForm>
    }
    .into_any()
}

/// Uploading a photo is a plain multipart form handled by the server (see
/// `server/src/http/avatars.rs`), which comes back here with `?avatar_error=` on failure.
#[component]
fn AvatarForm(person: PersonRef) -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let problem = move || {
        query
            .read()
            .get("avatar_error")
            .map(|code| match code.as_str() {
                "too_large" => (t.error_avatar_too_large)(crate::model::MAX_AVATAR_MB as i64),
                "too_many_pixels" => {
                    (t.error_avatar_too_many_pixels)(crate::model::MAX_AVATAR_MEGAPIXELS as i64)
                }
                "busy" => t.error_busy.to_owned(),
                _ => t.error_avatar_unreadable.to_owned(),
            })
    };
    let remove = ServerAction::<crate::api::people::RemoveAvatar>::new();
    let id = person.id;
    let has_avatar = person.avatar.is_some();
    view! {
        <section class="avatar-edit">
            <Avatar person/>
            {move || problem().map(|text| view! { <div class="notice notice-error" role="alert">{text}</div> })}
            <form method="post" action=format!("/people/{id}/avatar") enctype="multipart/form-data" class="inline-form">
                <label>{t.field_avatar}" "
                    <input type="file" name="photo" required accept="image/jpeg,image/png,image/webp,image/gif"
                        aria-describedby="avatar-hint"/>
                </label>
                <button type="submit">{t.upload_photo}</button>
            </form>
            <p class="hint" id="avatar-hint">{t.avatar_hint}</p>
            {has_avatar.then(|| view! {
                <ActionForm action=remove attr:class="inline-form">
                    <input type="hidden" name="person" value=id/>
                    <button type="submit">{t.remove_photo}</button>
                </ActionForm>
            })}
        </section>
    }
}
