//! Onboarding journeys: the journeys and their steps, who is on which, and their ticks.
//! A channel step is done by being in the channel, so "done" is one SQL rule
//! ([`STEP_DONE`]) that every count and list shares.

use super::people::{person_columns, person_named};
use super::rules::visible_page;
use super::rules::visible_person;
use super::{Reader, Store, StoreError, Tx};
use crate::model::journeys::{JourneyId, StepId, StepKind, StepTarget, StepView, Traveller};
use crate::model::{DepartmentId, DepartmentRef, PageId, PersonId, PersonRef, Role};
use sqlx::any::AnyRow;
use sqlx::Row;

/// Whether step `s` is done for assignment `a` (aliases): ticked, or for a channel
/// step, the traveller is in the channel.
const STEP_DONE: &str = "(EXISTS (SELECT 1 FROM journey_progress jp \
       WHERE jp.assignment_id = a.id AND jp.step_id = s.id) \
     OR (s.kind = 'channel' AND EXISTS (SELECT 1 FROM channel_members m \
       WHERE m.channel_id = s.channel_id AND m.user_id = a.user_id)))";

/// Columns of an assignment `a`'s progress: its steps and those done.
fn progress_columns() -> String {
    format!(
        "(SELECT COUNT(*) FROM journey_steps s WHERE s.journey_id = a.journey_id) AS total, \
         (SELECT COUNT(*) FROM journey_steps s WHERE s.journey_id = a.journey_id \
           AND {STEP_DONE}) AS done"
    )
}

/// A journey as stored, with its size.
#[derive(Clone, Debug)]
pub struct JourneyRecord {
    pub id: JourneyId,
    pub name: String,
    pub description: String,
    pub department: Option<DepartmentRef>,
    pub assign_on_join: bool,
    pub join_role: Option<Role>,
    pub steps: i64,
    pub people: i64,
}

/// A journey's name, description and who gets it on joining, as written.
pub struct NewJourney<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub department_id: Option<DepartmentId>,
    pub assign_on_join: bool,
    pub join_role: Option<Role>,
}

/// A step as written: its target ids are checked by the caller.
pub struct NewStep<'a> {
    pub day: i64,
    pub kind: StepKind,
    pub page_id: Option<PageId>,
    pub channel_id: Option<crate::model::ChannelId>,
    pub person_id: Option<PersonId>,
    pub note: &'a str,
}

/// One person's place on one journey.
#[derive(Clone, Debug)]
pub struct AssignmentRecord {
    pub id: i64,
    pub journey_id: JourneyId,
    pub name: String,
    pub description: String,
    pub started_at: i64,
    pub assigned_by: Option<PersonRef>,
    pub done: i64,
    pub total: i64,
}

/// Where a viewer stands towards a person whose journeys they ask about.
#[derive(Clone, Debug)]
pub struct FollowStanding {
    pub person: PersonRef,
    pub manager: bool,
    pub same_department: bool,
}

/// A step's journey, kind and (for a channel step) the channel's address.
#[derive(Clone, Debug)]
pub struct StepRecord {
    pub journey_id: JourneyId,
    pub kind: StepKind,
    pub channel_slug: Option<String>,
    pub page_id: Option<PageId>,
}

/// A step of someone's journey asking them to read a page.
#[derive(Clone, Copy, Debug)]
pub struct PageStep {
    pub step: StepId,
    pub assignment: i64,
    pub done: bool,
}

/// A person who joined in a period, for the dashboard's onboarding figures.
#[derive(Clone, Copy, Debug)]
pub struct Joiner {
    pub joined_at: i64,
    /// Steps of all their journeys, and those done (0 and 0: no journey).
    pub total: i64,
    pub done: i64,
    pub first_post_at: Option<i64>,
    /// Their first answer: a top-level comment on someone else's question.
    pub first_answer_at: Option<i64>,
}

const JOURNEY_COLUMNS: &str = "j.id, j.name, j.description, j.department_id, \
     d.name AS department_name, j.assign_on_join, j.join_role, \
     (SELECT COUNT(*) FROM journey_steps s WHERE s.journey_id = j.id) AS steps, \
     (SELECT COUNT(*) FROM journey_assignments a JOIN users u ON u.id = a.user_id \
       WHERE a.journey_id = j.id AND u.is_active = 1) AS people \
     FROM journeys j LEFT JOIN departments d ON d.id = j.department_id";

