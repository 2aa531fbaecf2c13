use super::people::{person_columns, person_named};
use super::rules::VISIBLE_POST;
use super::search::EntryKind;
use super::{placeholders, Store, StoreError, Tx};
use crate::folding::fold;
use crate::model::{
    AnnouncementInfo, ChannelId, CommentId, CommentView, Cursor, PersonId, PostCard, PostId,
    PostKind, PostVersion, ReactionCount,
};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

pub struct NewPost<'a> {
    pub channel_id: ChannelId,
    pub author_id: PersonId,
    pub kind: PostKind,
    pub body: &'a str,
    pub created_at: i64,
}

pub struct NewComment<'a> {
    pub post_id: PostId,
    pub parent_id: Option<CommentId>,
    pub author_id: PersonId,
    pub body: &'a str,
    pub created_at: i64,
}

/// Where a post is: its channel, author, and whether only its announcement's
/// recipients may read it.
pub struct PostPlace {
    pub channel_slug: String,
    pub channel_id: ChannelId,
    pub author_id: PersonId,
    pub audience_only: bool,
    pub kind: PostKind,
}

/// Who is reading a feed, as far as which channels they may see is concerned.
#[derive(Clone, Copy, Debug)]
pub struct Reader {
    pub user_id: PersonId,
    pub guest: bool,
    /// Company owners and admins see every announcement's reach.
    pub staff: bool,
}

impl Reader {
    pub fn of(viewer: &crate::policy::Viewer) -> Reader {
        Reader {
            user_id: viewer.user_id,
            guest: viewer.is_guest(),
            staff: viewer.is_staff(),
        }
    }
}

/// How many of a post's latest comments a feed card shows.
const COMMENTS_PER_CARD: i64 = 3;
/// How many of the people behind one reaction a card names ("and 12 others").
const REACTORS_NAMED: i64 = 10;

/// Columns of a feed card, by the names [`card_from_row`] reads (the author's as
/// [`person_columns`] names them for `author`). The last two tell where the reader ($1)
/// stands: a channel admin, and whether the post is pinned.
const CARD_COLUMNS: &str = "p.id AS post_id, c.slug AS channel_slug, c.name AS channel_name, \
     u.id AS author_id, u.display_name AS author_name, u.job_title AS author_job_title, \
     u.avatar_version AS author_avatar, p.kind, p.body, p.created_at, p.edited_at, \
     p.comment_count, p.accepted_comment_id, \
     CASE WHEN EXISTS (SELECT 1 FROM channel_members adm WHERE adm.channel_id = c.id \
       AND adm.user_id = $1 AND adm.role = 'admin') THEN 1 ELSE 0 END AS reader_channel_admin, \
     CASE WHEN EXISTS (SELECT 1 FROM pins pn WHERE pn.post_id = p.id) THEN 1 ELSE 0 END AS pinned";
const CARD_JOINS: &str =
    "FROM posts p JOIN channels c ON c.id = p.channel_id JOIN users u ON u.id = p.author_id";

