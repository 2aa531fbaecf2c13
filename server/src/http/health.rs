use super::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use std::time::Duration;

/// The process is alive and answering.
pub async fn live() -> &'static str {
    "ok"
}

/// The process can do its work: the database answers within two seconds.
pub async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match tokio::time::timeout(Duration::from_secs(2), state.store.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database timed out"),
    }
}
