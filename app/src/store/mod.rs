//! Storage: one [`Store`] for both backends.
//!
//! SQLite (the embedded default) and PostgreSQL (scale-out) are reached through sqlx's
//! `Any` driver, so every query and every piece of logic is written once; the backends
//! differ only in their migrations (`migrations/sqlite`, `migrations/postgres`), embedded
//! in the binary. Reads are methods on [`Store`]; writes are methods on [`Tx`], so a
//! change either commits whole or leaves nothing behind.
//!
//! Conventions that keep one query valid on both: `$1` placeholders, times as unix
//! milliseconds in BIGINT/INTEGER, flags as 0/1 integers, `CAST(SUM(..) AS BIGINT)`.
//!
//! Columns are read by name (`row.try_get("name")`), never by position, so adding a
//! column to a SELECT cannot shift the others. Every expression read from a row
//! (`COUNT(*)`, `CASE …`, a subquery) has an explicit lower-case snake_case `AS` alias,
//! since SQLite names an unaliased expression by its text and PostgreSQL by `?column?`
//! or its function (and folds unquoted names to lower case); so does every column whose
//! name another in the same SELECT shares (`c.id` and `u.id` in a join), as
//! `people::person_columns` does with a prefix. `query_scalar`, which reads the one
//! column of its answer, is the exception.

mod accounts;
mod activity;
mod announcements;
mod backup;
mod bulk;
mod channels;
mod checkup;
mod dashboard;
mod error;
mod events;
mod files;
mod invitations;
mod journeys;
mod knowledge;
mod mail;
mod mentions;
mod notifications;
mod once;
mod outbox;
mod packed;
mod people;
mod posts;
mod push;
mod questions;
mod rules;
mod scheduled;
mod search;
mod unread;

pub use accounts::{Credentials, ResetHolder};
pub use activity::{Activity, ActivityAction};
pub use announcements::NewAnnouncement;
pub use bulk::{Cell, Rows};
pub use channels::{ChannelAccess, ChannelChoice, NewChannel};
pub use checkup::MigrationState;
pub use dashboard::{
    AnnouncementActivity, GroupActivity, Participation, PeopleActivity, QuestionActivity, Scope,
};
pub use error::StoreError;
pub use events::{StoredEvent, EVENT_RETENTION_MS, NOTIFY_CHANNEL};
pub use files::{Holder, NewFile};
pub use invitations::{InvitationRecord, NewInvitation};
pub use journeys::{
    AssignmentRecord, FollowStanding, Joiner, JourneyRecord, NewJourney, NewStep, PageStep,
    StepRecord,
};
pub use knowledge::{DueReminder, NewPage, PageRecord, PageStanding, PageVersionRecord};
pub use mail::{ClaimedMail, DigestEvery, DigestReader, LinkAction, MailKind, MailTo, Recipient};
pub use mentions::MentionTarget;
pub use notifications::NewNotification;
pub use once::Claim;
pub use people::{NewUser, PeopleFilter, PersonRecord, ProfileUpdate};
pub use posts::{FeedScope, NewComment, NewPost, PostPlace, Reader};
pub use push::{ClaimedPush, NewPush, PushDevice, PushKeys, PushWhat, StoredPushSettings};
pub use questions::{
    DueQuestion, ExpertCandidate, QuestionSettings, RoutedExpert, SIMILAR_CANDIDATES, THREAD_LIMIT,
};
pub use scheduled::{NewScheduledPost, ScheduledRecord};
pub use search::{Entry, EntryKind, Narrowing, StoredHit, Terms, TYPO_MIN_LEN};
pub use unread::LookedAt;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Connection, Executor, Transaction};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Which database a URL names; decided once, when connecting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::BadUrl(crate::redact::redacted(url)))
        }
    }
}

#[derive(Clone, Debug)]
pub struct Store {
    /// Crate-visible for the test world (`crate::testing`), which reads SQLite pragmas.
    pub(crate) pool: AnyPool,
    backend: Backend,
    url: std::sync::Arc<str>,
    /// Which connected store this is (its clones share it): what is kept in memory for
    /// one database (`domain::kept`) is never served from another's.
    instance: u64,
    /// Woken after a transaction that recorded events commits, so this instance's live
    /// hub reads them at once (other instances hear through PostgreSQL's NOTIFY).
    events_written: std::sync::Arc<tokio::sync::Notify>,
    /// SQLite's writers queue here, in arrival order, before they take a connection.
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// How many of the newest posts the home feed walks before it merges lists.
    home_window: i64,
    /// How many of the newest matching posts (and comments) a search ranks.
    search_candidates: i64,
    /// Where attachments' bytes are kept ([`Store::with_objects`]); the rows saying what
    /// they are live in the database like everything else.
    objects: Option<crate::objects::Objects>,
    /// Where mail goes ([`Store::with_mail`]); `None` when this Townhall sends none.
    mail: Option<crate::mail::Mail>,
    /// Whether devices may subscribe with push endpoints on this machine or network
    /// ([`Store::with_local_push`]): for tests and self-run push services only.
    local_push: bool,
}

