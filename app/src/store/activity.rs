//! Writing the activity roll-ups (tables in `0007_activity.sql` and
//! `0010_dashboard_roll_ups.sql`): each batch of [`Activity`] is summed in memory, then
//! upserted into each table with one multi-row statement per chunk, in key order (so
//! concurrent writers on PostgreSQL lock the same rows in the same order and never
//! deadlock).

use super::{placeholders, Cell, Reader, Store, StoreError, Tx};
use crate::calendar::Calendar;
use crate::model::{ChannelId, PersonId, PostId, PostKind};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What someone did. Every variant makes the person active that day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActivityAction {
    /// Any signed-in page view or call (no post involved).
    Visited,
    Posted,
    Commented,
    Reacted,
    Acknowledged,
    /// A post card was on their screen.
    Saw,
}

impl ActivityAction {
    /// The bit this action sets in `activity_people.actions`.
    pub fn bit(self) -> i64 {
        match self {
            ActivityAction::Visited => 0,
            ActivityAction::Posted => 1,
            ActivityAction::Commented => 2,
            ActivityAction::Reacted => 4,
            ActivityAction::Acknowledged => 8,
            ActivityAction::Saw => 16,
        }
    }

    /// Its name in `activity_content.action`; `None` for a visit, which touches no post.
    pub fn content_name(self) -> Option<&'static str> {
        match self {
            ActivityAction::Visited => None,
            ActivityAction::Posted => Some("post"),
            ActivityAction::Commented => Some("comment"),
            ActivityAction::Reacted => Some("reaction"),
            ActivityAction::Acknowledged => Some("ack"),
            ActivityAction::Saw => Some("seen"),
        }
    }
}

/// One thing one person did at one moment, and the post it was about (its channel and
/// kind), if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Activity {
    pub user_id: PersonId,
    pub at: i64,
    pub action: ActivityAction,
    pub post: Option<(ChannelId, PostKind)>,
}

impl Activity {
    pub fn on_post(
        user_id: PersonId,
        at: i64,
        action: ActivityAction,
        channel_id: ChannelId,
        kind: PostKind,
    ) -> Activity {
        Activity {
            user_id,
            at,
            action,
            post: Some((channel_id, kind)),
        }
    }
}

/// Rows per statement: well under both databases' limits on bound values.
const CHUNK: usize = 500;

/// Days per row of `activity_channel_days`: one bit each, and the sign bit left alone.
pub const DAYS_PER_BLOCK: i64 = 62;

/// The bits of `block` that stand for the days `from_day..=to_day` (none when the
/// block holds none of them).
pub fn days_mask(block: i64, from_day: i64, to_day: i64) -> i64 {
    let start = block * DAYS_PER_BLOCK;
    let (first, last) = (from_day.max(start), to_day.min(start + DAYS_PER_BLOCK - 1));
    if first > last {
        return 0;
    }
    ((1i64 << (last - first + 1)) - 1) << (first - start)
}

/// The block of days `day` falls in.
pub fn block_of(day: i64) -> i64 {
    day.div_euclid(DAYS_PER_BLOCK)
}

/// A roll-up table: its columns are the key, then any columns set only when the row is
/// new, then the last `values` columns, which an existing row merges with `merge` (`+`
/// counts, `|` sets bits).
struct RollUp {
    table: &'static str,
    columns: &'static [&'static str],
    keys: usize,
    values: usize,
    merge: &'static str,
}

