//! The event log behind live updates. Writers append inside their own transaction, so an
//! event exists exactly when what it tells about was committed; every instance's live
//! hub reads the log in id order.

use super::{Backend, Rows, Store, StoreError, Tx};
use crate::model::{ChannelId, LiveKind, PersonId, PostId};
use sqlx::Row;

/// Something that happened, addressed to the readers of a channel or to one person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    pub id: i64,
    pub kind: LiveKind,
    pub channel_id: Option<ChannelId>,
    pub recipient_id: Option<PersonId>,
    pub post_id: Option<PostId>,
    pub actor_id: Option<PersonId>,
}

/// An event about to be appended.
#[derive(Clone, Copy, Debug)]
pub struct NewEvent {
    pub kind: LiveKind,
    pub channel_id: Option<ChannelId>,
    pub recipient_id: Option<PersonId>,
    pub post_id: Option<PostId>,
    pub actor_id: Option<PersonId>,
    pub at: i64,
}

/// How long events are kept: long enough for any tab to resume after a lost network.
pub const EVENT_RETENTION_MS: i64 = 24 * 60 * 60 * 1000;

/// The PostgreSQL channel on which committed events are announced to other instances.
pub const NOTIFY_CHANNEL: &str = "townhall_events";

impl Tx {
    /// Appends an event; it becomes visible to live streams when this transaction commits.
    pub async fn record_event(
        &mut self,
        kind: LiveKind,
        channel_id: Option<ChannelId>,
        recipient_id: Option<PersonId>,
        post_id: Option<PostId>,
        actor_id: Option<PersonId>,
        at: i64,
    ) -> Result<(), StoreError> {
        self.record_events(std::iter::once(NewEvent {
            kind,
            channel_id,
            recipient_id,
            post_id,
            actor_id,
            at,
        }))
        .await
    }

    /// Appends events with consecutive ids, in one statement per thousand values.
    pub async fn record_events(
        &mut self,
        events: impl ExactSizeIterator<Item = NewEvent>,
    ) -> Result<(), StoreError> {
        let n = events.len() as i64;
        if n == 0 {
            return Ok(());
        }
        // The counter row stays locked until commit, so ids commit in order.
        let last: i64 = sqlx::query_scalar(
            "UPDATE event_sequence SET last = last + $1 WHERE id = 1 RETURNING last",
        )
        .bind(n)
        .fetch_one(&mut *self.tx)
        .await?;
        let mut rows = Rows::new(
            "events",
            &[
                "id",
                "kind",
                "channel_id",
                "recipient_id",
                "post_id",
                "actor_id",
                "created_at",
            ],
        );
        for (id, e) in (last - n + 1..).zip(events) {
            rows.push([
                id.into(),
                e.kind.as_str().into(),
                e.channel_id.into(),
                e.recipient_id.into(),
                e.post_id.into(),
                e.actor_id.into(),
                e.at.into(),
            ]);
        }
        self.insert_rows(&mut rows).await?;
        if !self.wrote_events && self.backend == Backend::Postgres {
            // Delivered to listening instances on commit, and never on rollback.
            sqlx::query("SELECT pg_notify($1, '')")
                .bind(NOTIFY_CHANNEL)
                .execute(&mut *self.tx)
                .await?;
        }
        self.wrote_events = true;
        Ok(())
    }

    /// Forgets events older than `before`.
    pub async fn prune_events(&mut self, before: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM events WHERE created_at < $1")
            .bind(before)
            .execute(&mut *self.tx)
            .await?
            .rows_affected())
    }
}

impl Store {
    /// Up to `limit` events after `after`, oldest first.
    pub async fn events_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        sqlx::query(
            "SELECT id, kind, channel_id, recipient_id, post_id, actor_id FROM events \
             WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(StoredEvent {
                id: r.try_get("id")?,
                kind: LiveKind::parse(&kind).ok_or(StoreError::Corrupt("events.kind"))?,
                channel_id: r.try_get("channel_id")?,
                recipient_id: r.try_get("recipient_id")?,
                post_id: r.try_get("post_id")?,
                actor_id: r.try_get("actor_id")?,
            })
        })
        .collect()
    }

    /// The id of the latest committed event (0 before the first).
    pub async fn last_event_id(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM events")
                .fetch_one(&self.pool)
                .await?,
        )
    }
}

impl Store {
    /// The kind of every channel that is not archived: the live hub's shared directory.
    pub async fn channel_kinds(
        &self,
    ) -> Result<Vec<(ChannelId, crate::model::ChannelKind)>, StoreError> {
        sqlx::query("SELECT id, kind FROM channels WHERE archived_at IS NULL")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok((
                    r.try_get("id")?,
                    crate::model::ChannelKind::parse(&kind)
                        .ok_or(StoreError::Corrupt("channels.kind"))?,
                ))
            })
            .collect()
    }

    /// The channels `user_id` is a member of, in id order.
    pub async fn member_channels(&self, user_id: PersonId) -> Result<Vec<ChannelId>, StoreError> {
        sqlx::query("SELECT channel_id FROM channel_members WHERE user_id = $1 ORDER BY channel_id")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok(r.try_get("channel_id")?))
            .collect()
    }
}