/// A write transaction. Dropping it without [`Tx::commit`] rolls everything back.
pub struct Tx {
    tx: Transaction<'static, Any>,
    backend: Backend,
    wrote_events: bool,
    events_written: std::sync::Arc<tokio::sync::Notify>,
    /// Held until the transaction ends (SQLite only), letting the next writer in.
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

/// Starts a transaction in a task of its own, which runs to its end even when the
/// request that asked for it is dropped (a browser that navigates away, a cancelled
/// fetch). Beginning is not cancellation-safe: a future dropped after `BEGIN` ran but
/// before the `Transaction` existed put its connection back in the pool inside a
/// transaction, and on SQLite that connection kept the write lock, so every later write
/// waited 5 s and failed ("database is locked", then "begin_with at non-zero transaction
/// depth"), until a restart. Seen once in a browser run. Finished here, an unwanted
/// `Transaction` is dropped in the task, and dropping one rolls it back.
async fn finish_even_if_dropped(
    begin: impl std::future::Future<Output = Result<Transaction<'static, Any>, sqlx::Error>>
        + Send
        + 'static,
) -> Result<Transaction<'static, Any>, StoreError> {
    match tokio::spawn(begin).await {
        Ok(result) => Ok(result?),
        Err(err) => {
            tracing::error!(error = %err, "beginning a transaction panicked");
            Err(StoreError::Unavailable(sqlx::Error::PoolClosed))
        }
    }
}

impl Store {
    /// Connects to `sqlite:PATH` (the file and its folder are created when missing) or
    /// `postgres://…`, and checks the connection works.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url).map_err(StoreError::Connect)?;
        // One direct connection first: a pool would only report "timed out" and hide
        // the real reason (refused, unknown database, bad password) from the operator.
        sqlx::AnyConnection::connect_with(&options)
            .await
            .map_err(StoreError::Connect)?
            .close()
            .await
            .map_err(StoreError::Connect)?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                // One writer at a time either way; a few readers run beside it in WAL mode.
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        for pragma in SQLITE_PRAGMAS {
                            conn.execute(*pragma).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(StoreError::Connect)?;
        Ok(Store {
            pool,
            backend,
            url: url.into(),
            instance: {
                static CONNECTED: std::sync::atomic::AtomicU64 =
                    std::sync::atomic::AtomicU64::new(0);
                CONNECTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
            events_written: Default::default(),
            writer: Default::default(),
            home_window: posts::HOME_WINDOW,
            search_candidates: search::CANDIDATES,
            objects: None,
            mail: None,
            local_push: false,
        })
    }

    /// The same store with another home-feed window (see `Store::home_feed`), so that a
    /// test's few posts exercise the merge too.
    #[cfg(feature = "test-support")]
    pub fn with_home_window(&self, posts: i64) -> Store {
        Store {
            home_window: posts,
            ..self.clone()
        }
    }

    /// The same store ranking fewer search candidates (see `store::search::CANDIDATES`),
    /// so that a test's few posts reach the bound.
    #[cfg(feature = "test-support")]
    pub fn with_search_candidates(&self, candidates: i64) -> Store {
        Store {
            search_candidates: candidates,
            ..self.clone()
        }
    }

    /// The same store keeping attachments in `objects`.
    pub fn with_objects(&self, objects: crate::objects::Objects) -> Store {
        Store {
            objects: Some(objects),
            ..self.clone()
        }
    }

    /// Where attachments' bytes are kept; an error when none was given (a tool that
    /// never handles files, such as `townhall seed`).
    pub fn objects(&self) -> Result<&crate::objects::Objects, StoreError> {
        self.objects.as_ref().ok_or(StoreError::NoFileStorage)
    }

    /// The same store sending e-mail through `mail`.
    pub fn with_mail(&self, mail: crate::mail::Mail) -> Store {
        Store {
            mail: Some(mail),
            ..self.clone()
        }
    }

    /// Where mail goes, when the operator set it up.
    pub fn mail(&self) -> Option<&crate::mail::Mail> {
        self.mail.as_ref()
    }

    /// Lets devices subscribe with push endpoints on loopback addresses (by default only
    /// the browsers' own push services are accepted, so that nobody can make Townhall
    /// send requests into its own network).
    pub fn with_local_push(&self) -> Store {
        Store {
            local_push: true,
            ..self.clone()
        }
    }

    pub fn local_push(&self) -> bool {
        self.local_push
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Gives the query planner statistics after a bulk load (`townhall seed`). On
    /// PostgreSQL a freshly loaded table has none until autovacuum gets round to it, and
    /// until then the planner guesses: the company feed took 729 ms a call before
    /// `ANALYZE` and 5 ms after (measured by the hot-paths issue). SQLite is left as it
    /// is: every hot query's plan there was chosen and measured without `sqlite_stat1`
    /// (docs/benchmarks.md), and gathering it would change those plans unmeasured.
    pub async fn refresh_statistics(&self) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            sqlx::query("ANALYZE").execute(&self.pool).await?;
        }
        Ok(())
    }

    /// The URL this store connected to (PostgreSQL's listener opens its own connection).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// This connected store's number, shared by its clones and by no other store.
    pub fn instance(&self) -> u64 {
        self.instance
    }