const PEOPLE: RollUp = RollUp {
    table: "activity_people",
    columns: &["day", "user_id", "department_id", "actions"],
    keys: 2,
    values: 1,
    merge: "|",
};
const PEOPLE_DAYS: RollUp = RollUp {
    table: "activity_people_days",
    columns: &[
        "block",
        "user_id",
        "department_id",
        "active",
        "posted",
        "engaged",
    ],
    keys: 3,
    values: 3,
    merge: "|",
};
const CHANNEL_DAYS: RollUp = RollUp {
    table: "activity_channel_days",
    columns: &["block", "channel_id", "user_id", "days"],
    keys: 3,
    values: 1,
    merge: "|",
};
const CONTENT: RollUp = RollUp {
    table: "activity_content",
    columns: &["day", "department_id", "channel_id", "kind", "action", "n"],
    keys: 5,
    values: 1,
    merge: "+",
};
const DEPARTMENT_CONTENT: RollUp = RollUp {
    table: "activity_department_content",
    columns: &["day", "department_id", "kind", "action", "n"],
    keys: 4,
    values: 1,
    merge: "+",
};
const CHANNEL_POSTS: RollUp = RollUp {
    table: "activity_channel_posts",
    columns: &["day", "channel_id", "n"],
    keys: 2,
    values: 1,
    merge: "+",
};
const HOURS: RollUp = RollUp {
    table: "activity_hours",
    columns: &["day", "hour", "department_id", "n"],
    keys: 3,
    values: 1,
    merge: "+",
};

type ContentKey = (i64, i64, i64, &'static str, &'static str);

#[derive(Default)]
struct Sums {
    /// (day, user) → (department at the time, action bits).
    people: BTreeMap<(i64, i64), (i64, i64)>,
    /// (block, user, department) → day bits: active, posted, commented or reacted.
    people_days: BTreeMap<(i64, i64, i64), [i64; 3]>,
    /// (block, channel, user) → day bits.
    channel_days: BTreeMap<(i64, i64, i64), i64>,
    /// (day, department, channel, kind, action) → count.
    content: BTreeMap<ContentKey, i64>,
    /// (day, hour, department) → count.
    hours: BTreeMap<(i64, i64, i64), i64>,
}

impl Tx {
    /// Records what people did: the one way activity reaches the dashboard, for the
    /// product's own writes (a handful per call, inside the change's transaction) and
    /// for bulk loads alike (any number; call it with batches of some thousands). The
    /// actor's department is read from `users` now, which for live capture is "at the
    /// time".
    pub async fn record_activity(
        &mut self,
        calendar: &Calendar,
        activity: &[Activity],
    ) -> Result<(), StoreError> {
        if activity.is_empty() {
            return Ok(());
        }
        let departments = self.departments_of(activity).await?;
        let mut sums = Sums::default();
        for a in activity {
            let (day, hour) = calendar.day_and_hour(a.at);
            let department = departments.get(&a.user_id).copied().unwrap_or(0);
            // The roll-ups are rows of plain numbers.
            let PersonId(user) = a.user_id;
            let person = sums.people.entry((day, user)).or_insert((department, 0));
            person.1 |= a.action.bit();
            let day_bit = days_mask(block_of(day), day, day);
            let days = sums
                .people_days
                .entry((block_of(day), user, person.0))
                .or_default();
            days[0] |= day_bit;
            match a.action {
                ActivityAction::Posted => days[1] |= day_bit,
                ActivityAction::Commented | ActivityAction::Reacted => days[2] |= day_bit,
                _ => {}
            }
            // The roll-ups are rows of plain numbers.
            if let (Some((ChannelId(channel), kind)), Some(action)) =
                (a.post, a.action.content_name())
            {
                *sums
                    .channel_days
                    .entry((block_of(day), channel, user))
                    .or_default() |= day_bit;
                *sums
                    .content
                    .entry((day, department, channel, kind.as_str(), action))
                    .or_default() += 1;
            }
            if a.action != ActivityAction::Visited {
                *sums.hours.entry((day, hour, department)).or_default() += 1;
            }
        }
        self.write_sums(&sums).await
    }

