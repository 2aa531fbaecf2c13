//! The search boxes (`components::search_box` in the top bar, and the search page's own
//! box) in place: after a short pause in typing, the people and channels whose names
//! start with the words show under the box, as server-rendered links. Escape or leaving
//! the box closes them; words typed before the script ran are looked at when it does.
//! Without this the box is a plain form to `/search`.

use leptos::prelude::*;

#[island]
pub fn SearchBoxInPlace() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::start();
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::dom;
    use leptos::server_fn::ServerFn;
    use wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlInputElement};

    thread_local! {
        static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        /// Questions asked; an answer to an older one is dropped.
        static ASKED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }

    /// The pause in typing before asking: one request per word, not per letter.
    const DELAY_MS: i32 = 150;

    pub fn start() {
        if STARTED.replace(true) {
            return;
        }
        dom::on_document("input", |event| {
            let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            if let Some(list) = list_of(&input) {
                typed(list, input.value());
            }
        });
        dom::on_document("keydown", |event| {
            let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>().map(|k| k.key()) else {
                return;
            };
            if key == "Escape" {
                close_all();
            }
        });
        // On a slow phone the box may have been typed in before the script ran: what is
        // there is looked at as if just typed. Only in the box being typed in (the one
        // with focus): the search page's box arrives filled with its query.
        if let Some(input) = dom::document()
            .and_then(|d| d.active_element())
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        {
            if let Some(list) = list_of(&input) {
                typed(list, input.value());
            }
        }
        // Searching closes them too: the next page must not open with a stale list.
        dom::on_document("submit", |_| close_all());
        // A click anywhere but in a box closes its suggestions.
        dom::on_document("click", |event| {
            let inside = event
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|e| e.closest("[data-search-box]").ok().flatten())
                .is_some();
            if !inside {
                close_all();
            }
        });
    }

    /// The suggestions' place of the box `input` belongs to.
    fn list_of(input: &HtmlInputElement) -> Option<Element> {
        input
            .closest("[data-search-box]")
            .ok()
            .flatten()?
            .query_selector("[data-search-suggestions]")
            .ok()
            .flatten()
    }

    fn close_all() {
        ASKED.set(ASKED.get() + 1);
        if let Some(doc) = dom::document() {
            for list in dom::all(&doc, "[data-search-suggestions]") {
                list.set_inner_html("");
            }
        }
    }

    fn typed(list: Element, text: String) {
        let asked = ASKED.get() + 1;
        ASKED.set(asked);
        if text.trim().is_empty() {
            list.set_inner_html("");
            return;
        }
        dom::later(DELAY_MS, move || {
            if ASKED.get() != asked {
                return;
            }
            leptos::task::spawn_local(async move {
                let html = dom::call_html(
                    crate::components::search_box::SearchSuggestionsHtml::PATH,
                    &[("q", &text)],
                )
                .await;
                if ASKED.get() == asked {
                    list.set_inner_html(&html);
                }
            });
        });
    }
}
