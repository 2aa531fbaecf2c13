//! The notification centre: one row per thing a person should hear about, and the live
//! event that updates their badge.

use super::events::NewEvent;
use super::people::person_columns;
use super::push::{NewPush, PushWhat};
use super::{Rows, Store, StoreError, Tx};
use crate::model::{CommentId, LiveKind, NotificationKind, NotificationView, PersonId, PostId};
use sqlx::Row;

/// A notification about to be stored.
#[derive(Clone, Copy, Debug)]
pub struct NewNotification {
    pub user_id: PersonId,
    pub kind: NotificationKind,
    pub actor_id: Option<PersonId>,
    pub post_id: Option<PostId>,
    pub comment_id: Option<CommentId>,
}

/// How many characters of a post a notification shows.
const EXCERPT_CHARS: usize = 140;

impl Tx {
    /// Stores notifications and the live events that update each person's badge: one
    /// multi-row statement for each table, however many people hear (a post in a busy
    /// channel or an announcement reaches hundreds; a statement per row was most of
    /// what posting cost).
    pub async fn notify(&mut self, list: &[NewNotification], at: i64) -> Result<(), StoreError> {
        if list.is_empty() {
            return Ok(());
        }
        let mut rows = Rows::new(
            "notifications",
            &[
                "user_id",
                "kind",
                "actor_id",
                "post_id",
                "comment_id",
                "created_at",
            ],
        );
        for n in list {
            rows.push([
                n.user_id.into(),
                n.kind.as_str().into(),
                n.actor_id.into(),
                n.post_id.into(),
                n.comment_id.into(),
                at.into(),
            ]);
        }
        self.insert_rows(&mut rows).await?;
        // Those with a device also get it as a push message (sent in the background).
        let pushes: Vec<NewPush> = list
            .iter()
            .filter(|n| crate::model::PushGroup::of(n.kind).is_some())
            .map(|n| NewPush {
                user_id: n.user_id,
                what: PushWhat::Notification(n.kind),
                actor_id: n.actor_id,
                post_id: n.post_id,
                comment_id: n.comment_id,
            })
            .collect();
        self.queue_pushes(&pushes, at).await?;
        let events = list.iter().map(|n| NewEvent {
            kind: LiveKind::Notification,
            channel_id: None,
            recipient_id: Some(n.user_id),
            post_id: n.post_id,
            actor_id: n.actor_id,
            at,
        });
        self.record_events(events).await
    }

    /// Marks one of `user_id`'s notifications read (and, for reactions, the others on the
    /// same post that its line summarises); `false` when it is not theirs.
    pub async fn mark_notification_read(
        &mut self,
        user_id: PersonId,
        id: i64,
        at: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL AND ( \
               id = $3 OR (kind = 'reaction' AND post_id = \
                 (SELECT post_id FROM notifications WHERE id = $3 AND kind = 'reaction')))",
        )
        .bind(at)
        .bind(user_id)
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn mark_all_notifications_read(
        &mut self,
        user_id: PersonId,
        at: i64,
    ) -> Result<u64, StoreError> {
        Ok(sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
        )
        .bind(at)
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?
        .rows_affected())
    }
}

impl Store {
    pub async fn unread_notifications(&self, user_id: PersonId) -> Result<i64, StoreError> {
        // Reactions to one post count once, as the centre shows them on one line.
        Ok(sqlx::query_scalar(
            "SELECT COUNT(DISTINCT CASE WHEN kind = 'reaction' THEN -post_id ELSE id END) \
             FROM notifications WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?)
    }

    /// The latest `limit` lines of `user_id`'s centre, newest first. Only posts they
    /// may still read are named.
    pub async fn notifications(
        &self,
        user_id: PersonId,
        guest: bool,
        limit: i64,
    ) -> Result<Vec<NotificationView>, StoreError> {
        let sql = format!(
            "SELECT n.id, n.kind, n.post_id, n.created_at, n.read_at, p.body, \
               c.name AS channel_name, {}, \
               CASE WHEN p.id IS NULL OR NOT ({visible}) THEN 0 ELSE 1 END AS readable, \
               n.page_id, pg.title AS page_title, \
               CASE WHEN pg.id IS NULL OR NOT ({page_visible}) THEN 0 ELSE 1 END AS page_readable \
             FROM notifications n \
             LEFT JOIN pages pg ON pg.id = n.page_id AND pg.deleted_at IS NULL \
             LEFT JOIN users a ON a.id = n.actor_id AND {actor_visible} \
             LEFT JOIN posts p ON p.id = n.post_id AND p.deleted_at IS NULL \
             LEFT JOIN channels c ON c.id = p.channel_id \
             WHERE n.user_id = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $3",
            person_columns("a", "actor"),
            visible = super::rules::VISIBLE_POST,
            // A page it names, only while the reader may read it (knowledge pages).
            page_visible = super::rules::visible_page_for_reader("pg"),
            // Someone a guest may not see (a colleague reacting in their public channel
            // without being in it) stays nameless.
            actor_visible = super::rules::visible_person("a", "$1"),
        );
        let rows = sqlx::query(&sql)
            .bind(user_id)
            .bind(i64::from(guest))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        let mut lines: Vec<NotificationView> = Vec::new();
        for r in rows {
            let kind: String = r.try_get("kind")?;
            let kind =
                NotificationKind::parse(&kind).ok_or(StoreError::Corrupt("notifications.kind"))?;
            let readable = r.try_get::<i64, _>("readable")? == 1;
            let post_id: Option<PostId> = r.try_get("post_id")?;
            let read = r.try_get::<Option<i64>, _>("read_at")?.is_some();
            // Summarise reactions: the newest line of a post stands for the rest.
            if kind == NotificationKind::Reaction {
                if let Some(line) = lines
                    .iter_mut()
                    .find(|l| l.kind == kind && l.post_id == post_id && post_id.is_some())
                {
                    line.others += 1;
                    line.read &= read;
                    continue;
                }
            }
            let actor_id: Option<PersonId> = r.try_get("actor_id")?;
            lines.push(NotificationView {
                id: r.try_get("id")?,
                kind,
                actor: match actor_id {
                    Some(_) => Some(super::people::person_named(&r, "actor")?),
                    None => None,
                },
                others: 0,
                post_id: post_id.filter(|_| readable),
                excerpt: if readable {
                    excerpt(&r.try_get::<String, _>("body")?)
                } else {
                    String::new()
                },
                channel_name: if readable {
                    r.try_get("channel_name")?
                } else {
                    None
                },
                created_at: r.try_get("created_at")?,
                read,
                page: match r.try_get::<Option<crate::model::PageId>, _>("page_id")? {
                    Some(id) if r.try_get::<i64, _>("page_readable")? == 1 => {
                        Some((id, r.try_get("page_title")?))
                    }
                    _ => None,
                },
            });
        }
        Ok(lines)
    }
}

/// The start of a post's Markdown as one line of plain-ish text.
fn excerpt(body: &str) -> String {
    crate::i18n::one_line(body, EXCERPT_CHARS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn excerpts_are_one_short_line() {
        assert_eq!(
            super::excerpt("Xin  chào\n\nmọi người"),
            "Xin chào mọi người"
        );
        let long = "a ".repeat(200);
        let cut = super::excerpt(&long);
        assert!(cut.ends_with('…') && cut.chars().count() <= 141, "{cut}");
    }
}
