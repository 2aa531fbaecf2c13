//! The one error type of the binary's commands.

use crate::site::SiteError;
use app::store::StoreError;
use std::net::SocketAddr;

/// `CliError`: the one error type of the binary. Each message is written for the
/// operator who typed the command; none carries a backtrace.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Site(#[from] SiteError),
    #[error(transparent)]
    Seed(#[from] crate::seed::demo::SeedError),
    #[error(transparent)]
    Bench(#[from] crate::bench::BenchError),
    #[error("cannot listen on {0}: {1}")]
    Listen(SocketAddr, #[source] std::io::Error),
    #[error("the server stopped unexpectedly: {0}")]
    Serve(#[source] std::io::Error),
    #[error("cannot compress the site: {0}")]
    Precompress(#[source] std::io::Error),
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
    #[error(transparent)]
    Metrics(#[from] crate::metrics::MetricsError),
    #[error("no reset link: {0}")]
    ResetLink(&'static str),
    #[error("not ready: {0}")]
    Unhealthy(String),
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("cannot start with these settings:\n  {}", .0.join("\n  "))]
    Settings(Vec<String>),
    #[error("the deployment has problems to fix (above)")]
    Doctor,
}
