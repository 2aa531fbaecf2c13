use super::{now_ms, Store, StoreError, Tx};
use crate::model::{ChannelKind, ChannelSummary};
use sqlx::Row;

pub struct NewChannel<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub guidelines: &'a str,
    pub kind: ChannelKind,
    pub is_default: bool,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

impl Tx {
    pub async fn create_channel(&mut self, ch: &NewChannel<'_>) -> Result<i64, StoreError> {
        let id = sqlx::query_scalar(
            "INSERT INTO channels (slug, name, description, guidelines, kind, is_default, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(ch.slug)
        .bind(ch.name)
        .bind(ch.description)
        .bind(ch.guidelines)
        .bind(ch.kind.as_str())
        .bind(i64::from(ch.is_default))
        .bind(ch.created_by)
        .bind(ch.created_at)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(id)
    }

    /// Adds a member (or makes an existing member a channel admin when `admin`).
    pub async fn add_member(
        &mut self,
        channel_id: i64,
        user_id: i64,
        admin: bool,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO channel_members (channel_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (channel_id, user_id) DO UPDATE SET role = excluded.role",
        )
        .bind(channel_id)
        .bind(user_id)
        .bind(if admin { "admin" } else { "member" })
        .bind(now_ms())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

impl Store {
    /// Channels anyone in the company may see (private and archived ones are left out),
    /// the default channel first, then by name.
    pub async fn listed_channels(&self) -> Result<Vec<ChannelSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.slug, c.name, c.description, c.kind, c.is_default, \
               (SELECT COUNT(*) FROM channel_members m WHERE m.channel_id = c.id), \
               (SELECT COUNT(*) FROM posts p WHERE p.channel_id = c.id AND p.deleted_at IS NULL) \
             FROM channels c \
             WHERE c.kind <> 'private' AND c.archived_at IS NULL \
             ORDER BY c.is_default DESC, c.name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let kind: String = r.try_get(3)?;
                Ok(ChannelSummary {
                    slug: r.try_get(0)?,
                    name: r.try_get(1)?,
                    description: r.try_get(2)?,
                    kind: ChannelKind::parse(&kind).ok_or(StoreError::Corrupt("channels.kind"))?,
                    is_default: r.try_get::<i64, _>(4)? != 0,
                    member_count: r.try_get(5)?,
                    post_count: r.try_get(6)?,
                })
            })
            .collect()
    }
}
