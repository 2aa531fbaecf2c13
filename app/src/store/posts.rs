use super::{placeholders, Store, StoreError, Tx};
use crate::model::{CommentView, Cursor, PersonRef, PostCard, PostKind, ReactionCount};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

pub struct NewPost<'a> {
    pub channel_id: i64,
    pub author_id: i64,
    pub kind: PostKind,
    pub body: &'a str,
    pub created_at: i64,
}

pub struct NewComment<'a> {
    pub post_id: i64,
    pub parent_id: Option<i64>,
    pub author_id: i64,
    pub body: &'a str,
    pub created_at: i64,
}

/// How many of a post's latest comments a feed card shows.
const COMMENTS_PER_CARD: i64 = 3;

/// Columns of a feed card, in the order [`card_from_row`] reads them.
const CARD_COLUMNS: &str = "p.id, c.slug, c.name, u.id, u.display_name, u.job_title, p.kind, \
     p.body, p.created_at, p.edited_at, p.comment_count";
const CARD_JOINS: &str =
    "FROM posts p JOIN channels c ON c.id = p.channel_id JOIN users u ON u.id = p.author_id";

impl Tx {
    pub async fn create_post(&mut self, post: &NewPost<'_>) -> Result<i64, StoreError> {
        let id = sqlx::query_scalar(
            "INSERT INTO posts (channel_id, author_id, kind, body, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(post.channel_id)
        .bind(post.author_id)
        .bind(post.kind.as_str())
        .bind(post.body)
        .bind(post.created_at)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(id)
    }

    pub async fn create_comment(&mut self, comment: &NewComment<'_>) -> Result<i64, StoreError> {
        let id = sqlx::query_scalar(
            "INSERT INTO comments (post_id, parent_id, author_id, body, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(comment.post_id)
        .bind(comment.parent_id)
        .bind(comment.author_id)
        .bind(comment.body)
        .bind(comment.created_at)
        .fetch_one(&mut *self.tx)
        .await?;
        sqlx::query("UPDATE posts SET comment_count = comment_count + 1 WHERE id = $1")
            .bind(comment.post_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(id)
    }

    /// Adds `user`'s `emoji` reaction; reacting twice with the same emoji changes nothing.
    /// Returns whether a reaction was added.
    pub async fn add_reaction(
        &mut self,
        post_id: i64,
        user_id: i64,
        emoji: &str,
        at: i64,
    ) -> Result<bool, StoreError> {
        let added = sqlx::query(
            "INSERT INTO reactions (post_id, user_id, emoji, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(post_id)
        .bind(user_id)
        .bind(emoji)
        .bind(at)
        .execute(&mut *self.tx)
        .await?
        .rows_affected()
            == 1;
        if added {
            sqlx::query("UPDATE posts SET reaction_count = reaction_count + 1 WHERE id = $1")
                .bind(post_id)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(added)
    }

    /// Pins a post at the end of its channel's pinned list.
    pub async fn pin_post(
        &mut self,
        post_id: i64,
        pinned_by: i64,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO pins (channel_id, post_id, position, pinned_by, pinned_at) \
             SELECT p.channel_id, p.id, \
               COALESCE((SELECT MAX(position) + 1 FROM pins WHERE channel_id = p.channel_id), 0), $2, $3 \
             FROM posts p WHERE p.id = $1",
        )
        .bind(post_id)
        .bind(pinned_by)
        .bind(at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

impl Store {
    /// The company feed: posts in channels everyone may read, newest first, strictly
    /// older than `before`. At most `limit` cards, with reactions and latest comments.
    pub async fn company_feed(
        &self,
        before: Option<Cursor>,
        limit: i64,
    ) -> Result<Vec<PostCard>, StoreError> {
        let before = before.unwrap_or(Cursor {
            created_at: i64::MAX,
            id: i64::MAX,
        });
        // The row comparison is spelled out because SQLite and PostgreSQL both use the
        // (created_at, id) index for it, which keyset pagination depends on.
        let sql = format!(
            "SELECT {CARD_COLUMNS} {CARD_JOINS} \
             WHERE p.deleted_at IS NULL AND c.kind <> 'private' AND c.archived_at IS NULL \
               AND (p.created_at < $1 OR (p.created_at = $1 AND p.id < $2)) \
             ORDER BY p.created_at DESC, p.id DESC LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(before.created_at)
            .bind(before.id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        self.complete_cards(rows).await
    }

    /// Pinned posts of the default (company-wide) channel, in pin order.
    pub async fn company_pins(&self) -> Result<Vec<PostCard>, StoreError> {
        let sql = format!(
            "SELECT {CARD_COLUMNS} {CARD_JOINS} JOIN pins pin ON pin.post_id = p.id \
             WHERE p.deleted_at IS NULL AND c.is_default = 1 ORDER BY pin.position"
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        self.complete_cards(rows).await
    }

    /// Turns card rows into cards, fetching reactions and latest comments for all of
    /// them in two queries (never one per post).
    async fn complete_cards(&self, rows: Vec<AnyRow>) -> Result<Vec<PostCard>, StoreError> {
        let mut cards = rows
            .iter()
            .map(card_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        if cards.is_empty() {
            return Ok(cards);
        }
        let ids: Vec<i64> = cards.iter().map(|c| c.id).collect();
        let index: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();

        let sql = format!(
            "SELECT post_id, emoji, COUNT(*) FROM reactions WHERE post_id IN ({}) \
             GROUP BY post_id, emoji ORDER BY post_id, COUNT(*) DESC, emoji",
            placeholders(0, ids.len())
        );
        let mut query = sqlx::query(&sql);
        for id in &ids {
            query = query.bind(*id);
        }
        for r in query.fetch_all(&self.pool).await? {
            let post_id: i64 = r.try_get(0)?;
            cards[index[&post_id]].reactions.push(ReactionCount {
                emoji: r.try_get(1)?,
                count: r.try_get(2)?,
            });
        }

        let sql = format!(
            "SELECT post_id, id, author_id, display_name, job_title, body, created_at FROM ( \
               SELECT cm.post_id, cm.id, u.id AS author_id, u.display_name, u.job_title, cm.body, cm.created_at, \
                 ROW_NUMBER() OVER (PARTITION BY cm.post_id ORDER BY cm.created_at DESC, cm.id DESC) AS rn \
               FROM comments cm JOIN users u ON u.id = cm.author_id \
               WHERE cm.post_id IN ({}) AND cm.deleted_at IS NULL \
             ) latest WHERE rn <= ${} ORDER BY post_id, created_at, id",
            placeholders(0, ids.len()),
            ids.len() + 1
        );
        let mut query = sqlx::query(&sql);
        for id in &ids {
            query = query.bind(*id);
        }
        for r in query.bind(COMMENTS_PER_CARD).fetch_all(&self.pool).await? {
            let post_id: i64 = r.try_get(0)?;
            cards[index[&post_id]].comments.push(CommentView {
                id: r.try_get(1)?,
                author: PersonRef {
                    id: r.try_get(2)?,
                    name: r.try_get(3)?,
                    job_title: r.try_get(4)?,
                },
                body: r.try_get(5)?,
                created_at: r.try_get(6)?,
            });
        }
        Ok(cards)
    }
}

fn card_from_row(r: &AnyRow) -> Result<PostCard, StoreError> {
    let kind: String = r.try_get(6)?;
    Ok(PostCard {
        id: r.try_get(0)?,
        channel_slug: r.try_get(1)?,
        channel_name: r.try_get(2)?,
        author: PersonRef {
            id: r.try_get(3)?,
            name: r.try_get(4)?,
            job_title: r.try_get(5)?,
        },
        kind: PostKind::parse(&kind).ok_or(StoreError::Corrupt("posts.kind"))?,
        body: r.try_get(7)?,
        created_at: r.try_get(8)?,
        edited: r.try_get::<Option<i64>, _>(9)?.is_some(),
        comment_count: r.try_get(10)?,
        reactions: Vec::new(),
        comments: Vec::new(),
    })
}
