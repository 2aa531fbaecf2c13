//! Who a post reaches beyond its channel's feed: the people it mentions, the members
//! who hear about every post, and its tags.

use super::{placeholders, Store, StoreError, Tx};
use crate::model::{ChannelId, NotifyLevel, PersonId, PostId, Role};
use sqlx::Row;

/// A person named in a text, and where they stand in the channel it was written in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MentionTarget {
    pub user_id: PersonId,
    pub handle: String,
    pub name: String,
    pub role: Role,
    pub member: bool,
    pub notify: NotifyLevel,
}

pub(super) fn target_from_row(r: &sqlx::any::AnyRow) -> Result<MentionTarget, StoreError> {
    let role: String = r.try_get("role")?;
    let notify: Option<String> = r.try_get("notify")?;
    Ok(MentionTarget {
        user_id: r.try_get("id")?,
        handle: r.try_get("handle")?,
        name: r.try_get("display_name")?,
        role: Role::parse(&role).ok_or(StoreError::Corrupt("users.role"))?,
        member: r.try_get::<i64, _>("member")? == 1,
        notify: match notify {
            Some(level) => {
                NotifyLevel::parse(&level).ok_or(StoreError::Corrupt("channel_members.notify"))?
            }
            None => NotifyLevel::default(),
        },
    })
}

/// What [`target_from_row`] reads.
pub(super) const TARGET_COLUMNS: &str = "u.id, u.handle, u.display_name, u.role, \
     CASE WHEN m.user_id IS NULL THEN 0 ELSE 1 END AS member, m.notify";

impl Tx {
    pub async fn add_mentions(
        &mut self,
        post_id: PostId,
        user_ids: &[PersonId],
    ) -> Result<(), StoreError> {
        for user_id in user_ids {
            sqlx::query(
                "INSERT INTO post_mentions (post_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(post_id)
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(())
    }

    pub async fn add_tags(&mut self, post_id: PostId, tags: &[String]) -> Result<(), StoreError> {
        for tag in tags {
            sqlx::query(
                "INSERT INTO post_tags (post_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(post_id)
            .bind(tag)
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(())
    }

    /// Sets how much `user_id` hears about a channel they are in; `false` when they are
    /// not a member.
    pub async fn set_notify_level(
        &mut self,
        channel_id: ChannelId,
        user_id: PersonId,
        level: NotifyLevel,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "UPDATE channel_members SET notify = $1 WHERE channel_id = $2 AND user_id = $3",
        )
        .bind(level.as_str())
        .bind(channel_id)
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?
        .rows_affected()
            == 1)
    }
}

impl Store {
    /// The active people with these handles whom `author` may see, and their standing
    /// in `channel_id`. A handle of someone outside a guest's channels is as unknown as
    /// a mistyped one: it neither notifies nor names them back to the author.
    pub async fn mention_targets(
        &self,
        channel_id: ChannelId,
        handles: &[String],
        author: PersonId,
    ) -> Result<Vec<MentionTarget>, StoreError> {
        if handles.is_empty() {
            return Ok(Vec::new());
        }
        let author_at = format!("${}", handles.len() + 2);
        let sql = format!(
            "SELECT {TARGET_COLUMNS} FROM users u \
             LEFT JOIN channel_members m ON m.channel_id = $1 AND m.user_id = u.id \
             WHERE u.is_active = 1 AND u.handle IN ({}) AND {}",
            placeholders(1, handles.len()),
            super::rules::visible_person("u", &author_at)
        );
        let mut query = sqlx::query(&sql).bind(channel_id);
        for handle in handles {
            query = query.bind(handle.as_str());
        }
        query = query.bind(author);
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(target_from_row)
            .collect()
    }

    /// The channel's active members (`everyone`), or those who hear about every post:
    /// whom `@channel` and a new post reach.
    pub async fn channel_audience(
        &self,
        channel_id: ChannelId,
        everyone: bool,
    ) -> Result<Vec<MentionTarget>, StoreError> {
        let sql = format!(
            "SELECT {TARGET_COLUMNS} FROM channel_members m JOIN users u ON u.id = m.user_id \
             WHERE m.channel_id = $1 AND u.is_active = 1 AND ($2 = 1 OR m.notify = 'all')"
        );
        sqlx::query(&sql)
            .bind(channel_id)
            .bind(i64::from(everyone))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(target_from_row)
            .collect()
    }

    /// How much `user_id` hears about the channel, when they are a member.
    pub async fn notify_level(
        &self,
        channel_id: ChannelId,
        user_id: PersonId,
    ) -> Result<Option<NotifyLevel>, StoreError> {
        let level: Option<String> = sqlx::query_scalar(
            "SELECT notify FROM channel_members WHERE channel_id = $1 AND user_id = $2",
        )
        .bind(channel_id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        level
            .map(|l| NotifyLevel::parse(&l).ok_or(StoreError::Corrupt("channel_members.notify")))
            .transpose()
    }

    /// The people `seen_by` may see whose handles start with `prefix` or whose names
    /// match it (without diacritics), for the composer's autocomplete.
    pub async fn handles_like(
        &self,
        prefix: &str,
        limit: i64,
        seen_by: PersonId,
    ) -> Result<Vec<(crate::model::PersonRef, String)>, StoreError> {
        let folded = crate::folding::fold(prefix);
        let sql = format!(
            "SELECT {}, u.handle FROM users u WHERE u.is_active = 1 \
               AND (u.handle LIKE $1 ESCAPE '\\' OR u.search_text LIKE $2 ESCAPE '\\' \
                    OR u.search_text LIKE $3 ESCAPE '\\') AND {} \
             ORDER BY CASE WHEN u.handle LIKE $1 ESCAPE '\\' THEN 0 ELSE 1 END, u.display_name LIMIT $4",
            super::people::person_columns("u", "person"),
            super::rules::visible_person("u", "$5")
        );
        sqlx::query(&sql)
            .bind(format!(
                "{}%",
                super::people::escape_like(&prefix.to_ascii_lowercase())
            ))
            .bind(format!("{}%", super::people::escape_like(&folded)))
            .bind(format!("% {}%", super::people::escape_like(&folded)))
            .bind(limit)
            .bind(seen_by)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    super::people::person_named(r, "person")?,
                    r.try_get("handle")?,
                ))
            })
            .collect()
    }
}

impl Store {
    /// The person with this @handle, if `seen_by` may see them: for a guest, the handle
    /// of someone outside their channels is as unknown as one nobody has.
    pub async fn person_by_handle(
        &self,
        handle: &str,
        seen_by: PersonId,
    ) -> Result<Option<PersonId>, StoreError> {
        Ok(sqlx::query_scalar(&format!(
            "SELECT u.id FROM users u WHERE u.handle = $1 AND {}",
            super::rules::visible_person("u", "$2")
        ))
        .bind(handle.to_ascii_lowercase())
        .bind(seen_by)
        .fetch_optional(&self.pool)
        .await?)
    }
}

impl Store {
    /// Who a post already mentions.
    pub async fn mentioned_in(&self, post_id: PostId) -> Result<Vec<PersonId>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT user_id FROM post_mentions WHERE post_id = $1")
                .bind(post_id)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    pub async fn is_pinned(&self, post_id: PostId) -> Result<bool, StoreError> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM pins WHERE post_id = $1")
                .bind(post_id)
                .fetch_one(&self.pool)
                .await?
                > 0,
        )
    }
}
