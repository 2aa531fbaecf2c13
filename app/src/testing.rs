//! A fresh, migrated database for one test, on either backend.
//!
//! SQLite: a copy of a template file in a new temp folder, always available.
//! PostgreSQL: a new database on the server named by `TOWNHALL_TEST_POSTGRES_URL`
//! (default: postgres on 127.0.0.1:5432), created from a template database.
//!
//! Each test process migrates one template per backend, the first time a test asks for
//! that backend, and every test then gets a copy instead of running every migration
//! again (a copy takes a few milliseconds on SQLite; on PostgreSQL about 0.4 s against
//! about 1 s for an empty database plus the migrations). Templates and test databases carry
//! their creation time and process id in their names (`th_tpl_<secs>_<pid>_…`,
//! `th_test_<secs>_<pid>_…`); a process cannot drop its template when it ends (tests
//! have no global teardown), so each new template first removes those of processes that
//! are gone or that are over an hour old.
//!
//! Without a PostgreSQL server a PostgreSQL test fails, unless `TOWNHALL_SKIP_POSTGRES=1`
//! is set outside CI: then it returns at once and the process prints
//! "skipped: PostgreSQL" once, past the test harness' output capture. Under `CI=true` a
//! missing server always fails.
//!
//! [`CompanyBuilder`] then fills the database with the company a test runs in.

mod company;

pub use company::{
    comment_on, cookie_header, post_in, ChannelBuilder, CompanyBuilder, PersonBuilder, Someone,
    NOW, OWNER_EMAIL, PASSWORD, SAO_MAI,
};

use crate::store::{Backend, Store};
use sqlx::{Connection, Executor, Row};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::{Mutex, OnceCell};

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
static COUNTER: AtomicUsize = AtomicUsize::new(0);
/// The migrated SQLite file every SQLite test copies.
static SQLITE_TEMPLATE: OnceCell<PathBuf> = OnceCell::const_new();
/// The name of the migrated PostgreSQL database every PostgreSQL test is created from.
static POSTGRES_TEMPLATE: OnceCell<String> = OnceCell::const_new();
/// One `CREATE DATABASE … TEMPLATE` at a time: PostgreSQL refuses to copy a database
/// that another session (here: a concurrent copy) is reading.
static COPYING: Mutex<()> = Mutex::const_new(());
/// Leftovers older than this are removed whoever made them.
const STALE_AFTER: Duration = Duration::from_secs(3600);
const TEMPLATE: &str = "th_tpl";
const TEST: &str = "th_test";

pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

fn unix_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `<prefix>_<unix seconds>_<pid>_<n>`: unique, and telling when and by whom it was made.
fn unique_name(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{prefix}_{}_{}_{}{nanos:09}",
        unix_secs(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Whether a name made by [`unique_name`] (with either prefix) belongs to a process that
/// is gone or is over an hour old. Names in any other form (older versions of this
/// module, other people's databases) are never stale.
fn is_stale(name: &str, same_machine: bool) -> bool {
    let Some(rest) = [TEMPLATE, TEST]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix)?.strip_prefix('_'))
    else {
        return false;
    };
    let mut fields = rest.split('_');
    let (Some(secs), Some(pid), Some(n), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return false;
    };
    let (Ok(secs), Ok(pid)) = (secs.parse::<u64>(), pid.parse::<u32>()) else {
        return false;
    };
    // A process id in the first place is the older `th_test_<pid>_<n>_<nanos>` form.
    if secs < 1_000_000_000 || n.parse::<u128>().is_err() || pid == std::process::id() {
        return false;
    }
    let old = unix_secs().saturating_sub(secs) > STALE_AFTER.as_secs();
    // Where processes are visible (Linux), a leftover of a finished process is stale now.
    let gone = same_machine
        && Path::new("/proc/self").exists()
        && !Path::new("/proc").join(pid.to_string()).exists();
    old || gone
}

fn sqlite_url(file: &Path) -> String {
    format!("sqlite:{}", file.display())
}

