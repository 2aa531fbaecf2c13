//! Unread markers: when a person last looked at each feed and each channel they are in,
//! so that what arrived since shows as new.

use super::rules::VISIBLE_POST;
use super::{Reader, Store, StoreError, Tx};
use crate::model::{ChannelId, PersonId};
use sqlx::Row;
use std::collections::HashMap;

/// A place someone looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LookedAt {
    /// A feed that is not a channel, by name: `home`, `company`, `mentions`.
    Feed(&'static str),
    /// A channel; only its members keep a mark.
    Channel(ChannelId),
}

impl Tx {
    /// Records that `user_id` looked at `place` at `now` (for a channel, only if they
    /// are in it).
    pub async fn mark_looked(
        &mut self,
        user_id: PersonId,
        place: LookedAt,
        now: i64,
    ) -> Result<(), StoreError> {
        match place {
            LookedAt::Feed(feed) => {
                sqlx::query(
                    "INSERT INTO feed_marks (user_id, feed, looked_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (user_id, feed) DO UPDATE SET looked_at = excluded.looked_at",
                )
                .bind(user_id)
                .bind(feed)
                .bind(now)
                .execute(&mut *self.tx)
                .await?;
            }
            LookedAt::Channel(channel_id) => {
                sqlx::query(
                    "UPDATE channel_members SET last_read_at = $3 \
                     WHERE channel_id = $1 AND user_id = $2",
                )
                .bind(channel_id)
                .bind(user_id)
                .bind(now)
                .execute(&mut *self.tx)
                .await?;
            }
        }
        Ok(())
    }
}

impl Store {
    /// When `user_id` last looked at `place` (for a channel never opened, when they
    /// joined it); `None` if never (or, for a channel, if they are not in it).
    pub async fn looked_at(
        &self,
        user_id: PersonId,
        place: LookedAt,
    ) -> Result<Option<i64>, StoreError> {
        let query = match place {
            LookedAt::Feed(feed) => sqlx::query_scalar(
                "SELECT looked_at FROM feed_marks WHERE user_id = $1 AND feed = $2",
            )
            .bind(user_id)
            .bind(feed),
            LookedAt::Channel(channel_id) => sqlx::query_scalar(
                "SELECT COALESCE(last_read_at, joined_at) FROM channel_members \
                 WHERE user_id = $1 AND channel_id = $2",
            )
            .bind(user_id)
            .bind(channel_id),
        };
        Ok(query.fetch_optional(&self.pool).await?)
    }

    /// For each channel `reader` is in, how many posts by others they may read arrived
    /// since they last opened it, counting at most `up_to` (channels with none are left
    /// out). Each count reads at most `up_to` rows of the channel's index range, so the
    /// channel list costs the same however long someone stayed away: counting every
    /// unread post took 240 ms for an admin in 34 channels on a 200,000-post company.
    pub async fn unread_by_channel(
        &self,
        reader: Reader,
        up_to: i64,
    ) -> Result<HashMap<ChannelId, i64>, StoreError> {
        let sql = format!(
            "SELECT m.channel_id, (SELECT COUNT(*) FROM (SELECT p.id FROM posts p \
               WHERE p.channel_id = m.channel_id \
                 AND p.created_at > COALESCE(m.last_read_at, m.joined_at) \
                 AND p.author_id <> $1 AND p.deleted_at IS NULL AND {VISIBLE_POST} \
               LIMIT $3) AS recent) AS unread \
             FROM channel_members m JOIN channels c ON c.id = m.channel_id \
             WHERE m.user_id = $1"
        );
        sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .bind(up_to)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("channel_id")?, r.try_get::<i64, _>("unread")?)))
            .filter(|found: &Result<(ChannelId, i64), StoreError>| !matches!(found, Ok((_, 0))))
            .collect()
    }
}
