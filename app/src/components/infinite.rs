//! Infinite scroll: once hydrated, a feed fetches its next page as the reader nears its
//! end. The "Older posts" link stays underneath, for readers without JavaScript.

use crate::error::AppError;
use crate::model::FeedPage;
use leptos::prelude::*;

/// Fetches the page older than a cursor (as the "Older posts" link writes it).
pub type MorePosts = Action<String, Result<FeedPage, AppError>>;

/// A [`MorePosts`] for a feed read with `load`.
pub fn more_posts<F, Fut>(load: F) -> MorePosts
where
    F: Fn(Option<String>) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<FeedPage, AppError>> + Send + 'static,
{
    Action::new(move |cursor: &String| load(Some(cursor.clone())))
}

/// Runs `near` whenever `node` comes within a screen's height of the viewport.
pub fn when_near(node: NodeRef<leptos::html::Nav>, near: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let near = std::rc::Rc::new(near);
        Effect::new(move |_| {
            if let Some(element) = node.get() {
                browser::observe(&element, near.clone());
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (node, near);
}

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    pub fn observe(element: &web_sys::Element, near: std::rc::Rc<dyn Fn()>) {
        let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let visible = entries.iter().any(|entry| {
                entry
                    .unchecked_into::<web_sys::IntersectionObserverEntry>()
                    .is_intersecting()
            });
            if visible {
                near();
            }
        });
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin("100% 0px");
        if let Ok(observer) = web_sys::IntersectionObserver::new_with_options(
            callback.as_ref().unchecked_ref(),
            &options,
        ) {
            observer.observe(element);
        }
        // One per feed list; it lives as long as the page does.
        callback.forget();
    }
}
