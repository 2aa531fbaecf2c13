//! The tab's live stream, as the rest of the interface sees it. Once hydrated, the tab
//! opens one `EventSource` on `/live` (resuming after the event the page was made at;
//! the browser resumes by itself after a lost network, naming the last event it got)
//! and keeps the latest events in a signal. Components react with [`on_live`].
//! Post cards report themselves seen once they are on screen ([`report_seen`]): an
//! impression for the adoption figures, and "seen" for announcements addressed to the
//! reader. Reports are gathered and sent every few seconds, one request for many cards.

use crate::model::{LiveEvent, PostId};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Live {
    events: RwSignal<Vec<LiveEvent>>,
    /// Bumped after the reader changed their own notifications (read one, read all).
    pub badge: RwSignal<u32>,
}

/// Provides the [`Live`] context and, in the browser, opens the stream once the session
/// says who is signed in.
pub fn provide_live(session: crate::components::session::SessionResource) {
    let live = Live {
        events: RwSignal::new(Vec::new()),
        badge: RwSignal::new(0),
    };
    provide_context(live);
    #[cfg(feature = "hydrate")]
    {
        let opened = StoredValue::new(false);
        Effect::new(move |_| {
            let Some(Ok(s)) = session.get() else { return };
            if s.viewer.is_none() || opened.get_value() {
                return;
            }
            opened.set_value(true);
            browser::open(live.events, s.live_from);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = session;
}

/// Runs `handle` for each event that arrives after the calling component was made.
pub fn on_live(handle: impl Fn(&LiveEvent) + 'static) {
    let Some(live) = use_context::<Live>() else {
        return;
    };
    let seen = StoredValue::new(
        live.events
            .with_untracked(|events| events.last().map_or(0, |e| e.id)),
    );
    Effect::new(move |_| {
        live.events.with(|events| {
            for event in events.iter().filter(|e| e.id > seen.get_value()) {
                seen.set_value(event.id);
                handle(event);
            }
        });
    });
}

/// Tells the badge to count again (the reader changed their notifications here).
pub fn bump_badge() {
    if let Some(live) = use_context::<Live>() {
        live.badge.update(|n| *n += 1);
    }
}

/// Reports the post as seen once `node` has been on screen (with the next batch).
pub fn report_seen(node: NodeRef<leptos::html::Article>, post_id: PostId) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(element) = node.get() {
            browser::watch_seen(&element, post_id);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (node, post_id);
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::model::{LiveEvent, PostId};
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    /// How many recent events the signal keeps; components read only what is new to them.
    const KEEP: usize = 100;

    pub fn open(events: RwSignal<Vec<LiveEvent>>, after: i64) {
        let Ok(source) = web_sys::EventSource::new(&format!("/live?after={after}")) else {
            return;
        };
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |message: web_sys::MessageEvent| {
                let Some(text) = message.data().as_string() else {
                    return;
                };
                if let Ok(event) = serde_json::from_str::<LiveEvent>(&text) {
                    events.update(|list| {
                        list.push(event);
                        let extra = list.len().saturating_sub(KEEP);
                        list.drain(..extra);
                    });
                }
            });
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // Lets browser tests (and curious people) see that the stream is up.
        let on_open = Closure::<dyn Fn()>::new(|| mark("open"));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        let on_error = Closure::<dyn Fn()>::new(|| mark("reconnecting"));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The stream lives as long as the tab.
        on_message.forget();
        on_open.forget();
        on_error.forget();
    }

    fn mark(state: &str) {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-live", state);
        }
    }

    /// How long seen cards are gathered before one report sends them all.
    const BATCH_DELAY_MS: i32 = 2_000;

    thread_local! {
        /// Cards seen since the last report; a report is due while this is not empty.
        static PENDING: std::cell::RefCell<Vec<PostId>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    /// Adds a card to the next report, and schedules that report if none is due.
    fn queue_seen(post_id: PostId) {
        let first = PENDING.with_borrow_mut(|pending| {
            pending.push(post_id);
            pending.len() == 1
        });
        if !first {
            return;
        }
        let send = Closure::once_into_js(|| {
            let mut batch = PENDING.with_borrow_mut(std::mem::take);
            batch.sort_unstable();
            batch.dedup();
            for chunk in batch.chunks(crate::model::MAX_SEEN_BATCH) {
                let chunk = chunk.to_vec();
                leptos::task::spawn_local(async move {
                    let _ = crate::api::posts::posts_seen(chunk).await;
                });
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                send.unchecked_ref(),
                BATCH_DELAY_MS,
            );
        }
    }

    /// Watches one card; once any of it is on screen, queues it and stops watching.
    pub fn watch_seen(element: &web_sys::Element, post_id: PostId) {
        let callback = Closure::<dyn Fn(js_sys::Array, web_sys::IntersectionObserver)>::new(
            move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
                let visible = entries.iter().any(|entry| {
                    entry
                        .unchecked_into::<web_sys::IntersectionObserverEntry>()
                        .is_intersecting()
                });
                if visible {
                    observer.disconnect();
                    queue_seen(post_id);
                }
            },
        );
        if let Ok(observer) = web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref())
        {
            observer.observe(element);
        }
        // Lives until the card is seen; one per card on the page.
        callback.forget();
    }
}
