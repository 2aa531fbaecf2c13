//! The hidden id that makes a form's write happen once (the composer's and the comment
//! forms'): a component of its own, below both.

use leptos::prelude::*;

/// A form's own id, made when it is shown: sent again (from the browser's offline
/// outbox, after a lost answer, or by a double click without script), the form writes
/// once (`domain::once`). The outbox island gives the form a new one after each send.
#[component]
pub fn ClientId() -> impl IntoView {
    view! { <input type="hidden" name="client_id" value=new_client_id()/> }
}

#[cfg(feature = "ssr")]
fn new_client_id() -> String {
    crate::domain::accounts::session::new_token()
        .map(|token| token.chars().take(32).collect())
        .unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
fn new_client_id() -> String {
    String::new()
}
