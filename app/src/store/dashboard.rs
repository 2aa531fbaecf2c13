//! The adoption dashboard's reads. People and content figures come from the daily
//! roll-ups (`activity_*`), never from a log of single events, so their cost grows with
//! days × departments × channels, not with how much people did; each roll-up is read at
//! the coarsest grain the filters allow. Announcements, leaders' posts, new joiners and
//! questions are read from their own tables, which hold far fewer rows than the activity
//! they cause.

use super::activity::{block_of, days_mask, DAYS_PER_BLOCK};
use super::rules::VISIBLE_POST;
use super::{Reader, Store, StoreError};
use crate::model::{ChannelId, ChannelRef, DepartmentId, PersonId, PostId, PostKind};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::BTreeMap;

/// One period of the dashboard: local days `from_day..=to_day`, the same as instants
/// `from_ms..to_ms`, optionally one department (people's department at the time for
/// activity, their current one for headcounts) and one channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scope {
    pub from_day: i64,
    pub to_day: i64,
    pub from_ms: i64,
    pub to_ms: i64,
    pub department: Option<DepartmentId>,
    pub channel: Option<ChannelId>,
}

/// Active people in a period, by what they did (each person in one group, by the most
/// they did on any day).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Participation {
    pub active: i64,
    pub creators: i64,
    pub contributors: i64,
}

/// The figures that count different people, in one read of a period's days (and the
/// month before its end, for the monthly figure).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeopleActivity {
    /// In the department filter.
    pub participation: Participation,
    /// In the whole company, whatever the filter.
    pub company_active: i64,
    /// Active in the last 7 and the last 30 days of the period, in the department filter.
    pub week_active: i64,
    pub month_active: i64,
    /// People active on each day of the period that had any, in the department filter.
    pub daily: Vec<(i64, i64)>,
    /// Each department (at the time) and its different active people.
    pub by_department: Vec<(i64, i64)>,
    /// The people active in the period in the department filter, by id (ascending):
    /// who is behind the people figures.
    pub active_people: Vec<PersonId>,
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
    pub post_id: PostId,
    pub body: String,
    pub created_at: i64,
    pub must_read: bool,
    pub recipients: i64,
    pub seen: i64,
    pub acknowledged: i64,
    /// Milliseconds from publishing to the middle acknowledgement, or to the two in
    /// the middle when their number is even: the median is their mean. (All of them
    /// were ten thousand rows on the benchmark company, each passed one by one from
    /// SQLite's thread.)
    pub middle_ack_delays: Vec<i64>,
}

/// The questions asked in a channel in the period, and how long they waited for
/// someone else's first comment, all together (those still waiting, until now).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionActivity {
    pub channel_id: ChannelId,
    pub channel_slug: String,
    pub asked: i64,
    pub waited_ms: i64,
}

/// `AND column = $n` for an optional filter (bound by the caller in the same order).
fn filter<T>(column: &str, value: Option<T>, n: usize) -> String {
    value.map_or(String::new(), |_| format!(" AND {column} = ${n}"))
}

