//! `GET /live`: one Server-Sent Events stream per signed-in tab. `?after=N` (or the
//! `Last-Event-ID` header the browser sends when it reconnects) says where to resume.
//! The stream ends when the session does: it is checked again every minute.

use super::AppState;
use app::domain::accounts::session;
use app::domain::live::{follow, LiveHub};
use app::policy::Viewer;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;

/// How often a stream checks that its session still exists.
const SESSION_CHECK: Duration = Duration::from_secs(60);

#[derive(serde::Deserialize)]
pub struct Resume {
    after: Option<i64>,
}

pub async fn stream(
    State(state): State<AppState>,
    Query(resume): Query<Resume>,
    request: Request,
) -> Response {
    let (Some(viewer), Some(token)) = (
        request.extensions().get::<Viewer>().cloned(),
        session::token_from(request.headers()),
    ) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let last_seen = request
        .headers()
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok());
    let hub: Arc<LiveHub> = state.live.clone();
    let after = last_seen
        .or(resume.after)
        .filter(|after| *after >= 0)
        .unwrap_or_else(|| hub.latest());
    let store = state.store.clone();
    let token_hash = session::token_hash(&token);
    // The stream ends when the session does (signed out elsewhere, or expired).
    let session_ended = async move {
        loop {
            tokio::time::sleep(SESSION_CHECK).await;
            // Boxed: an idle stream keeps no room for the query (see `follow`).
            match Box::pin(store.session_viewer(&token_hash, app::store::now_ms())).await {
                Ok(Some(_)) | Err(_) => {}
                Ok(None) => return,
            }
        }
    };
    // Counted while the stream is followed: it is dropped when the tab goes.
    let open = app::telemetry::OpenStream::open();
    let events = follow(state.store.clone(), hub, viewer, after)
        .take_until(session_ended)
        .scan(open, |_open, told| {
            let event = match told {
                Ok(told) => Event::default()
                    .id(told.id.to_string())
                    .json_data(told)
                    .unwrap_or_default(),
                Err(err) => {
                    tracing::warn!(error = %err, "live stream ended");
                    return std::future::ready(None);
                }
            };
            std::future::ready(Some(Ok::<_, std::convert::Infallible>(event)))
        });
    // Comments keep proxies from closing an idle stream.
    Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response()
}
