//! Company announcements: their audience, fixed when published, and what each recipient
//! has done with them (seen, acknowledged), which is the announcement's reach.

use super::people::{person_columns, person_named};
use super::{placeholders, Store, StoreError, Tx};
use crate::model::{Audience, ChannelId, PersonId, PostId, Reach};
use sqlx::Row;

pub struct NewAnnouncement<'a> {
    pub post_id: PostId,
    pub audience: &'a Audience,
    /// The channel the post is in (for a channel audience: its members receive it).
    pub channel_id: ChannelId,
    pub must_read: bool,
    pub expires_at: Option<i64>,
    pub author_id: PersonId,
    pub at: i64,
}

impl Tx {
    /// Records the announcement and its recipients (active people in its audience,
    /// apart from the author) and returns the recipients' ids.
    pub async fn create_announcement(
        &mut self,
        a: &NewAnnouncement<'_>,
    ) -> Result<Vec<PersonId>, StoreError> {
        let (audience, restricted) = match a.audience {
            Audience::Everyone => ("everyone", false),
            Audience::Departments(_) => ("departments", true),
            Audience::Channel(_) => ("channel", false),
        };
        sqlx::query(
            "INSERT INTO announcements (post_id, audience, must_read, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(a.post_id)
        .bind(audience)
        .bind(i64::from(a.must_read))
        .bind(a.expires_at)
        .execute(&mut *self.tx)
        .await?;
        if restricted {
            sqlx::query("UPDATE posts SET audience_only = 1 WHERE id = $1")
                .bind(a.post_id)
                .execute(&mut *self.tx)
                .await?;
        }
        let chosen = match a.audience {
            Audience::Everyone => "u.role <> 'guest'".to_owned(),
            Audience::Departments(ids) => {
                for id in ids {
                    sqlx::query(
                        "INSERT INTO announcement_departments (post_id, department_id) VALUES ($1, $2) \
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(a.post_id)
                    .bind(id)
                    .execute(&mut *self.tx)
                    .await?;
                }
                "u.department_id IN (SELECT department_id FROM announcement_departments WHERE post_id = $1)"
                    .to_owned()
            }
            Audience::Channel(_) => {
                "u.id IN (SELECT user_id FROM channel_members WHERE channel_id = $4)".to_owned()
            }
        };
        let sql = format!(
            "INSERT INTO announcement_recipients (post_id, user_id, notified_at) \
             SELECT $1, u.id, $2 FROM users u WHERE u.is_active = 1 AND u.id <> $3 AND {chosen} \
             RETURNING user_id"
        );
        let recipients = sqlx::query_scalar(&sql)
            .bind(a.post_id)
            .bind(a.at)
            .bind(a.author_id)
            .bind(a.channel_id)
            .fetch_all(&mut *self.tx)
            .await?;
        Ok(recipients)
    }

    /// Notes that `user_id` had these announcements on screen; returns those seen for
    /// the first time.
    pub async fn mark_seen(
        &mut self,
        user_id: PersonId,
        post_ids: &[PostId],
        at: i64,
    ) -> Result<Vec<PostId>, StoreError> {
        if post_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "UPDATE announcement_recipients SET seen_at = $1 \
             WHERE user_id = $2 AND seen_at IS NULL AND post_id IN ({}) RETURNING post_id",
            placeholders(2, post_ids.len())
        );
        let mut query = sqlx::query_scalar(&sql).bind(at).bind(user_id);
        for id in post_ids {
            query = query.bind(*id);
        }
        Ok(query.fetch_all(&mut *self.tx).await?)
    }

    /// Acknowledges an announcement for `user_id` (seeing it too); `false` when it was
    /// not addressed to them or they had acknowledged it already.
    pub async fn acknowledge(
        &mut self,
        post_id: PostId,
        user_id: PersonId,
        at: i64,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "UPDATE announcement_recipients SET acknowledged_at = $1, seen_at = COALESCE(seen_at, $1) \
             WHERE post_id = $2 AND user_id = $3 AND acknowledged_at IS NULL",
        )
        .bind(at)
        .bind(post_id)
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?
        .rows_affected()
            == 1)
    }

    /// Marks the recipients who have not acknowledged as notified again; returns them.
    pub async fn renotify(
        &mut self,
        post_id: PostId,
        at: i64,
    ) -> Result<Vec<PersonId>, StoreError> {
        Ok(sqlx::query_scalar(
            "UPDATE announcement_recipients SET notified_at = $1 \
             WHERE post_id = $2 AND acknowledged_at IS NULL RETURNING user_id",
        )
        .bind(at)
        .bind(post_id)
        .fetch_all(&mut *self.tx)
        .await?)
    }
}