impl Store {
    /// Who was active in the period and on each of its days, what they did, and who in
    /// its last week and month: from a row per person, department and block of 62 days
    /// (a few thousand rows for 1,000 people over 90 days), worked out here.
    pub async fn people_activity(&self, scope: &Scope) -> Result<PeopleActivity, StoreError> {
        let (week, month) = (scope.to_day - 6, scope.to_day - 29);
        let rows = sqlx::query(
            "SELECT block, user_id, department_id, active, posted, engaged \
             FROM activity_people_days WHERE block >= $1 AND block <= $2",
        )
        .bind(block_of(scope.from_day.min(month)))
        .bind(block_of(scope.to_day))
        .fetch_all(&self.pool)
        .await?;
        // Per person: [in period, posted, engaged, last week, last month], once over the
        // company and once over the filtered department; and the filtered people's
        // active days per block, for the daily figure.
        let mut company: BTreeMap<i64, [bool; 5]> = BTreeMap::new();
        let mut filtered: BTreeMap<i64, [bool; 5]> = BTreeMap::new();
        let mut days: BTreeMap<(i64, i64), i64> = BTreeMap::new();
        let mut by_department: BTreeMap<i64, i64> = BTreeMap::new();
        for row in &rows {
            let [block, user, department, active, posted, engaged] = [
                "block",
                "user_id",
                "department_id",
                "active",
                "posted",
                "engaged",
            ]
            .map(|column| row.try_get::<i64, _>(column));
            let (block, user, department, active) = (block?, user?, department?, active?);
            let period = days_mask(block, scope.from_day, scope.to_day);
            let flags = [
                active & period != 0,
                posted? & period != 0,
                engaged? & period != 0,
                active & days_mask(block, week, scope.to_day) != 0,
                active & days_mask(block, month, scope.to_day) != 0,
            ];
            let add = |people: &mut BTreeMap<i64, [bool; 5]>| {
                let person = people.entry(user).or_default();
                for (mine, theirs) in person.iter_mut().zip(flags) {
                    *mine |= theirs;
                }
            };
            add(&mut company);
            // Roll-up rows hold the department as a plain number.
            if scope
                .department
                .is_none_or(|d| d == DepartmentId(department))
            {
                add(&mut filtered);
                *days.entry((user, block)).or_default() |= active & period;
            }
            if flags[0] {
                *by_department.entry(department).or_default() += 1;
            }
        }
        let count = |people: &BTreeMap<i64, [bool; 5]>, test: fn(&[bool; 5]) -> bool| {
            people.values().filter(|f| test(f)).count() as i64
        };
        let mut daily: BTreeMap<i64, i64> = BTreeMap::new();
        for ((_, block), bits) in days {
            for bit in (0..DAYS_PER_BLOCK).filter(|bit| bits & (1 << bit) != 0) {
                *daily.entry(block * DAYS_PER_BLOCK + bit).or_default() += 1;
            }
        }
        Ok(PeopleActivity {
            participation: Participation {
                active: count(&filtered, |f| f[0]),
                creators: count(&filtered, |f| f[1]),
                contributors: count(&filtered, |f| f[2] && !f[1]),
            },
            company_active: count(&company, |f| f[0]),
            week_active: count(&filtered, |f| f[3]),
            month_active: count(&filtered, |f| f[4]),
            daily: daily.into_iter().collect(),
            by_department: by_department.into_iter().collect(),
            active_people: filtered
                .iter()
                .filter(|(_, f)| f[0])
                .map(|(id, _)| PersonId(*id))
                .collect(),
        })
    }

