//! Onboarding journeys: admins and department heads (leaders) write journeys — pages to
//! read, channels to join, people to meet and tasks, each on a day of the first weeks.
//! A journey is given on joining by department and role ([`on_join`]) or by hand
//! ([`assign`]); the new hire ticks steps off, and they, their manager, HR (staff) and
//! their department's leaders see how far they are.
//!
//! Who may do what is `policy::Action::{ListJourneys, ManageJourney, FollowJourney,
//! AssignJourney}`. Step targets are shown to each reader only as far as they may see
//! them (a page in a private channel stays a hidden step to someone outside it).

use crate::error::{AppError, Field, Invalid};
use crate::input::{limited, required};
use crate::model::journeys::{
    JourneyEditor, JourneyId, JourneyProgress, JourneySummary, JourneysHome, PersonJourneys,
    StepChoices, StepId, StepKind, MAX_DAY, MAX_DESCRIPTION, MAX_NAME, MAX_NOTE, MAX_STEPS,
};
use crate::model::{DepartmentId, DepartmentRef, NotificationKind, PageId, PersonId, Role};
use crate::policy::{allows, Action, Viewer};
use crate::store::{
    JourneyRecord, NewJourney, NewNotification, NewStep, Reader, Store, StoreError, Tx,
};

/// A journey's form, before it is checked.
#[derive(Clone, Copy, Debug)]
pub struct JourneyInput<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub department: Option<DepartmentId>,
    pub assign_on_join: bool,
    pub join_role: Option<Role>,
}

/// A step's form, before it is checked: the target that goes with `kind`.
#[derive(Clone, Copy, Debug)]
pub struct StepInput<'a> {
    pub day: i64,
    pub kind: StepKind,
    pub page: Option<PageId>,
    /// A channel's address.
    pub channel: &'a str,
    pub person: Option<PersonId>,
    pub note: &'a str,
}

/// Whether `viewer` may change `journey` (staff; a leader, their department's).
fn may_manage(
    viewer: &Viewer,
    department: Option<DepartmentId>,
    mine: Option<DepartmentId>,
) -> bool {
    allows(
        Some(viewer),
        Action::ManageJourney {
            department: department.map(|d| Some(d) == mine),
        },
    )
}

/// The departments `viewer` may write journeys for, and whether the whole company.
async fn departments_for(
    store: &Store,
    viewer: &Viewer,
    mine: Option<DepartmentId>,
) -> Result<(Vec<DepartmentRef>, bool), AppError> {
    let departments = store
        .departments()
        .await?
        .into_iter()
        .filter(|d| may_manage(viewer, Some(d.id), mine))
        .map(|d| DepartmentRef {
            id: d.id,
            name: d.name,
        })
        .collect();
    Ok((departments, may_manage(viewer, None, mine)))
}

fn summary(record: JourneyRecord, may_edit: bool) -> JourneySummary {
    JourneySummary {
        id: record.id,
        name: record.name,
        description: record.description,
        department: record.department,
        assign_on_join: record.assign_on_join,
        join_role: record.join_role,
        steps: record.steps,
        people: record.people,
        may_edit,
    }
}

/// `/journeys`: every journey (staff and leaders), each saying whether the reader may
/// change it.
pub async fn home(store: &Store, viewer: &Viewer) -> Result<JourneysHome, AppError> {
    if !allows(Some(viewer), Action::ListJourneys) {
        return Err(AppError::Forbidden);
    }
    let mine = store.department_of(viewer.user_id).await?;
    let (departments, may_company) = departments_for(store, viewer, mine).await?;
    let journeys = store
        .journeys()
        .await?
        .into_iter()
        .map(|j| {
            let may_edit = may_manage(viewer, j.department.as_ref().map(|d| d.id), mine);
            summary(j, may_edit)
        })
        .collect();
    Ok(JourneysHome {
        journeys,
        departments,
        may_company,
    })
}

/// A journey `viewer` may list, and whether they may change it.
async fn listed(
    store: &Store,
    viewer: &Viewer,
    id: JourneyId,
) -> Result<(JourneyRecord, bool, Option<DepartmentId>), AppError> {
    if !allows(Some(viewer), Action::ListJourneys) {
        return Err(AppError::Forbidden);
    }
    let journey = store.journey(id).await?.ok_or(AppError::NotFound)?;
    let mine = store.department_of(viewer.user_id).await?;
    let may_edit = may_manage(viewer, journey.department.as_ref().map(|d| d.id), mine);
    Ok((journey, may_edit, mine))
}

