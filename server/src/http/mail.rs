//! `List-Unsubscribe` one-click (RFC 8058): mail programs POST
//! `List-Unsubscribe=One-Click` to the link in the digest's header, without cookies and
//! often from their own servers, so this answers a bare POST with no page. The token is
//! the credential, so it is exempt from the cross-site check (forging it would only do
//! what its holder may do anyway). A GET (a person following the link) goes to the
//! page with its button.

use super::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

pub const ONE_CLICK_PREFIX: &str = "/mail/one-click/";

pub async fn one_click(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match app::domain::mail::links::act(&state.store, &token, app::store::now_ms()).await {
        Ok(()) => (StatusCode::OK, "Unsubscribed.").into_response(),
        Err(app::error::AppError::MailLink) => {
            (StatusCode::GONE, "This link no longer works.").into_response()
        }
        Err(error) => {
            tracing::warn!(%error, "one-click unsubscribe failed");
            (StatusCode::SERVICE_UNAVAILABLE, "Try again later.").into_response()
        }
    }
}

pub async fn one_click_page(Path(token): Path<String>) -> Redirect {
    Redirect::to(&format!("/mail/unsubscribe/{token}"))
}
