//! One channel: what it is for, its pinned posts and its posts, newest first.

use crate::api::feed::channel_view;
use crate::api::notifications::SetNotifyLevel;
use crate::components::composer::Composer;
use crate::components::notice::{ErrorNotice, FormError, Loading};
use crate::islands::lists::NewItems;
use crate::model::{ChannelKind, ChannelPage, ChannelRef, NotifyLevel};
use crate::pages::channels::{kind_name, MembershipButton, MembershipErrors};
use crate::pages::feed::FeedList;
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ChannelPageView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let args = move || {
        (
            params.read().get("slug").unwrap_or_default(),
            query.read().get("before"),
        )
    };
    let channel = Resource::new(args, |(slug, before)| channel_view(slug, before));
    view! {
        <section class="page feed channel-page">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let is_first = args().1.is_none();
                    match channel.await {
                        Ok(page) => view! { <ChannelContent page is_first/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ChannelContent(page: ChannelPage, is_first: bool) -> impl IntoView {
    let t = use_texts();
    let c = page.channel;
    let standing = page.standing;
    let back = crate::components::session::current_path();
    view! {
        <Title text=format!("#{}", c.name)/>
        <header class="channel-head">
            <h1>"#"{c.name.clone()}</h1>
            <p class="page-intro">{c.description.clone()}</p>
            <p class="card-meta">
                <span>{kind_name(t, c.kind)}</span>
                {standing.archived.then(|| view! { " · " <span class="badge">{t.archived_badge}</span> })}
                " · "<a href=crate::api::channels::members_path(&c.slug)>{(t.members)(c.member_count)}</a>
                " · "<span>{(t.posts)(c.post_count)}</span>
                " · "<a href=format!("/channels/{}/questions", c.slug)>{t.qa.channel_open_link}</a>
            </p>
            <MembershipErrors/>
            <MembershipButton slug=c.slug.clone() private={c.kind == ChannelKind::Private} standing/>
            // Settings a member changes now and then: folded into the channel's menu so
            // that the first screen shows posts.
            {page.notify.map(|level| view! {
                <details class="channel-menu" data-keep="channel-menu">
                    <summary>{t.channel_menu}</summary>
                    <NotifyLevelForm slug=c.slug.clone() level/>
                </details>
            })}
        </header>
        {standing.archived.then(|| view! { <p class="notice" role="status">{t.error_channel_archived}</p> })}
        {match (page.post_kinds.is_empty(), page.guidelines.is_empty()) {
            // The guidelines sit beside the box they are for, shown while it is open.
            (false, _) => view! {
                <Composer channels=vec![ChannelRef { id: page.channel_id, slug: c.slug.clone(), name: c.name.clone() }]
                    kinds=page.post_kinds.clone() back guidelines=page.guidelines.clone()/>
            }.into_any(),
            (true, false) => view! {
                <aside class="card guidelines">
                    <h2>{t.channel_guidelines}</h2>
                    <p>{page.guidelines.clone()}</p>
                </aside>
            }.into_any(),
            (true, true) => ().into_any(),
        }}
        <FeedList page=page.feed is_first base=format!("/channels/{}", c.slug)
            new_items=NewItems::Channel(page.channel_id) empty_text=t.channel_empty/>
    }
    .into_any()
}

/// How much a member hears about the channel: every post, mentions only, or nothing.
#[component]
fn NotifyLevelForm(slug: String, level: NotifyLevel) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SetNotifyLevel>::new();
    let label = |l: NotifyLevel| match l {
        NotifyLevel::All => t.notify_all,
        NotifyLevel::Mentions => t.notify_mentions,
        NotifyLevel::Nothing => t.notify_none,
    };
    view! {
        <FormError action/>
        <ActionForm action attr:class="notify-level">
            <input type="hidden" name="channel" value=slug/>
            <label class="inline-label">
                {t.field_notify_level}" "
                <select name="level">
                    {NotifyLevel::ALL.into_iter().map(|l| view! {
                        <option value=l.as_str() selected=l == level>{label(l)}</option>
                    }).collect_view()}
                </select>
            </label>
            " "
            <button type="submit">{t.save}</button>
            {move || action.value().get().and_then(Result::ok).map(|()| view! { " ✓" })}
        </ActionForm>
    }
}
