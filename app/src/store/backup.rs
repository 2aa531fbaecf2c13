//! What backing up and restoring need from the database itself: a consistent copy of an
//! SQLite database taken while others write, its integrity check, and the names of the
//! stored objects (attachments and their previews) a database refers to. The files, the
//! locks and the command line are the server's (`server/src/backup.rs`).

use super::{Backend, Store, StoreError};
use crate::model::files::PreviewSize;
use sqlx::Row;

impl Store {
    /// SQLite: writes a consistent copy of the whole database to `path` (`VACUUM INTO`,
    /// one read transaction: the copy holds exactly what was committed when it began,
    /// whatever is written meanwhile). The file must not exist yet.
    pub async fn copy_into(&self, path: &str) -> Result<(), StoreError> {
        if self.backend() != Backend::Sqlite {
            return Err(StoreError::Corrupt("VACUUM INTO is SQLite's"));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// SQLite's `PRAGMA integrity_check`: empty when the database is sound, else what is
    /// wrong with it (at most a hundred lines). PostgreSQL keeps its own: always empty.
    pub async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        if self.backend() != Backend::Sqlite {
            return Ok(Vec::new());
        }
        let rows = sqlx::query("PRAGMA integrity_check(100)")
            .fetch_all(&self.pool)
            .await?;
        let lines = rows
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(lines.into_iter().filter(|l| l != "ok").collect())
    }

    /// Every object this database refers to: each file's bytes, and its two previews
    /// when it has them.
    pub async fn object_names(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT key, has_previews FROM files ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        let mut names = Vec::with_capacity(rows.len());
        for r in rows {
            let key: String = r.try_get("key")?;
            if r.try_get::<i64, _>("has_previews")? == 1 {
                names.extend(PreviewSize::ALL.map(|size| size.object_of(&key)));
            }
            names.push(key);
        }
        Ok(names)
    }
}