/// Migrates this process's SQLite template once; returns its file.
async fn sqlite_template() -> &'static Path {
    SQLITE_TEMPLATE
        .get_or_init(|| async {
            let temp = std::env::temp_dir();
            if let Ok(entries) = std::fs::read_dir(&temp) {
                for entry in entries.flatten() {
                    if is_stale(&entry.file_name().to_string_lossy(), true) {
                        let _ = std::fs::remove_dir_all(entry.path());
                    }
                }
            }
            let file = temp.join(unique_name(TEMPLATE)).join("townhall.db");
            let url = sqlite_url(&file);
            let store = Store::connect(&url)
                .await
                .expect("create the SQLite template");
            store.migrate().await.expect("migrate the SQLite template");
            store.close().await;
            // The store runs in WAL mode: fold the log into the file, so that the file
            // alone is the whole database, and close the last connection.
            let mut conn = sqlx::AnyConnection::connect(&url)
                .await
                .expect("reopen the SQLite template");
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                .await
                .expect("checkpoint the SQLite template");
            conn.close().await.expect("close the SQLite template");
            let wal = file.with_file_name("townhall.db-wal");
            assert!(
                std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
                "the SQLite template's write-ahead log was not folded in: {}",
                wal.display()
            );
            file
        })
        .await
}

/// The admin URL with its database replaced by `name`.
fn database_url(admin_url: &str, name: &str) -> String {
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url, |(base, _)| base);
    format!("{base}/{name}")
}

/// Migrates this process's PostgreSQL template once; returns its name. No connection to
/// it stays open, or it could not be copied.
async fn postgres_template(admin_url: &str) -> &'static str {
    POSTGRES_TEMPLATE
        .get_or_init(|| async {
            let mut admin = sqlx::AnyConnection::connect(admin_url)
                .await
                .expect("connect to PostgreSQL");
            remove_stale_databases(&mut admin, admin_url).await;
            let name = unique_name(TEMPLATE);
            admin
                .execute(format!("CREATE DATABASE {name}").as_str())
                .await
                .expect("create the PostgreSQL template");
            admin.close().await.ok();
            let store = Store::connect(&database_url(admin_url, &name))
                .await
                .expect("connect to the PostgreSQL template");
            store
                .migrate()
                .await
                .expect("migrate the PostgreSQL template");
            store.close().await;
            name
        })
        .await
}

/// Drops templates and test databases of finished or hour-old test processes.
async fn remove_stale_databases(admin: &mut sqlx::AnyConnection, admin_url: &str) {
    let host = admin_url
        .split_once("://")
        .map_or("", |(_, rest)| rest)
        .split(['/', '?'])
        .next()
        .unwrap_or("")
        .rsplit('@')
        .next()
        .unwrap_or("");
    // Process ids name processes of this machine only when the server is local.
    let local = ["127.0.0.1", "localhost", "[::1]", ""]
        .iter()
        .any(|h| host == *h || host.starts_with(&format!("{h}:")));
    let rows = sqlx::query(
        "SELECT datname::text FROM pg_database \
         WHERE datname LIKE 'th\\_tpl\\_%' OR datname LIKE 'th\\_test\\_%'",
    )
    .fetch_all(&mut *admin)
    .await
    .expect("list leftover test databases");
    for row in rows {
        let name: String = row.get(0);
        if is_stale(&name, local) {
            // Another process may be dropping it too; either way it is gone.
            let _ = admin
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await;
        }
    }
}

