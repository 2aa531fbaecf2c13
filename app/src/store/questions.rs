//! Questions and their answers: the accepted answer, "helpful" votes, the people a
//! question was routed to, the reminders' queues and their settings. An answer is a
//! top-level comment on a question; replies under it are discussion.

use super::mentions::{target_from_row, MentionTarget, TARGET_COLUMNS};
use super::posts::{CommentRow, Reader, COMMENT_COLUMNS, HELPFUL_MINE};
use super::{Store, StoreError, Tx};
use crate::model::{ChannelId, CommentId, CommentView, PersonId, PostId, SimilarQuestion};
use sqlx::Row;

/// The most comments a post's page lists.
pub const THREAD_LIMIT: i64 = 1_000;

/// Someone who may be routed a question: where they stand in its channel and the
/// lines of their profile a question is matched against.
#[derive(Clone, Debug)]
pub struct ExpertCandidate {
    pub target: MentionTarget,
    /// "Ask me about", one entry per line.
    pub expertise: String,
    /// "Responsible for", one entry per line.
    pub responsibilities: String,
}

/// A person a question is routed to, and the line of their profile that matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoutedExpert {
    pub user_id: PersonId,
    pub topic: String,
    pub responsible: bool,
}

/// A question a reminder is due for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DueQuestion {
    pub post_id: PostId,
    pub asker: PersonId,
    pub channel_id: ChannelId,
}

/// How long the question reminders wait (0: never).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuestionSettings {
    pub accept_reminder_days: i64,
    pub unanswered_reminder_days: i64,
}

impl Tx {
    /// Makes `comment` the accepted answer of question `post` (replacing any other).
    /// Returns whether the post is a question that is still there.
    pub async fn accept_answer(
        &mut self,
        post: PostId,
        comment: CommentId,
        now: i64,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "UPDATE posts SET accepted_comment_id = $2, accepted_at = $3 \
             WHERE id = $1 AND kind = 'question' AND deleted_at IS NULL",
        )
        .bind(post)
        .bind(comment)
        .bind(now)
        .execute(&mut *self.tx)
        .await?
        .rows_affected()
            == 1)
    }

    /// Takes back the acceptance of `comment` on `post`; false if it was not accepted.
    pub async fn unaccept_answer(
        &mut self,
        post: PostId,
        comment: CommentId,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "UPDATE posts SET accepted_comment_id = NULL, accepted_at = NULL \
             WHERE id = $1 AND accepted_comment_id = $2",
        )
        .bind(post)
        .bind(comment)
        .execute(&mut *self.tx)
        .await?
        .rows_affected()
            == 1)
    }

    /// Records (`on`) or takes back `user`'s "helpful" on `comment`, keeping the
    /// comment's count in step. Returns whether anything changed.
    pub async fn set_helpful(
        &mut self,
        comment: CommentId,
        user: PersonId,
        on: bool,
        now: i64,
    ) -> Result<bool, StoreError> {
        let changed = if on {
            sqlx::query(
                "INSERT INTO answer_votes (comment_id, user_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(comment)
            .bind(user)
            .bind(now)
            .execute(&mut *self.tx)
            .await?
            .rows_affected()
        } else {
            sqlx::query("DELETE FROM answer_votes WHERE comment_id = $1 AND user_id = $2")
                .bind(comment)
                .bind(user)
                .execute(&mut *self.tx)
                .await?
                .rows_affected()
        };
        if changed == 1 {
            sqlx::query("UPDATE comments SET helpful_count = helpful_count + $2 WHERE id = $1")
                .bind(comment)
                .bind(if on { 1i64 } else { -1 })
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(changed == 1)
    }

    /// Remembers whom question `post` was routed to.
    pub async fn add_question_experts(
        &mut self,
        post: PostId,
        experts: &[RoutedExpert],
        now: i64,
    ) -> Result<(), StoreError> {
        for expert in experts {
            sqlx::query(
                "INSERT INTO question_experts (user_id, post_id, topic, responsible, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            )
            .bind(expert.user_id)
            .bind(post)
            .bind(expert.topic.as_str())
            .bind(i64::from(expert.responsible))
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(())
    }

    /// Marks the asker of `post` reminded to accept an answer; false if they already
    /// were (another instance got there first).
    pub async fn mark_accept_reminded(
        &mut self,
        post: PostId,
        now: i64,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "UPDATE posts SET accept_reminded_at = $2 WHERE id = $1 AND accept_reminded_at IS NULL",
        )
        .bind(post)
        .bind(now)
        .execute(&mut *self.tx)
        .await?
        .rows_affected()
            == 1)
    }

    /// Marks the admins of `post`'s channel told that it has no answer; false if they
    /// already were.
    pub async fn mark_unanswered_reminded(
        &mut self,
        post: PostId,
        now: i64,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "UPDATE posts SET unanswered_reminded_at = $2 \
             WHERE id = $1 AND unanswered_reminded_at IS NULL",
        )
        .bind(post)
        .bind(now)
        .execute(&mut *self.tx)
        .await?
        .rows_affected()
            == 1)
    }

    pub async fn set_question_settings(
        &mut self,
        settings: QuestionSettings,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE company SET accept_reminder_days = $1, unanswered_reminder_days = $2 WHERE id = 1",
        )
        .bind(settings.accept_reminder_days)
        .bind(settings.unanswered_reminder_days)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

