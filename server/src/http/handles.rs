//! `GET /u/{handle}`: where an `@handle` in a post links. Sends the browser on to the
//! person's profile (which applies the policy), or to a directory search when no one has
//! that handle.

use super::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

pub async fn profile(State(state): State<AppState>, Path(handle): Path<String>) -> Response {
    match state.store.person_by_handle(&handle).await {
        Ok(Some(id)) => Redirect::to(&format!("/people/{id}")).into_response(),
        Ok(None) => {
            let query: String = handle
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
                .collect();
            Redirect::to(&format!("/people?q={query}")).into_response()
        }
        Err(err) => {
            tracing::warn!(error = %err, "cannot look up a handle");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