    /// The different people who did anything in a channel (saw, reacted, commented,
    /// posted, acknowledged) in the period, in the channel filter if any, by id: who is
    /// behind the content figures and the busiest hours, which leave visits out.
    pub async fn people_in_channels(&self, scope: &Scope) -> Result<Vec<PersonId>, StoreError> {
        let (first, last) = (block_of(scope.from_day), block_of(scope.to_day));
        let sql = format!(
            "SELECT DISTINCT user_id FROM activity_channel_days \
             WHERE block >= $1 AND block <= $2 \
               AND (days & CASE WHEN block = $1 THEN $3 ELSE -1 END \
                         & CASE WHEN block = $2 THEN $4 ELSE -1 END) <> 0{} \
             ORDER BY user_id",
            filter("channel_id", scope.channel, 5)
        );
        let mut query = sqlx::query_scalar(&sql)
            .bind(first)
            .bind(last)
            .bind(days_mask(first, scope.from_day, scope.to_day))
            .bind(days_mask(last, scope.from_day, scope.to_day));
        if let Some(c) = scope.channel {
            query = query.bind(c);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }

    /// Active accounts now, in the company or one department.
    pub async fn headcount(&self, department: Option<DepartmentId>) -> Result<i64, StoreError> {
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

    /// Active members of a channel now, of one department only when it is given (the
    /// people a figure filtered by both is about).
    pub async fn channel_headcount(
        &self,
        channel: ChannelId,
        department: Option<DepartmentId>,
    ) -> Result<i64, StoreError> {
        let sql = format!(
            "SELECT COUNT(*) FROM channel_members m JOIN users u ON u.id = m.user_id \
             WHERE m.channel_id = $1 AND u.is_active = 1{}",
            filter("u.department_id", department, 2)
        );
        let mut query = sqlx::query_scalar(&sql).bind(channel);
        if let Some(d) = department {
            query = query.bind(d);
        }
        Ok(query.fetch_one(&self.pool).await?)
    }

    /// Actions per day, kind of post and action (`post`, `comment`, `reaction`, `ack`,
    /// `seen`), with both filters. Without a channel filter the per-department roll-up
    /// has every answer in far fewer rows.
    pub async fn content_activity(
        &self,
        scope: &Scope,
    ) -> Result<Vec<(i64, Option<PostKind>, String, i64)>, StoreError> {
        let table = if scope.channel.is_some() {
            "activity_content"
        } else {
            "activity_department_content"
        };
        let sql = format!(
            "SELECT day, kind, action, CAST(SUM(n) AS BIGINT) AS total FROM {table} \
             WHERE day >= $1 AND day <= $2{}{} GROUP BY day, kind, action ORDER BY day",
            filter("department_id", scope.department, 3),
            filter(
                "channel_id",
                scope.channel,
                if scope.department.is_some() { 4 } else { 3 }
            )
        );
        let mut query = sqlx::query(&sql).bind(scope.from_day).bind(scope.to_day);
        if let Some(department) = scope.department {
            query = query.bind(department);
        }
        if let Some(channel) = scope.channel {
            query = query.bind(channel);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok((
                    r.try_get("day")?,
                    PostKind::parse(&kind),
                    r.try_get("action")?,
                    r.try_get("total")?,
                ))
            })
            .collect()
    }

    /// Actions per day and hour (department filter only): the heat map's cells.
    pub async fn hourly_activity(&self, scope: &Scope) -> Result<Vec<(i64, i64, i64)>, StoreError> {
        let sql = format!(
            "SELECT day, hour, CAST(SUM(n) AS BIGINT) AS total FROM activity_hours \
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
            .map(|r| Ok((r.try_get("day")?, r.try_get("hour")?, r.try_get("total")?)))
            .collect()
    }

    /// Every department: its people now, `active` (different people active in the
    /// period by their department at the time, from [`Store::people_activity`]) and the
    /// posts they wrote.
    pub async fn department_activity(
        &self,
        scope: &Scope,
        active: &[(i64, i64)],
    ) -> Result<Vec<GroupActivity>, StoreError> {
        let groups = sqlx::query(
            "SELECT d.id, d.name, '' AS slug, \
               (SELECT COUNT(*) FROM users u WHERE u.department_id = d.id AND u.is_active = 1) AS people \
             FROM departments d ORDER BY d.name",
        )
        .fetch_all(&self.pool)
        .await?;
        let posts = self
            .per_period(
                "SELECT department_id AS id, CAST(SUM(n) AS BIGINT) AS total \
                 FROM activity_department_content \
                 WHERE action = 'post' AND day >= $1 AND day <= $2 GROUP BY department_id",
                scope,
            )
            .await?;
        merge(&groups, active, &posts)
    }

    /// Every channel but private ones (whose names are not everyone's to see): its
    /// members now, the different people who did anything in it in the period, and its
    /// posts.
    pub async fn channel_activity(&self, scope: &Scope) -> Result<Vec<GroupActivity>, StoreError> {
        let groups = sqlx::query(
            "SELECT c.id, c.name, c.slug, \
               (SELECT COUNT(*) FROM channel_members m JOIN users u ON u.id = m.user_id \
                 WHERE m.channel_id = c.id AND u.is_active = 1) AS people \
             FROM channels c WHERE c.kind <> 'private' AND c.archived_at IS NULL ORDER BY c.name",
        )
        .fetch_all(&self.pool)
        .await?;
        // The blocks between the first and the last lie inside the period whole.
        let (first, last) = (block_of(scope.from_day), block_of(scope.to_day));
        let from_bits = days_mask(first, scope.from_day, scope.to_day);
        let to_bits = days_mask(last, scope.from_day, scope.to_day);
        let active = sqlx::query(
            "SELECT channel_id AS id, COUNT(DISTINCT user_id) AS total FROM activity_channel_days \
             WHERE block >= $1 AND block <= $2 \
               AND (days & CASE WHEN block = $1 THEN $3 ELSE -1 END \
                         & CASE WHEN block = $2 THEN $4 ELSE -1 END) <> 0 \
             GROUP BY channel_id",
        )
        .bind(first)
        .bind(last)
        .bind(from_bits)
        .bind(to_bits)
        .fetch_all(&self.pool)
        .await?;
        let posts = self
            .per_period(
                "SELECT channel_id AS id, CAST(SUM(n) AS BIGINT) AS total FROM activity_channel_posts \
                 WHERE day >= $1 AND day <= $2 GROUP BY channel_id",
                scope,
            )
            .await?;
        merge(&groups, &pairs(active)?, &posts)
    }

    /// The channels the dashboard can be filtered by: those [`Store::channel_activity`]
    /// lists, by name.
    pub async fn dashboard_channels(&self) -> Result<Vec<ChannelRef>, StoreError> {
        sqlx::query(
            "SELECT id, slug, name FROM channels \
             WHERE kind <> 'private' AND archived_at IS NULL ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(ChannelRef {
                id: r.try_get("id")?,
                slug: r.try_get("slug")?,
                name: r.try_get("name")?,
            })
        })
        .collect()
    }

    /// (id, number) pairs from `sql` (its columns `id` and `total`), given the period's
    /// first and last day as $1, $2.
    async fn per_period(&self, sql: &str, scope: &Scope) -> Result<Vec<(i64, i64)>, StoreError> {
        pairs(
            sqlx::query(sql)
                .bind(scope.from_day)
                .bind(scope.to_day)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// The invited → joined → active funnel of the invitations sent in the period:
    /// seats offered (a link's limit, or its uses when it has none), people who joined
    /// through them, and those of them active in the period.
    pub async fn funnel(&self, scope: &Scope) -> Result<(i64, i64, i64), StoreError> {
        let sql = format!(
            "SELECT \
               (SELECT CAST(COALESCE(SUM(COALESCE(i.max_uses, i.uses)), 0) AS BIGINT) FROM invitations i \
                 WHERE i.created_at >= $1 AND i.created_at < $2{dept_i}) AS invited, \
               (SELECT COUNT(*) FROM users u JOIN invitations i ON i.id = u.invitation_id \
                 WHERE i.created_at >= $1 AND i.created_at < $2{dept_u}) AS joined, \
               (SELECT COUNT(*) FROM users u JOIN invitations i ON i.id = u.invitation_id \
                 WHERE i.created_at >= $1 AND i.created_at < $2{dept_u} AND EXISTS \
                 (SELECT 1 FROM activity_people a WHERE a.user_id = u.id AND a.day >= $3 AND a.day <= $4)) \
                 AS active",
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
        Ok((
            row.try_get("invited")?,
            row.try_get("joined")?,
            row.try_get("active")?,
        ))
    }

    /// People who joined in the period, with when, and the first day each posted or
    /// commented (if they did, from the day the period starts).
    pub async fn joiners(&self, scope: &Scope) -> Result<Vec<(i64, Option<i64>)>, StoreError> {
        let sql = format!(
            "SELECT u.created_at, \
               (SELECT MIN(a.day) FROM activity_people a WHERE a.user_id = u.id \
                 AND a.day >= $3 AND (a.actions & 3) <> 0) AS first_day \
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
            .map(|r| Ok((r.try_get("created_at")?, r.try_get("first_day")?)))
            .collect()
    }

    /// People with the leader permission now, the posts they wrote in the period and
    /// the reactions and comments those posts have. `CROSS JOIN` keeps SQLite walking
    /// the few leaders' posts by author, not every post of the period.
    pub async fn leader_posts(&self, scope: &Scope) -> Result<(i64, i64, i64), StoreError> {
        let sql = format!(
            "SELECT (SELECT COUNT(*) FROM users WHERE is_leader = 1 AND is_active = 1) AS leaders, \
               COUNT(p.id) AS posts, \
               CAST(COALESCE(SUM(p.reaction_count + p.comment_count), 0) AS BIGINT) AS responses \
             FROM users u CROSS JOIN posts p \
             WHERE p.author_id = u.id AND u.is_leader = 1 AND p.deleted_at IS NULL \
               AND p.created_at >= $1 AND p.created_at < $2{}",
            filter("p.channel_id", scope.channel, 3)
        );
        let mut query = sqlx::query(&sql).bind(scope.from_ms).bind(scope.to_ms);
        if let Some(c) = scope.channel {
            query = query.bind(c);
        }
        let row = query.fetch_one(&self.pool).await?;
        Ok((
            row.try_get("leaders")?,
            row.try_get("posts")?,
            row.try_get("responses")?,
        ))
    }

    /// Every announcement published in the period, newest first, counted over its
    /// recipients (in the department, when filtered), with the middle of the times
    /// their acknowledgements took. Who may read which is not asked here: these are
    /// kept and shared by every leader, and each leader's own
    /// [`Store::readable_announcements`] picks theirs. `CROSS JOIN` keeps SQLite
    /// starting from the few announcements rather than every post of the period or
    /// every recipient; the recipients are counted from `announcement_recipients_reach`
    /// alone.
    pub async fn announcement_activity(
        &self,
        scope: &Scope,
    ) -> Result<Vec<AnnouncementActivity>, StoreError> {
        let department = |n: usize| {
            scope.department.map_or(String::new(), |_| {
                format!(" AND r.user_id IN (SELECT id FROM users WHERE department_id = ${n})")
            })
        };
        let count = |condition: &str, name: &str| {
            format!(
                "(SELECT COUNT(*) FROM announcement_recipients r \
                  WHERE r.post_id = p.id{condition}{}) AS {name}",
                department(3)
            )
        };
        let sql = format!(
            "SELECT p.id, p.body, p.created_at, a.must_read, {}, {}, {} \
             FROM announcements a CROSS JOIN posts p \
             WHERE p.id = a.post_id \
               AND p.deleted_at IS NULL AND p.created_at >= $1 AND p.created_at < $2 \
             ORDER BY p.created_at DESC, p.id DESC",
            count("", "recipients"),
            count(" AND r.seen_at IS NOT NULL", "seen"),
            count(" AND r.acknowledged_at IS NOT NULL", "acknowledged"),
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
                    post_id: r.try_get("id")?,
                    body: r.try_get("body")?,
                    created_at: r.try_get("created_at")?,
                    must_read: r.try_get::<i64, _>("must_read")? == 1,
                    recipients: r.try_get("recipients")?,
                    seen: r.try_get("seen")?,
                    acknowledged: r.try_get("acknowledged")?,
                    middle_ack_delays: Vec::new(),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        // The delays of posts left out above find no row to join and are dropped.
        let in_department = department(3);
        let sql = format!(
            "SELECT post_id AS id, delay AS total FROM \
               (SELECT p.id AS post_id, r.acknowledged_at - p.created_at AS delay, \
                  ROW_NUMBER() OVER (PARTITION BY p.id ORDER BY r.acknowledged_at) AS position, \
                  COUNT(*) OVER (PARTITION BY p.id) AS acks \
                FROM announcements a CROSS JOIN posts p CROSS JOIN announcement_recipients r \
                WHERE p.id = a.post_id AND r.post_id = p.id AND p.deleted_at IS NULL \
                  AND p.created_at >= $1 AND p.created_at < $2 \
                  AND r.acknowledged_at IS NOT NULL{in_department}) ranked \
             WHERE position IN ((acks + 1) / 2, acks / 2 + 1)"
        );
        let mut query = sqlx::query(&sql).bind(scope.from_ms).bind(scope.to_ms);
        if let Some(d) = scope.department {
            query = query.bind(d);
        }
        for (post_id, delay) in pairs(query.fetch_all(&self.pool).await?)? {
            if let Some(a) = list.iter_mut().find(|a| a.post_id == post_id) {
                a.middle_ack_delays.push(delay);
            }
        }
        Ok(list)
    }

    /// The announcements published in the period that `reader` may read (the rule feeds
    /// apply), by id: the only part of the dashboard that depends on who asks, so it is
    /// read for each request, and it reads no recipient but the reader's own row.
    pub async fn readable_announcements(
        &self,
        scope: &Scope,
        reader: Reader,
    ) -> Result<Vec<PostId>, StoreError> {
        // $1 and $2 are the reader, as `VISIBLE_POST` expects them.
        let sql = format!(
            "SELECT p.id FROM announcements a CROSS JOIN posts p CROSS JOIN channels c \
             WHERE p.id = a.post_id AND c.id = p.channel_id \
               AND p.deleted_at IS NULL AND p.created_at >= $3 AND p.created_at < $4 \
               AND {VISIBLE_POST}"
        );
        sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .bind(scope.from_ms)
            .bind(scope.to_ms)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok(r.try_get("id")?))
            .collect()
    }

    /// Per channel outside private ones, the questions asked in the period and how long
    /// they waited for someone other than the asker to comment (`posts.first_reply_at`;
    /// those still waiting count until `now`). Channel by channel, each one's questions
    /// of the period are a range of `posts_questions`.
    pub async fn questions(
        &self,
        scope: &Scope,
        now: i64,
    ) -> Result<Vec<QuestionActivity>, StoreError> {
        let sql = format!(
            "SELECT c.id, c.slug, COUNT(*) AS asked, \
               CAST(SUM(COALESCE(p.first_reply_at, $3) - p.created_at) AS BIGINT) AS waited_ms \
             FROM channels c CROSS JOIN posts p \
             WHERE p.channel_id = c.id AND p.kind = 'question' AND p.deleted_at IS NULL \
               AND c.kind <> 'private' \
               AND p.created_at >= $1 AND p.created_at < $2{} \
             GROUP BY c.id, c.slug ORDER BY c.slug",
            filter("c.id", scope.channel, 4)
        );
        let mut query = sqlx::query(&sql)
            .bind(scope.from_ms)
            .bind(scope.to_ms)
            .bind(now);
        if let Some(c) = scope.channel {
            query = query.bind(c);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(QuestionActivity {
                    channel_id: r.try_get("id")?,
                    channel_slug: r.try_get("slug")?,
                    asked: r.try_get("asked")?,
                    waited_ms: r.try_get("waited_ms")?,
                })
            })
            .collect()
    }
}

/// (id, number) pairs from rows with the columns `id` and `total`.
fn pairs<Id>(rows: Vec<AnyRow>) -> Result<Vec<(Id, i64)>, StoreError>
where
    Id: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("total")?)))
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
            let id = r.try_get("id")?;
            Ok(GroupActivity {
                id,
                name: r.try_get("name")?,
                slug: r.try_get("slug")?,
                people: r.try_get("people")?,
                active: of(active, id),
                posts: of(posts, id),
            })
        })
        .collect()
}
