//! The language switch and the theme toggle: plain forms. Every string on the page
//! changes with the language, so a fresh render (the form's redirect back) is the honest
//! way to switch it, with or without JavaScript. The theme toggle also acts in place,
//! through an island (`islands::theme`).

use crate::api::prefs::{SetLanguage, SetTheme};
use crate::prefs::use_prefs;
use crate::prefs::use_texts;
use crate::prefs::Theme;
use leptos::prelude::*;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let t = use_texts();
    let other = use_prefs().lang.other();
    let action = ServerAction::<SetLanguage>::new();
    view! {
        <ActionForm action attr:class="lang-switch">
            <input type="hidden" name="lang" value=other.tag()/>
            <button type="submit" lang=other.tag() title=t.switch_language data-testid="language-switch">
                {other.native_name()}
            </button>
        </ActionForm>
    }
}

/// Light or dark: the form asks for the opposite of what the page shows. "System" is
/// rendered as light (the server cannot know); the island corrects it once it runs.
/// The label for either state comes with the page, for the island to switch to.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let t = use_texts();
    let dark = use_prefs().theme == Theme::Dark;
    let action = ServerAction::<SetTheme>::new();
    view! {
        <ActionForm action attr:class="theme-toggle">
            <input type="hidden" name="theme" value=if dark { "light" } else { "dark" }/>
            <button type="submit" title=t.switch_theme aria-label=t.switch_theme
                aria-pressed=if dark { "true" } else { "false" } data-testid="theme-toggle">
                <span class="theme-icon" aria-hidden="true">{if dark { "☀" } else { "☾" }}</span>
                <span class="theme-name" data-light=t.theme_light data-dark=t.theme_dark>
                    {if dark { t.theme_light } else { t.theme_dark }}
                </span>
            </button>
        </ActionForm>
    }
}
