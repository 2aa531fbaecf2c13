//! The signed-in session, fetched once per page, and the path to come back to after
//! signing in.

use leptos::prelude::*;

/// The signed-in person and whether the company exists, fetched once per page.
pub type SessionResource =
    OnceResource<Result<crate::api::accounts::Session, crate::error::AppError>>;

/// The page a fragment of HTML is rendered for (a post card fetched on its own), which
/// has no router to ask.
#[derive(Clone, Debug)]
pub struct PagePath(pub String);

/// The path (and query) being shown, to come back to after signing in or a plain form post:
/// the [`PagePath`] the shell (or a fragment's server function) provides. Read from the
/// router only where neither did; never from deep in a page, where a part that finishes
/// after its request was abandoned (the reader reloaded) finds no router any more, and
/// `use_location` would panic: "/" is as good an answer for a page nobody receives.
pub fn current_path() -> String {
    use_context::<PagePath>().map_or_else(|| "/".to_owned(), |PagePath(path)| path)
}

/// The router's path (and query): called once per page, by the shell, while the page's
/// owner is certainly alive, to provide [`PagePath`].
pub fn router_path() -> String {
    let location = leptos_router::hooks::use_location();
    let (path, query) = (
        location.pathname.get_untracked(),
        location.search.get_untracked(),
    );
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

/// Percent-encodes everything but unreserved characters and `/`, for a query value.
pub(crate) fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
