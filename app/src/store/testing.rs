//! A fresh, migrated database for one test, on either backend.
//!
//! SQLite: a new file in the temp folder, always available. PostgreSQL: a new database
//! on the server named by `TOWNHALL_TEST_POSTGRES_URL` (default: postgres on
//! 127.0.0.1:5432). Without a server the PostgreSQL tests are skipped with a message,
//! except under `CI=true`, where a missing server fails them.

use super::{Backend, Store};
use sqlx::{Connection, Executor};
use std::sync::atomic::{AtomicUsize, Ordering};

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Database { admin_url: String, name: String },
}

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "th_test_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(unique_name());
        let url = format!("sqlite:{}/townhall.db", dir.display());
        let store = Store::connect(&url)
            .await
            .expect("open a temporary SQLite database");
        store.migrate().await.expect("migrate SQLite");
        TestDb {
            store,
            url,
            cleanup: Cleanup::File(dir),
        }
    }

    /// `None` when no PostgreSQL answers and this is not CI.
    pub async fn postgres() -> Option<TestDb> {
        sqlx::any::install_default_drivers();
        let admin_url = std::env::var("TOWNHALL_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned());
        let mut admin = match sqlx::AnyConnection::connect(&admin_url).await {
            Ok(conn) => conn,
            Err(err) if std::env::var("CI").as_deref() == Ok("true") => {
                panic!("CI=true requires PostgreSQL at {admin_url}: {err}")
            }
            Err(err) => {
                eprintln!("skipped: no PostgreSQL at {admin_url} ({err})");
                return None;
            }
        };
        let name = unique_name();
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create a test database");
        admin.close().await.ok();
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(base, _)| base);
        let url = format!("{base}/{name}");
        let store = Store::connect(&url)
            .await
            .expect("connect to the test database");
        store.migrate().await.expect("migrate PostgreSQL");
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
            }
        }
    }

    /// The value of an SQLite `PRAGMA` on a pooled connection.
    pub async fn sqlite_pragma(&self, name: &str) -> String {
        let value: sqlx::any::AnyRow = sqlx::query(&format!("PRAGMA {name}"))
            .fetch_one(&self.store.pool)
            .await
            .expect("read pragma");
        use sqlx::Row;
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
                    let db = $crate::store::testing::TestDb::sqlite().await;
                    super::$story(&db).await;
                    db.finish().await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let Some(db) = $crate::store::testing::TestDb::postgres().await else { return };
                    super::$story(&db).await;
                    db.finish().await;
                }
            )*
        }
    };
}

/// A member of the company who is in no private channel: reads what everyone reads.
pub const ANY_MEMBER: super::Reader = super::Reader {
    user_id: 0,
    guest: false,
    staff: false,
};
