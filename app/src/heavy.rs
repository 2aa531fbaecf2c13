//! CPU-heavy work — hashing passwords, decoding photos, rendering Markdown — runs on
//! tokio's blocking threads, never on the async workers that answer every request
//! (`/healthz` included), and under a limit per kind of work, so a burst of requests
//! can neither stall the server nor exhaust its memory.
//!
//! The limits live here, in one place:
//! - passwords: as many argon2 hashes at once as there are cores (each takes 19 MiB),
//!   and [`PASSWORDS_WAITING`] more waiting; beyond that, sign-in answers "busy" at once;
//! - photos: [`IMAGES_RUNNING`] decodes at once and [`IMAGES_WAITING`] waiting;
//! - Markdown: as many renders at once as there are cores; renders wait for a turn
//!   rather than fail, because each one is bounded in size (see `markdown.rs`) and a
//!   feed page must not break under load.

use crate::error::AppError;
use std::sync::LazyLock;
use tokio::sync::{Semaphore, TryAcquireError};

/// Password hashes waiting for a core, beyond those running. Waiting costs no memory
/// (only a running hash holds its 19 MiB), so the queue is long enough for a Monday
/// morning's burst of sign-ins (64 × ~50 ms over two cores: under two seconds) and
/// refuses only a flood.
pub const PASSWORDS_WAITING: usize = 64;
/// Photo decodes at once: each may take up to `MAX_DECODE_BYTES` in `avatars.rs`.
pub const IMAGES_RUNNING: usize = 2;
/// Photo decodes waiting, beyond those running.
pub const IMAGES_WAITING: usize = 2;

/// How many pieces of one kind of work run at once, and how many more may wait.
pub struct Limit {
    running: Semaphore,
    /// Running plus waiting; `None`: any number may wait.
    admitted: Option<Semaphore>,
}

impl Limit {
    pub fn new(running: usize, waiting: Option<usize>) -> Limit {
        Limit {
            running: Semaphore::new(running.max(1)),
            admitted: waiting.map(|waiting| Semaphore::new(running.max(1) + waiting)),
        }
    }

    /// Runs `work` on a blocking thread once one of the running places is free.
    /// When every place is taken and the queue is full, refuses at once with
    /// [`AppError::Busy`] instead of queueing without end.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let _admitted = match &self.admitted {
            Some(admitted) => Some(admitted.try_acquire().map_err(|err| match err {
                TryAcquireError::NoPermits => AppError::Busy,
                TryAcquireError::Closed => AppError::Internal,
            })?),
            None => None,
        };
        let _running = self
            .running
            .acquire()
            .await
            .map_err(|_| AppError::Internal)?;
        tokio::task::spawn_blocking(work).await.map_err(|err| {
            tracing::error!(error = %err, "heavy work panicked");
            AppError::Internal
        })
    }
}

/// The machine's cores (two when it cannot tell).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZero::get)
}

/// Argon2 hashing and verifying.
pub fn passwords() -> &'static Limit {
    static LIMIT: LazyLock<Limit> = LazyLock::new(|| Limit::new(cores(), Some(PASSWORDS_WAITING)));
    &LIMIT
}

/// Decoding uploaded photos.
pub fn images() -> &'static Limit {
    static LIMIT: LazyLock<Limit> =
        LazyLock::new(|| Limit::new(IMAGES_RUNNING, Some(IMAGES_WAITING)));
    &LIMIT
}

/// Rendering Markdown that is not in the render cache.
pub fn markdown() -> &'static Limit {
    static LIMIT: LazyLock<Limit> = LazyLock::new(|| Limit::new(cores(), None));
    &LIMIT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_limit_refuses_at_once_and_frees_its_places() {
        let limit = std::sync::Arc::new(Limit::new(1, Some(1)));
        // One piece runs (held until released) and one waits for it.
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let running = tokio::spawn({
            let limit = limit.clone();
            async move { limit.run(move || hold.recv().ok()).await }
        });
        while limit.running.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let waiting = tokio::spawn({
            let limit = limit.clone();
            async move { limit.run(|| 2).await }
        });
        while limit.admitted.as_ref().unwrap().available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        assert_eq!(limit.run(|| 3).await, Err(AppError::Busy));
        release.send(()).unwrap();
        assert_eq!(running.await.unwrap(), Ok(Some(())));
        assert_eq!(waiting.await.unwrap(), Ok(2));
        // Places are given back: work runs again.
        assert_eq!(limit.run(|| 4).await, Ok(4));
    }

    #[tokio::test]
    async fn an_unbounded_queue_never_refuses() {
        let limit = Limit::new(1, None);
        for i in 0..5 {
            assert_eq!(limit.run(move || i).await, Ok(i));
        }
    }
}
