//! What `townhall doctor` asks the database: whether its schema is this build's, the
//! database server's clock, and the newest thing written (a clock set back since shows
//! as a post from the future).

use super::{Backend, Store, StoreError, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

/// How the database's applied migrations compare with this build's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    /// Applied, and known to this build.
    pub applied: usize,
    /// This build's migrations not applied yet, by description, oldest first.
    pub pending: Vec<String>,
    /// Applied by another (newer) build: this one does not know them.
    pub unknown: usize,
}

impl Store {
    /// Compares the migrations recorded in the database with this build's, without
    /// applying any.
    pub async fn migration_state(&self) -> Result<MigrationState, StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let recorded = sqlx::query_scalar::<_, i64>(
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
        )
        .fetch_all(&self.pool)
        .await;
        let applied = match recorded {
            Ok(versions) => versions,
            // No table yet: a database nothing was ever applied to.
            Err(sqlx::Error::Database(_)) => Vec::new(),
            Err(err) => return Err(err.into()),
        };
        let known = migrator
            .iter()
            .filter(|m| !m.migration_type.is_down_migration());
        let pending = known
            .clone()
            .filter(|m| !applied.contains(&m.version))
            .map(|m| format!("{} {}", m.version, m.description))
            .collect();
        let unknown = applied
            .iter()
            .filter(|v| !known.clone().any(|m| m.version == **v))
            .count();
        Ok(MigrationState {
            applied: applied.len() - unknown,
            pending,
            unknown,
        })
    }

    /// The database server's clock in Unix milliseconds (PostgreSQL); `None` for
    /// SQLite, which runs on this machine's clock.
    pub async fn server_clock_ms(&self) -> Result<Option<i64>, StoreError> {
        if self.backend != Backend::Postgres {
            return Ok(None);
        }
        let ms = sqlx::query_scalar::<_, i64>(
            "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(Some(ms))
    }

    /// When the newest post was written (Unix milliseconds), if there is one.
    pub async fn newest_post_ms(&self) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(created_at) FROM posts")
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
