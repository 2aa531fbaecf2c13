//! The frame around every page: top bar, navigation, the main landmark, and the islands
//! every signed-in page carries (the live stream, the cards' actions in place).

use crate::api::accounts::SignOut;
use crate::api::directory::site_details;
use crate::components::notice::ErrorNotice;
use crate::components::prefs_controls::LanguageSwitch;
use crate::islands::{
    badge::UnreadBadge, live::LiveStream, posts::PostsInPlace, theme::ThemeToggle,
};
use crate::policy::{allows, Action, Viewer};
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::components::A;

/// Top bar, navigation and the main landmark around every page.
#[component]
pub fn AppShell(children: Children) -> impl IntoView {
    let t = use_texts();
    let site = OnceResource::new(site_details());
    let session = expect_context::<crate::components::session::SessionResource>();
    // `try_get`: these run while the page streams, and a read after the render's owner
    // was disposed must render nothing rather than panic (a 500, "already disposed",
    // seen under load in the bench).
    let viewer = move || {
        session
            .try_get()
            .flatten()
            .and_then(Result::ok)
            .and_then(|s| s.viewer)
    };
    let signed_in = move || {
        session
            .try_get()
            .flatten()
            .and_then(Result::ok)
            .and_then(|s| s.viewer.map(|v| (v, s.unread, s.live_from)))
    };
    let company = move || {
        site.try_get()
            .flatten()
            .and_then(Result::ok)
            .map(|s| s.company_name)
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| t.app_name.to_owned())
    };
    view! {
        <a class="skip-link" href="#main">{t.skip_to_content}</a>
        <header class="topbar">
            <A href="/" attr:class="brand">
                <img src="/icons/icon-192.png" alt="" width="28" height="28"/>
                <Transition fallback=move || t.app_name>
                    <span class="brand-name">{company}</span>
                </Transition>
            </A>
            // The live stream and the cards' actions in place, for whoever is signed in.
            <Transition>{move || signed_in().map(|(viewer, unread, after)| view! {
                <MainNav viewer unread/>
                <LiveStream after/>
                <PostsInPlace/>
            })}</Transition>
            <div class="topbar-tools">
                <LanguageSwitch/>
                <ThemeToggle/>
                <Transition>{move || viewer().map(|viewer| view! { <SignOutButton viewer/> })}</Transition>
            </div>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
    }
}

#[component]
fn MainNav(viewer: Viewer, unread: i64) -> impl IntoView {
    let t = use_texts();
    let may = |action| allows(Some(&viewer), action);
    view! {
        <nav class="mainnav" aria-label=t.main_navigation>
            <A href="/" exact=true>{t.nav_home}</A>
            {may(Action::ListChannels).then(|| view! { <A href="/channels">{t.nav_channels}</A> })}
            {may(Action::ReadDirectory).then(|| view! { <A href="/people">{t.nav_people}</A> })}
            {may(Action::ReadDashboard).then(|| view! { <A href="/dashboard">{t.nav_dashboard}</A> })}
            {may(Action::ManagePeople).then(|| view! { <A href="/admin">{t.nav_admin}</A> })}
            <NotificationsLink unread/>
            {may(Action::ReadFeed).then(|| view! { <A href="/search">{t.search_title}</A> })}
        </nav>
    }
}

/// The link to the notification centre, with the number of unread lines: rendered with
/// the page, then kept current by the live stream.
#[component]
fn NotificationsLink(unread: i64) -> impl IntoView {
    let t = use_texts();
    view! {
        <A href="/notifications" attr:class="notifications-link">
            {t.nav_notifications}
            <UnreadBadge unread/>
        </A>
    }
}

#[component]
fn SignOutButton(viewer: Viewer) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SignOut>::new();
    let title = format!("{} {}", t.signed_in_as, viewer.name);
    view! {
        <A href=format!("/people/{}", viewer.user_id) attr:class="me" attr:title=title>
            {viewer.name}
        </A>
        <ActionForm action attr:class="sign-out">
            <button type="submit" data-testid="sign-out">{t.sign_out}</button>
        </ActionForm>
    }
}

/// The pages behind sign-in. If the session could not even be looked up (the database
/// is away), it says so here rather than sending everyone to a sign-in page that cannot
/// work either.
#[component]
pub fn SignedInArea() -> impl IntoView {
    let session = expect_context::<crate::components::session::SessionResource>();
    move || match session.try_get().flatten() {
        Some(Err(error)) => view! { <ErrorNotice error/> }.into_any(),
        _ => view! { <Outlet/> }.into_any(),
    }
}
