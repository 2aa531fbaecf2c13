//! The browser entry point: hydrates the page's islands (`app::islands`; the rest of
//! the page is plain server-rendered HTML) and installs the service worker that makes
//! Townhall installable and gives it an offline page.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    register_service_worker();
}

/// One worker for every language: it shows the offline page in the language of the
/// last page it saw (`public/sw.js`).
fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    // The promise's outcome only matters to the browser; a failure (the reader moved on
    // before the worker's script arrived) leaves the site online-only, and is handled
    // here so that it is not reported as an uncaught error.
    let ignore = wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(|_| {});
    let _ = container.register("/sw.js").catch(&ignore);
    ignore.forget();
}

// The islands' entry points are exported from `app`; nothing here names them, so this
// keeps the crate linked in.
#[allow(unused_imports)]
use app as _;
