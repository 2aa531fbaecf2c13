//! The adoption dashboard's reads. People and content figures come from the daily
//! roll-ups (`activity_*`), never from a log of single events, so their cost grows with
//! days × departments × channels, not with how much people did. Announcements, leaders'
//! posts, new joiners and questions are read from their own tables, which hold far fewer
//! rows than the activity they cause.

use super::{Store, StoreError};
use crate::model::PostKind;
use sqlx::any::AnyRow;
use sqlx::Row;

/// One period of the dashboard: local days `from_day..=to_day`, the same as instants
/// `from_ms..to_ms`, optionally one department (people's department at the time for
/// activity, their current one for headcounts) and one channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scope {
    pub from_day: i64,
    pub to_day: i64,
    pub from_ms: i64,
    pub to_ms: i64,
    pub department: Option<i64>,
    pub channel: Option<i64>,
}

/// Active people in a period, by what they did (each person in one group, by the most
/// they did on any day).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Participation {
    pub active: i64,
    pub creators: i64,
    pub contributors: i64,
}

/// A department or channel: how many people it has now, how many of them were active
/// in the period, and how many posts were written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupActivity {
    pub id: i64,
    pub name: String,
    /// A channel's address (empty for a department).
    pub slug: String,
    pub people: i64,
    pub active: i64,
    pub posts: i64,
}

/// An announcement published in the period and what its recipients did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnouncementActivity {
    pub post_id: i64,
    pub body: String,
    pub created_at: i64,
    pub must_read: bool,
    pub recipients: i64,
    pub seen: i64,
    pub acknowledged: i64,
    /// Milliseconds from publishing to each acknowledgement.
    pub ack_delays: Vec<i64>,
}

/// A question asked in the period, and when someone else first answered it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionActivity {
    pub channel_id: i64,
    pub channel_slug: String,
    pub asked_at: i64,
    pub answered_at: Option<i64>,
}

/// `AND column = $n` for an optional filter (bound by the caller in the same order).
fn filter(column: &str, value: Option<i64>, n: usize) -> String {
    value.map_or(String::new(), |_| format!(" AND {column} = ${n}"))
}

impl Store {
    /// Active people in the period and what they did (department filter only).
    pub async fn participation(&self, scope: &Scope) -> Result<Participation, StoreError> {
        let sql = format!(
            "SELECT COUNT(*), CAST(COALESCE(SUM(posted), 0) AS BIGINT), \
               CAST(COALESCE(SUM(CASE WHEN posted = 0 AND engaged = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM (SELECT user_id, \
                     MAX(CASE WHEN (actions & 1) <> 0 THEN 1 ELSE 0 END) AS posted, \
                     MAX(CASE WHEN (actions & 6) <> 0 THEN 1 ELSE 0 END) AS engaged \
                   FROM activity_people WHERE day >= $1 AND day <= $2{} GROUP BY user_id) who",
            filter("department_id", scope.department, 3)
        );
        let mut query = sqlx::query(&sql).bind(scope.from_day).bind(scope.to_day);
        if let Some(d) = scope.department {
            query = query.bind(d);
        }
        let row = query.fetch_one(&self.pool).await?;
        Ok(Participation {
            active: row.try_get(0)?,
            creators: row.try_get(1)?,
            contributors: row.try_get(2)?,
        })
    }

    /// People active on each day of the period that had any (department filter only).
    pub async fn daily_active(&self, scope: &Scope) -> Result<Vec<(i64, i64)>, StoreError> {
        let sql = format!(
            "SELECT day, COUNT(*) FROM activity_people WHERE day >= $1 AND day <= $2{} \
             GROUP BY day ORDER BY day",
            filter("department_id", scope.department, 3)
        );
        let mut query = sqlx::query(&sql).bind(scope.from_day).bind(scope.to_day);
        if let Some(d) = scope.department {
            query = query.bind(d);
        }
        pairs(query.fetch_all(&self.pool).await?)
    }

    /// Different people active in `from_day..=to_day` (for weekly and monthly figures).
    pub async fn distinct_active(
        &self,
        from_day: i64,
        to_day: i64,
        department: Option<i64>,
    ) -> Result<i64, StoreError> {
        let sql = format!(
            "SELECT COUNT(DISTINCT user_id) FROM activity_people WHERE day >= $1 AND day <= $2{}",
            filter("department_id", department, 3)
        );
        let mut query = sqlx::query_scalar(&sql).bind(from_day).bind(to_day);
        if let Some(d) = department {
            query = query.bind(d);
        }
        Ok(query.fetch_one(&self.pool).await?)
    }

