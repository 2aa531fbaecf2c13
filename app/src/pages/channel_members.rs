//! A channel's members and their roles; for its admins and the company's staff, adding
//! and removing people, channel admins, the channel's settings and the archive.

use crate::api::channels::{
    channel_members, AddChannelMember, ArchiveChannel, EditChannel, RemoveChannelMember,
    SetChannelAdmin,
};
use crate::components::notice::{ErrorNotice, FormError, Loading};
use crate::model::{ChannelMember, ChannelRoster};
use crate::pages::channels::ChannelFields;
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ChannelMembersPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let members = Resource::new(slug, channel_members);
    view! {
        <section class="page channel-members">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match members.await {
                        Ok(page) => view! { <MembersView page/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The actions of this page: each reloads it once done, as the server now sees it.
#[derive(Clone, Copy)]
struct Actions {
    add: ServerAction<AddChannelMember>,
    remove: ServerAction<RemoveChannelMember>,
    admin: ServerAction<SetChannelAdmin>,
}

#[component]
fn MembersView(page: ChannelRoster) -> impl IntoView {
    let t = use_texts();
    let c = page.channel;
    let actions = Actions {
        add: ServerAction::new(),
        remove: ServerAction::new(),
        admin: ServerAction::new(),
    };
    let manage = page.standing.may_manage;
    // Everyone is in the company-wide channel: nobody is added to or removed from it.
    let fixed = c.is_default;
    let slug = c.slug.clone();
    view! {
        <Title text=(t.members_of)(&c.name)/>
        <h1>{(t.members_of)(&c.name)}</h1>
        <p><a href=format!("/channels/{}", c.slug)>{t.back_to_channel}</a></p>
        {(manage && !fixed).then(|| view! { <AddMember slug=slug.clone() candidates=page.candidates action=actions.add/> })}
        <h2>{(t.members)(c.member_count)}</h2>
        <FormError action=actions.remove/>
        <FormError action=actions.admin/>
        <ul class="card-list channel-member-list">
            {page.members.into_iter().map(|m| view! {
                <MemberItem member=m slug=slug.clone() manage fixed actions/>
            }).collect_view()}
        </ul>
        {manage.then(|| view! {
            <Settings slug=c.slug.clone() name=c.name.clone() description=c.description.clone()
                guidelines=page.guidelines archived=page.standing.archived fixed/>
        })}
    }
    .into_any()
}

#[component]
fn AddMember(
    slug: String,
    candidates: Vec<crate::model::PersonRef>,
    action: ServerAction<AddChannelMember>,
) -> impl IntoView {
    let t = use_texts();
    if candidates.is_empty() {
        return view! { <p class="empty">{t.everyone_is_member}</p> }.into_any();
    }
    view! {
        <section aria-labelledby="add-member-heading">
            <h2 id="add-member-heading">{t.add_member}</h2>
            <FormError action/>
            <ActionForm action attr:class="inline-form add-member">
                <input type="hidden" name="slug" value=slug/>
                <label>{t.field_person}" "
                    <select name="person" required>
                        <option value="">{t.none_option}</option>
                        {candidates.into_iter().map(|p| view! {
                            <option value=p.id>{p.name}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="primary">{t.add_member}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn MemberItem(
    member: ChannelMember,
    slug: String,
    manage: bool,
    fixed: bool,
    actions: Actions,
) -> impl IntoView {
    let t = use_texts();
    let person = member.person;
    let role = if member.admin {
        t.channel_admin_role
    } else {
        t.channel_member_role
    };
    let admin_slug = slug.clone();
    view! {
        <li class="card channel-member">
            <p>
                <a href=format!("/people/{}", person.id)>{person.name.clone()}</a>
                " · "<span class="role">{role}</span>
            </p>
            {manage.then(|| view! {
                <ActionForm action=actions.admin attr:class="inline-form">
                    <input type="hidden" name="slug" value=admin_slug/>
                    <input type="hidden" name="person" value=person.id/>
                    <input type="hidden" name="admin" value=if member.admin { "false" } else { "true" }/>
                    <button type="submit">
                        {if member.admin { t.unmake_channel_admin } else { t.make_channel_admin }}
                    </button>
                </ActionForm>
            })}
            {(manage && !fixed).then(|| view! {
                <ActionForm action=actions.remove attr:class="inline-form">
                    <input type="hidden" name="slug" value=slug/>
                    <input type="hidden" name="person" value=person.id/>
                    <button type="submit" class="danger">{t.remove_member}</button>
                </ActionForm>
            })}
        </li>
    }
}

#[component]
fn Settings(
    slug: String,
    name: String,
    description: String,
    guidelines: String,
    archived: bool,
    fixed: bool,
) -> impl IntoView {
    let t = use_texts();
    let edit = ServerAction::<EditChannel>::new();
    let archive = ServerAction::<ArchiveChannel>::new();
    let archive_slug = slug.clone();
    view! {
        <section aria-labelledby="channel-settings-heading">
            <h2 id="channel-settings-heading">{t.channel_settings}</h2>
            <FormError action=edit/>
            <ActionForm action=edit attr:class="form channel-settings">
                <input type="hidden" name="slug" value=slug/>
                <ChannelFields name description guidelines/>
                <button type="submit" class="primary">{t.save}</button>
            </ActionForm>
            {(!fixed).then(|| view! {
                <FormError action=archive/>
                <ActionForm action=archive attr:class="inline-form">
                    <input type="hidden" name="slug" value=archive_slug/>
                    <input type="hidden" name="archived" value=if archived { "false" } else { "true" }/>
                    <button type="submit" class=if archived { "" } else { "danger" }>
                        {if archived { t.unarchive_channel } else { t.archive_channel }}
                    </button>
                    <span class="hint">{t.archive_hint}</span>
                </ActionForm>
            })}
        </section>
    }
}
