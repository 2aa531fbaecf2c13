//! Attachments' rows: what each stored object is, who uploaded it, and what it is
//! attached to. A file is *pending* (its uploader's alone) until the post, comment or
//! knowledge page it was picked for is written, in the same transaction; from then on
//! it is read by exactly the rule of that post ([`VISIBLE_POST`]) or page
//! ([`visible_page_for_reader`]).

use super::rules::{visible_page_for_reader, VISIBLE_POST};
use super::search::EntryKind;
use super::{placeholders, Reader, Store, StoreError, Tx};
use crate::model::files::{Attachment, FileLimits};
use crate::model::{CommentId, PageId, PersonId, PostId};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A file as it is first recorded, pending.
pub struct NewFile<'a> {
    pub key: &'a str,
    pub uploader: PersonId,
    pub name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub dimensions: Option<(i64, i64)>,
    pub previews: bool,
    /// The words inside it (a document's), for search.
    pub text: &'a str,
    pub created_at: i64,
}

/// What a file is attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    Post(PostId),
    Comment(CommentId),
    Page(PageId),
}

impl Holder {
    /// Its column in `files`, its id, its table, and its kind in the search index.
    fn parts(self) -> (&'static str, i64, &'static str, EntryKind) {
        match self {
            Holder::Post(id) => ("post_id", id.0, "posts", EntryKind::Post),
            Holder::Comment(id) => ("comment_id", id.0, "comments", EntryKind::Comment),
            Holder::Page(id) => ("page_id", id.0, "pages", EntryKind::Page),
        }
    }
}

/// A file no post, comment or page holds yet.
const PENDING: &str = "post_id IS NULL AND comment_id IS NULL AND page_id IS NULL";

const FILE_COLUMNS: &str =
    "f.key, f.name, f.content_type, f.size, f.width, f.height, f.has_previews";

fn attachment_from_row(r: &AnyRow) -> Result<Attachment, StoreError> {
    Ok(Attachment {
        key: r.try_get("key")?,
        name: r.try_get("name")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        width: r.try_get("width")?,
        height: r.try_get("height")?,
        previews: r.try_get::<i64, _>("has_previews")? == 1,
    })
}

