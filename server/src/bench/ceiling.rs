//! The machine's ceiling: the most trivial axum JSON handler, served by its own process
//! of this binary exactly as `serve` is, so every figure can be read against it.

use super::BenchError;
use axum::routing::get;
use axum::{Json, Router};
use std::net::SocketAddr;

pub const PATH: &str = "/ceiling";

pub async fn serve(addr: SocketAddr) -> Result<(), BenchError> {
    let router = Router::new().route(
        PATH,
        get(|| async { Json(serde_json::json!({ "ok": true })) }),
    );
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| BenchError::Connect(addr, e))?;
    axum::serve(listener, router)
        .await
        .map_err(|e| BenchError::Process("serve the ceiling".into(), e))
}
