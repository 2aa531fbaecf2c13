//! Search: the server function over [`crate::domain::search`].

use crate::error::AppError;
use crate::model::SearchPage;
use leptos::prelude::*;

/// The longest search accepted.
pub const MAX_SEARCH: usize = 100;

/// Channels whose name or description contains `q` (first page only) and one page of
/// the posts containing it that the asker may read, older than `before`.
#[server(prefix = "/api", endpoint = "search")]
pub async fn search(q: String, before: Option<String>) -> Result<SearchPage, AppError> {
    super::context::respond(
        async move {
            let viewer = super::context::require(crate::policy::Action::ReadFeed)?;
            let words =
                crate::input::limited(&q, crate::error::Field::Search, MAX_SEARCH)?.to_owned();
            let before = super::feed::cursor(before)?;
            let store = super::context::store()?;
            crate::domain::search::search(&store, &viewer, words, before).await
        }
        .await,
    )
}
