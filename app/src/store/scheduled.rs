//! Scheduled posts: written now, published later by the scheduler. A row is pending
//! until one instance claims it (`published_at`), its author cancels it, or the policy
//! refused it at publish time (`failure`).

use super::{Store, StoreError, Tx};
use crate::model::{ChannelId, PersonId, PostId, PostKind, Role};
use crate::policy::Viewer;
use sqlx::any::AnyRow;
use sqlx::Row;

pub struct NewScheduledPost<'a> {
    pub channel_id: ChannelId,
    pub author_id: PersonId,
    pub kind: PostKind,
    pub body: &'a str,
    pub confirm_channel: bool,
    pub publish_at: i64,
    pub created_at: i64,
}

/// A pending scheduled post, with what publishing and listing it need to know.
#[derive(Clone, Debug)]
pub struct ScheduledRecord {
    pub id: i64,
    pub channel_slug: String,
    pub channel_name: String,
    /// The author as the policy sees them; `None` once deactivated.
    pub author: Option<Viewer>,
    pub kind: PostKind,
    pub body: String,
    pub confirm_channel: bool,
    pub publish_at: i64,
    pub updated_at: i64,
    pub failure: Option<String>,
}

/// Rows that are neither published nor cancelled (the names are unique to the table).
const PENDING: &str = "published_at IS NULL AND cancelled_at IS NULL";
/// What [`record`] reads, and where from.
const COLUMNS: &str = "s.id, c.slug AS channel_slug, c.name AS channel_name, u.id AS author_id, \
     u.display_name AS author_name, u.role AS author_role, u.is_active AS author_active, s.kind, \
     s.body, s.confirm_channel, s.publish_at, s.updated_at, s.failure, \
     u.is_leader AS author_leader \
     FROM scheduled_posts s JOIN channels c ON c.id = s.channel_id JOIN users u ON u.id = s.author_id";

fn record(r: &AnyRow) -> Result<ScheduledRecord, StoreError> {
    let role: String = r.try_get("author_role")?;
    let kind: String = r.try_get("kind")?;
    let author = (r.try_get::<i64, _>("author_active")? != 0)
        .then(|| {
            Ok::<_, StoreError>(Viewer {
                user_id: r.try_get("author_id")?,
                name: r.try_get("author_name")?,
                role: Role::parse(&role).ok_or(StoreError::Corrupt("users.role"))?,
                leader: r.try_get::<i64, _>("author_leader")? == 1,
            })
        })
        .transpose()?;
    Ok(ScheduledRecord {
        id: r.try_get("id")?,
        channel_slug: r.try_get("channel_slug")?,
        channel_name: r.try_get("channel_name")?,
        author,
        kind: PostKind::parse(&kind).ok_or(StoreError::Corrupt("scheduled_posts.kind"))?,
        body: r.try_get("body")?,
        confirm_channel: r.try_get::<i64, _>("confirm_channel")? != 0,
        publish_at: r.try_get("publish_at")?,
        updated_at: r.try_get("updated_at")?,
        failure: r.try_get("failure")?,
    })
}

impl Tx {
    pub async fn schedule_post(&mut self, post: &NewScheduledPost<'_>) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO scheduled_posts (channel_id, author_id, kind, body, confirm_channel, \
               publish_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(post.channel_id)
        .bind(post.author_id)
        .bind(post.kind.as_str())
        .bind(post.body)
        .bind(i64::from(post.confirm_channel))
        .bind(post.publish_at)
        .bind(post.created_at)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    /// Claims a due row for publishing, unless another instance did, its author
    /// cancelled or edited it since it was read (`updated_at`), or it failed. On
    /// PostgreSQL a second claimer waits for the first one's row lock, then matches
    /// nothing; whoever gets `true` publishes.
    pub async fn claim_scheduled(
        &mut self,
        id: i64,
        updated_at: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE scheduled_posts SET published_at = $1 WHERE id = $2 AND updated_at = $3 \
               AND failure IS NULL AND {}",
            PENDING
        );
        Ok(sqlx::query(&sql)
            .bind(now)
            .bind(id)
            .bind(updated_at)
            .execute(&mut *self.tx)
            .await?
            .rows_affected()
            == 1)
    }