    /// Active accounts now, in the company or one department.
    pub async fn headcount(&self, department: Option<i64>) -> Result<i64, StoreError> {
        let sql = format!(
            "SELECT COUNT(*) FROM users WHERE is_active = 1{}",
            filter("department_id", department, 1)
        );
        let mut query = sqlx::query_scalar(&sql);
        if let Some(d) = department {
            query = query.bind(d);
        }
        Ok(query.fetch_one(&self.pool).await?)
    }

    /// Members of a channel now.
    pub async fn channel_headcount(&self, channel: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM channel_members m JOIN users u ON u.id = m.user_id \
             WHERE m.channel_id = $1 AND u.is_active = 1",
        )
        .bind(channel)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Actions per day, kind of post and action (`post`, `comment`, `reaction`, `ack`,
    /// `seen`), with both filters.
    pub async fn content_activity(
        &self,
        scope: &Scope,
    ) -> Result<Vec<(i64, Option<PostKind>, String, i64)>, StoreError> {
        let sql = format!(
            "SELECT day, kind, action, CAST(SUM(n) AS BIGINT) FROM activity_content \
             WHERE day >= $1 AND day <= $2{}{} GROUP BY day, kind, action ORDER BY day",
            filter("department_id", scope.department, 3),
            filter(
                "channel_id",
                scope.channel,
                if scope.department.is_some() { 4 } else { 3 }
            )
        );
        let mut query = sqlx::query(&sql).bind(scope.from_day).bind(scope.to_day);
        for value in [scope.department, scope.channel].into_iter().flatten() {
            query = query.bind(value);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                let kind: String = r.try_get(1)?;
                Ok((
                    r.try_get(0)?,
                    PostKind::parse(&kind),
                    r.try_get(2)?,
                    r.try_get(3)?,
                ))
            })
            .collect()
    }

