//! A write done once however often it is sent. Forms that write (the composer, comment
//! forms) carry an id made when they were shown; the browser's outbox sends a post
//! written offline when the network returns, and sends again one whose answer was lost.
//! The first request with an id writes; a repeat answers with the first one's result,
//! waiting for it if it is still being written.

use crate::error::{AppError, Field, Invalid};
use crate::model::PersonId;
use crate::store::{Claim, Store};
use std::future::Future;
use std::time::Duration;

/// The longest id accepted (a UUID is 36 characters).
const MAX_ID: usize = 64;
/// A claim this old whose request never finished is taken over.
const STALE_MS: i64 = 60_000;
/// How long a repeat waits for the first request to finish.
const WAIT: Duration = Duration::from_secs(10);
/// How long an id is remembered: a write kept on a device longer than this (offline for
/// a month), sent again after its answer was lost, would be written twice.
pub const KEEP_MS: i64 = 30 * 24 * 3_600_000;
/// Every this many writes with an id, the ids older than [`KEEP_MS`] are forgotten
/// (an index range delete): the table stays about a month of writes, with no timer.
const FORGET_EVERY: u64 = 256;

/// Writes with an id since this process started; from 1, so that a restart does not
/// forget at its first write.
static WRITTEN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Runs `write` once for `user_id` and `client_id` (no id: every time), answering with
/// the id of what was written.
pub async fn once<F, Fut>(
    store: &Store,
    user_id: PersonId,
    client_id: Option<&str>,
    now: i64,
    write: F,
) -> Result<i64, AppError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<i64, AppError>>,
{
    let client_id = match client_id.map(str::trim) {
        None | Some("") => return write().await,
        Some(id)
            if id.len() <= MAX_ID
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            id
        }
        Some(_) => return Err(Invalid::Unacceptable(Field::ClientId).into()),
    };
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        match store
            .claim_client_write(user_id, client_id, now, now - STALE_MS)
            .await?
        {
            Claim::Mine => {
                return match write().await {
                    Ok(id) => {
                        store.finish_client_write(user_id, client_id, id).await?;
                        let n = WRITTEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if n.is_multiple_of(FORGET_EVERY) {
                            // Not on the writer's time: its answer does not wait for it.
                            tokio::spawn(forget_old(store.clone(), now));
                        }
                        Ok(id)
                    }
                    Err(error) => {
                        store.release_client_write(user_id, client_id).await?;
                        Err(error)
                    }
                };
            }
            Claim::Done(id) => return Ok(id),
            Claim::Running if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Claim::Running => return Err(AppError::Busy),
        }
    }
}

/// Forgets the ids claimed before [`KEEP_MS`] ago; a failure is logged, never the
/// writer's.
pub async fn forget_old(store: Store, now: i64) {
    if let Err(error) = store.forget_client_writes(now - KEEP_MS).await {
        crate::telemetry::background_error("client-writes");
        tracing::warn!(%error, "cannot forget old client write ids");
    }
}
