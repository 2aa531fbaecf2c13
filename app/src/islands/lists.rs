//! A list that keeps itself current: the "N new posts" bar, infinite scroll, and a
//! fresh copy of the list after something changed it (a new post, a pin, a new
//! notification). The list itself is server-rendered HTML: scrolling on fetches the
//! page the "Older posts" link names and takes in its cards; a refresh fetches this page
//! again and swaps in its parts marked `data-part`.

use crate::prefs::use_island_texts;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Which live events bring something new into the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NewItems {
    /// Nothing live (a search's results, a person's posts).
    None,
    /// New posts that belong in the reader's home feed, counted in the bar.
    Home,
    /// Every new post the reader may read, counted in the bar.
    Posts,
    /// New posts in one channel, counted in the bar.
    Channel(crate::model::ChannelId),
    /// A new notification (a mention, a reply…): the list is fetched again at once.
    Notifications,
}

#[island]
pub fn ListInPlace(new_items: NewItems) -> impl IntoView {
    let t = use_island_texts();
    let waiting = RwSignal::new(0i64);
    #[cfg(feature = "hydrate")]
    browser::start(new_items, waiting);
    #[cfg(not(feature = "hydrate"))]
    let _ = new_items;
    let show = move |_| {
        waiting.set(0);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(browser::refresh());
    };
    view! {
        <div class="new-items">
            {move || (waiting.get() > 0).then(|| view! {
                <button type="button" class="new-posts" data-testid="new-posts" on:click=show>
                    {(t.new_posts)(waiting.get())}
                </button>
            })}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::{dom, posts};
    use super::NewItems;
    use crate::model::LiveKind;
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::Element;

    thread_local! {
        static PAGER: std::cell::RefCell<Option<web_sys::IntersectionObserver>> = const { std::cell::RefCell::new(None) };
        static LOADING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    pub fn start(new_items: NewItems, waiting: RwSignal<i64>) {
        super::super::live::subscribe(move |event| {
            let counts = event.kind == LiveKind::Post
                && match new_items {
                    NewItems::Home => event.home,
                    NewItems::Posts => true,
                    NewItems::Channel(channel) => event.channel == Some(channel),
                    NewItems::None | NewItems::Notifications => false,
                };
            if counts {
                waiting.update(|n| *n += 1);
            }
            if new_items == NewItems::Notifications && event.kind == LiveKind::Notification {
                leptos::task::spawn_local(refresh());
            }
        });
        dom::on_document(dom::LIST_CHANGED, |event| {
            event.prevent_default();
            leptos::task::spawn_local(refresh());
        });
        watch_pager();
    }

    /// Fetches this page again and swaps in its parts; the list starts over from its
    /// first page, as it would after a reload.
    pub async fn refresh() {
        let Some(fresh) = dom::fetch_page(&dom::here()).await else {
            return;
        };
        let Some(doc) = dom::document() else { return };
        for part in dom::swap_parts(&doc, &fresh, "data-part") {
            posts::watch(&part);
        }
        watch_pager();
    }

    fn list() -> Option<Element> {
        dom::document()?.query_selector(".feed-list").ok().flatten()
    }

    /// Watches the list's pager; once it comes within a screen's height, the next page
    /// joins the list. Watching again after each page asks the browser anew whether the
    /// pager is still near (a short page may leave it on screen).
    fn watch_pager() {
        let Some(pager) = list().and_then(|l| l.query_selector(".pager").ok().flatten()) else {
            return;
        };
        let observer = PAGER.with_borrow_mut(|slot| {
            if slot.is_none() {
                *slot = observer();
            }
            slot.clone()
        });
        if let Some(observer) = observer {
            observer.disconnect();
            observer.observe(&pager);
        }
    }

    fn observer() -> Option<web_sys::IntersectionObserver> {
        let callback = Closure::<dyn Fn(js_sys::Array)>::new(|entries: js_sys::Array| {
            let near = entries.iter().any(|entry| {
                entry
                    .unchecked_into::<web_sys::IntersectionObserverEntry>()
                    .is_intersecting()
            });
            if near {
                leptos::task::spawn_local(more());
            }
        });
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin("100% 0px");
        let observer = web_sys::IntersectionObserver::new_with_options(
            callback.as_ref().unchecked_ref(),
            &options,
        )
        .ok();
        // One per page; it lives as long as the page does.
        callback.forget();
        observer
    }

    /// Takes the next page's posts into the list. The "Older posts" link stays the same
    /// element and follows the cursor, so a click never lands on a detached link.
    async fn more() {
        let Some(list) = list() else { return };
        let Some(link) = list.query_selector(".pager a[rel=next]").ok().flatten() else {
            return;
        };
        let Some(href) = link.get_attribute("href").filter(|h| !h.is_empty()) else {
            return;
        };
        if LOADING.replace(true) {
            return;
        }
        let loading = list.query_selector(".pager .loading").ok().flatten();
        if let Some(status) = &loading {
            let _ = status.remove_attribute("hidden");
        }
        let fresh = dom::fetch_page(&href).await;
        if let Some(status) = &loading {
            let _ = status.set_attribute("hidden", "");
        }
        let added = fresh.and_then(|fresh| {
            let posts = fresh.query_selector(".feed-list .posts").ok().flatten()?;
            let ours = list.query_selector(".posts").ok().flatten()?;
            for card in dom::all(&posts, ":scope > *") {
                let _ = ours.append_child(&dom::import(&card));
            }
            match fresh
                .query_selector(".feed-list .pager a[rel=next]")
                .ok()
                .flatten()
                .and_then(|a| a.get_attribute("href"))
            {
                Some(next) => {
                    let _ = link.set_attribute("href", &next);
                }
                None => link.remove(),
            }
            Some(ours)
        });
        LOADING.set(false);
        if let Some(ours) = added {
            posts::watch(&ours);
            watch_pager();
        }
    }
}