impl Store {
    /// The active people other than `author`, whom `author` may see, whose profile says
    /// what they can be asked about or are responsible for, with their standing in
    /// `channel`: whom a question there may be routed to.
    pub async fn expert_candidates(
        &self,
        channel: ChannelId,
        author: PersonId,
    ) -> Result<Vec<ExpertCandidate>, StoreError> {
        let sql = format!(
            "SELECT {TARGET_COLUMNS}, u.expertise, u.responsibilities FROM users u \
             LEFT JOIN channel_members m ON m.channel_id = $1 AND m.user_id = u.id \
             WHERE u.is_active = 1 AND u.id <> $2 \
               AND (u.expertise <> '' OR u.responsibilities <> '') AND {}",
            super::rules::visible_person("u", "$2")
        );
        sqlx::query(&sql)
            .bind(channel)
            .bind(author)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(ExpertCandidate {
                    target: target_from_row(r)?,
                    expertise: r.try_get("expertise")?,
                    responsibilities: r.try_get("responsibilities")?,
                })
            })
            .collect()
    }

    /// Every comment on `post` (up to [`THREAD_LIMIT`]) for its own page, as the reader
    /// sees them: oldest first, each reply after its parent. On a question (`answers`),
    /// the answers come best first — the accepted one, then the most helpful, then the
    /// oldest — each with its replies. The caller has checked the reader may read it.
    pub async fn thread(
        &self,
        reader: Reader,
        post: PostId,
        accepted: Option<CommentId>,
        answers: bool,
    ) -> Result<Vec<CommentView>, StoreError> {
        // A long thread is many short rows: packed (`super::packed`).
        let sql = format!(
            "SELECT cm.post_id, cm.id, cm.parent_id, {}, cm.body, cm.created_at, cm.helpful_count, \
               {HELPFUL_MINE} AS helpful_mine \
             FROM comments cm JOIN users u ON u.id = cm.author_id \
             WHERE cm.post_id = $2 AND cm.deleted_at IS NULL \
             ORDER BY cm.created_at, cm.id LIMIT $3",
            super::people::person_columns("u", "author"),
        );
        let sql = super::packed::packed(self.backend(), &sql, COMMENT_COLUMNS, "created_at, id");
        let thread = sqlx::query_scalar::<_, String>(&sql)
            .bind(reader.user_id)
            .bind(post)
            .bind(THREAD_LIMIT)
            .fetch_one(&self.pool)
            .await?;
        let mut comments: Vec<CommentView> = super::packed::unpack::<CommentRow>(&thread)?
            .into_iter()
            .map(|row| row.view(accepted, reader.user_id))
            .collect();
        let ids: Vec<CommentId> = comments.iter().map(|c| c.id).collect();
        for (holder, file) in self.attachments_of(&[], &ids).await? {
            if let super::files::Holder::Comment(id) = holder {
                if let Some(c) = comments.iter_mut().find(|c| c.id == id) {
                    c.attachments.push(file);
                }
            }
        }
        Ok(arrange_thread(comments, answers))
    }

    /// Questions the reader may read whose folded text matches one of the LIKE
    /// `patterns` (at most [`SIMILAR_CANDIDATES`] of the newest), with their folded
    /// text for the caller to score.
    pub async fn question_candidates(
        &self,
        reader: Reader,
        patterns: &[String],
    ) -> Result<Vec<(SimilarQuestion, String)>, StoreError> {
        if patterns.is_empty() {
            return Ok(Vec::new());
        }
        let likes = (0..patterns.len())
            .map(|i| format!("p.search_text LIKE ${} ESCAPE '\\'", i + 4))
            .collect::<Vec<_>>()
            .join(" OR ");
        let sql = format!(
            "SELECT p.id, p.body, p.search_text, p.accepted_comment_id, p.comment_count, \
               c.name AS channel_name \
             FROM posts p JOIN channels c ON c.id = p.channel_id \
             WHERE p.kind = 'question' AND p.deleted_at IS NULL AND ({likes}) \
               AND {} ORDER BY p.created_at DESC, p.id DESC LIMIT $3",
            super::rules::VISIBLE_POST
        );
        let mut query = sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .bind(SIMILAR_CANDIDATES);
        for pattern in patterns {
            query = query.bind(pattern.as_str());
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                let body: String = r.try_get("body")?;
                Ok((
                    SimilarQuestion {
                        id: r.try_get("id")?,
                        title: body,
                        channel_name: r.try_get("channel_name")?,
                        answered: r
                            .try_get::<Option<CommentId>, _>("accepted_comment_id")?
                            .is_some(),
                        comment_count: r.try_get("comment_count")?,
                    },
                    r.try_get::<Option<String>, _>("search_text")?
                        .unwrap_or_default(),
                ))
            })
            .collect()
    }

    pub async fn question_settings(&self) -> Result<QuestionSettings, StoreError> {
        let row = sqlx::query(
            "SELECT accept_reminder_days, unanswered_reminder_days FROM company WHERE id = 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(r) => QuestionSettings {
                accept_reminder_days: r.try_get("accept_reminder_days")?,
                unanswered_reminder_days: r.try_get("unanswered_reminder_days")?,
            },
            None => QuestionSettings {
                accept_reminder_days: 0,
                unanswered_reminder_days: 0,
            },
        })
    }

    /// Open questions in channels that are not archived, by active askers, not yet
    /// reminded: with an answer since `answered_by` (`answered`), or with none since
    /// they were asked before `asked_by`. Read from `posts_open_questions_recent`.
    pub async fn questions_due(
        &self,
        answered: bool,
        before: i64,
    ) -> Result<Vec<DueQuestion>, StoreError> {
        let condition = if answered {
            "p.first_reply_at IS NOT NULL AND p.first_reply_at <= $1 AND p.accept_reminded_at IS NULL"
        } else {
            "p.first_reply_at IS NULL AND p.created_at <= $1 AND p.unanswered_reminded_at IS NULL"
        };
        let sql = format!(
            "SELECT p.id, p.author_id, p.channel_id FROM posts p \
             JOIN channels c ON c.id = p.channel_id JOIN users u ON u.id = p.author_id \
             WHERE p.kind = 'question' AND p.accepted_comment_id IS NULL AND p.deleted_at IS NULL \
               AND {condition} AND c.archived_at IS NULL AND u.is_active = 1 \
             ORDER BY p.created_at, p.id LIMIT 500"
        );
        sqlx::query(&sql)
            .bind(before)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(DueQuestion {
                    post_id: r.try_get("id")?,
                    asker: r.try_get("author_id")?,
                    channel_id: r.try_get("channel_id")?,
                })
            })
            .collect()
    }

    /// The active admins of a channel.
    pub async fn channel_admin_ids(&self, channel: ChannelId) -> Result<Vec<PersonId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT m.user_id FROM channel_members m JOIN users u ON u.id = m.user_id \
             WHERE m.channel_id = $1 AND m.role = 'admin' AND u.is_active = 1 ORDER BY m.user_id",
        )
        .bind(channel)
        .fetch_all(&self.pool)
        .await?)
    }
}

