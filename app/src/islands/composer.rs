//! Every composer on the page (`components::composer`), in place: `@` suggestions (people
//! found by handle or by name typed with or without diacritics), a preview, and the post
//! sent without a reload, the list then refreshed. One island in the page header does
//! it for every composer, by listening on the document; the composer itself is plain
//! server-rendered HTML, and so are the suggestions and the preview it fetches.

use leptos::prelude::*;

#[island]
pub fn ComposerInPlace() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::start();
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::dom;
    use crate::model::Posted;
    use leptos::server_fn::ServerFn;
    use wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlElement, HtmlFormElement, HtmlInputElement, HtmlTextAreaElement};

    thread_local! {
        static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        /// Questions asked for suggestions; an answer to an older one is dropped.
        static ASKED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
        /// Looks for similar questions; only the latest, after a pause in typing, asks.
        static SIMILAR: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }

    const OPEN: &str = "open";

    pub fn start() {
        if STARTED.replace(true) {
            return;
        }
        let Some(doc) = dom::document() else { return };
        for composer in dom::all(&doc, "[data-composer]") {
            ready(&composer);
        }
        // What was written offline goes now, and whenever the network returns.
        super::super::outbox::start();
        // Open once used, and stay open while the writer looks elsewhere on the page.
        dom::on_document("focusin", |event| {
            if let Some(composer) = composer_of(event.target()) {
                let _ = composer.class_list().add_1(OPEN);
            }
        });
        dom::on_document("input", |event| {
            let Some(area) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            else {
                return;
            };
            if let Some(composer) = composer_of(Some(area.clone().into())) {
                typed(&composer, &area);
            }
        });
        // Choosing "Question" after typing looks for similar ones at once.
        dom::on_document("change", |event| {
            let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                return;
            };
            if target.matches("select[name=kind]").unwrap_or(false) {
                if let Some(composer) = composer_of(Some(target.into())) {
                    let text = body_of(&composer).map(|a| a.value()).unwrap_or_default();
                    look_for_similar(&composer, text);
                }
            }
        });
        dom::on_document("click", |event| {
            let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                return;
            };
            let Some(composer) = composer_of(Some(target.clone().into())) else {
                return;
            };
            if let Some(choice) = target.closest("button[data-handle]").ok().flatten() {
                choose(
                    &composer,
                    &choice.get_attribute("data-handle").unwrap_or_default(),
                );
            } else if target.closest("[data-preview]").ok().flatten().is_some() {
                leptos::task::spawn_local(preview(composer));
            }
        });
        dom::on_document("keydown", |event| {
            let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                return;
            };
            // Escape folds an empty composer back to its one line.
            if event.key() == "Escape" {
                if let Some(composer) = composer_of(event.target()) {
                    if body_of(&composer).is_some_and(|area| area.value().is_empty()) {
                        let _ = composer.class_list().remove_1(OPEN);
                        if let Some(active) = dom::document()
                            .and_then(|d| d.active_element())
                            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
                        {
                            let _ = active.blur();
                        }
                    }
                }
            }
        });
        dom::on_submit(
            |form| form.closest("[data-composer]").ok().flatten().is_some(),
            |form, _| leptos::task::spawn_local(send(form)),
        );
    }

    /// What only script can do shows once it runs: the preview button; the `@channel`
    /// confirmation waits until `@channel` is typed.
    fn ready(composer: &Element) {
        // Says that the composer now sends in place (a test, or a style, can tell).
        let _ = composer.set_attribute("data-hydrated", "true");
        if let Some(button) = composer.query_selector("[data-preview]").ok().flatten() {
            let _ = button.remove_attribute("hidden");
        }
        // On a slow phone the writer may have typed (and chosen "Question") before the
        // script ran: what is already there is looked at as if just typed.
        let text = body_of(composer).map(|a| a.value()).unwrap_or_default();
        show(composer, ".confirm-channel", text.contains("@channel"));
        if !text.trim().is_empty() {
            let _ = composer.class_list().add_1(OPEN);
            look_for_similar(composer, text);
        }
    }

    fn composer_of(target: Option<web_sys::EventTarget>) -> Option<Element> {
        target?
            .dyn_into::<Element>()
            .ok()?
            .closest("[data-composer]")
            .ok()
            .flatten()
    }

    fn body_of(composer: &Element) -> Option<HtmlTextAreaElement> {
        composer
            .query_selector("textarea[name=body]")
            .ok()
            .flatten()?
            .dyn_into()
            .ok()
    }

    fn show(root: &Element, selector: &str, shown: bool) {
        if let Some(el) = root.query_selector(selector).ok().flatten() {
            let _ = if shown {
                el.remove_attribute("hidden")
            } else {
                el.set_attribute("hidden", "")
            };
        }
    }

    /// How long typing pauses before similar questions are looked for.
    const SIMILAR_DELAY_MS: i32 = 400;

    /// The kind chosen in the composer (the only one, when there is no choice).
    fn kind_of(composer: &Element) -> String {
        composer
            .query_selector("select[name=kind]")
            .ok()
            .flatten()
            .and_then(|s| s.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .map(|s| s.value())
            .unwrap_or_default()
    }

    /// While a question is typed, questions already asked like it show under the box
    /// (fetched as server HTML after a pause in typing; answered ones first).
    fn look_for_similar(composer: &Element, text: String) {
        let asked = SIMILAR.get() + 1;
        SIMILAR.set(asked);
        let Some(place) = composer.query_selector("[data-similar]").ok().flatten() else {
            return;
        };
        if kind_of(composer) != crate::model::PostKind::Question.as_str()
            || text.split_whitespace().count() < 3
        {
            place.set_inner_html("");
            return;
        }
        dom::later(SIMILAR_DELAY_MS, move || {
            if SIMILAR.get() != asked {
                return;
            }
            leptos::task::spawn_local(async move {
                let html = dom::call_html(
                    crate::components::composer::SimilarQuestionsHtml::PATH,
                    &[("text", &text)],
                )
                .await;
                if SIMILAR.get() == asked {
                    place.set_inner_html(&html);
                }
            });
        });
    }

    fn typed(composer: &Element, area: &HtmlTextAreaElement) {
        let text = area.value();
        look_for_similar(composer, text.clone());
        show(composer, ".confirm-channel", text.contains("@channel"));
        let caret = area.selection_start().ok().flatten().unwrap_or(0) as usize;
        let asked = ASKED.get() + 1;
        ASKED.set(asked);
        match super::mention_at(&text, caret) {
            Some((_, prefix)) if !prefix.is_empty() => {
                let (composer, prefix) = (composer.clone(), prefix.to_owned());
                leptos::task::spawn_local(async move {
                    let html = dom::call_html(
                        crate::components::composer::MentionListHtml::PATH,
                        &[("prefix", &prefix)],
                    )
                    .await;
                    // Answers can arrive out of order; only the latest question's counts.
                    if ASKED.get() == asked {
                        suggest(&composer, &html);
                    }
                });
            }
            _ => suggest(composer, ""),
        }
    }

    /// Puts the server's list of suggestions (perhaps none) under the box.
    fn suggest(composer: &Element, html: &str) {
        if let Some(old) = composer
            .query_selector(".mention-suggestions")
            .ok()
            .flatten()
        {
            old.remove();
        }
        if html.is_empty() {
            return;
        }
        if let Some(label) = composer.query_selector(".composer-box").ok().flatten() {
            let _ = label.insert_adjacent_html("afterend", html);
        }
    }

    fn choose(composer: &Element, handle: &str) {
        let Some(area) = body_of(composer) else {
            return;
        };
        let text = area.value();
        let caret = area.selection_start().ok().flatten().unwrap_or(0) as usize;
        if let Some((start, prefix)) = super::mention_at(&text, caret) {
            let end = start + 1 + prefix.len();
            let inserted = format!("@{handle} ");
            let new_text = format!("{}{inserted}{}", &text[..start], &text[end..]);
            area.set_value(&new_text);
            let at = super::utf16_len(&new_text[..start + inserted.len()]);
            let _ = area.set_selection_range(at, at);
            let _ = area.focus();
        }
        suggest(composer, "");
    }

    async fn preview(composer: Element) {
        let text = body_of(&composer).map(|a| a.value()).unwrap_or_default();
        let Some(panel) = composer.query_selector(".preview").ok().flatten() else {
            return;
        };
        let Some(body) = panel.query_selector("[data-preview-body]").ok().flatten() else {
            return;
        };
        match dom::call(crate::api::posts::PreviewPost::PATH, &[("body", &text)]).await {
            Ok(json) => {
                body.set_inner_html(&serde_json::from_str::<String>(&json).unwrap_or_default());
                let _ = panel.remove_attribute("hidden");
            }
            Err(error) => {
                if let Some(form) = composer.query_selector("form").ok().flatten() {
                    dom::show_error(&form, &error.message());
                }
            }
        }
    }

    async fn send(form: HtmlFormElement) {
        let Some(composer) = form.closest("[data-composer]").ok().flatten() else {
            return;
        };
        let Some(_sending) = dom::Sending::start(&form) else {
            return;
        };
        for done in dom::all(&composer, "[data-composer-done]") {
            let _ = done.set_attribute("hidden", "");
        }
        use super::super::outbox::{self, Sent};
        match outbox::submit(&form).await {
            // Written offline: kept on this device, to go when the network returns.
            Ok(Sent::Later) => {
                if let Some(area) = body_of(&composer) {
                    area.set_value("");
                }
                super::super::attach::clear(&form);
                show(&composer, ".preview", false);
                dom::show_status(&form, crate::prefs::use_island_texts().queued_offline);
            }
            Ok(Sent::Now(answer)) => {
                let posted = serde_json::from_str::<Posted>(&answer).ok();
                // The schedule fields as they were sent: filled means the post waits.
                let mut scheduled = false;
                for input in dom::all(&form, ".schedule input") {
                    if let Some(input) = input.dyn_ref::<HtmlInputElement>() {
                        scheduled |= !input.value().is_empty();
                        input.set_value("");
                    }
                }
                if let Some(area) = body_of(&composer) {
                    area.set_value("");
                }
                super::super::attach::clear(&form);
                show(&composer, ".confirm-channel", false);
                show(&composer, ".preview", false);
                look_for_similar(&composer, String::new());
                if scheduled {
                    show(&composer, "[data-composer-done=scheduled]", true);
                }
                let missed = posted.map(|p| p.not_notified).unwrap_or_default();
                if let (false, Some(line)) = (
                    missed.is_empty(),
                    composer
                        .query_selector("[data-composer-done=not-notified]")
                        .ok()
                        .flatten(),
                ) {
                    let template = line.get_attribute("data-template").unwrap_or_default();
                    line.set_text_content(Some(
                        &template.replace(crate::components::composer::NAMES, &missed.join(", ")),
                    ));
                    let _ = line.remove_attribute("hidden");
                }
                // A scheduled post is not in the list yet; refreshing it would only
                // redraw the page.
                if !scheduled {
                    dom::list_changed();
                }
            }
            Err(error) => dom::show_error(&form, &error.message()),
        }
    }
}

/// The `@word` being typed before the caret (counted in UTF-16 units, as browsers do):
/// its byte start and the word so far.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn mention_at(text: &str, caret: usize) -> Option<(usize, &str)> {
    let end = byte_offset(text, caret);
    let before = &text[..end];
    let start = before.rfind('@')?;
    let word = &before[start + 1..];
    let starts_word = before[..start]
        .chars()
        .next_back()
        .is_none_or(char::is_whitespace);
    (starts_word
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-')))
    .then_some((start, word))
}

/// The byte offset of the `utf16`-th UTF-16 unit (browsers count selections so).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn utf16_len(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

#[cfg(test)]
mod tests {
    use super::mention_at;

    #[test]
    fn the_mention_being_typed_is_found_at_the_caret() {
        assert_eq!(mention_at("Hi @ngu", 7), Some((3, "ngu")));
        assert_eq!(mention_at("@", 1), Some((0, "")));
        assert_eq!(mention_at("mail a@b", 8), None);
        assert_eq!(mention_at("@an done", 8), None);
        // "Chào " is 5 UTF-16 units but 6 bytes.
        assert_eq!(mention_at("Chào @bì", 8), Some((6, "bì")));
    }
}