    async fn write_sums(&mut self, sums: &Sums) -> Result<(), StoreError> {
        let people = sums.people.iter().map(|((day, user), (department, bits))| {
            [day, user, department, bits]
                .map(|v| Cell::Int(*v))
                .to_vec()
        });
        self.upsert(&PEOPLE, people).await?;
        let people_days = sums
            .people_days
            .iter()
            .map(|((block, user, department), bits)| {
                [*block, *user, *department, bits[0], bits[1], bits[2]]
                    .map(Cell::Int)
                    .to_vec()
            });
        self.upsert(&PEOPLE_DAYS, people_days).await?;
        let channel_days = sums
            .channel_days
            .iter()
            .map(|((block, channel, user), bits)| {
                [block, channel, user, bits].map(|v| Cell::Int(*v)).to_vec()
            });
        self.upsert(&CHANNEL_DAYS, channel_days).await?;
        let content = sums
            .content
            .iter()
            .map(|((day, department, channel, kind, action), n)| {
                vec![
                    Cell::Int(*day),
                    Cell::Int(*department),
                    Cell::Int(*channel),
                    Cell::from(*kind),
                    Cell::from(*action),
                    Cell::Int(*n),
                ]
            });
        self.upsert(&CONTENT, content).await?;
        let mut by_department: BTreeMap<(i64, i64, &str, &str), i64> = BTreeMap::new();
        let mut channel_posts: BTreeMap<(i64, i64), i64> = BTreeMap::new();
        for ((day, department, channel, kind, action), n) in &sums.content {
            *by_department
                .entry((*day, *department, kind, action))
                .or_default() += n;
            if *action == "post" {
                *channel_posts.entry((*day, *channel)).or_default() += n;
            }
        }
        let by_department =
            by_department
                .into_iter()
                .map(|((day, department, kind, action), n)| {
                    vec![
                        Cell::Int(day),
                        Cell::Int(department),
                        Cell::from(kind),
                        Cell::from(action),
                        Cell::Int(n),
                    ]
                });
        self.upsert(&DEPARTMENT_CONTENT, by_department).await?;
        let channel_posts = channel_posts
            .into_iter()
            .map(|((day, channel), n)| [day, channel, n].map(Cell::Int).to_vec());
        self.upsert(&CHANNEL_POSTS, channel_posts).await?;
        let hours = sums.hours.iter().map(|((day, hour, department), n)| {
            [day, hour, department, n].map(|v| Cell::Int(*v)).to_vec()
        });
        self.upsert(&HOURS, hours).await
    }