impl Store {
    /// An announcement's reach, naming the first `pending_names` (by name) of those who
    /// have not acknowledged it, and its author; `None` when the post is no announcement.
    pub async fn reach(
        &self,
        post_id: PostId,
        pending_names: i64,
    ) -> Result<Option<(Reach, PersonId)>, StoreError> {
        Ok(self
            .reaches(&[post_id], pending_names)
            .await?
            .into_iter()
            .next())
    }

    /// [`Store::reach`] of several announcements in two queries (the cards of a page:
    /// an owner's home has several must-reads, each with its reach).
    pub async fn reaches(
        &self,
        post_ids: &[PostId],
        pending_names: i64,
    ) -> Result<Vec<(Reach, PersonId)>, StoreError> {
        if post_ids.is_empty() {
            return Ok(Vec::new());
        }
        let counts = format!(
            "SELECT a.post_id, a.must_read, p.author_id, \
               (SELECT COUNT(*) FROM announcement_recipients r WHERE r.post_id = a.post_id) AS recipients, \
               (SELECT COUNT(*) FROM announcement_recipients r WHERE r.post_id = a.post_id AND r.seen_at IS NOT NULL) AS seen, \
               (SELECT COUNT(*) FROM announcement_recipients r WHERE r.post_id = a.post_id AND r.acknowledged_at IS NOT NULL) AS acknowledged \
             FROM announcements a JOIN posts p ON p.id = a.post_id \
             WHERE a.post_id IN ({}) AND p.deleted_at IS NULL ORDER BY a.post_id",
            placeholders(0, post_ids.len())
        );
        // The first names per announcement, in name order: a window over each one's
        // pending recipients (both databases have `ROW_NUMBER`).
        let names = format!(
            "SELECT post_id, {} FROM (SELECT r.post_id, u.id, u.display_name, u.job_title, \
               u.avatar_version, ROW_NUMBER() OVER \
               (PARTITION BY r.post_id ORDER BY u.display_name, u.id) AS place \
               FROM announcement_recipients r JOIN users u ON u.id = r.user_id \
               WHERE r.post_id IN ({}) AND r.acknowledged_at IS NULL) AS u \
             WHERE u.place <= $1 ORDER BY u.place",
            person_columns("u", "person"),
            placeholders(1, post_ids.len())
        );
        let mut count_query = sqlx::query(&counts);
        let mut name_query = sqlx::query(&names).bind(pending_names);
        for id in post_ids {
            count_query = count_query.bind(*id);
            name_query = name_query.bind(*id);
        }
        let mut pending: std::collections::HashMap<PostId, Vec<_>> = Default::default();
        for r in name_query.fetch_all(&self.pool).await? {
            pending
                .entry(r.try_get("post_id")?)
                .or_default()
                .push(person_named(&r, "person")?);
        }
        count_query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                let post_id: PostId = row.try_get("post_id")?;
                let reach = Reach {
                    post_id,
                    must_read: row.try_get::<i64, _>("must_read")? == 1,
                    recipients: row.try_get("recipients")?,
                    seen: row.try_get("seen")?,
                    acknowledged: row.try_get("acknowledged")?,
                    pending: pending.remove(&post_id).unwrap_or_default(),
                };
                Ok((reach, row.try_get("author_id")?))
            })
            .collect()
    }

    /// The author of each of these posts, for telling them their reach changed.
    pub async fn authors_of(
        &self,
        post_ids: &[PostId],
    ) -> Result<Vec<(PostId, PersonId)>, StoreError> {
        if post_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, author_id FROM posts WHERE id IN ({})",
            placeholders(0, post_ids.len())
        );
        let mut query = sqlx::query(&sql);
        for id in post_ids {
            query = query.bind(*id);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("author_id")?)))
            .collect()
    }
}

impl Store {
    /// The company-wide channel, where announcements to everyone or to departments go.
    pub async fn announcement_channel(&self) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT slug FROM channels WHERE is_default = 1 AND archived_at IS NULL ORDER BY id LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?)
    }
}