fn journey_from_row(r: &AnyRow) -> Result<JourneyRecord, StoreError> {
    let department = match r.try_get::<Option<DepartmentId>, _>("department_id")? {
        Some(id) => Some(DepartmentRef {
            id,
            name: r.try_get("department_name")?,
        }),
        None => None,
    };
    Ok(JourneyRecord {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        department,
        assign_on_join: r.try_get::<i64, _>("assign_on_join")? == 1,
        join_role: r
            .try_get::<Option<String>, _>("join_role")?
            .as_deref()
            .and_then(Role::parse),
        steps: r.try_get("steps")?,
        people: r.try_get("people")?,
    })
}

fn kind_of(r: &AnyRow) -> Result<StepKind, StoreError> {
    let kind: String = r.try_get("kind")?;
    StepKind::parse(&kind).ok_or(StoreError::Corrupt("journey_steps.kind"))
}

impl Store {
    /// Every journey, by name.
    pub async fn journeys(&self) -> Result<Vec<JourneyRecord>, StoreError> {
        let sql = format!("SELECT {JOURNEY_COLUMNS} ORDER BY j.name, j.id");
        sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(journey_from_row)
            .collect()
    }

    pub async fn journey(&self, id: JourneyId) -> Result<Option<JourneyRecord>, StoreError> {
        let sql = format!("SELECT {JOURNEY_COLUMNS} WHERE j.id = $1");
        sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(journey_from_row)
            .transpose()
    }