/// Says once per process that PostgreSQL tests were skipped. Written to the process'
/// stderr directly: the test harness captures `eprintln!` of passing tests.
fn say_skipped(admin_url: &str, err: &sqlx::Error) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "skipped: PostgreSQL (TOWNHALL_SKIP_POSTGRES=1; no server at {admin_url}: {err}); \
             the PostgreSQL tests of this process passed without running"
        );
    });
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let template = sqlite_template().await;
        let dir = std::env::temp_dir().join(unique_name(TEST));
        std::fs::create_dir_all(&dir).expect("create a temporary folder");
        let file = dir.join("townhall.db");
        std::fs::copy(template, &file).expect("copy the SQLite template");
        let url = sqlite_url(&file);
        let store = Store::connect(&url)
            .await
            .expect("open a temporary SQLite database")
            .with_objects(
                crate::objects::Objects::local(&dir.join("files")).expect("a files folder"),
            );
        TestDb {
            store,
            url,
            cleanup: Cleanup::File(dir),
        }
    }

    /// `None` when no PostgreSQL answers and `TOWNHALL_SKIP_POSTGRES=1` allows skipping.
    ///
    /// # Panics
    /// When no PostgreSQL answers, under `CI=true` or without `TOWNHALL_SKIP_POSTGRES=1`.
    pub async fn postgres() -> Option<TestDb> {
        sqlx::any::install_default_drivers();
        let admin_url = std::env::var("TOWNHALL_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned());
        let mut admin = match sqlx::AnyConnection::connect(&admin_url).await {
            Ok(conn) => conn,
            Err(err) if std::env::var("CI").as_deref() == Ok("true") => {
                panic!("CI=true requires PostgreSQL at {admin_url}: {err}")
            }
            Err(err) if std::env::var("TOWNHALL_SKIP_POSTGRES").as_deref() == Ok("1") => {
                say_skipped(&admin_url, &err);
                return None;
            }
            Err(err) => panic!(
                "no PostgreSQL at {admin_url}: {err}. Start one (README, Tests), point \
                 TOWNHALL_TEST_POSTGRES_URL at it, or set TOWNHALL_SKIP_POSTGRES=1 to skip \
                 the PostgreSQL tests knowingly"
            ),
        };
        let template = postgres_template(&admin_url).await;
        let name = unique_name(TEST);
        {
            let _turn = COPYING.lock().await;
            let mut attempt = 0;
            loop {
                let create = format!("CREATE DATABASE {name} TEMPLATE {template}");
                match admin.execute(create.as_str()).await {
                    Ok(_) => break,
                    // A closed session may linger a moment on the server.
                    Err(err)
                        if attempt < 20
                            && err.to_string().contains("being accessed by other users") =>
                    {
                        attempt += 1;
                        tokio::time::sleep(Duration::from_millis(50 * attempt)).await;
                    }
                    Err(err) => panic!("create a test database from {template}: {err}"),
                }
            }
        }
        admin.close().await.ok();
        let url = database_url(&admin_url, &name);
        let store = Store::connect(&url)
            .await
            .expect("connect to the test database")
            .with_objects(
                crate::objects::Objects::local(&std::env::temp_dir().join(format!("{name}-files")))
                    .expect("a files folder"),
            );
        Some(TestDb {
            store,
            url,
            cleanup: Cleanup::Database { admin_url, name },
        })
    }

    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// Closes the store and removes the database.
    pub async fn finish(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::File(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Database { admin_url, name } => {
                let mut admin = sqlx::AnyConnection::connect(&admin_url)
                    .await
                    .expect("reconnect to drop");
                admin
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await
                    .expect("drop the test database");
                let _ = std::fs::remove_dir_all(std::env::temp_dir().join(format!("{name}-files")));
            }
        }
    }

    /// The value of an SQLite `PRAGMA` on a pooled connection.
    pub async fn sqlite_pragma(&self, name: &str) -> String {
        let value: sqlx::any::AnyRow = sqlx::query(&format!("PRAGMA {name}"))
            .fetch_one(&self.store.pool)
            .await
            .expect("read pragma");
        // By position, the one place that reads so: a PRAGMA answers in one column whose
        // name is not always the pragma's (`PRAGMA busy_timeout` calls it `timeout`).
        value
            .try_get::<String, _>(0)
            .or_else(|_| value.try_get::<i64, _>(0).map(|n| n.to_string()))
            .expect("pragma value")
    }
}

/// Runs each named story (an `async fn(&TestDb)`) once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! storage_stories {
    ($($story:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let db = $crate::testing::TestDb::sqlite().await;
                    super::$story(&db).await;
                    db.finish().await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let Some(db) = $crate::testing::TestDb::postgres().await else { return };
                    super::$story(&db).await;
                    db.finish().await;
                }
            )*
        }
    };
}

/// A member of the company who is in no private channel: reads what everyone reads.
pub const ANY_MEMBER: crate::store::Reader = crate::store::Reader {
    user_id: crate::model::PersonId(0),
    guest: false,
    staff: false,
};