    /// Forgets which person was active on which day before `day` (group figures stay).
    pub async fn forget_people_before(&mut self, day: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM activity_people WHERE day < $1")
            .bind(day)
            .execute(&mut *self.tx)
            .await?;
        let block = block_of(day);
        // The block `day` falls in keeps only its days from `day` on.
        let kept = days_mask(block, day, day + DAYS_PER_BLOCK);
        for (table, bits) in [
            ("activity_channel_days", "days = days & $1"),
            (
                "activity_people_days",
                "active = active & $1, posted = posted & $1, engaged = engaged & $1",
            ),
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE block < $1"))
                .bind(block)
                .execute(&mut *self.tx)
                .await?;
            sqlx::query(&format!("UPDATE {table} SET {bits} WHERE block = $2"))
                .bind(kept)
                .bind(block)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// Gives or takes the "leader" permission (reading the adoption dashboard). A guest
    /// is never given it (the policy refuses first; this keeps the data right regardless).
    pub async fn set_leader(&mut self, user_id: PersonId, leader: bool) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE users SET is_leader = $1 WHERE id = $2 AND ($1 = 0 OR role <> 'guest')",
        )
        .bind(i64::from(leader))
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn departments_of(
        &mut self,
        activity: &[Activity],
    ) -> Result<HashMap<PersonId, i64>, StoreError> {
        let users: Vec<PersonId> = activity
            .iter()
            .map(|a| a.user_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut departments = HashMap::new();
        for chunk in users.chunks(CHUNK) {
            let sql = format!(
                "SELECT id, COALESCE(department_id, 0) AS department_id FROM users WHERE id IN ({})",
                placeholders(0, chunk.len())
            );
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            for row in query.fetch_all(&mut *self.tx).await? {
                departments.insert(row.try_get("id")?, row.try_get("department_id")?);
            }
        }
        Ok(departments)
    }

    /// Adds `rows` (each one cell per column of `roll_up`, in key order) to a roll-up.
    async fn upsert(
        &mut self,
        roll_up: &RollUp,
        mut rows: impl Iterator<Item = Vec<Cell>>,
    ) -> Result<(), StoreError> {
        let width = roll_up.columns.len();
        let merges = roll_up.columns[width - roll_up.values..]
            .iter()
            .map(|v| {
                format!(
                    "{v} = {table}.{v} {merge} excluded.{v}",
                    table = roll_up.table,
                    merge = roll_up.merge
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        loop {
            let chunk: Vec<Vec<Cell>> = rows.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                return Ok(());
            }
            let sql = format!(
                "INSERT INTO {table} ({columns}) VALUES {values} ON CONFLICT ({keys}) \
                 DO UPDATE SET {merges}",
                table = roll_up.table,
                columns = roll_up.columns.join(", "),
                values = value_rows(chunk.len(), width),
                keys = roll_up.columns[..roll_up.keys].join(", "),
            );
            let query = chunk
                .into_iter()
                .flatten()
                .fold(sqlx::query(&sql), Cell::bind);
            query.execute(&mut *self.tx).await?;
        }
    }
}

/// `($1, $2), ($3, $4), …`: `rows` tuples of `width` placeholders.
fn value_rows(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(r * width, width)))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// How many rows the roll-up tables hold together (bulk loads report it).
    pub async fn activity_rows(&self) -> Result<usize, StoreError> {
        let mut total = 0;
        for roll_up in [
            &PEOPLE,
            &PEOPLE_DAYS,
            &CHANNEL_DAYS,
            &CONTENT,
            &DEPARTMENT_CONTENT,
            &CHANNEL_POSTS,
            &HOURS,
        ] {
            let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", roll_up.table))
                .fetch_one(&self.pool)
                .await?;
            total += usize::try_from(count).unwrap_or_default();
        }
        Ok(total)
    }

    /// The channel and kind of each of these posts that `reader` may read (others are
    /// left out), for recording that they saw them.
    pub async fn seen_targets(
        &self,
        reader: Reader,
        post_ids: &[PostId],
    ) -> Result<Vec<(ChannelId, PostKind)>, StoreError> {
        if post_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT p.channel_id, p.kind FROM posts p JOIN channels c ON c.id = p.channel_id \
             WHERE p.deleted_at IS NULL AND {} AND p.id IN ({})",
            super::rules::VISIBLE_POST,
            placeholders(2, post_ids.len())
        );
        let mut query = sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest));
        for id in post_ids {
            query = query.bind(*id);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok((
                    r.try_get("channel_id")?,
                    PostKind::parse(&kind).ok_or(StoreError::Corrupt("posts.kind"))?,
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{block_of, days_mask, DAYS_PER_BLOCK};

    #[test]
    fn masks_keep_the_days_of_the_range_within_the_block() {
        let b = 300;
        let start = b * DAYS_PER_BLOCK;
        assert_eq!(days_mask(b, start, start), 1);
        assert_eq!(days_mask(b, start + 2, start + 3), 0b1100);
        assert_eq!(days_mask(b, start - 10, start + 1), 0b11);
        assert_eq!(days_mask(b, start + 61, start + 99), 1 << 61);
        assert_eq!(days_mask(b, 0, i64::MAX / 2), (1 << 62) - 1);
        assert_eq!(days_mask(b, start + 62, start + 70), 0);
        assert_eq!(days_mask(b, start - 5, start - 1), 0);
        assert_eq!((block_of(start - 1), block_of(start + 61)), (b - 1, b));
    }
    #[test]
    fn value_rows_number_each_tuple() {
        assert_eq!(super::value_rows(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
