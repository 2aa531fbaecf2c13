//! Writing the activity roll-ups (tables in `0007_activity.sql`): each batch of
//! [`Activity`] is summed in memory, then upserted into the four tables with one
//! multi-row statement per table and chunk, in key order (so concurrent writers on
//! PostgreSQL lock the same rows in the same order and never deadlock).

use super::{placeholders, Reader, Store, StoreError, Tx};
use crate::activity::{Activity, ActivityAction, Calendar};
use crate::model::PostKind;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Rows per statement: well under both databases' limits on bound values.
const CHUNK: usize = 500;

#[derive(Default)]
struct Sums {
    /// (day, user) → (department at the time, action bits).
    people: BTreeMap<(i64, i64), (i64, i64)>,
    /// (day, channel, user).
    channel_people: BTreeSet<(i64, i64, i64)>,
    /// (day, department, channel, kind, action) → count.
    content: BTreeMap<(i64, i64, i64, &'static str, &'static str), i64>,
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
            let person = sums
                .people
                .entry((day, a.user_id))
                .or_insert((department, 0));
            person.1 |= a.action.bit();
            if let (Some((channel, kind)), Some(action)) = (a.post, a.action.content_name()) {
                sums.channel_people.insert((day, channel, a.user_id));
                *sums
                    .content
                    .entry((day, department, channel, kind.as_str(), action))
                    .or_default() += 1;
            }
            if a.action != ActivityAction::Visited {
                *sums.hours.entry((day, hour, department)).or_default() += 1;
            }
        }
        self.upsert_people(&sums).await?;
        self.upsert_channel_people(&sums).await?;
        self.upsert_content(&sums).await?;
        self.upsert_hours(&sums).await
    }

    /// Forgets which person was active on which day before `day` (group figures stay).
    pub async fn forget_people_before(&mut self, day: i64) -> Result<(), StoreError> {
        for table in ["activity_people", "activity_channel_people"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE day < $1"))
                .bind(day)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// Gives or takes the "leader" permission (reading the adoption dashboard).
    pub async fn set_leader(&mut self, user_id: i64, leader: bool) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET is_leader = $1 WHERE id = $2")
            .bind(i64::from(leader))
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn departments_of(
        &mut self,
        activity: &[Activity],
    ) -> Result<HashMap<i64, i64>, StoreError> {
        let users: Vec<i64> = activity
            .iter()
            .map(|a| a.user_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut departments = HashMap::new();
        for chunk in users.chunks(CHUNK) {
            let sql = format!(
                "SELECT id, COALESCE(department_id, 0) FROM users WHERE id IN ({})",
                placeholders(0, chunk.len())
            );
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            for row in query.fetch_all(&mut *self.tx).await? {
                departments.insert(row.try_get(0)?, row.try_get(1)?);
            }
        }
        Ok(departments)
    }

    async fn upsert_people(&mut self, sums: &Sums) -> Result<(), StoreError> {
        let rows: Vec<_> = sums.people.iter().collect();
        for chunk in rows.chunks(CHUNK) {
            let sql = format!(
                "INSERT INTO activity_people (day, user_id, department_id, actions) VALUES {} \
                 ON CONFLICT (day, user_id) DO UPDATE SET actions = activity_people.actions | excluded.actions",
                value_rows(chunk.len(), 4)
            );
            let mut query = sqlx::query(&sql);
            for ((day, user), (department, actions)) in chunk {
                query = query
                    .bind(*day)
                    .bind(*user)
                    .bind(*department)
                    .bind(*actions);
            }
            query.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    async fn upsert_channel_people(&mut self, sums: &Sums) -> Result<(), StoreError> {
        let rows: Vec<_> = sums.channel_people.iter().collect();
        for chunk in rows.chunks(CHUNK) {
            let sql = format!(
                "INSERT INTO activity_channel_people (day, channel_id, user_id) VALUES {} \
                 ON CONFLICT (day, channel_id, user_id) DO NOTHING",
                value_rows(chunk.len(), 3)
            );
            let mut query = sqlx::query(&sql);
            for (day, channel, user) in chunk {
                query = query.bind(*day).bind(*channel).bind(*user);
            }
            query.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    async fn upsert_content(&mut self, sums: &Sums) -> Result<(), StoreError> {
        let rows: Vec<_> = sums.content.iter().collect();
        for chunk in rows.chunks(CHUNK) {
            let sql = format!(
                "INSERT INTO activity_content (day, department_id, channel_id, kind, action, n) VALUES {} \
                 ON CONFLICT (day, department_id, channel_id, kind, action) \
                 DO UPDATE SET n = activity_content.n + excluded.n",
                value_rows(chunk.len(), 6)
            );
            let mut query = sqlx::query(&sql);
            for ((day, department, channel, kind, action), n) in chunk {
                query = query
                    .bind(*day)
                    .bind(*department)
                    .bind(*channel)
                    .bind(*kind)
                    .bind(*action)
                    .bind(**n);
            }
            query.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    async fn upsert_hours(&mut self, sums: &Sums) -> Result<(), StoreError> {
        let rows: Vec<_> = sums.hours.iter().collect();
        for chunk in rows.chunks(CHUNK) {
            let sql = format!(
                "INSERT INTO activity_hours (day, hour, department_id, n) VALUES {} \
                 ON CONFLICT (day, hour, department_id) DO UPDATE SET n = activity_hours.n + excluded.n",
                value_rows(chunk.len(), 4)
            );
            let mut query = sqlx::query(&sql);
            for ((day, hour, department), n) in chunk {
                query = query.bind(*day).bind(*hour).bind(*department).bind(**n);
            }
            query.execute(&mut *self.tx).await?;
        }
        Ok(())
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
    /// How many rows the four roll-up tables hold together (bulk loads report it).
    pub async fn activity_rows(&self) -> Result<usize, StoreError> {
        let count: i64 = sqlx::query(
            "SELECT CAST((SELECT COUNT(*) FROM activity_people) \
             + (SELECT COUNT(*) FROM activity_channel_people) \
             + (SELECT COUNT(*) FROM activity_content) \
             + (SELECT COUNT(*) FROM activity_hours) AS BIGINT)",
        )
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?;
        Ok(usize::try_from(count).unwrap_or_default())
    }

    /// The channel and kind of each of these posts that `reader` may read (others are
    /// left out), for recording that they saw them.
    pub async fn seen_targets(
        &self,
        reader: Reader,
        post_ids: &[i64],
    ) -> Result<Vec<(i64, PostKind)>, StoreError> {
        if post_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT p.channel_id, p.kind FROM posts p JOIN channels c ON c.id = p.channel_id \
             WHERE p.deleted_at IS NULL AND {} AND p.id IN ({})",
            super::posts::VISIBLE_POST,
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
                let kind: String = r.try_get(1)?;
                Ok((
                    r.try_get(0)?,
                    PostKind::parse(&kind).ok_or(StoreError::Corrupt("posts.kind"))?,
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn value_rows_number_each_tuple() {
        assert_eq!(super::value_rows(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
