//! Post cards in place. Cards are server-rendered HTML with plain forms (so every action
//! works without JavaScript); this one island, in the page header, makes all of them act
//! in place:
//! - a card's form (react, comment, reply, edit, pin, delete, acknowledge, remind) is
//!   sent as a script would send it; the card then fetches its fresh HTML from the
//!   server and swaps in the parts that changed (`data-region`), keeping what the
//!   reader is typing elsewhere on it;
//! - a live event about a post on the page refreshes its card the same way;
//! - a card reports itself seen once it has been on screen (an impression for the
//!   adoption figures, and "seen" for announcements addressed to the reader), many
//!   cards to one request every few seconds;
//! - who reacted opens on a long press, where there is no hover.

use leptos::prelude::*;

#[island]
pub fn PostsInPlace() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::start();
}

/// Watches the cards under `root` (new ones a list just took in) for being seen.
#[cfg(feature = "hydrate")]
pub fn watch(root: &impl AsRef<web_sys::Node>) {
    browser::watch(root);
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::dom;
    use crate::model::{LiveKind, PostId};
    use leptos::server_fn::ServerFn;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlFormElement};

    thread_local! {
        static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        static SEEN: std::cell::RefCell<Option<web_sys::IntersectionObserver>> = const { std::cell::RefCell::new(None) };
        /// Cards seen since the last report; a report is due while this is not empty.
        static PENDING: std::cell::RefCell<Vec<PostId>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    /// How long seen cards are gathered before one report sends them all.
    const BATCH_DELAY_MS: i32 = 2_000;

    pub fn start() {
        if STARTED.replace(true) {
            return;
        }
        // Comments written offline go now, and whenever the network returns.
        super::super::outbox::start();
        dom::on_submit(
            |form| card_of(form).is_some(),
            |form, pressed| {
                if let Some(id) = card_of(&form) {
                    leptos::task::spawn_local(send(form, id, pressed));
                }
            },
        );
        dom::on_document("contextmenu", |event| {
            let Some(wrap) = event
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|el| el.closest(".reaction-wrap").ok().flatten())
            else {
                return;
            };
            // Only a reaction someone gave has a list of who gave it.
            if wrap.query_selector(".reactors").ok().flatten().is_some() {
                event.prevent_default();
                let _ = wrap.class_list().toggle("reactors-open");
            }
        });
        super::super::live::subscribe(|event| {
            if let (Some(post), true) = (
                event.post,
                matches!(
                    event.kind,
                    LiveKind::Comment | LiveKind::Reaction | LiveKind::Changed | LiveKind::Reach
                ),
            ) {
                leptos::task::spawn_local(refresh(post));
            }
        });
        if let Some(doc) = dom::document() {
            watch(&doc);
        }
    }

    /// The post whose card holds `form`.
    fn card_of(form: &Element) -> Option<PostId> {
        form.closest("article.post[data-post-id]")
            .ok()
            .flatten()?
            .get_attribute("data-post-id")?
            .parse()
            .ok()
    }

    async fn send(form: HtmlFormElement, post: PostId, pressed: dom::Pressed) {
        let classes = form.class_list();
        // A card's emoji each act on their own, though one form holds them.
        let sending = match pressed.as_ref() {
            Some(emoji) if classes.contains("reaction-form") => {
                dom::Sending::start_for(&form, emoji)
            }
            _ => dom::Sending::start(&form),
        };
        let Some(_sending) = sending else {
            return;
        };
        let t = crate::prefs::use_island_texts();
        use super::super::outbox::{self, Sent};
        // A comment written offline waits in the outbox; the rest need the network.
        let sent = if classes.contains("comment-form") {
            outbox::submit(&form).await
        } else {
            dom::submit(&form, &pressed).await.map(Sent::Now)
        };
        match sent {
            Ok(Sent::Later) => {
                form.reset();
                super::super::attach::clear(&form);
                dom::show_status(&form, t.queued_offline);
            }
            Ok(Sent::Now(answer)) if classes.contains("renotify-form") => {
                let reminded = serde_json::from_str::<i64>(&answer).unwrap_or_default();
                dom::show_status(&form, &(t.renotified)(reminded));
            }
            // These change the list around the card: which posts are pinned or must be
            // read, or one card fewer.
            Ok(Sent::Now(_))
                if classes.contains("pin-form")
                    || classes.contains("delete-form")
                    || classes.contains("acknowledge-form") =>
            {
                dom::list_changed();
            }
            Ok(Sent::Now(_)) => {
                // The card's own comment box stays as it is, so it is emptied here; a
                // reply box goes with the comments it sits under.
                if classes.contains("comment-form") {
                    form.reset();
                    super::super::attach::clear(&form);
                }
                refresh(post).await;
            }
            Err(error) => dom::show_error(&form, &error.message()),
        }
    }

    /// Fetches `post`'s card as the server renders it now and swaps its changed parts
    /// into every copy on the page; a card that is gone (deleted, no longer readable)
    /// says so.
    pub async fn refresh(post: PostId) {
        let Some(doc) = dom::document() else { return };
        let selector = format!("article.post[data-post-id=\"{post}\"]");
        if dom::all(&doc, &selector).is_empty() {
            return;
        }
        let answer = dom::call(
            crate::components::post_card::PostCardHtml::PATH,
            &[("post", &post.to_string()), ("back", &dom::here())],
        )
        .await
        .and_then(|json| serde_json::from_str::<String>(&json).map_err(|_| dom::Failure::Network));
        // Read again: the page may have changed while the answer was on its way.
        let cards = dom::all(&doc, &selector);
        match answer {
            Ok(html) => {
                let Some(fresh) = dom::parse(&html) else {
                    return;
                };
                for card in cards {
                    dom::swap_parts(&card, &fresh, "data-region");
                }
            }
            // Deleted, or no longer readable by this reader.
            Err(dom::Failure::Refused {
                status: 403 | 404, ..
            }) => {
                for card in cards {
                    let _ = card.class_list().add_1("post-gone");
                }
            }
            Err(_) => {}
        }
    }

    pub fn watch(root: &impl AsRef<web_sys::Node>) {
        let observer = SEEN.with_borrow_mut(|seen| {
            if seen.is_none() {
                *seen = observer();
            }
            seen.clone()
        });
        let Some(observer) = observer else { return };
        for card in dom::all(root, "article.post[data-post-id]:not([data-watched])") {
            let _ = card.set_attribute("data-watched", "");
            observer.observe(&card);
        }
    }

    fn observer() -> Option<web_sys::IntersectionObserver> {
        let callback = Closure::<dyn Fn(js_sys::Array, web_sys::IntersectionObserver)>::new(
            |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
                for entry in entries.iter() {
                    let entry = entry.unchecked_into::<web_sys::IntersectionObserverEntry>();
                    if !entry.is_intersecting() {
                        continue;
                    }
                    let card = entry.target();
                    observer.unobserve(&card);
                    if let Some(id) = card
                        .get_attribute("data-post-id")
                        .and_then(|id| id.parse().ok())
                    {
                        queue_seen(id);
                    }
                }
            },
        );
        let observer = web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref()).ok();
        // One for the page; it lives as long as the page does.
        callback.forget();
        observer
    }

    /// Adds a card to the next report, and schedules that report if none is due.
    fn queue_seen(post: PostId) {
        let first = PENDING.with_borrow_mut(|pending| {
            pending.push(post);
            pending.len() == 1
        });
        if !first {
            return;
        }
        dom::later(BATCH_DELAY_MS, || {
            let mut batch = PENDING.with_borrow_mut(std::mem::take);
            batch.sort_unstable();
            batch.dedup();
            for chunk in batch.chunks(crate::model::MAX_SEEN_BATCH) {
                // `posts[0]=…&posts[1]=…`: a list, as the server function reads it.
                let params: Vec<(String, String)> = chunk
                    .iter()
                    .enumerate()
                    .map(|(i, id)| (format!("posts[{i}]"), id.to_string()))
                    .collect();
                leptos::task::spawn_local(async move {
                    let params: Vec<(&str, &str)> = params
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    let _ = dom::call(crate::api::posts::PostsSeen::PATH, &params).await;
                });
            }
        });
    }
}
