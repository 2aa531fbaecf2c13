//! The theme toggle: a plain form underneath, so it works without JavaScript; as an
//! island it switches light and dark in place, without a reload.

use crate::api::prefs::SetTheme;
use crate::prefs::{use_prefs, use_texts, Theme};
use leptos::prelude::*;

#[island]
pub fn ThemeToggle() -> impl IntoView {
    let t = use_texts();
    let theme = RwSignal::new(use_prefs().theme);
    // Unknown on the server; read once hydrated so "system" flips to its opposite.
    let system_dark = RwSignal::new(false);
    // Effects run only in the browser, once this component is hydrated: the form then says
    // so (`data-hydrated`), so a test (or a style) can tell a click acts in place from a
    // click that would submit the plain form. The header hydrates after the session's
    // `Transition`s, later than the wasm's start.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| {
        system_dark.set(crate::prefs::system_prefers_dark());
        hydrated.set(true);
    });

    let action = ServerAction::<SetTheme>::new();
    Effect::new(move |_| {
        if let Some(Ok(chosen)) = action.value().get() {
            crate::prefs::apply_theme(chosen);
            theme.set(chosen);
        }
    });
    let is_dark = move || match theme.get() {
        Theme::Dark => true,
        Theme::Light => false,
        Theme::System => system_dark.get(),
    };
    let next = move || if is_dark() { "light" } else { "dark" };
    view! {
        <ActionForm action attr:class="theme-toggle" attr:data-hydrated=move || hydrated.get().then_some("true")>
            <input type="hidden" name="theme" value=next/>
            <button
                type="submit"
                title=t.switch_theme
                aria-label=t.switch_theme
                aria-pressed=move || is_dark().to_string()
                data-testid="theme-toggle"
            >
                <span aria-hidden="true">{move || if is_dark() { "☀" } else { "☾" }}</span>
                <span class="theme-name">{move || if is_dark() { t.theme_light } else { t.theme_dark }}</span>
            </button>
        </ActionForm>
    }
}
