use super::prefs_controls::{LanguageSwitch, ThemeToggle};
use crate::api::directory::site_details;
use crate::i18n::use_texts;
use leptos::prelude::*;
use leptos_router::components::A;

/// Top bar, navigation and the main landmark around every page.
#[component]
pub fn AppShell(children: Children) -> impl IntoView {
    let t = use_texts();
    let site = OnceResource::new(site_details());
    let company = move || {
        site.get()
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
            <nav class="mainnav" aria-label=t.main_navigation>
                <A href="/" exact=true>{t.nav_feed}</A>
                <A href="/channels">{t.nav_channels}</A>
                <A href="/people">{t.nav_people}</A>
                <A href="/dashboard">{t.nav_dashboard}</A>
            </nav>
            <div class="topbar-tools">
                <LanguageSwitch/>
                <ThemeToggle/>
            </div>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
    }
}
