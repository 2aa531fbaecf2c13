//! Townhall's user interface and its server functions, shared by the server render
//! (`ssr`) and the browser (`hydrate`). Storage lives here too, behind `ssr` only, so
//! the browser build never sees a database crate.

// The dashboard's sections are deep view types; their layout needs more than 128.
#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod calendar;
pub mod components;
#[cfg(feature = "ssr")]
pub mod domain;
pub mod error;
#[cfg(feature = "ssr")]
pub mod folding;
#[cfg(feature = "ssr")]
pub mod heavy;
pub mod i18n;
pub mod input;
pub mod islands;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod model;
#[cfg(feature = "ssr")]
pub mod objects;
pub mod pages;
pub mod policy;
pub mod prefs;
#[cfg(feature = "ssr")]
pub mod redact;
#[cfg(feature = "ssr")]
pub mod security;
pub mod shell;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod telemetry;
// The test world: databases from migrated templates, and the company builder. Above the
// domain, whose functions the builder calls to make a company as the product would.
#[cfg(feature = "test-support")]
pub mod testing;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{ProtectedParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let prefs = prefs::provide_prefs();
    #[cfg(feature = "ssr")]
    security::use_request_nonce();
    view! {
        <!DOCTYPE html>
        <html lang=prefs.lang.tag() data-theme=prefs.theme.attr()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#2457d6"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" type="image/png" href="/icons/icon-192.png"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    prefs::provide_prefs();
    let session: components::session::SessionResource =
        OnceResource::new(api::accounts::current_session());
    provide_context(session);
    // An unreadable session (database away) lets the area render, to explain the outage.
    // `try_get`: a read after the render's owner was disposed gives nothing, not a panic.
    let signed_in = move || {
        session
            .try_get()
            .flatten()
            .map(|s| s.map_or(true, |s| s.viewer.is_some()))
    };
    let way_in = move || match session.try_get().flatten() {
        Some(Ok(s)) if !s.set_up => "/welcome".to_owned(),
        _ => format!(
            "/sign-in?next={}",
            components::session::percent_encode(&components::session::router_path())
        ),
    };
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Townhall".to_owned() } else { format!("{page} · Townhall") }
        }/>
        <Router>
            <shell::AppShell>
                // Async rendering: the server answers once the page is complete, so it reads
                // the same with JavaScript off, and a visitor who must sign in first gets a
                // real redirect before any HTML is sent.
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("sign-in") view=pages::accounts::SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("welcome") view=pages::accounts::WelcomePage ssr=SsrMode::Async/>
                    <Route path=path!("join/:token") view=pages::join::JoinPage ssr=SsrMode::Async/>
                    <Route path=path!("forgot-password") view=pages::accounts::ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("reset/:token") view=pages::accounts::ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("mail/unsubscribe/:token") view=pages::mail::MailLinkPage ssr=SsrMode::Async/>
                    <Route path=path!("mail/acknowledge/:token") view=pages::mail::MailLinkPage ssr=SsrMode::Async/>
                    <ProtectedParentRoute
                        path=path!("")
                        view=shell::SignedInArea
                        condition=signed_in
                        redirect_path=way_in
                        ssr=SsrMode::Async
                    >
                        <Route path=path!("") view=pages::feed::HomePage ssr=SsrMode::Async/>
                        <Route path=path!("company") view=pages::feed::CompanyPage ssr=SsrMode::Async/>
                        <Route path=path!("mentions") view=pages::feed::MentionsPage ssr=SsrMode::Async/>
                        <Route path=path!("tags/:tag") view=pages::feed::TagPage ssr=SsrMode::Async/>
                        <Route path=path!("posts/:id") view=pages::feed::PostPage ssr=SsrMode::Async/>
                        <Route path=path!("posts/:id/history") view=pages::feed::PostHistoryPage ssr=SsrMode::Async/>
                        <Route path=path!("notifications") view=pages::notifications::NotificationsPage ssr=SsrMode::Async/>
                        <Route path=path!("scheduled") view=pages::scheduled::ScheduledPage ssr=SsrMode::Async/>
                        <Route path=path!("search") view=pages::search::SearchPageView ssr=SsrMode::Async/>
                        <Route path=path!("channels") view=pages::channels::ChannelsPage ssr=SsrMode::Async/>
                        <Route path=path!("channels/:slug") view=pages::channel::ChannelPageView ssr=SsrMode::Async/>
                        <Route path=path!("channels/:slug/members") view=pages::channel_members::ChannelMembersPage ssr=SsrMode::Async/>
                        <Route path=path!("channels/:slug/questions") view=pages::questions::ChannelQuestionsPage ssr=SsrMode::Async/>
                        <Route path=path!("questions") view=pages::questions::QuestionsForYouPage ssr=SsrMode::Async/>
                        <Route path=path!("questions/open") view=pages::questions::OpenQuestionsPage ssr=SsrMode::Async/>
                        <Route path=path!("people") view=pages::people::PeoplePage ssr=SsrMode::Async/>
                        <Route path=path!("people/:id") view=pages::profile::ProfilePage ssr=SsrMode::Async/>
                        <Route path=path!("people/:id/edit") view=pages::profile::ProfileEditPage ssr=SsrMode::Async/>
                        <Route path=path!("admin") view=pages::admin::AdminPage ssr=SsrMode::Async/>
                        <Route path=path!("dashboard") view=pages::dashboard::DashboardPage ssr=SsrMode::Async/>
                        <Route path=path!("account") view=pages::accounts::AccountPage ssr=SsrMode::Async/>
                        // Knowledge pages
                        <Route path=path!("pages") view=pages::knowledge::KnowledgePage ssr=SsrMode::Async/>
                        <Route path=path!("pages/new") view=pages::knowledge::NewPagePage ssr=SsrMode::Async/>
                        <Route path=path!("pages/:id") view=pages::knowledge::PageViewPage ssr=SsrMode::Async/>
                        <Route path=path!("pages/:id/edit") view=pages::knowledge::EditPagePage ssr=SsrMode::Async/>
                        <Route path=path!("pages/:id/history") view=pages::knowledge::PageHistoryPage ssr=SsrMode::Async/>
                        // Onboarding journeys
                        <Route path=path!("journeys") view=pages::journeys::JourneysPage ssr=SsrMode::Async/>
                        <Route path=path!("journeys/:id") view=pages::journeys::JourneyEditorPage ssr=SsrMode::Async/>
                        <Route path=path!("journey") view=pages::journeys::MyJourneyPage ssr=SsrMode::Async/>
                        <Route path=path!("people/:id/journey") view=pages::journeys::PersonJourneyPage ssr=SsrMode::Async/>
                    </ProtectedParentRoute>
                </Routes>
            </shell::AppShell>
        </Router>
    }
}
