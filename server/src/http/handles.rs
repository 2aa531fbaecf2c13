//! `GET /u/{handle}`: where an `@handle` in a post links. Sends the browser on to the
//! person's profile (which applies the policy), or to a directory search when no one has
//! that handle — or when the asker may not see its owner (a guest and someone outside
//! their channels, or anyone not signed in), so the answer never tells a handle exists.

use super::AppState;
use app::model::PersonId;
use app::policy::Viewer;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;

pub async fn profile(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    viewer: Option<Extension<Viewer>>,
) -> Response {
    // Nobody has id 0: someone not signed in sees no one.
    let seen_by = viewer.map_or(PersonId(0), |Extension(v)| v.user_id);
    match state.store.person_by_handle(&handle, seen_by).await {
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