    /// Actions per day and hour (department filter only): the heat map's cells.
    pub async fn hourly_activity(&self, scope: &Scope) -> Result<Vec<(i64, i64, i64)>, StoreError> {
        let sql = format!(
            "SELECT day, hour, CAST(SUM(n) AS BIGINT) FROM activity_hours \
             WHERE day >= $1 AND day <= $2{} GROUP BY day, hour",
            filter("department_id", scope.department, 3)
        );
        let mut query = sqlx::query(&sql).bind(scope.from_day).bind(scope.to_day);
        if let Some(d) = scope.department {
            query = query.bind(d);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect()
    }

    /// Every department: its people now, those of them active in the period (by their
    /// department at the time) and the posts they wrote. Three grouped scans of the
    /// period, merged here: a query per department would scan the period once each.
    pub async fn department_activity(
        &self,
        scope: &Scope,
    ) -> Result<Vec<GroupActivity>, StoreError> {
        let groups = sqlx::query(
            "SELECT d.id, d.name, '', \
               (SELECT COUNT(*) FROM users u WHERE u.department_id = d.id AND u.is_active = 1) \
             FROM departments d ORDER BY d.name",
        )
        .fetch_all(&self.pool)
        .await?;
        let active = sqlx::query(
            "SELECT department_id, COUNT(DISTINCT user_id) FROM activity_people \
             WHERE day >= $1 AND day <= $2 GROUP BY department_id",
        )
        .bind(scope.from_day)
        .bind(scope.to_day)
        .fetch_all(&self.pool)
        .await?;
        let posts = sqlx::query(
            "SELECT department_id, CAST(SUM(n) AS BIGINT) FROM activity_content \
             WHERE action = 'post' AND day >= $1 AND day <= $2 GROUP BY department_id",
        )
        .bind(scope.from_day)
        .bind(scope.to_day)
        .fetch_all(&self.pool)
        .await?;
        merge(&groups, &pairs(active)?, &pairs(posts)?)
    }

    /// Every channel but private ones (whose names are not everyone's to see): its
    /// members now, the people who did anything in it in the period, and its posts.
    pub async fn channel_activity(&self, scope: &Scope) -> Result<Vec<GroupActivity>, StoreError> {
        let groups = sqlx::query(
            "SELECT c.id, c.name, c.slug, \
               (SELECT COUNT(*) FROM channel_members m JOIN users u ON u.id = m.user_id \
                 WHERE m.channel_id = c.id AND u.is_active = 1) \
             FROM channels c WHERE c.kind <> 'private' AND c.archived_at IS NULL ORDER BY c.name",
        )
        .fetch_all(&self.pool)
        .await?;
        let active = sqlx::query(
            "SELECT channel_id, COUNT(DISTINCT user_id) FROM activity_channel_people \
             WHERE day >= $1 AND day <= $2 GROUP BY channel_id",
        )
        .bind(scope.from_day)
        .bind(scope.to_day)
        .fetch_all(&self.pool)
        .await?;
        let posts = sqlx::query(
            "SELECT channel_id, CAST(SUM(n) AS BIGINT) FROM activity_content \
             WHERE action = 'post' AND day >= $1 AND day <= $2 GROUP BY channel_id",
        )
        .bind(scope.from_day)
        .bind(scope.to_day)
        .fetch_all(&self.pool)
        .await?;
        merge(&groups, &pairs(active)?, &pairs(posts)?)
    }

    /// The invited → joined → active funnel of the invitations sent in the period:
    /// seats offered (a link's limit, or its uses when it has none), people who joined
    /// through them, and those of them active in the period.
    pub async fn funnel(&self, scope: &Scope) -> Result<(i64, i64, i64), StoreError> {
        let sql = format!(
            "SELECT \
               (SELECT CAST(COALESCE(SUM(COALESCE(i.max_uses, i.uses)), 0) AS BIGINT) FROM invitations i \
                 WHERE i.created_at >= $1 AND i.created_at < $2{dept_i}), \
               (SELECT COUNT(*) FROM users u JOIN invitations i ON i.id = u.invitation_id \
                 WHERE i.created_at >= $1 AND i.created_at < $2{dept_u}), \
               (SELECT COUNT(*) FROM users u JOIN invitations i ON i.id = u.invitation_id \
                 WHERE i.created_at >= $1 AND i.created_at < $2{dept_u} AND EXISTS \
                 (SELECT 1 FROM activity_people a WHERE a.user_id = u.id AND a.day >= $3 AND a.day <= $4))",
            dept_i = filter("i.department_id", scope.department, 5),
            dept_u = filter("u.department_id", scope.department, 5),
        );
        let mut query = sqlx::query(&sql)
            .bind(scope.from_ms)
            .bind(scope.to_ms)
            .bind(scope.from_day)
            .bind(scope.to_day);
        if let Some(d) = scope.department {
            query = query.bind(d);
        }
        let row = query.fetch_one(&self.pool).await?;
        Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
    }

    /// People who joined in the period, with when, and the first day each posted or
    /// commented (if they did, from the day the period starts).
    pub async fn joiners(&self, scope: &Scope) -> Result<Vec<(i64, Option<i64>)>, StoreError> {
        let sql = format!(
            "SELECT u.created_at, \
               (SELECT MIN(a.day) FROM activity_people a WHERE a.user_id = u.id \
                 AND a.day >= $3 AND (a.actions & 3) <> 0) \
             FROM users u WHERE u.created_at >= $1 AND u.created_at < $2{}",
            filter("u.department_id", scope.department, 4)
        );
        let mut query = sqlx::query(&sql)
            .bind(scope.from_ms)
            .bind(scope.to_ms)
            .bind(scope.from_day);
        if let Some(d) = scope.department {
            query = query.bind(d);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// People with the leader permission now, the posts they wrote in the period and
    /// the reactions and comments those posts have.
    pub async fn leader_posts(&self, scope: &Scope) -> Result<(i64, i64, i64), StoreError> {
        let sql = format!(
            "SELECT (SELECT COUNT(*) FROM users WHERE is_leader = 1 AND is_active = 1), \
               COUNT(p.id), CAST(COALESCE(SUM(p.reaction_count + p.comment_count), 0) AS BIGINT) \
             FROM posts p JOIN users u ON u.id = p.author_id \
             WHERE u.is_leader = 1 AND p.deleted_at IS NULL AND p.created_at >= $1 AND p.created_at < $2{}",
            filter("p.channel_id", scope.channel, 3)
        );
        let mut query = sqlx::query(&sql).bind(scope.from_ms).bind(scope.to_ms);
        if let Some(c) = scope.channel {
            query = query.bind(c);
        }
        let row = query.fetch_one(&self.pool).await?;
        Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
    }

    /// Announcements published in the period, newest first, counted over their
    /// recipients (in the department, when filtered).
    pub async fn announcement_activity(
        &self,
        scope: &Scope,
    ) -> Result<Vec<AnnouncementActivity>, StoreError> {
        let in_department = filter("u.department_id", scope.department, 3);
        let sql = format!(
            "SELECT p.id, p.body, p.created_at, a.must_read, \
               (SELECT COUNT(*) FROM announcement_recipients r JOIN users u ON u.id = r.user_id \
                 WHERE r.post_id = p.id{in_department}), \
               (SELECT COUNT(*) FROM announcement_recipients r JOIN users u ON u.id = r.user_id \
                 WHERE r.post_id = p.id AND r.seen_at IS NOT NULL{in_department}), \
               (SELECT COUNT(*) FROM announcement_recipients r JOIN users u ON u.id = r.user_id \
                 WHERE r.post_id = p.id AND r.acknowledged_at IS NOT NULL{in_department}) \
             FROM announcements a JOIN posts p ON p.id = a.post_id \
             WHERE p.deleted_at IS NULL AND p.created_at >= $1 AND p.created_at < $2 \
             ORDER BY p.created_at DESC, p.id DESC"
        );
        let mut query = sqlx::query(&sql).bind(scope.from_ms).bind(scope.to_ms);
        if let Some(d) = scope.department {
            query = query.bind(d);
        }
        let mut list: Vec<AnnouncementActivity> = query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(AnnouncementActivity {
                    post_id: r.try_get(0)?,
                    body: r.try_get(1)?,
                    created_at: r.try_get(2)?,
                    must_read: r.try_get::<i64, _>(3)? == 1,
                    recipients: r.try_get(4)?,
                    seen: r.try_get(5)?,
                    acknowledged: r.try_get(6)?,
                    ack_delays: Vec::new(),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let sql = format!(
            "SELECT p.id, r.acknowledged_at - p.created_at FROM announcements a \
             JOIN posts p ON p.id = a.post_id JOIN announcement_recipients r ON r.post_id = p.id \
             JOIN users u ON u.id = r.user_id \
             WHERE p.deleted_at IS NULL AND p.created_at >= $1 AND p.created_at < $2 \
               AND r.acknowledged_at IS NOT NULL{in_department}"
        );
        let mut query = sqlx::query(&sql).bind(scope.from_ms).bind(scope.to_ms);
        if let Some(d) = scope.department {
            query = query.bind(d);
        }
        for (post_id, delay) in pairs(query.fetch_all(&self.pool).await?)? {
            if let Some(a) = list.iter_mut().find(|a| a.post_id == post_id) {
                a.ack_delays.push(delay);
            }
        }
        Ok(list)
    }

    /// Questions asked in the period outside private channels, and when someone other
    /// than the asker first commented.
    pub async fn questions(&self, scope: &Scope) -> Result<Vec<QuestionActivity>, StoreError> {
        let sql = format!(
            "SELECT c.id, c.slug, p.created_at, \
               (SELECT MIN(m.created_at) FROM comments m WHERE m.post_id = p.id \
                 AND m.author_id <> p.author_id AND m.deleted_at IS NULL) \
             FROM posts p JOIN channels c ON c.id = p.channel_id \
             WHERE p.kind = 'question' AND p.deleted_at IS NULL AND c.kind <> 'private' \
               AND p.created_at >= $1 AND p.created_at < $2{}",
            filter("c.id", scope.channel, 3)
        );
        let mut query = sqlx::query(&sql).bind(scope.from_ms).bind(scope.to_ms);
        if let Some(c) = scope.channel {
            query = query.bind(c);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(QuestionActivity {
                    channel_id: r.try_get(0)?,
                    channel_slug: r.try_get(1)?,
                    asked_at: r.try_get(2)?,
                    answered_at: r.try_get(3)?,
                })
            })
            .collect()
    }
}

fn pairs(rows: Vec<AnyRow>) -> Result<Vec<(i64, i64)>, StoreError> {
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// Groups (id, name, slug, people) with their active people and posts by group id.
fn merge(
    groups: &[AnyRow],
    active: &[(i64, i64)],
    posts: &[(i64, i64)],
) -> Result<Vec<GroupActivity>, StoreError> {
    let of = |list: &[(i64, i64)], id| list.iter().find(|(g, _)| *g == id).map_or(0, |(_, n)| *n);
    groups
        .iter()
        .map(|r| {
            let id = r.try_get(0)?;
            Ok(GroupActivity {
                id,
                name: r.try_get(1)?,
                slug: r.try_get(2)?,
                people: r.try_get(3)?,
                active: of(active, id),
                posts: of(posts, id),
            })
        })
        .collect()
}
