//! The tab's live stream. The [`LiveStream`] island, in the page header, opens one
//! `EventSource` on `/live` (resuming after the event the page was made at; the browser
//! resumes by itself after a lost network, naming the last event it got). Every other
//! island hears the events through [`subscribe`]: one stream per tab, however many
//! islands listen.

use leptos::prelude::*;

/// Opens the live stream once hydrated; renders nothing.
#[island]
pub fn LiveStream(after: i64) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::open(after);
    #[cfg(not(feature = "hydrate"))]
    let _ = after;
}

/// Runs `handle` for every live event from now on, for as long as the page lives.
pub fn subscribe(handle: impl Fn(&crate::model::LiveEvent) + 'static) {
    #[cfg(feature = "hydrate")]
    browser::HANDLERS.with_borrow_mut(|handlers| handlers.push(std::rc::Rc::new(handle)));
    #[cfg(not(feature = "hydrate"))]
    let _ = handle;
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::model::LiveEvent;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    type Handler = std::rc::Rc<dyn Fn(&LiveEvent)>;

    thread_local! {
        pub static HANDLERS: std::cell::RefCell<Vec<Handler>> = const { std::cell::RefCell::new(Vec::new()) };
        static OPEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    pub fn open(after: i64) {
        if OPEN.replace(true) {
            return;
        }
        let Ok(source) = web_sys::EventSource::new(&format!("/live?after={after}")) else {
            return;
        };
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |message: web_sys::MessageEvent| {
                let Some(text) = message.data().as_string() else {
                    return;
                };
                if let Ok(event) = serde_json::from_str::<LiveEvent>(&text) {
                    // A copy of the list: a handler may subscribe another while it runs.
                    let handlers = HANDLERS.with_borrow(Clone::clone);
                    for handle in &handlers {
                        handle(&event);
                    }
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
}