/// A journey `viewer` may change.
async fn managed(store: &Store, viewer: &Viewer, id: JourneyId) -> Result<JourneyRecord, AppError> {
    let (journey, may_edit, _) = listed(store, viewer, id).await?;
    if !may_edit {
        return Err(AppError::Forbidden);
    }
    Ok(journey)
}

/// `/journeys/{id}`: the journey, its steps, who is on it; for those who may change
/// it, what steps may point at.
pub async fn editor(
    store: &Store,
    viewer: &Viewer,
    id: JourneyId,
) -> Result<JourneyEditor, AppError> {
    let (journey, may_edit, mine) = listed(store, viewer, id).await?;
    let reader = Reader::of(viewer);
    let steps = store.journey_steps(reader, id, None).await?;
    let travellers = store.travellers(id).await?;
    let (choices, (departments, may_company)) = if may_edit {
        (
            StepChoices {
                pages: store
                    .readable_pages(reader)
                    .await?
                    .into_iter()
                    .map(|p| (p.id, p.title))
                    .collect(),
                channels: store.joinable_channels().await?,
                people: store.meetable_people().await?,
            },
            departments_for(store, viewer, mine).await?,
        )
    } else {
        (StepChoices::default(), (Vec::new(), false))
    };
    Ok(JourneyEditor {
        journey: summary(journey, may_edit),
        steps,
        travellers,
        choices,
        departments,
        may_company,
        utc_offset_minutes: utc_offset(store).await?,
    })
}

/// The name and description trimmed and bounded, the role one a journey can be for.
fn checked_journey<'a>(input: &JourneyInput<'a>) -> Result<NewJourney<'a>, AppError> {
    let name = required(input.name, Field::JourneyName, MAX_NAME)?;
    let description = limited(input.description, Field::Description, MAX_DESCRIPTION)?;
    if input.join_role == Some(Role::Owner) {
        return Err(Invalid::Unacceptable(Field::JoinRule).into());
    }
    Ok(NewJourney {
        name,
        description,
        department_id: input.department,
        assign_on_join: input.assign_on_join,
        join_role: input.join_role,
    })
}

