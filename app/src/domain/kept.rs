//! Results kept for a while and shared by everyone who asks for the same thing in that
//! while: the first to ask computes, those who ask at the same moment wait for that one
//! computation instead of starting their own, and those who ask later are answered from
//! memory until the result is older than its keeping time.
//!
//! Hand-written rather than a caching crate (moka): a map, a time and a once-cell per
//! entry are all it takes, and times come from the caller's `now` (as everywhere in the
//! domain), so tests move the clock instead of sleeping.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::OnceCell;

/// How far before an entry's making a request's `now` may be and still be served it.
const SKEW_MS: i64 = 1_000;

pub struct Kept<K, V> {
    entries: Mutex<HashMap<K, Entry<V>>>,
    /// How long a result is served, in milliseconds.
    keep_ms: i64,
    /// The most entries held: beyond it, the expired go, then the oldest.
    most: usize,
}

struct Entry<V> {
    made_at: i64,
    value: Arc<OnceCell<Arc<V>>>,
}

impl<K: Hash + Eq + Clone, V> Kept<K, V> {
    pub fn new(keep_ms: i64, most: usize) -> Kept<K, V> {
        Kept {
            entries: Mutex::new(HashMap::new()),
            keep_ms,
            most: most.max(1),
        }
    }

    /// The result kept for `key`, or `make`'s, kept from `now` on. A failed `make` keeps
    /// nothing: the next to ask (or one already waiting) tries again.
    pub async fn get_or_make<E, F, Fut>(&self, key: K, now: i64, make: F) -> Result<Arc<V>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let cell = {
            // A panic while holding the lock cannot leave a half-made entry: cells are
            // filled outside it.
            let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            // A request reads its `now` before its first queries, so one that started a
            // moment before the entry was made may arrive after: a second's skew is
            // still the same reading. A clock gone back further is not served it.
            let fresh = |e: &Entry<V>| e.made_at - now <= SKEW_MS && now - e.made_at < self.keep_ms;
            match entries.get(&key) {
                Some(entry) if fresh(entry) => entry.value.clone(),
                _ => {
                    if entries.len() >= self.most {
                        entries.retain(|_, e| fresh(e));
                    }
                    if entries.len() >= self.most {
                        let oldest = entries
                            .iter()
                            .min_by_key(|(_, e)| e.made_at)
                            .map(|(k, _)| k.clone());
                        if let Some(oldest) = oldest {
                            entries.remove(&oldest);
                        }
                    }
                    let cell = Arc::new(OnceCell::new());
                    entries.insert(
                        key,
                        Entry {
                            made_at: now,
                            value: cell.clone(),
                        },
                    );
                    cell
                }
            }
        };
        cell.get_or_try_init(|| async { make().await.map(Arc::new) })
            .await
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::Kept;
    use std::sync::atomic::{AtomicUsize, Ordering};

    async fn counted(
        kept: &Kept<&'static str, usize>,
        key: &'static str,
        now: i64,
        made: &AtomicUsize,
    ) -> usize {
        *kept
            .get_or_make(key, now, || async {
                Ok::<_, ()>(made.fetch_add(1, Ordering::SeqCst) + 1)
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_result_is_made_once_per_key_while_it_is_kept() {
        let kept = Kept::new(60_000, 8);
        let made = AtomicUsize::new(0);
        assert_eq!(counted(&kept, "a", 0, &made).await, 1);
        assert_eq!(counted(&kept, "a", 59_999, &made).await, 1, "still kept");
        assert_eq!(
            counted(&kept, "b", 1, &made).await,
            2,
            "another key is made"
        );
        assert_eq!(
            counted(&kept, "a", 60_000, &made).await,
            3,
            "a minute on, made again"
        );
        assert_eq!(
            counted(&kept, "a", 0, &made).await,
            4,
            "a clock gone back is not served the later result"
        );
    }

    #[tokio::test]
    async fn those_who_ask_at_once_share_one_making() {
        let kept = Kept::new(60_000, 8);
        let made = AtomicUsize::new(0);
        let slow = || async {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            Ok::<_, ()>(made.fetch_add(1, Ordering::SeqCst))
        };
        let (a, b) = tokio::join!(
            kept.get_or_make("k", 0, slow),
            kept.get_or_make("k", 0, slow)
        );
        assert_eq!((*a.unwrap(), *b.unwrap()), (0, 0));
        assert_eq!(made.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_failure_is_not_kept_and_the_bound_holds() {
        let kept: Kept<u32, u32> = Kept::new(60_000, 2);
        assert!(kept
            .get_or_make(1, 0, || async { Err::<u32, _>("down") })
            .await
            .is_err());
        assert_eq!(
            *kept
                .get_or_make(1, 1, || async { Ok::<_, ()>(7) })
                .await
                .unwrap(),
            7
        );
        kept.get_or_make(2, 2, || async { Ok::<_, ()>(8) })
            .await
            .unwrap();
        kept.get_or_make(3, 3, || async { Ok::<_, ()>(9) })
            .await
            .unwrap();
        assert_eq!(kept.entries.lock().unwrap().len(), 2);
        // The oldest (1) went to make room.
        assert_eq!(
            *kept
                .get_or_make(1, 4, || async { Ok::<_, ()>(10) })
                .await
                .unwrap(),
            10
        );
    }
}