    /// Links a claimed row to the post it became.
    pub async fn scheduled_published(
        &mut self,
        id: i64,
        post_id: PostId,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE scheduled_posts SET post_id = $1 WHERE id = $2")
            .bind(post_id)
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Records why a pending row could not be published (unless it changed meanwhile).
    pub async fn scheduled_failed(
        &mut self,
        id: i64,
        updated_at: i64,
        failure: &str,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE scheduled_posts SET failure = $1 WHERE id = $2 AND updated_at = $3 \
               AND failure IS NULL AND {}",
            PENDING
        );
        Ok(sqlx::query(&sql)
            .bind(failure)
            .bind(id)
            .bind(updated_at)
            .execute(&mut *self.tx)
            .await?
            .rows_affected()
            == 1)
    }

    /// Changes a pending post of `author`'s; editing a failed one tries it again.
    /// Returns whether there was such a post.
    pub async fn edit_scheduled(
        &mut self,
        id: i64,
        author: PersonId,
        body: &str,
        publish_at: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE scheduled_posts SET body = $1, publish_at = $2, failure = NULL, \
               updated_at = CASE WHEN updated_at >= $3 THEN updated_at + 1 ELSE $3 END \
             WHERE id = $4 AND author_id = $5 AND {}",
            PENDING
        );
        Ok(sqlx::query(&sql)
            .bind(body)
            .bind(publish_at)
            .bind(now)
            .bind(id)
            .bind(author)
            .execute(&mut *self.tx)
            .await?
            .rows_affected()
            == 1)
    }

    /// Cancels a pending post of `author`'s; returns whether there was such a post.
    pub async fn cancel_scheduled(
        &mut self,
        id: i64,
        author: PersonId,
        now: i64,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE scheduled_posts SET cancelled_at = $1, updated_at = $1 \
             WHERE id = $2 AND author_id = $3 AND {}",
            PENDING
        );
        Ok(sqlx::query(&sql)
            .bind(now)
            .bind(id)
            .bind(author)
            .execute(&mut *self.tx)
            .await?
            .rows_affected()
            == 1)
    }
}

impl Store {
    /// Up to `limit` pending rows due at `now`, oldest first.
    pub async fn due_scheduled(
        &self,
        now: i64,
        limit: i64,
    ) -> Result<Vec<ScheduledRecord>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} WHERE {PENDING} AND s.failure IS NULL AND s.publish_at <= $1 \
             ORDER BY s.publish_at, s.id LIMIT $2"
        );
        sqlx::query(&sql)
            .bind(now)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(record)
            .collect()
    }

    /// `author`'s pending scheduled posts (failed ones too), soonest first.
    pub async fn scheduled_by(&self, author: PersonId) -> Result<Vec<ScheduledRecord>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} WHERE {PENDING} AND s.author_id = $1 ORDER BY s.publish_at, s.id"
        );
        sqlx::query(&sql)
            .bind(author)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(record)
            .collect()
    }

    /// Who wrote a pending scheduled post.
    pub async fn scheduled_author(&self, id: i64) -> Result<Option<PersonId>, StoreError> {
        let sql = format!("SELECT author_id FROM scheduled_posts WHERE id = $1 AND {PENDING}");
        Ok(sqlx::query_scalar(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The post a scheduled row became, once published.
    pub async fn scheduled_post_id(&self, id: i64) -> Result<Option<PostId>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT post_id FROM scheduled_posts WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .flatten(),
        )
    }

    /// The time zone `user_id` lives in: their own, or the company's.
    pub async fn time_zone_of(&self, user_id: PersonId) -> Result<String, StoreError> {
        let zone: Option<String> = sqlx::query_scalar(
            "SELECT COALESCE(NULLIF(u.time_zone, ''), c.time_zone) FROM users u \
             LEFT JOIN company c ON c.id = 1 WHERE u.id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?
        .flatten();
        Ok(zone.unwrap_or_else(|| "UTC".to_owned()))
    }
}