/// Refuses a department that does not exist (a stale form) or that `viewer` may not
/// write journeys for.
async fn check_department(
    store: &Store,
    viewer: &Viewer,
    department: Option<DepartmentId>,
) -> Result<(), AppError> {
    if let Some(d) = department {
        if !store.departments().await?.iter().any(|x| x.id == d) {
            return Err(Invalid::Unacceptable(Field::Department).into());
        }
    }
    let mine = store.department_of(viewer.user_id).await?;
    if !may_manage(viewer, department, mine) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Starts a journey; answers its id.
pub async fn create(
    store: &Store,
    viewer: &Viewer,
    input: &JourneyInput<'_>,
    now: i64,
) -> Result<JourneyId, AppError> {
    if !allows(Some(viewer), Action::ListJourneys) {
        return Err(AppError::Forbidden);
    }
    let journey = checked_journey(input)?;
    check_department(store, viewer, input.department).await?;
    let mut tx = store.begin().await?;
    let id = tx.create_journey(&journey, viewer.user_id, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a journey's name, description, department and who gets it on joining.
pub async fn save(
    store: &Store,
    viewer: &Viewer,
    id: JourneyId,
    input: &JourneyInput<'_>,
    now: i64,
) -> Result<(), AppError> {
    let journey = checked_journey(input)?;
    managed(store, viewer, id).await?;
    // Moving it to another department needs the right to keep that one's journeys.
    check_department(store, viewer, input.department).await?;
    let mut tx = store.begin().await?;
    tx.update_journey(id, &journey, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a journey, its steps and everyone's progress on it.
pub async fn delete(store: &Store, viewer: &Viewer, id: JourneyId) -> Result<(), AppError> {
    managed(store, viewer, id).await?;
    let mut tx = store.begin().await?;
    tx.delete_journey(id).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a step; its target must be one the writer may see and the traveller can reach:
/// a page the writer may read, a channel anyone may join, an active colleague.
pub async fn add_step(
    store: &Store,
    viewer: &Viewer,
    journey: JourneyId,
    input: &StepInput<'_>,
    now: i64,
) -> Result<StepId, AppError> {
    if !(1..=MAX_DAY).contains(&input.day) {
        return Err(Invalid::OutOfRange(Field::StepDay, 1, MAX_DAY).into());
    }
    let note = match input.kind {
        StepKind::Task => required(input.note, Field::StepNote, MAX_NOTE)?,
        _ => limited(input.note, Field::StepNote, MAX_NOTE)?,
    };
    managed(store, viewer, journey).await?;
    let bad_target = || AppError::from(Invalid::Unacceptable(Field::StepTarget));
    let mut step = NewStep {
        day: input.day,
        kind: input.kind,
        page_id: None,
        channel_id: None,
        person_id: None,
        note,
    };
    match input.kind {
        StepKind::Page => {
            let page = input.page.ok_or_else(bad_target)?;
            if store.page(Reader::of(viewer), page).await?.is_none() {
                return Err(bad_target());
            }
            step.page_id = Some(page);
        }
        StepKind::Channel => {
            step.channel_id = Some(
                store
                    .joinable_channel(input.channel.trim())
                    .await?
                    .ok_or_else(bad_target)?,
            );
        }
        StepKind::Person => {
            let person = input.person.ok_or_else(bad_target)?;
            if !store.meetable(person).await? {
                return Err(bad_target());
            }
            step.person_id = Some(person);
        }
        StepKind::Task => {}
    }
    let mut tx = store.begin().await?;
    if tx.step_count(journey).await? >= MAX_STEPS as i64 {
        return Err(Invalid::TooMany(Field::StepTarget, MAX_STEPS).into());
    }
    let id = tx.add_step(journey, &step, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a step from its journey; answers the journey's id.
pub async fn remove_step(
    store: &Store,
    viewer: &Viewer,
    step: StepId,
) -> Result<JourneyId, AppError> {
    let record = store.step(step).await?.ok_or(AppError::NotFound)?;
    managed(store, viewer, record.journey_id).await?;
    let mut tx = store.begin().await?;
    tx.remove_step(step).await?;
    tx.commit().await?;
    Ok(record.journey_id)
}

/// The company's UTC offset, for the dates of journeys.
async fn utc_offset(store: &Store) -> Result<i32, AppError> {
    let zone = store.company().await?.map(|(_, tz)| tz).unwrap_or_default();
    Ok(crate::calendar::utc_offset_minutes(&zone))
}

/// The journeys of `person`, as `viewer` may see them, with what `viewer` may give them.
async fn journeys_of(
    store: &Store,
    viewer: &Viewer,
    person: PersonId,
    now: i64,
) -> Result<PersonJourneys, AppError> {
    let standing = store
        .follow_standing(viewer.user_id, person)
        .await?
        .ok_or(AppError::NotFound)?;
    let follow = Action::FollowJourney {
        person,
        manager: standing.manager,
        same_department: standing.same_department,
    };
    if !allows(Some(viewer), follow) {
        return Err(AppError::Forbidden);
    }
    let may_assign = allows(
        Some(viewer),
        Action::AssignJourney {
            manager: standing.manager,
            same_department: standing.same_department,
        },
    );
    let calendar = store.calendar().await?;
    let reader = Reader::of(viewer);
    let mut journeys = Vec::new();
    let assignments = store.assignments_of(person).await?;
    for a in &assignments {
        journeys.push(JourneyProgress {
            id: a.journey_id,
            name: a.name.clone(),
            description: a.description.clone(),
            started_at: a.started_at,
            today: calendar.day(now) - calendar.day(a.started_at) + 1,
            steps: store
                .journey_steps(reader, a.journey_id, Some((a.id, person)))
                .await?,
            done: a.done,
            total: a.total,
            assigned_by: a.assigned_by.clone(),
        });
    }
    let assignable = if may_assign {
        store
            .journeys()
            .await?
            .into_iter()
            .filter(|j| !assignments.iter().any(|a| a.journey_id == j.id))
            .map(|j| (j.id, j.name))
            .collect()
    } else {
        Vec::new()
    };
    Ok(PersonJourneys {
        person: standing.person,
        mine: person == viewer.user_id,
        journeys,
        assignable,
        may_assign,
        utc_offset_minutes: utc_offset(store).await?,
    })
}

/// `viewer`'s own journeys (`/journey`, and "Your first weeks" on the home page).
pub async fn mine(store: &Store, viewer: &Viewer, now: i64) -> Result<PersonJourneys, AppError> {
    journeys_of(store, viewer, viewer.user_id, now).await
}

/// Someone's journeys, for their manager, HR and their department's leaders.
pub async fn of_person(
    store: &Store,
    viewer: &Viewer,
    person: PersonId,
    now: i64,
) -> Result<PersonJourneys, AppError> {
    journeys_of(store, viewer, person, now).await
}

/// Where `viewer` stands towards `person` for giving or taking back a journey.
async fn check_assign(store: &Store, viewer: &Viewer, person: PersonId) -> Result<(), AppError> {
    let standing = store
        .follow_standing(viewer.user_id, person)
        .await?
        .ok_or(AppError::NotFound)?;
    let action = Action::AssignJourney {
        manager: standing.manager,
        same_department: standing.same_department,
    };
    if !allows(Some(viewer), action) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Gives `person` a journey by hand, starting today; they are told. Giving it again
/// changes nothing.
pub async fn assign(
    store: &Store,
    viewer: &Viewer,
    journey: JourneyId,
    person: PersonId,
    now: i64,
) -> Result<(), AppError> {
    check_assign(store, viewer, person).await?;
    if store.journey(journey).await?.is_none() {
        return Err(Invalid::Unacceptable(Field::Journey).into());
    }
    let mut tx = store.begin().await?;
    if tx
        .assign_journey(journey, person, Some(viewer.user_id), now)
        .await?
        && person != viewer.user_id
    {
        tell(&mut tx, person, Some(viewer.user_id), now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Takes a journey back (with the person's ticks).
pub async fn unassign(
    store: &Store,
    viewer: &Viewer,
    journey: JourneyId,
    person: PersonId,
) -> Result<(), AppError> {
    check_assign(store, viewer, person).await?;
    let mut tx = store.begin().await?;
    if !tx.unassign_journey(journey, person).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

async fn tell(
    tx: &mut Tx,
    person: PersonId,
    actor: Option<PersonId>,
    now: i64,
) -> Result<(), StoreError> {
    tx.notify(
        &[NewNotification {
            user_id: person,
            kind: NotificationKind::Journey,
            actor_id: actor,
            post_id: None,
            comment_id: None,
        }],
        now,
    )
    .await
}

/// A step of one of `viewer`'s own journeys, and their assignment to it.
async fn own_step(
    store: &Store,
    viewer: &Viewer,
    step: StepId,
) -> Result<(crate::store::StepRecord, i64), AppError> {
    let record = store.step(step).await?.ok_or(AppError::NotFound)?;
    let assignment = store
        .assignment(viewer.user_id, record.journey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((record, assignment))
}

/// Ticks off a step of one's own journey. A channel step is done by joining the channel
/// (as the channel's own join button would).
pub async fn tick(store: &Store, viewer: &Viewer, step: StepId, now: i64) -> Result<(), AppError> {
    let (record, assignment) = own_step(store, viewer, step).await?;
    if record.kind == StepKind::Channel {
        let slug = record.channel_slug.ok_or(AppError::NotFound)?;
        return crate::domain::channels::join(store, viewer, &slug, now).await;
    }
    let mut tx = store.begin().await?;
    tx.tick_step(assignment, step, now).await?;
    // A page read once is read for every journey of one's that asks for it.
    if let Some(page) = record.page_id {
        for other in store.page_steps_of(viewer.user_id, page).await? {
            if !other.done {
                tx.tick_step(other.assignment, other.step, now).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Takes a tick back (a channel step is undone by leaving the channel, not here).
pub async fn untick(store: &Store, viewer: &Viewer, step: StepId) -> Result<(), AppError> {
    let (_, assignment) = own_step(store, viewer, step).await?;
    let mut tx = store.begin().await?;
    tx.untick_step(assignment, step).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives someone who has just joined the journeys meant for their department and role
/// (inside the transaction that creates them); they are told.
pub async fn on_join(
    tx: &mut Tx,
    person: PersonId,
    department: Option<DepartmentId>,
    role: Role,
    now: i64,
) -> Result<(), StoreError> {
    if tx.assign_on_join(person, department, role, now).await? > 0 {
        tell(tx, person, None, now).await?;
    }
    Ok(())
}
