//! The frame around every page: top bar, navigation, the main landmark, and the islands
//! every signed-in page carries (the live stream, the cards' actions in place).

use crate::api::accounts::SignOut;
use crate::api::directory::site_details;
use crate::components::notice::ErrorNotice;
use crate::components::prefs_controls::{LanguageSwitch, ThemeToggle};
use crate::islands::{
    attach::AttachInPlace, badge::UnreadBadge, composer::ComposerInPlace, live::LiveStream,
    posts::PostsInPlace, search_box::SearchBoxInPlace, theme::ThemeInPlace,
};
use crate::policy::{allows, Action, Viewer};
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::components::A;

/// Top bar, navigation and the main landmark around every page.
#[component]
pub fn AppShell(children: Children) -> impl IntoView {
    use crate::components::session::{router_path, PagePath};
    provide_context(PagePath(router_path()));
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
            // The live stream, the cards' and composers' actions in place, for whoever is
            // signed in.
            <Transition>{move || signed_in().map(|(viewer, unread, after)| view! {
                <MainNav viewer unread/>
                <crate::components::search_box::SearchBox/>
                <SearchBoxInPlace/>
                <LiveStream after/>
                <PostsInPlace/>
                <ComposerInPlace/>
                <AttachInPlace/>
                <crate::components::attachments::AttachItemTemplate/>
            })}</Transition>
            <Transition>{move || view! { <Tools viewer=viewer()/> }}</Transition>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
    }
}

/// The places. On a phone this is the bottom tab bar: Home, Channels, Search,
/// Notifications and "More", which opens the sheet of [`Tools`]; the other places
/// (People, Dashboard, Admin) are in that sheet there, in this bar on a wider screen.
#[component]
fn MainNav(viewer: Viewer, unread: i64) -> impl IntoView {
    let t = use_texts();
    view! {
        <nav class="mainnav" aria-label=t.main_navigation>
            <A href="/" exact=true><NavIcon path=ICON_HOME/><span>{t.nav_home}</span></A>
            {allows(Some(&viewer), Action::ListChannels).then(|| view! {
                <A href="/channels"><NavIcon path=ICON_CHANNELS/><span>{t.nav_channels}</span></A>
            })}
            {allows(Some(&viewer), Action::ReadFeed).then(|| view! {
                <A href="/search"><NavIcon path=ICON_SEARCH/><span>{t.search_title}</span></A>
            })}
            <NotificationsLink unread/>
            <OtherPlaces viewer=viewer.clone() class="nav-extra"/>
            // Opens the sheet without script (the popover attribute).
            <button type="button" class="nav-more" popovertarget=SHEET aria-controls=SHEET>
                <NavIcon path=ICON_MORE/><span>{t.nav_more}</span>
            </button>
        </nav>
    }
}

/// People, Dashboard and Admin, as the policy lets `viewer` see them.
#[component]
fn OtherPlaces(viewer: Viewer, class: &'static str) -> impl IntoView {
    let t = use_texts();
    let may = |action| allows(Some(&viewer), action);
    view! {
        {may(Action::ReadDirectory).then(|| view! { <A href="/people" attr:class=class>{t.nav_people}</A> })}
        {may(Action::ReadFeed).then(|| view! { <A href="/pages" attr:class=class>{t.knowledge.nav}</A> })}
        {may(Action::ListJourneys).then(|| view! { <A href="/journeys" attr:class=class>{t.journeys.nav}</A> })}
        {may(Action::ReadDashboard).then(|| view! { <A href="/dashboard" attr:class=class>{t.nav_dashboard}</A> })}
        {may(Action::ManagePeople).then(|| view! { <A href="/admin" attr:class=class>{t.nav_admin}</A> })}
    }
}

/// The id of the phone's "More" sheet.
const SHEET: &str = "more-sheet";

/// Language, theme and, once signed in, one's profile and sign-out: in the top bar on a
/// wide screen; on a phone, signed in, a sheet the bottom bar's "More" opens (a popover,
/// which the stylesheet lays out inline where the screen is wide), with the places the
/// bar has no room for.
#[component]
fn Tools(viewer: Option<Viewer>) -> impl IntoView {
    let popover = viewer.is_some().then_some("auto");
    view! {
        <div class="topbar-tools" id=SHEET popover=popover>
            {viewer.clone().map(|viewer| view! {
                <div class="sheet-places"><OtherPlaces viewer class="sheet-link"/></div>
            })}
            <LanguageSwitch/>
            <ThemeToggle/>
            <ThemeInPlace/>
            {viewer.map(|viewer| view! { <SignOutButton viewer/> })}
        </div>
    }
}

/// A bottom-bar icon: one 24-unit stroked path, drawn in the text's colour.
#[component]
fn NavIcon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="nav-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
            <path d=path/>
        </svg>
    }
}

const ICON_HOME: &str = "M3 11 12 3l9 8M5 9.5V21h5v-6h4v6h5V9.5";
const ICON_CHANNELS: &str = "M9 3 7 21M17 3l-2 18M4 8h17M3 16h17";
const ICON_SEARCH: &str = "M10.5 3a7.5 7.5 0 1 0 0 15 7.5 7.5 0 0 0 0-15ZM16 16l5 5";
const ICON_BELL: &str = "M6 16V11a6 6 0 1 1 12 0v5l2 2H4l2-2ZM10 21h4";
const ICON_MORE: &str = "M5 12h.01M12 12h.01M19 12h.01";

/// The link to the notification centre, with the number of unread lines: rendered with
/// the page, then kept current by the live stream.
#[component]
fn NotificationsLink(unread: i64) -> impl IntoView {
    let t = use_texts();
    view! {
        <A href="/notifications" attr:class="notifications-link">
            <NavIcon path=ICON_BELL/>
            <span>{t.nav_notifications}</span>
            // Beside the label on a wide screen, on the bell on a phone.
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