    /// The department `user` is in.
    pub async fn department_of(&self, user: PersonId) -> Result<Option<DepartmentId>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT department_id FROM users WHERE id = $1")
                .bind(user)
                .fetch_optional(&self.pool)
                .await?
                .flatten(),
        )
    }

    /// A journey's steps by day, each target told only as far as `reader` may see it;
    /// with `traveller` (their assignment and id), whether each is done for them.
    pub async fn journey_steps(
        &self,
        reader: Reader,
        journey: JourneyId,
        traveller: Option<(i64, PersonId)>,
    ) -> Result<Vec<StepView>, StoreError> {
        let page_seen = visible_page("pg", "$1", "$2");
        let person_seen = visible_person("u", "$1");
        let channel_seen = super::rules::VISIBLE;
        let sql = format!(
            "SELECT s.id, s.day, s.kind, s.note, s.page_id, c.slug, \
               CASE WHEN pg.deleted_at IS NULL AND {page_seen} THEN pg.title END AS page_title, \
               CASE WHEN {channel_seen} THEN c.name END AS channel_name, \
               CASE WHEN u.is_active = 1 AND {person_seen} THEN 1 ELSE 0 END AS person_seen, \
               {person}, \
               CASE WHEN EXISTS (SELECT 1 FROM journey_progress jp \
                   WHERE jp.assignment_id = $4 AND jp.step_id = s.id) \
                 OR (s.kind = 'channel' AND EXISTS (SELECT 1 FROM channel_members m \
                   WHERE m.channel_id = s.channel_id AND m.user_id = $5)) THEN 1 ELSE 0 END AS done \
             FROM journey_steps s \
             LEFT JOIN pages pg ON pg.id = s.page_id \
             LEFT JOIN channels c ON c.id = s.channel_id \
             LEFT JOIN users u ON u.id = s.person_id \
             WHERE s.journey_id = $3 ORDER BY s.day, s.id",
            person = person_columns("u", "person"),
        );
        let (assignment, person) = traveller.unwrap_or((0, PersonId(0)));
        let rows = sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .bind(journey)
            .bind(assignment)
            .bind(person)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let kind = kind_of(r)?;
                let target = match kind {
                    StepKind::Page => match (
                        r.try_get::<Option<PageId>, _>("page_id")?,
                        r.try_get::<Option<String>, _>("page_title")?,
                    ) {
                        (Some(id), Some(title)) => StepTarget::Page { id, title },
                        _ => StepTarget::Hidden,
                    },
                    StepKind::Channel => match (
                        r.try_get::<Option<String>, _>("slug")?,
                        r.try_get::<Option<String>, _>("channel_name")?,
                    ) {
                        (Some(slug), Some(name)) => StepTarget::Channel { slug, name },
                        _ => StepTarget::Hidden,
                    },
                    StepKind::Person => {
                        if r.try_get::<i64, _>("person_seen")? == 1 {
                            StepTarget::Person(person_named(r, "person")?)
                        } else {
                            StepTarget::Hidden
                        }
                    }
                    StepKind::Task => StepTarget::Task,
                };
                Ok(StepView {
                    id: r.try_get("id")?,
                    day: r.try_get("day")?,
                    kind,
                    target,
                    note: r.try_get("note")?,
                    done: traveller.is_some() && r.try_get::<i64, _>("done")? == 1,
                })
            })
            .collect()
    }

    /// The active people on a journey and how far each is, newest first.
    pub async fn travellers(&self, journey: JourneyId) -> Result<Vec<Traveller>, StoreError> {
        let sql = format!(
            "SELECT {person}, a.started_at, {progress} \
             FROM journey_assignments a JOIN users u ON u.id = a.user_id \
             WHERE a.journey_id = $1 AND u.is_active = 1 ORDER BY a.started_at DESC, u.id",
            person = person_columns("u", "person"),
            progress = progress_columns(),
        );
        sqlx::query(&sql)
            .bind(journey)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(Traveller {
                    person: person_named(r, "person")?,
                    started_at: r.try_get("started_at")?,
                    done: r.try_get("done")?,
                    total: r.try_get("total")?,
                })
            })
            .collect()
    }

    /// `person`'s journeys, the latest first, with how far they are.
    pub async fn assignments_of(
        &self,
        person: PersonId,
    ) -> Result<Vec<AssignmentRecord>, StoreError> {
        let sql = format!(
            "SELECT a.id, a.journey_id, j.name, j.description, a.started_at, \
               by_u.id AS by_id, by_u.display_name AS by_name, by_u.job_title AS by_job_title, \
               by_u.avatar_version AS by_avatar, {progress} \
             FROM journey_assignments a JOIN journeys j ON j.id = a.journey_id \
             LEFT JOIN users by_u ON by_u.id = a.assigned_by \
             WHERE a.user_id = $1 ORDER BY a.started_at DESC, a.id DESC",
            progress = progress_columns(),
        );
        sqlx::query(&sql)
            .bind(person)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(AssignmentRecord {
                    id: r.try_get("id")?,
                    journey_id: r.try_get("journey_id")?,
                    name: r.try_get("name")?,
                    description: r.try_get("description")?,
                    started_at: r.try_get("started_at")?,
                    assigned_by: match r.try_get::<Option<PersonId>, _>("by_id")? {
                        Some(_) => Some(person_named(r, "by")?),
                        None => None,
                    },
                    done: r.try_get("done")?,
                    total: r.try_get("total")?,
                })
            })
            .collect()
    }

    /// Whether `viewer` manages `person` and shares their department; `None`: no such
    /// active person.
    pub async fn follow_standing(
        &self,
        viewer: PersonId,
        person: PersonId,
    ) -> Result<Option<FollowStanding>, StoreError> {
        let sql = format!(
            "SELECT {person}, CASE WHEN u.manager_id = $1 THEN 1 ELSE 0 END AS manager, \
               CASE WHEN u.department_id IS NOT NULL AND u.department_id = \
                 (SELECT department_id FROM users WHERE id = $1) THEN 1 ELSE 0 END AS same_department \
             FROM users u WHERE u.id = $2 AND u.is_active = 1",
            person = person_columns("u", "person"),
        );
        let row = sqlx::query(&sql)
            .bind(viewer)
            .bind(person)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(FollowStanding {
                person: person_named(&r, "person")?,
                manager: r.try_get::<i64, _>("manager")? == 1,
                same_department: r.try_get::<i64, _>("same_department")? == 1,
            })
        })
        .transpose()
    }

    pub async fn step(&self, id: StepId) -> Result<Option<StepRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT s.journey_id, s.kind, c.slug, s.page_id FROM journey_steps s \
             LEFT JOIN channels c ON c.id = s.channel_id WHERE s.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(StepRecord {
                journey_id: r.try_get("journey_id")?,
                kind: kind_of(&r)?,
                channel_slug: r.try_get("slug")?,
                page_id: r.try_get("page_id")?,
            })
        })
        .transpose()
    }

    /// `user`'s assignment to `journey`, if they are on it.
    pub async fn assignment(
        &self,
        user: PersonId,
        journey: JourneyId,
    ) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM journey_assignments WHERE user_id = $1 AND journey_id = $2",
        )
        .bind(user)
        .bind(journey)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The page steps of `user`'s journeys that point at `page`: the step, the
    /// assignment it is part of, and whether it is ticked (reading the page once counts
    /// for every journey that asks for it).
    pub async fn page_steps_of(
        &self,
        user: PersonId,
        page: PageId,
    ) -> Result<Vec<PageStep>, StoreError> {
        sqlx::query(
            "SELECT s.id, a.id AS assignment, CASE WHEN EXISTS (SELECT 1 FROM journey_progress jp \
               WHERE jp.assignment_id = a.id AND jp.step_id = s.id) THEN 1 ELSE 0 END AS done \
             FROM journey_steps s JOIN journey_assignments a ON a.journey_id = s.journey_id \
             WHERE s.page_id = $2 AND a.user_id = $1 ORDER BY s.id",
        )
        .bind(user)
        .bind(page)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(PageStep {
                step: r.try_get("id")?,
                assignment: r.try_get("assignment")?,
                done: r.try_get::<i64, _>("done")? == 1,
            })
        })
        .collect()
    }

    /// A channel a step may point at: its id if it exists, is not private and not
    /// archived (anyone on the journey can join it).
    pub async fn joinable_channel(
        &self,
        slug: &str,
    ) -> Result<Option<crate::model::ChannelId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM channels WHERE slug = $1 AND kind <> 'private' AND archived_at IS NULL",
        )
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The channels a step may point at, by name.
    pub async fn joinable_channels(&self) -> Result<Vec<(String, String)>, StoreError> {
        sqlx::query(
            "SELECT slug, name FROM channels WHERE kind <> 'private' AND archived_at IS NULL \
             ORDER BY name, id",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("slug")?, r.try_get("name")?)))
        .collect()
    }

    /// The people a step may name: everyone active but guests, by name.
    pub async fn meetable_people(&self) -> Result<Vec<(PersonId, String)>, StoreError> {
        sqlx::query(
            "SELECT id, display_name FROM users WHERE is_active = 1 AND role <> 'guest' \
             ORDER BY display_name, id",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("display_name")?)))
        .collect()
    }

    /// Whether `person` may be named in a step.
    pub async fn meetable(&self, person: PersonId) -> Result<bool, StoreError> {
        Ok(sqlx::query_scalar::<_, i64>(
            "SELECT id FROM users WHERE id = $1 AND is_active = 1 AND role <> 'guest'",
        )
        .bind(person)
        .fetch_optional(&self.pool)
        .await?
        .is_some())
    }

    /// The people who joined in `[from, to)` (of `department`, if given): when, how far
    /// along their journeys, and when they first posted and first answered a question.
    pub async fn joiners_onboarding(
        &self,
        from: i64,
        to: i64,
        department: Option<DepartmentId>,
    ) -> Result<Vec<Joiner>, StoreError> {
        let sql = format!(
            "SELECT u.created_at, \
               (SELECT COUNT(*) FROM journey_assignments a JOIN journey_steps s \
                 ON s.journey_id = a.journey_id WHERE a.user_id = u.id) AS total, \
               (SELECT COUNT(*) FROM journey_assignments a JOIN journey_steps s \
                 ON s.journey_id = a.journey_id WHERE a.user_id = u.id AND {STEP_DONE}) AS done, \
               (SELECT MIN(p.created_at) FROM posts p WHERE p.author_id = u.id \
                 AND p.deleted_at IS NULL) AS first_post_at, \
               (SELECT MIN(cm.created_at) FROM comments cm JOIN posts q ON q.id = cm.post_id \
                 WHERE cm.author_id = u.id AND cm.parent_id IS NULL AND cm.deleted_at IS NULL \
                 AND q.kind = 'question' AND q.author_id <> u.id) AS first_answer_at \
             FROM users u WHERE u.created_at >= $1 AND u.created_at < $2 AND u.role <> 'guest'{}",
            if department.is_some() {
                " AND u.department_id = $3"
            } else {
                ""
            }
        );
        let mut query = sqlx::query(&sql).bind(from).bind(to);
        if let Some(d) = department {
            query = query.bind(d);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(Joiner {
                    joined_at: r.try_get("created_at")?,
                    total: r.try_get("total")?,
                    done: r.try_get("done")?,
                    first_post_at: r.try_get("first_post_at")?,
                    first_answer_at: r.try_get("first_answer_at")?,
                })
            })
            .collect()
    }
}

