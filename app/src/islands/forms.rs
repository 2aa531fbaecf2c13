//! A page's plain forms, in place. Forms marked `data-in-place` are sent as a script
//! would send them; on success the page fetches itself again and swaps in its parts
//! marked `data-part`, so the reader keeps their place and sees the result where they
//! acted. Without JavaScript the same forms post and come back through a redirect.
//!
//! A form may name what its success says (`data-done`), from the few this island knows.

use leptos::prelude::*;

#[island]
pub fn FormsInPlace() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::start();
}

/// What a form's success says, by its `data-done` name.
pub const PUBLISHED_SCHEDULED: &str = "published-scheduled";

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::dom;
    use web_sys::HtmlFormElement;

    thread_local! {
        static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    pub fn start() {
        if STARTED.replace(true) {
            return;
        }
        dom::on_submit(
            |form| form.has_attribute("data-in-place"),
            |form, pressed| leptos::task::spawn_local(send(form, pressed)),
        );
    }

    async fn send(form: HtmlFormElement, pressed: dom::Pressed) {
        let Some(_sending) = dom::Sending::start(&form) else {
            return;
        };
        let t = crate::prefs::use_island_texts();
        match dom::submit(&form, &pressed).await {
            Ok(answer) => {
                let status = status_for(form.get_attribute("data-done").as_deref(), &answer, t);
                if let Some(fresh) = dom::fetch_page(&dom::here()).await {
                    if let Some(doc) = dom::document() {
                        dom::swap_parts(&doc, &fresh, "data-part");
                        if let (Some(line), Some(slot)) =
                            (status, doc.query_selector("[data-status]").ok().flatten())
                        {
                            slot.set_inner_html("");
                            let _ = slot.append_child(&line);
                        }
                    }
                }
            }
            Err(error) => dom::show_error(&form, &error.message()),
        }
    }

    /// The status line a success named `done` shows, made from the answer.
    fn status_for(
        done: Option<&str>,
        answer: &str,
        t: &crate::i18n::island::IslandTexts,
    ) -> Option<web_sys::Element> {
        let doc = dom::document()?;
        match done? {
            super::PUBLISHED_SCHEDULED => {
                let (slug, name) = serde_json::from_str::<(String, String)>(answer).ok()?;
                let line = doc.create_element("p").ok()?;
                line.set_class_name("notice");
                line.set_attribute("role", "status").ok()?;
                line.set_text_content(Some(&format!("{} ", t.published_scheduled)));
                let link = doc.create_element("a").ok()?;
                link.set_attribute("href", &format!("/channels/{slug}"))
                    .ok()?;
                link.set_text_content(Some(&format!("#{name}")));
                line.append_child(&link).ok()?;
                Some(line)
            }
            _ => None,
        }
    }
}