    /// Notified whenever a transaction of this process that recorded events commits.
    pub fn events_written(&self) -> std::sync::Arc<tokio::sync::Notify> {
        self.events_written.clone()
    }

    /// Applies pending migrations. Safe to run from several processes at once:
    /// on PostgreSQL sqlx holds an advisory lock while it migrates.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    /// Answers whether the database responds at all (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Starts a write transaction.
    ///
    /// SQLite has one writer. This process's writers first queue for their turn (a fair
    /// async lock, waited at most [`WRITE_QUEUE_TIMEOUT`]): left to SQLite's busy handler,
    /// waiting writers sleep and poll with growing back-offs, and under ten concurrent
    /// writers the slowest waited over a second for transactions that take a few
    /// milliseconds. The transaction then takes the write lock at once (`BEGIN
    /// IMMEDIATE`; other processes, such as `townhall seed`, are still waited for by the
    /// busy timeout): a deferred transaction that read first and then wrote while
    /// another connection was writing would fail at once with "database is locked".
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        let asked = std::time::Instant::now();
        let (tx, turn) = match self.backend {
            Backend::Sqlite => {
                let queued = crate::telemetry::QueuedWriter::join();
                let turn =
                    tokio::time::timeout(WRITE_QUEUE_TIMEOUT, self.writer.clone().lock_owned())
                        .await
                        .map_err(|_| StoreError::Unavailable(sqlx::Error::PoolTimedOut))?;
                drop(queued);
                let pool = self.pool.clone();
                let tx =
                    finish_even_if_dropped(async move { pool.begin_with("BEGIN IMMEDIATE").await })
                        .await?;
                (tx, Some(turn))
            }
            Backend::Postgres => {
                let pool = self.pool.clone();
                (
                    finish_even_if_dropped(async move { pool.begin().await }).await?,
                    None,
                )
            }
        };
        crate::telemetry::began_after(asked.elapsed());
        Ok(Tx {
            tx,
            backend: self.backend,
            wrote_events: false,
            events_written: self.events_written.clone(),
            _turn: turn,
        })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The pool's connections now: (idle, in use, the limit), for `/metrics`.
    pub fn pool_use(&self) -> (u32, u32, u32) {
        let idle = self.pool.num_idle() as u32;
        let open = self.pool.size();
        (
            idle,
            open.saturating_sub(idle),
            self.pool.options().get_max_connections(),
        )
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        if self.wrote_events {
            // `notify_one` keeps a permit when the hub is busy, so no commit goes unseen.
            self.events_written.notify_one();
        }
        Ok(())
    }
}

/// How long a SQLite writer waits for its turn before the request fails as unavailable
/// (the same as the busy timeout below).
const WRITE_QUEUE_TIMEOUT: Duration = Duration::from_secs(5);

/// WAL lets readers run while one connection writes; foreign keys are off by default in
/// SQLite; the busy timeout makes a second writer wait instead of failing at once.
const SQLITE_PRAGMAS: &[&str] = &[
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
];

/// Creates the database file's folder and asks sqlx to create the file itself.
fn prepare_sqlite_url(url: &str) -> Result<String, StoreError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Err(StoreError::BadUrl(url.to_owned()));
    }
    if let Some(dir) = std::path::Path::new(path).parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Folder(dir.display().to_string(), e))?;
        }
    }
    let query = if query.split('&').any(|kv| kv.starts_with("mode=")) {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// Milliseconds since the Unix epoch: the one clock every stored time uses.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// `$1, $2, …, $n` starting after `offset` placeholders, for `IN (…)` lists.
fn placeholders(offset: usize, n: usize) -> String {
    (offset + 1..=offset + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_leave_a_url() {
        let refused = Backend::from_url("postgre://u:hunter2@h/db").unwrap_err();
        assert!(!refused.to_string().contains("hunter2"), "{refused}");
    }

    #[test]
    fn backend_is_chosen_from_the_url_scheme() {
        assert_eq!(
            Backend::from_url("sqlite:data/x.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/db").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::from_url("postgresql://u@h/db").unwrap(),
            Backend::Postgres
        );
        assert!(matches!(
            Backend::from_url("mysql://h/db"),
            Err(StoreError::BadUrl(_))
        ));
    }

    #[test]
    fn sqlite_urls_create_the_file() {
        let dir = std::env::temp_dir().join(format!("th-url-{}", std::process::id()));
        let path = dir.join("sub/t.db");
        let url = prepare_sqlite_url(&format!("sqlite:{}", path.display())).unwrap();
        assert_eq!(url, format!("sqlite://{}?mode=rwc", path.display()));
        assert!(path.parent().unwrap().is_dir());
        assert_eq!(
            prepare_sqlite_url("sqlite://x.db?mode=ro").unwrap(),
            "sqlite://x.db?mode=ro"
        );
        assert!(prepare_sqlite_url("sqlite::memory:").is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn placeholders_are_numbered_after_the_offset() {
        assert_eq!(placeholders(0, 3), "$1, $2, $3");
        assert_eq!(placeholders(2, 2), "$3, $4");
    }
}