impl Tx {
    pub async fn create_journey(
        &mut self,
        journey: &NewJourney<'_>,
        by: PersonId,
        now: i64,
    ) -> Result<JourneyId, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO journeys (name, description, department_id, assign_on_join, join_role, \
               created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
             RETURNING id",
        )
        .bind(journey.name)
        .bind(journey.description)
        .bind(journey.department_id)
        .bind(i64::from(journey.assign_on_join))
        .bind(journey.join_role.map(Role::as_str))
        .bind(by)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    pub async fn update_journey(
        &mut self,
        id: JourneyId,
        journey: &NewJourney<'_>,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE journeys SET name = $2, description = $3, department_id = $4, \
               assign_on_join = $5, join_role = $6, updated_at = $7 WHERE id = $1",
        )
        .bind(id)
        .bind(journey.name)
        .bind(journey.description)
        .bind(journey.department_id)
        .bind(i64::from(journey.assign_on_join))
        .bind(journey.join_role.map(Role::as_str))
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Deletes a journey with its steps, assignments and ticks.
    pub async fn delete_journey(&mut self, id: JourneyId) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM journeys WHERE id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// How many steps `journey` has, read inside the transaction.
    pub async fn step_count(&mut self, journey: JourneyId) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM journey_steps WHERE journey_id = $1")
                .bind(journey)
                .fetch_one(&mut *self.tx)
                .await?,
        )
    }

    pub async fn add_step(
        &mut self,
        journey: JourneyId,
        step: &NewStep<'_>,
        now: i64,
    ) -> Result<StepId, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO journey_steps (journey_id, day, kind, page_id, channel_id, person_id, \
               note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(journey)
        .bind(step.day)
        .bind(step.kind.as_str())
        .bind(step.page_id)
        .bind(step.channel_id)
        .bind(step.person_id)
        .bind(step.note)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    /// Removes a step (and everyone's tick of it); false if it was not there.
    pub async fn remove_step(&mut self, step: StepId) -> Result<bool, StoreError> {
        Ok(sqlx::query("DELETE FROM journey_steps WHERE id = $1")
            .bind(step)
            .execute(&mut *self.tx)
            .await?
            .rows_affected()
            == 1)
    }

    /// Puts `user` on `journey` from `now`; false if they already were.
    pub async fn assign_journey(
        &mut self,
        journey: JourneyId,
        user: PersonId,
        by: Option<PersonId>,
        now: i64,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "INSERT INTO journey_assignments (journey_id, user_id, assigned_by, started_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, journey_id) DO NOTHING",
        )
        .bind(journey)
        .bind(user)
        .bind(by)
        .bind(now)
        .execute(&mut *self.tx)
        .await?
        .rows_affected()
            == 1)
    }

    /// Takes `user` off `journey` with their ticks; false if they were not on it.
    pub async fn unassign_journey(
        &mut self,
        journey: JourneyId,
        user: PersonId,
    ) -> Result<bool, StoreError> {
        Ok(
            sqlx::query("DELETE FROM journey_assignments WHERE journey_id = $1 AND user_id = $2")
                .bind(journey)
                .bind(user)
                .execute(&mut *self.tx)
                .await?
                .rows_affected()
                == 1,
        )
    }

    /// Gives a person who has just joined the journeys meant for their department and
    /// role; answers how many.
    pub async fn assign_on_join(
        &mut self,
        user: PersonId,
        department: Option<DepartmentId>,
        role: Role,
        now: i64,
    ) -> Result<u64, StoreError> {
        Ok(sqlx::query(
            "INSERT INTO journey_assignments (journey_id, user_id, assigned_by, started_at) \
             SELECT j.id, $1, NULL, $2 FROM journeys j WHERE j.assign_on_join = 1 \
               AND (j.department_id IS NULL OR j.department_id = $3) \
               AND ((j.join_role IS NULL AND $4 <> 'guest') OR j.join_role = $4)",
        )
        .bind(user)
        .bind(now)
        .bind(department.map(|d| d.0).unwrap_or(0))
        .bind(role.as_str())
        .execute(&mut *self.tx)
        .await?
        .rows_affected())
    }

    /// Ticks a step off for an assignment (again: no change).
    pub async fn tick_step(
        &mut self,
        assignment: i64,
        step: StepId,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO journey_progress (assignment_id, step_id, done_at) VALUES ($1, $2, $3) \
             ON CONFLICT (assignment_id, step_id) DO NOTHING",
        )
        .bind(assignment)
        .bind(step)
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn untick_step(&mut self, assignment: i64, step: StepId) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM journey_progress WHERE assignment_id = $1 AND step_id = $2")
            .bind(assignment)
            .bind(step)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}