impl Tx {
    pub async fn create_post(&mut self, post: &NewPost<'_>) -> Result<PostId, StoreError> {
        let id: PostId = sqlx::query_scalar(
            "INSERT INTO posts (channel_id, author_id, kind, body, created_at, search_text) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(post.channel_id)
        .bind(post.author_id)
        .bind(post.kind.as_str())
        .bind(post.body)
        .bind(post.created_at)
        .bind(fold(post.body))
        .fetch_one(&mut *self.tx)
        .await?;
        self.count_channel_posts(post.channel_id, 1).await?;
        self.reindex(EntryKind::Post, id.0).await?;
        Ok(id)
    }

    /// Keeps the channel's post counter in step with its visible posts.
    async fn count_channel_posts(
        &mut self,
        channel_id: ChannelId,
        change: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE channels SET post_count = post_count + $1 WHERE id = $2")
            .bind(change)
            .bind(channel_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Sets every channel's post counter from its posts (after rows were loaded in bulk).
    pub async fn recount_channel_posts(&mut self) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE channels SET post_count = (SELECT COUNT(*) FROM posts p \
             WHERE p.channel_id = channels.id AND p.deleted_at IS NULL)",
        )
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn create_comment(
        &mut self,
        comment: &NewComment<'_>,
    ) -> Result<CommentId, StoreError> {
        let id: CommentId = sqlx::query_scalar(
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
        sqlx::query(
            "UPDATE posts SET comment_count = comment_count + 1, \
               first_reply_at = CASE WHEN first_reply_at IS NULL AND author_id <> $2 \
                 THEN $3 ELSE first_reply_at END \
             WHERE id = $1",
        )
        .bind(comment.post_id)
        .bind(comment.author_id)
        .bind(comment.created_at)
        .execute(&mut *self.tx)
        .await?;
        self.reindex(EntryKind::Comment, id.0).await?;
        Ok(id)
    }

    /// Adds `user`'s `emoji` reaction; reacting twice with the same emoji changes nothing.
    /// Returns whether a reaction was added.
    pub async fn add_reaction(
        &mut self,
        post_id: PostId,
        user_id: PersonId,
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
            self.count_reactions(post_id, 1).await?;
        }
        Ok(added)
    }

    /// Takes back `user`'s `emoji` reaction; returns whether there was one.
    pub async fn remove_reaction(
        &mut self,
        post_id: PostId,
        user_id: PersonId,
        emoji: &str,
    ) -> Result<bool, StoreError> {
        let removed =
            sqlx::query("DELETE FROM reactions WHERE post_id = $1 AND user_id = $2 AND emoji = $3")
                .bind(post_id)
                .bind(user_id)
                .bind(emoji)
                .execute(&mut *self.tx)
                .await?
                .rows_affected()
                == 1;
        if removed {
            self.count_reactions(post_id, -1).await?;
        }
        Ok(removed)
    }

    /// Keeps the post's reaction counter in step with its reactions.
    async fn count_reactions(&mut self, post_id: PostId, change: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE posts SET reaction_count = reaction_count + $1 WHERE id = $2")
            .bind(change)
            .bind(post_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Replaces a post's text, keeping the old one in its history. Its tags are cleared
    /// for the caller to index the new text's.
    pub async fn edit_post(
        &mut self,
        post_id: PostId,
        body: &str,
        editor: PersonId,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO post_versions (post_id, body, replaced_at, replaced_by) \
             SELECT id, body, $2, $3 FROM posts WHERE id = $1",
        )
        .bind(post_id)
        .bind(at)
        .bind(editor)
        .execute(&mut *self.tx)
        .await?;
        sqlx::query("UPDATE posts SET body = $1, edited_at = $2, search_text = $4 WHERE id = $3")
            .bind(body)
            .bind(at)
            .bind(post_id)
            .bind(fold(body))
            .execute(&mut *self.tx)
            .await?;
        sqlx::query("DELETE FROM post_tags WHERE post_id = $1")
            .bind(post_id)
            .execute(&mut *self.tx)
            .await?;
        self.reindex(EntryKind::Post, post_id.0).await?;
        Ok(())
    }

    /// Hides a post (it stays stored, with who deleted it), and its pins.
    pub async fn delete_post(
        &mut self,
        post_id: PostId,
        by: PersonId,
        at: i64,
    ) -> Result<(), StoreError> {
        let hidden: Option<ChannelId> = sqlx::query_scalar(
            "UPDATE posts SET deleted_at = $1, deleted_by = $2 WHERE id = $3 AND deleted_at IS NULL \
             RETURNING channel_id",
        )
        .bind(at)
        .bind(by)
        .bind(post_id)
        .fetch_optional(&mut *self.tx)
        .await?;
        if let Some(channel_id) = hidden {
            self.count_channel_posts(channel_id, -1).await?;
        }
        sqlx::query("DELETE FROM pins WHERE post_id = $1")
            .bind(post_id)
            .execute(&mut *self.tx)
            .await?;
        self.unindex(EntryKind::Post, post_id.0).await?;
        self.unindex_comments_of(post_id).await?;
        Ok(())
    }

    /// Takes a post off its channel's pinned list; `false` when it was not pinned.
    pub async fn unpin_post(&mut self, post_id: PostId) -> Result<bool, StoreError> {
        Ok(sqlx::query("DELETE FROM pins WHERE post_id = $1")
            .bind(post_id)
            .execute(&mut *self.tx)
            .await?
            .rows_affected()
            > 0)
    }

    /// Pins a post at the end of its channel's pinned list.
    pub async fn pin_post(
        &mut self,
        post_id: PostId,
        pinned_by: PersonId,
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

/// A feed's query that walks posts newest first and keeps those `scope` admits; with
/// `floor`, only as far back as the `$6 + 1`-th newest post before the cursor — the home
/// feed's window, whose parameter `$6` no other part of the home rule uses. (The floor is
/// a subquery, read once, so that a reader who finds a page in the window costs one
/// query: each is a round trip to SQLite's worker thread.)
fn walk_sql(scope: &FeedScope, floor: bool) -> String {
    // The row comparison is spelled out because SQLite and PostgreSQL both use the
    // (created_at, id) index for it, which keyset pagination depends on.
    format!(
        "SELECT {CARD_COLUMNS} {CARD_JOINS} \
         WHERE p.deleted_at IS NULL AND {VISIBLE_POST} AND {} \
           AND (p.created_at < $3 OR (p.created_at = $3 AND p.id < $4)){} \
         ORDER BY p.created_at DESC, p.id DESC LIMIT $5",
        scope.condition(),
        if floor {
            format!(
                " AND p.created_at >= COALESCE(({}), {})",
                window_floor_sql(3, 4, 6),
                i64::MIN
            )
        } else {
            String::new()
        }
    )
}

/// The time of the `$offset + 1`-th newest post before the cursor (`$at`/`$id`): the floor
/// of the home feed's window, read from `posts_recent` alone.
fn window_floor_sql(at: usize, id: usize, offset: usize) -> String {
    format!(
        "SELECT q.created_at FROM posts q \
         WHERE q.created_at <= ${at} AND (q.created_at < ${at} OR q.id < ${id}) \
         ORDER BY q.created_at DESC, q.id DESC LIMIT 1 OFFSET ${offset}"
    )
}

/// A feed query with the parameters every feed query starts with: $1 reader, $2 1 for a
/// guest, $3/$4 the cursor, $5 the page's size.
fn feed_query(
    sql: &str,
    reader: Reader,
    before: Cursor,
    limit: i64,
) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
    sqlx::query(sql)
        .bind(reader.user_id)
        .bind(i64::from(reader.guest))
        .bind(before.created_at)
        .bind(before.id)
        .bind(limit)
}

/// The home feed's merged query (see `Store::home_feed`) for a reader in `channels`
/// channels: $1 reader, $2 guest, $3/$4 cursor, $5 limit, $6… the channels.
fn home_merged_sql(channels: usize) -> String {
    let list = |from: &str, condition: &str| {
        format!(
            "SELECT id, created_at FROM (SELECT p.id, p.created_at FROM {from} \
             WHERE {condition} AND p.deleted_at IS NULL AND c.archived_at IS NULL \
               AND {VISIBLE_POST} AND p.created_at <= $3 AND (p.created_at < $3 OR p.id < $4) \
             ORDER BY p.created_at DESC, p.id DESC LIMIT $5) AS list"
        )
    };
    // The cursor is written `created_at <= $3 AND (…)` rather than `created_at < $3 OR
    // (…)`: an OR at the top let PostgreSQL split it into two bitmap scans (one on
    // `posts_recent`) and sort a whole channel, where an index range read backwards
    // stops after `limit` rows.
    let posts = "posts p JOIN channels c ON c.id = p.channel_id";
    let mut lists: Vec<String> = (0..channels)
        .map(|k| list(posts, &format!("p.channel_id = ${}", k + 6)))
        .collect();
    lists.push(list(posts, "p.author_id = $1"));
    lists.push(list(
        "announcement_recipients hr JOIN posts p ON p.id = hr.post_id \
         JOIN channels c ON c.id = p.channel_id",
        "hr.user_id = $1",
    ));
    lists.push(list(
        "post_mentions hm JOIN posts p ON p.id = hm.post_id \
         JOIN channels c ON c.id = p.channel_id",
        "hm.user_id = $1",
    ));
    // UNION, not UNION ALL: a post in one of the reader's channels that mentions them is
    // in two lists. The page's ids are chosen before any card is read (reading the
    // cards of every list's rows first cost 60 % more), and come first in the join
    // (CROSS JOIN keeps SQLite from turning it around into a walk of `posts`).
    format!(
        "SELECT {CARD_COLUMNS} FROM (SELECT id FROM ({}) AS merged \
           ORDER BY created_at DESC, id DESC LIMIT $5) AS home CROSS JOIN posts p \
         JOIN channels c ON c.id = p.channel_id JOIN users u ON u.id = p.author_id \
         WHERE p.id = home.id ORDER BY p.created_at DESC, p.id DESC",
        lists.join(" UNION ")
    )
}

#[cfg(feature = "test-support")]
impl Store {
    /// How the database plans `reader`'s first home page, one line per step, for its two
    /// parts: the walk of the window, then the merged lists. The test of the home feed's
    /// cost reads them. PostgreSQL is told to avoid sequential and bitmap scans, as it does
    /// on tables of a real size (docs/benchmarks.md has the plans on the benchmark
    /// company); on a test's few rows it rightly reads whole tables instead.
    pub async fn home_feed_plans(&self, reader: Reader) -> Result<[Vec<String>; 2], StoreError> {
        let channels = self.home_channels(reader).await?;
        let window = [HOME_WINDOW - 1];
        let ids: Vec<i64> = channels.iter().map(|c| c.0).collect();
        Ok([
            self.explain(&walk_sql(&FeedScope::Home, true), reader, &window)
                .await?,
            self.explain(&home_merged_sql(channels.len()), reader, &ids)
                .await?,
        ])
    }

    /// The plan of a feed query with the reader, the first page's cursor and `more`
    /// parameters from `$6` on.
    async fn explain(
        &self,
        sql: &str,
        reader: Reader,
        more: &[i64],
    ) -> Result<Vec<String>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let column = match self.backend {
            super::Backend::Sqlite => "detail",
            super::Backend::Postgres => {
                for setting in ["enable_seqscan", "enable_bitmapscan"] {
                    sqlx::query(&format!("SET LOCAL {setting} = off"))
                        .execute(&mut *tx)
                        .await?;
                }
                "QUERY PLAN"
            }
        };
        let explain = match self.backend {
            super::Backend::Sqlite => format!("EXPLAIN QUERY PLAN {sql}"),
            super::Backend::Postgres => format!("EXPLAIN {sql}"),
        };
        let mut query = feed_query(&explain, reader, Cursor::NEWEST, 20);
        for value in more {
            query = query.bind(*value);
        }
        let lines = query
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>(column))
            .collect::<Result<Vec<_>, _>>()?;
        tx.rollback().await?;
        Ok(lines)
    }
}

/// How many of those who have not acknowledged an announcement a card in a list names
/// (its own page names them all): reading and rendering 700 names on each of five
/// must-reads was most of an owner's home page on the million-post company.
const CARD_PENDING_NAMES: i64 = 20;

/// Up to how many channels the home feed merges their lists (see `Store::home_feed`);
/// a reader in more walks the posts newest first instead, which is then quick because
/// most posts are theirs. SQLite allows 500 terms in one compound SELECT.
const MERGED_HOME_CHANNELS: usize = 200;

/// How many of the newest posts the home feed walks before it merges lists instead (see
/// `Store::home_feed`): a reader who follows a tenth of the traffic finds a page among
/// them (a member of `general`, a sixth, needs about 130). On the million-post company
/// the window costs a reader who finds nothing in it 0.73 ms at 400 posts, 0.29 ms at 200.
pub(super) const HOME_WINDOW: i64 = 200;

/// Which posts a feed shows (always only those its reader may read).
#[derive(Clone, Debug)]
pub enum FeedScope {
    /// Every channel that is not archived.
    Company,
    /// The reader's channels, announcements addressed to them, posts mentioning them,
    /// and their own posts.
    Home,
    Channel(ChannelId),
    Mentions,
    Tag(String),
    Author(PersonId),
    /// Questions without an accepted answer: in one channel, or (`None`) in every channel
    /// that is not archived. Read from the `posts_open_questions*` partial indexes.
    OpenQuestions(Option<ChannelId>),
    /// Open questions routed to the reader (`question_experts`), driven by that table.
    QuestionsForReader,
}

impl FeedScope {
    /// The condition this scope adds; `$6` is its parameter, if any.
    fn condition(&self) -> &'static str {
        match self {
            FeedScope::Company => "c.archived_at IS NULL",
            FeedScope::Home => {
                "c.archived_at IS NULL AND (p.author_id = $1 \
                 OR EXISTS (SELECT 1 FROM channel_members hm WHERE hm.channel_id = p.channel_id AND hm.user_id = $1) \
                 OR EXISTS (SELECT 1 FROM announcement_recipients hr WHERE hr.post_id = p.id AND hr.user_id = $1) \
                 OR EXISTS (SELECT 1 FROM post_mentions hp WHERE hp.post_id = p.id AND hp.user_id = $1))"
            }
            FeedScope::Channel(_) => "p.channel_id = $6",
            FeedScope::Mentions => {
                "EXISTS (SELECT 1 FROM post_mentions mp WHERE mp.post_id = p.id AND mp.user_id = $1)"
            }
            FeedScope::Tag(_) => {
                "c.archived_at IS NULL AND EXISTS (SELECT 1 FROM post_tags tg WHERE tg.post_id = p.id AND tg.tag = $6)"
            }
            FeedScope::Author(_) => "c.archived_at IS NULL AND p.author_id = $6",
            FeedScope::OpenQuestions(Some(_)) => {
                "p.channel_id = $6 AND p.kind = 'question' AND p.accepted_comment_id IS NULL"
            }
            FeedScope::OpenQuestions(None) => {
                "c.archived_at IS NULL AND p.kind = 'question' AND p.accepted_comment_id IS NULL"
            }
            FeedScope::QuestionsForReader => {
                "c.archived_at IS NULL AND p.kind = 'question' AND p.accepted_comment_id IS NULL \
                 AND p.id IN (SELECT qe.post_id FROM question_experts qe WHERE qe.user_id = $1)"
            }
        }
    }
}

impl Store {
    /// One page of a feed: the posts in `scope` that `reader` may read, newest first,
    /// strictly older than `before`; at most `limit` cards, with reactions and latest
    /// comments.
    pub async fn feed(
        &self,
        reader: Reader,
        scope: &FeedScope,
        before: Option<Cursor>,
        limit: i64,
    ) -> Result<Vec<PostCard>, StoreError> {
        let before = before.unwrap_or(Cursor::NEWEST);
        if let FeedScope::Home = scope {
            return self.home_feed(reader, before, limit).await;
        }
        let sql = walk_sql(scope, false);
        let query = feed_query(&sql, reader, before, limit);
        let query = match scope {
            FeedScope::Channel(id) | FeedScope::OpenQuestions(Some(id)) => query.bind(*id),
            FeedScope::Author(id) => query.bind(*id),
            FeedScope::Tag(tag) => query.bind(tag.clone()),
            FeedScope::Company
            | FeedScope::Home
            | FeedScope::Mentions
            | FeedScope::OpenQuestions(None)
            | FeedScope::QuestionsForReader => query,
        };
        let rows = query.fetch_all(&self.pool).await?;
        self.complete_cards(rows, reader).await
    }

