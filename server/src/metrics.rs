//! `serve --metrics-addr ADDR`: Prometheus metrics on an address of their own, off by
//! default. Kept off the site's address so that a company's network never publishes
//! its request counts by accident: an operator opens that port to the scraper only.
//!
//! The app records through the `metrics` facade (names in `app::telemetry`); this
//! installs the recorder that keeps them and serves their text form. A few figures are
//! read when scraped instead of recorded as they change: the pool's connections, and
//! how overdue the oldest due scheduled post is (in the database, so any instance
//! sees the same).

use app::store::Store;
use app::telemetry::{self, Kind};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::net::SocketAddr;
use std::time::Duration;

/// Request and wait times: from a millisecond (a cached page) to ten seconds (a write
/// that gave up waiting its turn after five).
const SECONDS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// A scheduled post's lateness: the publisher looks every five seconds, so a few
/// seconds is normal and minutes mean it was stopped or failing.
const LATENESS: &[f64] = &[1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0];

/// How often histograms are folded and idle entries tidied between scrapes.
const UPKEEP: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    #[error("cannot set up metrics: {0}")]
    Recorder(#[from] metrics_exporter_prometheus::BuildError),
    #[error("cannot listen for metrics on {0}: {1}")]
    Listen(SocketAddr, #[source] std::io::Error),
}

/// Installs the process's recorder and describes every metric; call once, before
/// serving. Metrics recorded before this (or without it) go nowhere.
pub fn install() -> Result<PrometheusHandle, MetricsError> {
    let mut builder = PrometheusBuilder::new();
    for metric in telemetry::ALL.iter().filter(|m| m.kind == Kind::Histogram) {
        let buckets = if metric.name == telemetry::SCHEDULED_LAG {
            LATENESS
        } else {
            SECONDS
        };
        builder = builder.set_buckets_for_metric(Matcher::Full(metric.name.to_owned()), buckets)?;
    }
    let handle = builder.install_recorder()?;
    for metric in telemetry::ALL {
        match metric.kind {
            Kind::Counter => metrics::describe_counter!(metric.name, metric.help),
            Kind::Gauge => metrics::describe_gauge!(metric.name, metric.help),
            Kind::Histogram => metrics::describe_histogram!(metric.name, metric.help),
        }
    }
    // Present from the first scrape, so a dashboard shows 0 rather than nothing and an
    // alert on a rise has something to compare with.
    for task in telemetry::TASKS {
        metrics::counter!(telemetry::BACKGROUND_ERRORS, "task" => *task).absolute(0);
    }
    metrics::gauge!(telemetry::LIVE_STREAMS).set(0.0);
    metrics::gauge!(telemetry::SQLITE_WRITE_QUEUE).set(0.0);
    metrics::gauge!(
        telemetry::BUILD_INFO,
        "version" => env!("CARGO_PKG_VERSION"),
        "commit" => env!("TOWNHALL_COMMIT")
    )
    .set(1.0);
    Ok(handle)
}

/// Serves `GET /metrics` on `addr` until the returned task is aborted.
pub async fn serve(
    addr: SocketAddr,
    handle: PrometheusHandle,
    store: Store,
) -> Result<tokio::task::JoinHandle<()>, MetricsError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| MetricsError::Listen(addr, e))?;
    let upkeep = handle.clone();
    let router = Router::new()
        .route("/metrics", get(scrape))
        .with_state((handle, store));
    Ok(tokio::spawn(async move {
        let upkeep = tokio::spawn(async move {
            loop {
                tokio::time::sleep(UPKEEP).await;
                upkeep.run_upkeep();
            }
        });
        if let Err(error) = axum::serve(listener, router).await {
            tracing::error!(%error, "the metrics listener stopped");
        }
        upkeep.abort();
    }))
}

async fn scrape(State((handle, store)): State<(PrometheusHandle, Store)>) -> impl IntoResponse {
    let (idle, in_use, max) = store.pool_use();
    metrics::gauge!(telemetry::DB_CONNECTIONS, "state" => "idle").set(idle);
    metrics::gauge!(telemetry::DB_CONNECTIONS, "state" => "in_use").set(in_use);
    metrics::gauge!(telemetry::DB_MAX_CONNECTIONS).set(max);
    let now = app::store::now_ms();
    match store.due_scheduled(now, 1).await {
        Ok(due) => {
            let overdue = due.first().map_or(0, |row| now - row.publish_at);
            metrics::gauge!(telemetry::SCHEDULED_OVERDUE).set(overdue as f64 / 1000.0);
        }
        // The scrape still answers; the figure keeps its last value.
        Err(error) => tracing::warn!(%error, "metrics cannot read due scheduled posts"),
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
}

#[cfg(test)]
mod tests {
    use app::telemetry::ALL;

    /// The sample dashboard in `docs/` asks only for metrics Townhall exports, and shows
    /// every one of them: renaming a metric without the dashboard fails here.
    #[test]
    fn the_sample_dashboard_matches_the_metrics() {
        let dashboard: serde_json::Value =
            serde_json::from_str(include_str!("../../docs/grafana/townhall.json")).unwrap();
        let mut used = std::collections::BTreeSet::new();
        for panel in dashboard["panels"].as_array().unwrap() {
            for target in panel["targets"].as_array().unwrap() {
                let expr = target["expr"].as_str().unwrap();
                for word in expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                    if word.starts_with("townhall_") {
                        let name = ["_bucket", "_count", "_sum"]
                            .iter()
                            .find_map(|suffix| word.strip_suffix(suffix))
                            .unwrap_or(word);
                        assert!(
                            ALL.iter().any(|m| m.name == name),
                            "the dashboard asks for {word}, which is not exported"
                        );
                        used.insert(name.to_owned());
                    }
                }
            }
        }
        for metric in ALL {
            assert!(used.contains(metric.name), "no panel shows {}", metric.name);
        }
    }
}
