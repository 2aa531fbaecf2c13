//! `GET /dashboard/export/{metric}.csv?…`: one metric of the adoption dashboard as CSV,
//! for the same period and filters as the page (the page links here with its own
//! query), read through the same function and policy as the page.

use super::AppState;
use app::error::AppError;
use app::model::Metric;
use app::policy::Viewer;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::collections::HashMap;

pub async fn download(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    viewer: Option<Extension<Viewer>>,
) -> Response {
    // An unknown file is not found before anything is read.
    let Some(metric) = file.strip_suffix(".csv").and_then(Metric::from_name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(Extension(viewer)) = viewer else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let value = |name: &str| query.get(name).cloned();
    let board = match app::api::dashboard::dashboard_filter(
        value("range"),
        value("from"),
        value("to"),
        value("department"),
        value("channel"),
    ) {
        Ok(filter) => {
            app::domain::dashboard::dashboard(&state.store, &viewer, &filter, app::store::now_ms())
                .await
        }
        Err(error) => Err(error),
    };
    let board = match board {
        Ok(board) => board,
        Err(error) => return refusal(&error),
    };
    let text = app::domain::dashboard::csv(metric, &board);
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"townhall-{}-{}-{}.csv\"",
                    metric.name(),
                    board.from,
                    board.to
                ),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        text,
    )
        .into_response()
}

fn refusal(error: &AppError) -> Response {
    if matches!(error, AppError::Internal | AppError::Unavailable) {
        tracing::warn!(%error, "cannot export the dashboard");
    }
    StatusCode::from_u16(error.status())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        .into_response()
}
