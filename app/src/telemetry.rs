//! What the app tells an operator's metrics: the names, what each one means, and the few
//! helpers the domain and the store record through. They go through the `metrics`
//! facade, which does nothing until the server installs a recorder (`serve
//! --metrics-addr`), so recording costs nothing when metrics are off.
//!
//! Every metric Townhall exports is listed in [`ALL`], in one place, so the exporter
//! describes them all and the sample dashboard in `docs/` is checked against them.

use std::time::Duration;

/// A metric's kind, as Prometheus names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Counter,
    Gauge,
    Histogram,
}

/// One exported metric: its name, kind and help text.
pub struct Metric {
    pub name: &'static str,
    pub kind: Kind,
    pub help: &'static str,
}

pub const HTTP_REQUESTS: &str = "townhall_http_requests_total";
pub const HTTP_DURATION: &str = "townhall_http_request_duration_seconds";
pub const LIVE_STREAMS: &str = "townhall_live_streams";
pub const DB_CONNECTIONS: &str = "townhall_db_pool_connections";
pub const DB_MAX_CONNECTIONS: &str = "townhall_db_pool_max_connections";
pub const DB_BEGIN_WAIT: &str = "townhall_db_begin_wait_seconds";
pub const SQLITE_WRITE_QUEUE: &str = "townhall_sqlite_write_queue";
pub const SCHEDULED_LAG: &str = "townhall_scheduled_post_lag_seconds";
pub const SCHEDULED_OVERDUE: &str = "townhall_scheduled_posts_overdue_seconds";
pub const BACKGROUND_ERRORS: &str = "townhall_background_errors_total";
pub const BUILD_INFO: &str = "townhall_build_info";

pub const ALL: &[Metric] = &[
    Metric {
        name: HTTP_REQUESTS,
        kind: Kind::Counter,
        help: "Requests answered, by route pattern, method and status code.",
    },
    Metric {
        name: HTTP_DURATION,
        kind: Kind::Histogram,
        help: "Time to answer a request (until its headers are sent), by route pattern and method.",
    },
    Metric {
        name: LIVE_STREAMS,
        kind: Kind::Gauge,
        help: "Live update streams (one per open tab) this instance holds open.",
    },
    Metric {
        name: DB_CONNECTIONS,
        kind: Kind::Gauge,
        help: "Database pool connections, by state (idle, in_use), when scraped.",
    },
    Metric {
        name: DB_MAX_CONNECTIONS,
        kind: Kind::Gauge,
        help: "The database pool's size limit.",
    },
    Metric {
        name: DB_BEGIN_WAIT,
        kind: Kind::Histogram,
        help: "Time a write waited to begin its transaction: its turn among SQLite's writers, then a pooled connection.",
    },
    Metric {
        name: SQLITE_WRITE_QUEUE,
        kind: Kind::Gauge,
        help: "Writes waiting for their turn at SQLite's single writer (always 0 on PostgreSQL).",
    },
    Metric {
        name: SCHEDULED_LAG,
        kind: Kind::Histogram,
        help: "How late a scheduled post was published, after the time it was scheduled for.",
    },
    Metric {
        name: SCHEDULED_OVERDUE,
        kind: Kind::Gauge,
        help: "How long the oldest scheduled post that is due has been waiting to be published, when scraped (0: none).",
    },
    Metric {
        name: BACKGROUND_ERRORS,
        kind: Kind::Counter,
        help: "Failures of background work, by task (scheduler, reminders, reviews, live, activity, files, backups).",
    },
    Metric {
        name: BUILD_INFO,
        kind: Kind::Gauge,
        help: "Always 1; its labels name the version and commit this instance runs.",
    },
];

/// The background tasks that count their failures in [`BACKGROUND_ERRORS`].
pub const TASKS: &[&str] = &[
    "scheduler",
    "reminders",
    "reviews",
    "live",
    "activity",
    "files",
    "backups",
    "digests",
    "mail",
    "push",
    "client-writes",
];

/// One failure of a background task (one of [`TASKS`]); its cause goes to the log.
pub fn background_error(task: &'static str) {
    debug_assert!(TASKS.contains(&task), "unlisted task {task}");
    metrics::counter!(BACKGROUND_ERRORS, "task" => task).increment(1);
}

/// A scheduled post published `late` after its time.
pub fn scheduled_published(late: Duration) {
    metrics::histogram!(SCHEDULED_LAG).record(late.as_secs_f64());
}

/// One more (or one fewer) open live stream, for as long as the guard lives.
pub struct OpenStream(());

impl OpenStream {
    pub fn open() -> OpenStream {
        metrics::gauge!(LIVE_STREAMS).increment(1.0);
        OpenStream(())
    }
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        metrics::gauge!(LIVE_STREAMS).decrement(1.0);
    }
}

/// A writer in SQLite's queue, counted until its turn comes or it gives up.
pub(crate) struct QueuedWriter(());

impl QueuedWriter {
    pub(crate) fn join() -> QueuedWriter {
        metrics::gauge!(SQLITE_WRITE_QUEUE).increment(1.0);
        QueuedWriter(())
    }
}

impl Drop for QueuedWriter {
    fn drop(&mut self) {
        metrics::gauge!(SQLITE_WRITE_QUEUE).decrement(1.0);
    }
}

/// How long a write waited before its transaction began.
pub(crate) fn began_after(waited: Duration) {
    metrics::histogram!(DB_BEGIN_WAIT).record(waited.as_secs_f64());
}
