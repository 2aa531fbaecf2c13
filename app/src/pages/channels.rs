//! The channel list: the channels one may read (or one's archived ones), joining and
//! leaving from the list, and starting a new channel.

use crate::api::channels::{list_channels, CreateChannel, JoinChannel, LeaveChannel};
use crate::components::notice::{ErrorNotice, FormError, Loading};
use crate::i18n::Texts;
use crate::model::{ChannelKind, ChannelListing, ChannelStanding};
use crate::policy::{allows, Action};
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ChannelsPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let archived = move || query.read().get("archived").is_some_and(|v| v == "true");
    let channels = Resource::new(archived, |archived| list_channels(Some(archived)));
    let session = expect_context::<crate::components::session::SessionResource>();
    let may_create = move || {
        session
            .get()
            .and_then(Result::ok)
            .and_then(|s| s.viewer)
            .is_some_and(|v| allows(Some(&v), Action::CreateChannel))
    };
    view! {
        <Title text=t.channels_title/>
        <section class="page" aria-labelledby="channels-heading">
            <h1 id="channels-heading">{t.channels_title}</h1>
            <p class="page-intro">{t.channels_intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let archived = archived();
                    let result = channels.await;
                    let form = may_create().then(|| view! { <NewChannelForm/> });
                    view! { {form} {match result {
                        Ok(list) if list.is_empty() && archived => view! {
                            <p class="empty">{t.no_archived_channels}</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <MembershipErrors/>
                            <ul class="card-list">
                                {list.into_iter().map(|c| view! { <ChannelItem listing=c/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }} }
                })}
            </Transition>
            {move || if archived() {
                view! { <p><a href="/channels">{t.hide_archived}</a></p> }.into_any()
            } else {
                view! { <p><a href="/channels?archived=true">{t.show_archived}</a></p> }.into_any()
            }}
        </section>
    }
}

pub fn kind_name(t: &Texts, kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::Announcement => t.channel_announcement,
        ChannelKind::Public => t.channel_public,
        ChannelKind::Private => t.channel_private,
    }
}

#[component]
fn ChannelItem(listing: ChannelListing) -> impl IntoView {
    let t = use_texts();
    let channel = listing.channel;
    let standing = listing.standing;
    let unread = listing.unread;
    let slug = channel.slug.clone();
    view! {
        <li class="card channel" id=channel.slug.clone()>
            <h2>
                <a href=format!("/channels/{}", channel.slug)>"#"{channel.name}</a>
                {(unread > 0).then(|| view! { " "<span class="unread-count">{(t.unread_in_channel)(unread)}</span> })}
            </h2>
            <p>{channel.description}</p>
            <p class="card-meta">
                <span>{kind_name(t, channel.kind)}</span>
                {channel.is_default.then(|| view! { " · " <span>{t.default_channel}</span> })}
                {standing.archived.then(|| view! { " · " <span class="badge">{t.archived_badge}</span> })}
                " · "<span>{(t.members)(channel.member_count)}</span>
                " · "<span>{(t.posts)(channel.post_count)}</span>
            </p>
            <MembershipButton slug private={channel.kind == ChannelKind::Private} standing/>
        </li>
    }
}

/// Join or Leave, as the viewer's standing allows; the page is loaded again after.
/// Leaving a private channel goes to the list, since its page is then out of reach.
/// Plain forms, the markup `ActionForm` renders on the server (no island takes them
/// over). Their refusals show once, in [`MembershipErrors`], which each page places
/// above: a refusal after a plain post names the server function, not the form, so a
/// server action per form showed it beside every channel of the list.
#[component]
pub fn MembershipButton(slug: String, private: bool, standing: ChannelStanding) -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let t = use_texts();
    let here = crate::components::session::current_path();
    let after_leave = if private {
        "/channels".to_owned()
    } else {
        here.clone()
    };
    let leave_slug = slug.clone();
    view! {
        {standing.may_join.then(|| view! {
            <form action=JoinChannel::url() method="post" class="inline-form membership">
                <input type="hidden" name="slug" value=slug/>
                <input type="hidden" name="back" value=here/>
                <button type="submit" class="primary">{t.join_channel}</button>
            </form>
        })}
        {standing.may_leave.then(|| view! {
            <form action=LeaveChannel::url() method="post" class="inline-form membership">
                <input type="hidden" name="slug" value=leave_slug/>
                <input type="hidden" name="back" value=after_leave/>
                <span class="card-meta">{t.you_are_member}" "</span>
                <button type="submit">{t.leave_channel}</button>
            </form>
        })}
    }
}

/// Why joining or leaving a channel was refused (after a plain form post): once per
/// page, above its [`MembershipButton`]s.
#[component]
pub fn MembershipErrors() -> impl IntoView {
    let join = ServerAction::<JoinChannel>::new();
    let leave = ServerAction::<LeaveChannel>::new();
    view! {
        <FormError action=join/>
        <FormError action=leave/>
    }
}

#[component]
fn NewChannelForm() -> impl IntoView {
    let t = use_texts();
    let create = ServerAction::<CreateChannel>::new();
    let kinds = [
        (ChannelKind::Public, t.channel_public_hint),
        (ChannelKind::Private, t.channel_private_hint),
        (ChannelKind::Announcement, t.channel_announcement_hint),
    ];
    view! {
        // Outside the folded part, so a refusal shows after a plain form post too.
        <FormError action=create/>
        <details class="card new-channel">
            <summary>{t.new_channel}</summary>
            <ActionForm action=create attr:class="form">
                <ChannelFields name=String::new() description=String::new() guidelines=String::new()/>
                <fieldset>
                    <legend>{t.field_channel_kind}</legend>
                    {kinds.into_iter().map(|(kind, hint)| view! {
                        <label class="check">
                            <input type="radio" name="kind" value=kind.as_str() checked={kind == ChannelKind::Public}/>
                            {hint}
                        </label>
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="primary">{t.create_channel}</button>
            </ActionForm>
        </details>
    }
}

/// Name, description and guidelines: the fields for starting and editing a channel.
#[component]
pub fn ChannelFields(name: String, description: String, guidelines: String) -> impl IntoView {
    let t = use_texts();
    view! {
        <label>{t.field_channel_name}
            <input type="text" name="name" value=name required maxlength="80"/>
        </label>
        <label>{t.field_description}
            <input type="text" name="description" value=description maxlength="500"/>
        </label>
        <label>{t.field_guidelines}
            <textarea name="guidelines" rows="3" maxlength="2000">{guidelines}</textarea>
        </label>
    }
}
