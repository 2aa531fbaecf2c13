//! Townhall's user interface and its server functions, shared by the server render
//! (`ssr`) and the browser (`hydrate`). Storage lives here too, behind `ssr` only, so
//! the browser build never sees a database crate.

pub mod api;
pub mod components;
pub mod error;
pub mod i18n;
pub mod model;
pub mod pages;
pub mod prefs;
pub mod search;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let prefs = prefs::provide_prefs();
    #[cfg(feature = "ssr")]
    security::send_content_security_policy();
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
                <HydrationScripts options/>
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
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Townhall".to_owned() } else { format!("{page} · Townhall") }
        }/>
        <Router>
            <components::shell::AppShell>
                // In-order streaming: the page arrives complete, top to bottom, so it
                // reads the same with JavaScript off (out-of-order needs a script).
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("") view=pages::feed::FeedPage ssr=SsrMode::InOrder/>
                    <Route path=path!("channels") view=pages::channels::ChannelsPage ssr=SsrMode::InOrder/>
                    <Route path=path!("people") view=pages::people::PeoplePage ssr=SsrMode::InOrder/>
                    <Route path=path!("dashboard") view=pages::dashboard::DashboardPage ssr=SsrMode::InOrder/>
                </Routes>
            </components::shell::AppShell>
        </Router>
    }
}