/// How many of the newest matching questions similar-question suggestions score.
pub const SIMILAR_CANDIDATES: i64 = 200;

/// Orders a post's comments (oldest first as read) for its page: each reply after its
/// parent; with `answers`, the top-level ones best first.
fn arrange_thread(comments: Vec<CommentView>, answers: bool) -> Vec<CommentView> {
    let (mut tops, replies): (Vec<CommentView>, Vec<CommentView>) =
        comments.into_iter().partition(|c| c.parent_id.is_none());
    if answers {
        // A stable sort keeps the oldest first among equals.
        tops.sort_by_key(|c| (!c.accepted, std::cmp::Reverse(c.helpful)));
    }
    let mut ordered = Vec::with_capacity(tops.len() + replies.len());
    for top in tops {
        let id = top.id;
        ordered.push(top);
        ordered.extend(replies.iter().filter(|r| r.parent_id == Some(id)).cloned());
    }
    ordered
}

impl Tx {
    /// Records that page `page` grew from question `post` ("Turn into a page").
    pub async fn link_page_question(
        &mut self,
        page: crate::model::PageId,
        post: PostId,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO page_questions (page_id, post_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(page)
        .bind(post)
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

impl Store {
    /// The pages the reader may read that these questions grew into, oldest link first.
    pub async fn pages_of_questions(
        &self,
        reader: Reader,
        posts: &[PostId],
    ) -> Result<Vec<(PostId, crate::model::PageId, String)>, StoreError> {
        if posts.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT pq.post_id, pg.id, pg.title FROM page_questions pq \
             JOIN pages pg ON pg.id = pq.page_id \
             WHERE pq.post_id IN ({}) AND pg.deleted_at IS NULL AND {} \
             ORDER BY pq.created_at, pg.id",
            super::placeholders(2, posts.len()),
            super::rules::visible_page_for_reader("pg"),
        );
        let mut query = sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest));
        for post in posts {
            query = query.bind(*post);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("post_id")?, r.try_get("id")?, r.try_get("title")?)))
            .collect()
    }

    /// The questions page `page` grew from that the reader may read, with their text.
    pub async fn questions_of_page(
        &self,
        reader: Reader,
        page: crate::model::PageId,
    ) -> Result<Vec<(PostId, String)>, StoreError> {
        let sql = format!(
            "SELECT p.id, p.body FROM page_questions pq \
             JOIN posts p ON p.id = pq.post_id JOIN channels c ON c.id = p.channel_id \
             WHERE pq.page_id = $3 AND p.deleted_at IS NULL AND {} \
             ORDER BY pq.created_at, p.id",
            super::rules::VISIBLE_POST,
        );
        sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .bind(page)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("body")?)))
            .collect()
    }
}