    /// The channels whose posts make up `reader`'s home feed: those they are in that
    /// are not archived, in id order (so the merged query's text depends only on how
    /// many there are, and each count is prepared once).
    async fn home_channels(&self, reader: Reader) -> Result<Vec<ChannelId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT m.channel_id FROM channel_members m JOIN channels c ON c.id = m.channel_id \
             WHERE m.user_id = $1 AND c.archived_at IS NULL ORDER BY m.channel_id",
        )
        .bind(reader.user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The home feed's page, in two steps whose cost does not depend on how far back the
    /// reader's posts lie:
    /// 1. The newest [`HOME_WINDOW`] posts (`home_window`) before the cursor are walked
    ///    newest first and tested against the home rule (`posts_recent`, bounded below by the window's
    ///    floor), in one query. A reader who follows much of the traffic (a member of
    ///    `general`) finds a whole page here, in about a tenth of a millisecond.
    /// 2. Otherwise what the window lacked comes from before it, as several short lists
    ///    merged ([`home_merged_sql`]): the newest readable posts of each of the reader's
    ///    channels (`posts_channel_recent`), of their own posts (`posts_author_recent`),
    ///    and of the announcements and mentions addressed to them. Each list applies the
    ///    whole home rule, so its first `limit` rows are exactly its share of the page.
    ///    A reader in more than [`MERGED_HOME_CHANNELS`] channels walks on instead.
    ///
    /// Walking alone cost what lay in between: 117 ms for a guest whose one channel is
    /// quiet, on a 200,000-post company, against 4.5 ms for an admin; merging alone cost
    /// a member of `general` 0.74 ms against the walk's 0.14 (docs/benchmarks.md).
    async fn home_feed(
        &self,
        reader: Reader,
        before: Cursor,
        limit: i64,
    ) -> Result<Vec<PostCard>, StoreError> {
        let walk = walk_sql(&FeedScope::Home, true);
        let mut rows = feed_query(&walk, reader, before, limit)
            .bind(self.home_window - 1)
            .fetch_all(&self.pool)
            .await?;
        let missing = limit - rows.len() as i64;
        if missing == 0 {
            return self.complete_cards(rows, reader).await;
        }
        let floor: Option<i64> = sqlx::query_scalar(&window_floor_sql(1, 2, 3))
            .bind(before.created_at)
            .bind(before.id)
            .bind(self.home_window - 1)
            .fetch_optional(&self.pool)
            .await?;
        // No floor: fewer posts than the window remain, and the walk saw them all.
        if let Some(floor) = floor {
            // Strictly before the window: every post at the floor's time was in it.
            let older = Cursor {
                created_at: floor,
                id: i64::MIN,
            };
            let channels = self.home_channels(reader).await?;
            let sql = if channels.len() <= MERGED_HOME_CHANNELS {
                home_merged_sql(channels.len())
            } else {
                walk_sql(&FeedScope::Home, false)
            };
            let mut query = feed_query(&sql, reader, older, missing);
            if channels.len() <= MERGED_HOME_CHANNELS {
                for channel in &channels {
                    query = query.bind(*channel);
                }
            }
            rows.extend(query.fetch_all(&self.pool).await?);
        }
        self.complete_cards(rows, reader).await
    }

    /// One post, if `reader` may read it.
    pub async fn post_card(
        &self,
        reader: Reader,
        post_id: PostId,
    ) -> Result<Option<PostCard>, StoreError> {
        let sql = format!(
            "SELECT {CARD_COLUMNS} {CARD_JOINS} \
             WHERE p.id = $3 AND p.deleted_at IS NULL AND {VISIBLE_POST}"
        );
        let rows = sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .bind(post_id)
            .fetch_all(&self.pool)
            .await?;
        // A post on its own: everyone who has not acknowledged it, by name.
        Ok(self
            .complete_cards_naming(rows, reader, i64::MAX)
            .await?
            .pop())
    }

    /// Whether `reader` may read this (not deleted) post: [`VISIBLE_POST`], the one rule
    /// feeds and the post page apply, for paths that act on a post without showing it
    /// (an announcement's reach and reminders).
    pub async fn may_read_post(&self, reader: Reader, post_id: PostId) -> Result<bool, StoreError> {
        let sql = format!(
            "SELECT COUNT(*) FROM posts p JOIN channels c ON c.id = p.channel_id \
             WHERE p.id = $3 AND p.deleted_at IS NULL AND {VISIBLE_POST}"
        );
        let found: i64 = sqlx::query_scalar(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .bind(post_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(found > 0)
    }

    /// Pinned posts of the default (company-wide) channels `reader` may read, in pin order.
    pub async fn company_pins(&self, reader: Reader) -> Result<Vec<PostCard>, StoreError> {
        let sql = format!(
            "SELECT {CARD_COLUMNS} {CARD_JOINS} JOIN pins pin ON pin.post_id = p.id \
             WHERE p.deleted_at IS NULL AND c.is_default = 1 AND {VISIBLE_POST} ORDER BY pin.position"
        );
        let rows = sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .fetch_all(&self.pool)
            .await?;
        self.complete_cards(rows, reader).await
    }

    /// Pinned posts of one channel, in pin order.
    pub async fn channel_pins(
        &self,
        reader: Reader,
        channel_id: ChannelId,
    ) -> Result<Vec<PostCard>, StoreError> {
        let sql = format!(
            "SELECT {CARD_COLUMNS} {CARD_JOINS} JOIN pins pin ON pin.post_id = p.id \
             WHERE p.deleted_at IS NULL AND pin.channel_id = $3 AND {VISIBLE_POST} ORDER BY pin.position"
        );
        let rows = sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .bind(channel_id)
            .fetch_all(&self.pool)
            .await?;
        self.complete_cards(rows, reader).await
    }

    /// Must-read announcements addressed to `reader` that they have not acknowledged and
    /// that have not expired: they sit on top of the home feed.
    pub async fn must_reads(&self, reader: Reader, now: i64) -> Result<Vec<PostCard>, StoreError> {
        let sql = format!(
            "SELECT {CARD_COLUMNS} {CARD_JOINS} \
             JOIN announcement_recipients r ON r.post_id = p.id AND r.user_id = $1 \
             JOIN announcements a ON a.post_id = p.id \
             WHERE p.deleted_at IS NULL AND {VISIBLE_POST} AND a.must_read = 1 \
               AND r.acknowledged_at IS NULL AND (a.expires_at IS NULL OR a.expires_at > $3) \
             ORDER BY p.created_at DESC, p.id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .bind(now)
            .fetch_all(&self.pool)
            .await?;
        self.complete_cards(rows, reader).await
    }

    /// The texts a post had before its edits, newest first, with who replaced each.
    pub async fn post_versions(&self, post_id: PostId) -> Result<Vec<PostVersion>, StoreError> {
        let sql = format!(
            "SELECT v.body, v.replaced_at, {} FROM post_versions v \
             LEFT JOIN users u ON u.id = v.replaced_by WHERE v.post_id = $1 \
             ORDER BY v.replaced_at DESC, v.id DESC",
            person_columns("u", "replacer")
        );
        let versions = sqlx::query(&sql)
            .bind(post_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(PostVersion {
                    // The Markdown, until the domain renders it.
                    body_html: r.try_get("body")?,
                    replaced_at: r.try_get("replaced_at")?,
                    replaced_by: match r.try_get::<Option<i64>, _>("replacer_id")? {
                        Some(_) => Some(person_named(r, "replacer")?),
                        None => None,
                    },
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(versions)
    }

    /// Where a (not deleted) post is and who wrote it.
    pub async fn post_place(&self, post_id: PostId) -> Result<Option<PostPlace>, StoreError> {
        let row = sqlx::query(
            "SELECT c.slug, p.author_id, p.audience_only, c.id AS channel_id, p.kind FROM posts p \
             JOIN channels c ON c.id = p.channel_id WHERE p.id = $1 AND p.deleted_at IS NULL",
        )
        .bind(post_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(PostPlace {
                channel_slug: r.try_get("slug")?,
                author_id: r.try_get("author_id")?,
                audience_only: r.try_get::<i64, _>("audience_only")? == 1,
                channel_id: r.try_get("channel_id")?,
                kind: PostKind::parse(&r.try_get::<String, _>("kind")?)
                    .ok_or(StoreError::Corrupt("posts.kind"))?,
            })
        })
        .transpose()
    }

    /// The post a (not deleted) comment belongs to, the comment it replies to, and its
    /// author.
    pub async fn comment_place(
        &self,
        comment_id: CommentId,
    ) -> Result<Option<(PostId, Option<CommentId>, PersonId)>, StoreError> {
        let row = sqlx::query(
            "SELECT post_id, parent_id, author_id FROM comments WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(comment_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok((
                r.try_get("post_id")?,
                r.try_get("parent_id")?,
                r.try_get("author_id")?,
            ))
        })
        .transpose()
    }

    /// Turns card rows into cards, fetching reactions and latest comments for all of
    /// them in two queries (never one per post).
    async fn complete_cards(
        &self,
        rows: Vec<AnyRow>,
        reader: Reader,
    ) -> Result<Vec<PostCard>, StoreError> {
        self.complete_cards_naming(rows, reader, CARD_PENDING_NAMES)
            .await
    }

    /// [`Store::complete_cards`], naming up to `pending_names` of those who have not
    /// acknowledged an announcement the reader sees the reach of.
    async fn complete_cards_naming(
        &self,
        rows: Vec<AnyRow>,
        reader: Reader,
        pending_names: i64,
    ) -> Result<Vec<PostCard>, StoreError> {
        let mut cards = rows
            .iter()
            .map(card_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        if cards.is_empty() {
            return Ok(cards);
        }
        let ids: Vec<PostId> = cards.iter().map(|c| c.id).collect();
        let index: HashMap<PostId, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();

        // The counts and the names behind them are many short rows: each list comes as
        // one text (`packed`).
        let sql = format!(
            "SELECT post_id, emoji, COUNT(*) AS total, \
               CAST(SUM(CASE WHEN user_id = ${} THEN 1 ELSE 0 END) AS BIGINT) AS mine \
             FROM reactions WHERE post_id IN ({}) \
             GROUP BY post_id, emoji",
            ids.len() + 1,
            placeholders(0, ids.len())
        );
        let sql = super::packed::packed(
            self.backend(),
            &sql,
            "post_id, emoji, total, mine",
            "post_id, total DESC, emoji",
        );
        let counts = bind_ids(sqlx::query_scalar::<_, String>(&sql), &ids)
            .bind(reader.user_id)
            .fetch_one(&self.pool)
            .await?;
        for (post_id, emoji, count, mine) in
            super::packed::unpack::<(PostId, String, i64, i64)>(&counts)?
        {
            cards[index[&post_id]].reactions.push(ReactionCount {
                emoji,
                count,
                mine: mine > 0,
                people: Vec::new(),
            });
        }

        let sql = format!(
            "SELECT post_id, emoji, display_name, rn FROM ( \
               SELECT r.post_id, r.emoji, u.display_name, \
                 ROW_NUMBER() OVER (PARTITION BY r.post_id, r.emoji ORDER BY r.created_at, r.user_id) AS rn \
               FROM reactions r JOIN users u ON u.id = r.user_id WHERE r.post_id IN ({}) \
                 AND {} \
             ) named WHERE rn <= ${}",
            placeholders(0, ids.len()),
            // Counted, but not named to a guest who may not see them.
            super::rules::visible_person("u", &format!("${}", ids.len() + 2)),
            ids.len() + 1
        );
        let sql = super::packed::packed(
            self.backend(),
            &sql,
            "post_id, emoji, display_name",
            "post_id, emoji, rn",
        );
        let names = bind_ids(sqlx::query_scalar::<_, String>(&sql), &ids)
            .bind(REACTORS_NAMED)
            .bind(reader.user_id)
            .fetch_one(&self.pool)
            .await?;
        for (post_id, emoji, name) in super::packed::unpack::<(PostId, String, String)>(&names)? {
            if let Some(count) = cards[index[&post_id]]
                .reactions
                .iter_mut()
                .find(|c| c.emoji == emoji)
            {
                count.people.push(name);
            }
        }

        // Up to three comments for each of twenty cards: packed too.
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM ( \
               SELECT cm.post_id, cm.id, {}, cm.body, cm.created_at, cm.parent_id, cm.helpful_count, \
                 {HELPFUL_MINE} AS helpful_mine, \
                 ROW_NUMBER() OVER (PARTITION BY cm.post_id ORDER BY cm.created_at DESC, cm.id DESC) AS rn \
               FROM comments cm JOIN users u ON u.id = cm.author_id \
               WHERE cm.post_id IN ({}) AND cm.deleted_at IS NULL \
             ) latest WHERE rn <= ${}",
            person_columns("u", "author"),
            placeholders(1, ids.len()),
            ids.len() + 2
        );
        let sql = super::packed::packed(
            self.backend(),
            &sql,
            COMMENT_COLUMNS,
            "post_id, created_at, id",
        );
        let comments = bind_ids(
            sqlx::query_scalar::<_, String>(&sql).bind(reader.user_id),
            &ids,
        )
        .bind(COMMENTS_PER_CARD)
        .fetch_one(&self.pool)
        .await?;
        for comment in super::packed::unpack::<CommentRow>(&comments)? {
            let card = &mut cards[index[&comment.0]];
            let comment = comment.view(card.accepted_answer, reader.user_id);
            card.comments.push(comment);
        }

        // Files: the posts' own, and those of the comments shown with them.
        let comment_ids: Vec<CommentId> = cards
            .iter()
            .flat_map(|c| c.comments.iter().map(|cm| cm.id))
            .collect();
        for (holder, file) in self.attachments_of(&ids, &comment_ids).await? {
            match holder {
                super::files::Holder::Post(post) => cards[index[&post]].attachments.push(file),
                super::files::Holder::Comment(comment) => {
                    if let Some(cm) = cards
                        .iter_mut()
                        .flat_map(|c| c.comments.iter_mut())
                        .find(|cm| cm.id == comment)
                    {
                        cm.attachments.push(file);
                    }
                }
                super::files::Holder::Page(_) => {}
            }
        }

        // Questions turned into knowledge pages name them ("Now part of").
        let questions: Vec<PostId> = cards
            .iter()
            .filter(|c| c.kind == PostKind::Question)
            .map(|c| c.id)
            .collect();
        for (post, page, title) in self.pages_of_questions(reader, &questions).await? {
            cards[index[&post]].part_of.push((page, title));
        }

        let sql = format!(
            "SELECT a.post_id, a.must_read, a.expires_at, r.user_id, r.acknowledged_at, p.author_id \
             FROM announcements a JOIN posts p ON p.id = a.post_id \
             LEFT JOIN announcement_recipients r ON r.post_id = a.post_id AND r.user_id = ${} \
             WHERE a.post_id IN ({})",
            ids.len() + 1,
            placeholders(0, ids.len())
        );
        let mut query = sqlx::query(&sql);
        for id in &ids {
            query = query.bind(*id);
        }
        let mut with_reach = Vec::new();
        for r in query.bind(reader.user_id).fetch_all(&self.pool).await? {
            let post_id: PostId = r.try_get("post_id")?;
            cards[index[&post_id]].announcement = Some(AnnouncementInfo {
                must_read: r.try_get::<i64, _>("must_read")? == 1,
                expires_at: r.try_get("expires_at")?,
                addressed_to_me: r.try_get::<Option<i64>, _>("user_id")?.is_some(),
                acknowledged: r.try_get::<Option<i64>, _>("acknowledged_at")?.is_some(),
                reach: None,
            });
            if reader.staff || r.try_get::<PersonId, _>("author_id")? == reader.user_id {
                with_reach.push(post_id);
            }
        }
        for (reach, _) in self.reaches(&with_reach, pending_names).await? {
            if let Some(info) = cards[index[&reach.post_id]].announcement.as_mut() {
                info.reach = Some(reach);
            }
        }
        // The Markdown stays in `body_html`: rendering is the domain's
        // (`domain::markdown::render_cards`, called by `domain::feed::page`), never the store's.
        Ok(cards)
    }
}

/// Whether the reader ($1) found comment `cm` helpful, as 0 or 1.
pub(super) const HELPFUL_MINE: &str = "CASE WHEN EXISTS (SELECT 1 FROM answer_votes av \
     WHERE av.comment_id = cm.id AND av.user_id = $1) THEN 1 ELSE 0 END";

/// The columns of a comment [`CommentRow`] reads, in its order (the author's as
/// [`person_columns`] names them for `author`; `helpful_mine` as [`HELPFUL_MINE`]).
pub(super) const COMMENT_COLUMNS: &str = "post_id, id, author_id, author_name, author_job_title, \
     author_avatar, body, created_at, parent_id, helpful_count, helpful_mine";

/// A comment and its post, as [`COMMENT_COLUMNS`] lists them in a [`super::packed`] list.
#[derive(serde::Deserialize)]
pub(super) struct CommentRow(
    PostId,
    CommentId,
    PersonId,
    String,
    String,
    Option<i64>,
    String,
    i64,
    Option<CommentId>,
    i64,
    i64,
);

impl CommentRow {
    /// The comment as `reader` sees it; `accepted` is its question's accepted answer.
    pub(super) fn view(self, accepted: Option<CommentId>, reader: PersonId) -> CommentView {
        let CommentRow(
            _,
            id,
            author,
            name,
            job_title,
            avatar,
            body,
            created_at,
            parent_id,
            helpful,
            mine,
        ) = self;
        CommentView {
            id,
            parent_id,
            own: author == reader,
            author: crate::model::PersonRef {
                id: author,
                name,
                job_title,
                avatar,
            },
            // The Markdown, until the domain renders it.
            body_html: body,
            created_at,
            helpful,
            helpful_mine: mine == 1,
            accepted: accepted == Some(id),
            attachments: Vec::new(),
        }
    }
}

/// A packed statement of the cards' lists with their ids bound in order, after whatever
/// `query` already holds, for an `IN` list written by [`placeholders`].
fn bind_ids<'q>(
    query: sqlx::query::QueryScalar<'q, sqlx::Any, String, sqlx::any::AnyArguments<'q>>,
    ids: &[PostId],
) -> sqlx::query::QueryScalar<'q, sqlx::Any, String, sqlx::any::AnyArguments<'q>> {
    ids.iter().fold(query, |query, id| query.bind(*id))
}

fn card_from_row(r: &AnyRow) -> Result<PostCard, StoreError> {
    let kind: String = r.try_get("kind")?;
    Ok(PostCard {
        id: r.try_get("post_id")?,
        channel_slug: r.try_get("channel_slug")?,
        channel_name: r.try_get("channel_name")?,
        author: person_named(r, "author")?,
        kind: PostKind::parse(&kind).ok_or(StoreError::Corrupt("posts.kind"))?,
        // The Markdown, until the domain renders it.
        body_html: r.try_get("body")?,
        body: r.try_get("body")?,
        created_at: r.try_get("created_at")?,
        edited: r.try_get::<Option<i64>, _>("edited_at")?.is_some(),
        comment_count: r.try_get("comment_count")?,
        reactions: Vec::new(),
        comments: Vec::new(),
        announcement: None,
        reader_channel_admin: r.try_get::<i64, _>("reader_channel_admin")? == 1,
        pinned: r.try_get::<i64, _>("pinned")? == 1,
        actions: Default::default(),
        unread: false,
        accepted_answer: r.try_get("accepted_comment_id")?,
        part_of: Vec::new(),
        attachments: Vec::new(),
    })
}
