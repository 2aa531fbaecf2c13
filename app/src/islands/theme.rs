//! The theme toggle in place: the toggle itself is a plain server-rendered form
//! (`components::prefs_controls::ThemeToggle`), which works without JavaScript; this
//! island sends it as a script, switches light and dark without a reload, and turns the
//! button to say what the next click does (its labels come with the page).

use leptos::prelude::*;

#[island]
pub fn ThemeInPlace() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::start();
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::dom;
    use crate::prefs::Theme;
    use web_sys::{Element, HtmlFormElement};

    thread_local! {
        static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    pub fn start() {
        if STARTED.replace(true) {
            return;
        }
        let Some(doc) = dom::document() else { return };
        // "System" shows the opposite of what the system shows, known only here.
        let theme = doc
            .document_element()
            .and_then(|root| root.get_attribute("data-theme"))
            .map(|attr| Theme::from_attr(&attr))
            .unwrap_or(Theme::System);
        for form in dom::all(&doc, "form.theme-toggle") {
            show(&form, theme);
            // Says that a click now acts in place (a test, or a style, can tell).
            let _ = form.set_attribute("data-hydrated", "true");
        }
        dom::on_submit(
            |form| form.class_list().contains("theme-toggle"),
            |form, _| leptos::task::spawn_local(send(form)),
        );
    }

    async fn send(form: HtmlFormElement) {
        let Some(_sending) = dom::Sending::start(&form) else {
            return;
        };
        match dom::submit(&form, &None).await {
            Ok(answer) => {
                let chosen = serde_json::from_str::<Theme>(&answer).unwrap_or_default();
                crate::prefs::apply_theme(chosen);
                if let Some(doc) = dom::document() {
                    for form in dom::all(&doc, "form.theme-toggle") {
                        show(&form, chosen);
                    }
                }
            }
            Err(error) => dom::show_error(&form, &error.message()),
        }
    }

    /// Sets the form to switch away from `theme`: its value, icon, label and state.
    fn show(form: &Element, theme: Theme) {
        let dark = match theme {
            Theme::Dark => true,
            Theme::Light => false,
            Theme::System => crate::prefs::system_prefers_dark(),
        };
        let set = |selector: &str, f: &dyn Fn(&Element)| {
            if let Some(el) = form.query_selector(selector).ok().flatten() {
                f(&el);
            }
        };
        set("input[name=theme]", &|input| {
            let _ = input.set_attribute("value", if dark { "light" } else { "dark" });
            if let Some(input) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlInputElement>(input) {
                input.set_value(if dark { "light" } else { "dark" });
            }
        });
        set("button", &|button| {
            let _ = button.set_attribute("aria-pressed", if dark { "true" } else { "false" });
        });
        set(".theme-icon", &|icon| {
            icon.set_text_content(Some(if dark { "☀" } else { "☾" }));
        });
        set(".theme-name", &|name| {
            let label = name.get_attribute(if dark { "data-light" } else { "data-dark" });
            name.set_text_content(label.as_deref());
        });
    }
}