impl Tx {
    pub async fn add_file(&mut self, file: &NewFile<'_>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO files (key, uploader_id, name, content_type, size, width, height, \
               has_previews, text, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(file.key)
        .bind(file.uploader)
        .bind(file.name)
        .bind(file.content_type)
        .bind(file.size)
        .bind(file.dimensions.map(|d| d.0))
        .bind(file.dimensions.map(|d| d.1))
        .bind(i64::from(file.previews))
        .bind(file.text)
        .bind(file.created_at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Attaches `uploader`'s pending files `keys` to `holder`, after those it holds, in
    /// that order, and indexes their names and words with it. Returns `false` (and
    /// attaches nothing: the caller rolls back) when one of them is not a pending file
    /// of theirs.
    pub async fn attach_files(
        &mut self,
        holder: Holder,
        uploader: PersonId,
        keys: &[String],
    ) -> Result<bool, StoreError> {
        if keys.is_empty() {
            return Ok(true);
        }
        let (column, id, _, _) = holder.parts();
        let held: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM files WHERE {column} = $1"))
                .bind(id)
                .fetch_one(&mut *self.tx)
                .await?;
        for (position, key) in keys.iter().enumerate() {
            let attached = sqlx::query(&format!(
                "UPDATE files SET {column} = $1, position = $2 \
                 WHERE key = $3 AND uploader_id = $4 AND {PENDING}"
            ))
            .bind(id)
            .bind(held + position as i64)
            .bind(key.as_str())
            .bind(uploader)
            .execute(&mut *self.tx)
            .await?;
            if attached.rows_affected() == 0 {
                return Ok(false);
            }
        }
        self.reindex_files_of(holder).await?;
        Ok(true)
    }

    /// Takes file `key` off `holder` (a page's editor removing it); returns whether it
    /// was there (the caller then removes its bytes).
    pub async fn detach_file(&mut self, holder: Holder, key: &str) -> Result<bool, StoreError> {
        let (column, id, _, _) = holder.parts();
        let done = sqlx::query(&format!(
            "DELETE FROM files WHERE key = $1 AND {column} = $2"
        ))
        .bind(key)
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        self.reindex_files_of(holder).await?;
        Ok(true)
    }

    /// Sets what `holder` is found by through its files (each name, then its words) and
    /// indexes it again.
    async fn reindex_files_of(&mut self, holder: Holder) -> Result<(), StoreError> {
        let (column, id, table, kind) = holder.parts();
        let rows = sqlx::query(&format!(
            "SELECT name, text FROM files WHERE {column} = $1 ORDER BY position"
        ))
        .bind(id)
        .fetch_all(&mut *self.tx)
        .await?;
        let mut words = Vec::with_capacity(rows.len() * 2);
        for r in &rows {
            words.push(r.try_get::<String, _>("name")?);
            words.push(r.try_get::<String, _>("text")?);
        }
        sqlx::query(&format!("UPDATE {table} SET files_text = $1 WHERE id = $2"))
            .bind(words.join(" "))
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        self.reindex(kind, id).await
    }

    /// Forgets `uploader`'s pending file `key`; returns whether there was one (the
    /// caller then removes its bytes).
    pub async fn remove_pending_file(
        &mut self,
        key: &str,
        uploader: PersonId,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(&format!(
            "DELETE FROM files WHERE key = $1 AND uploader_id = $2 AND {PENDING}"
        ))
        .bind(key)
        .bind(uploader)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Forgets the pending files created before `before` (nobody posted them), and
    /// returns their keys for their bytes to be removed.
    pub async fn remove_stale_pending_files(
        &mut self,
        before: i64,
    ) -> Result<Vec<String>, StoreError> {
        let keys: Vec<String> = sqlx::query_scalar(&format!(
            "DELETE FROM files WHERE {PENDING} AND created_at < $1 RETURNING key"
        ))
        .bind(before)
        .fetch_all(&mut *self.tx)
        .await?;
        Ok(keys)
    }

    pub async fn set_file_limits(&mut self, limits: FileLimits) -> Result<(), StoreError> {
        sqlx::query("UPDATE company SET file_max_mb = $1, file_quota_mb = $2 WHERE id = 1")
            .bind(limits.max_mb)
            .bind(limits.quota_mb)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}

impl Store {
    /// The file `key` when `reader` may read it: its uploader while it is pending, and
    /// afterwards whoever may read the post it (or its comment) or the page it is
    /// attached to, while none of them is deleted. `None` answers a file that does not exist just the same.
    pub async fn file_for(
        &self,
        reader: Reader,
        key: &str,
    ) -> Result<Option<Attachment>, StoreError> {
        let sql = format!(
            "SELECT {FILE_COLUMNS} FROM files f \
             LEFT JOIN comments cm ON cm.id = f.comment_id \
             LEFT JOIN posts p ON p.id = COALESCE(f.post_id, cm.post_id) \
             LEFT JOIN channels c ON c.id = p.channel_id \
             LEFT JOIN pages pg ON pg.id = f.page_id \
             WHERE f.key = $3 AND ( \
               (f.{PENDING_F} AND f.uploader_id = $1) \
               OR (p.id IS NOT NULL AND p.deleted_at IS NULL \
                   AND (cm.id IS NULL OR cm.deleted_at IS NULL) AND {VISIBLE_POST}) \
               OR (pg.id IS NOT NULL AND pg.deleted_at IS NULL AND {page}))",
            PENDING_F = "post_id IS NULL AND f.comment_id IS NULL AND f.page_id IS NULL",
            page = visible_page_for_reader("pg"),
        );
        let row = sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(attachment_from_row).transpose()
    }

    /// The files of `holders`' posts and comments (whose reading the caller has
    /// checked), each list in the order they were added.
    pub async fn attachments_of(
        &self,
        posts: &[PostId],
        comments: &[CommentId],
    ) -> Result<Vec<(Holder, Attachment)>, StoreError> {
        let mut found = Vec::new();
        for (column, ids) in [
            ("post_id", posts.iter().map(|p| p.0).collect::<Vec<_>>()),
            ("comment_id", comments.iter().map(|c| c.0).collect()),
        ] {
            if ids.is_empty() {
                continue;
            }
            let sql = format!(
                "SELECT f.{column} AS holder, {FILE_COLUMNS} FROM files f \
                 WHERE f.{column} IN ({}) ORDER BY f.{column}, f.position",
                placeholders(0, ids.len())
            );
            let mut query = sqlx::query(&sql);
            for id in &ids {
                query = query.bind(*id);
            }
            for r in query.fetch_all(&self.pool).await? {
                let holder: i64 = r.try_get("holder")?;
                let holder = if column == "post_id" {
                    Holder::Post(PostId(holder))
                } else {
                    Holder::Comment(CommentId(holder))
                };
                found.push((holder, attachment_from_row(&r)?));
            }
        }
        Ok(found)
    }

    /// The files of page `page` (whose reading the caller has checked), in order.
    pub async fn page_attachments(&self, page: PageId) -> Result<Vec<Attachment>, StoreError> {
        let sql =
            format!("SELECT {FILE_COLUMNS} FROM files f WHERE f.page_id = $1 ORDER BY f.position");
        sqlx::query(&sql)
            .bind(page)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(attachment_from_row)
            .collect()
    }

    /// The bytes every file together takes, pending ones included.
    pub async fn files_bytes(&self) -> Result<i64, StoreError> {
        let total: Option<i64> = sqlx::query_scalar("SELECT CAST(SUM(size) AS BIGINT) FROM files")
            .fetch_one(&self.pool)
            .await?;
        Ok(total.unwrap_or(0))
    }

    pub async fn file_limits(&self) -> Result<FileLimits, StoreError> {
        let row = sqlx::query("SELECT file_max_mb, file_quota_mb FROM company WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => FileLimits {
                max_mb: r.try_get("file_max_mb")?,
                quota_mb: r.try_get("file_quota_mb")?,
            },
            // Before first run: the schema's defaults.
            None => FileLimits {
                max_mb: 25,
                quota_mb: 10_240,
            },
        })
    }
}
