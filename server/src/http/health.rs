use super::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Set once the process was asked to stop and drains (`serve --drain-seconds`): a
/// balancer is told to send nothing new while requests still get answers. One per
/// process, as the stop is.
static DRAINING: AtomicBool = AtomicBool::new(false);

/// From now on `/readyz` answers 503 "draining"; everything else is served as before.
pub fn start_draining() {
    DRAINING.store(true, Ordering::Relaxed);
}

/// The process is alive and answering.
pub async fn live() -> &'static str {
    "ok"
}

/// The process can do its work: it is not draining, and the database answers within two
/// seconds.
pub async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if DRAINING.load(Ordering::Relaxed) {
        return (StatusCode::SERVICE_UNAVAILABLE, "draining");
    }
    match tokio::time::timeout(Duration::from_secs(2), state.store.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database timed out"),
    }
}
