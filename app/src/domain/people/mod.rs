//! People: profiles (what anyone may read, what a person or an admin may change),
//! departments, and how admins change someone's access (`access`). How people join is
//! in [`crate::domain::invitations`].

pub mod access;
pub mod departments;

use crate::error::{AppError, Field, Invalid};
use crate::input::{limited, list, optional_id, required};
use crate::model::{DepartmentId, PersonId, Profile, TIME_ZONES};
use crate::policy::{allows, Action, Viewer};
use crate::store::{PersonRecord, ProfileUpdate, Store};

pub const MAX_NAME: usize = 100;
pub const MAX_TITLE: usize = 100;
pub const MAX_LOCATION: usize = 100;
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG: usize = 40;
pub const MAX_RESPONSIBILITIES: usize = 20;
pub const MAX_RESPONSIBILITY: usize = 200;

/// A profile form as submitted: every value as text, checked by [`save`].
#[derive(Default)]
pub struct ProfileInput {
    pub name: String,
    pub job_title: String,
    pub location: String,
    pub time_zone: String,
    pub start_date: String,
    pub birthday_month: String,
    pub birthday_day: String,
    pub birthday_public: bool,
    pub expertise: String,
    pub responsibilities: String,
    pub department: Option<String>,
    pub manager: Option<String>,
}

/// Checks and saves `person`'s profile as `viewer`. Department and manager change only
/// when the viewer may edit the organisation; otherwise they are left untouched.
pub async fn save(
    store: &Store,
    viewer: &Viewer,
    person: PersonId,
    input: &ProfileInput,
) -> Result<(), AppError> {
    if !may_edit(store, viewer, person).await? {
        return Err(AppError::Forbidden);
    }
    let record = store.person(person).await?.ok_or(AppError::NotFound)?;
    let name = required(&input.name, Field::Name, MAX_NAME)?;
    let job_title = limited(&input.job_title, Field::JobTitle, MAX_TITLE)?;
    let location = limited(&input.location, Field::Location, MAX_LOCATION)?;
    let time_zone = match input.time_zone.trim() {
        "" => None,
        zone if TIME_ZONES.contains(&zone) => Some(zone),
        _ => return Err(Invalid::Unacceptable(Field::TimeZone).into()),
    };
    let start_date = date(&input.start_date)?;
    let birthday = birthday(&input.birthday_month, &input.birthday_day)?;
    let expertise = list(&input.expertise, Field::Expertise, true, MAX_TAGS, MAX_TAG)?.join("\n");
    let responsibilities = list(
        &input.responsibilities,
        Field::Responsibilities,
        false,
        MAX_RESPONSIBILITIES,
        MAX_RESPONSIBILITY,
    )?
    .join("\n");
    let organisation = if allows(Some(viewer), Action::EditOrganisation) {
        Some(organisation(store, &record, input).await?)
    } else {
        None
    };
    let mut tx = store.begin().await?;
    tx.update_profile(
        person,
        &ProfileUpdate {
            display_name: name,
            job_title,
            location,
            time_zone,
            start_date: start_date.as_deref(),
            birthday: birthday.as_deref(),
            birthday_public: input.birthday_public,
            expertise: &expertise,
            responsibilities: &responsibilities,
            organisation,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `viewer` may change `person`'s profile (name, fields, photo): the policy,
/// asked with the person's role, since only the owner edits the owner. Every path that
/// changes a profile asks here, the photo upload included.
pub async fn may_edit(store: &Store, viewer: &Viewer, person: PersonId) -> Result<bool, AppError> {
    if person == viewer.user_id {
        return Ok(allows(
            Some(viewer),
            Action::EditProfile {
                person,
                role: viewer.role,
            },
        ));
    }
    // Someone who does not exist is nobody's to edit; staff then hear "not found".
    let role = match store.person(person).await? {
        Some(record) => record.role,
        None => crate::model::Role::Member,
    };
    Ok(allows(Some(viewer), Action::EditProfile { person, role }))
}

/// The department and manager chosen, checked: both must exist, the manager must be an
/// active colleague, and nobody may end up managing their own manager.
async fn organisation(
    store: &Store,
    record: &PersonRecord,
    input: &ProfileInput,
) -> Result<(Option<DepartmentId>, Option<PersonId>), AppError> {
    let department = optional_id(input.department.as_deref(), Field::Department)?;
    if let Some(id) = department {
        if !store.department_exists(id).await? {
            return Err(Invalid::Unacceptable(Field::Department).into());
        }
    }
    let manager = optional_id(input.manager.as_deref(), Field::Manager)?;
    if let Some(id) = manager {
        // Unchanged managers stay even if they have since been deactivated.
        if record.manager_id != Some(id) {
            match store.person(id).await? {
                Some(m) if m.active && m.role != crate::model::Role::Guest => {}
                _ => return Err(Invalid::Unacceptable(Field::Manager).into()),
            }
        }
        if id == record.person.id
            || store
                .manager_chain(id)
                .await?
                .iter()
                .any(|p| p.id == record.person.id)
        {
            return Err(Invalid::ManagerLoop.into());
        }
    }
    Ok((department, manager))
}

/// `YYYY-MM-DD` (what `<input type="date">` sends), or nothing.
fn date(value: &str) -> Result<Option<String>, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    // Measured before it is parsed, like every other field.
    if value.len() > "YYYY-MM-DD".len() {
        return Err(Invalid::Unacceptable(Field::StartDate).into());
    }
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(|d| Some(d.format("%Y-%m-%d").to_string()))
        .map_err(|_| Invalid::Unacceptable(Field::StartDate).into())
}

/// A birthday without a year, as `MM-DD`; both parts or neither. 29 February exists.
fn birthday(month: &str, day: &str) -> Result<Option<String>, AppError> {
    let (month, day) = (month.trim(), day.trim());
    if month.is_empty() && day.is_empty() {
        return Ok(None);
    }
    let bad = || AppError::from(Invalid::Unacceptable(Field::Birthday));
    if month.len() > 2 || day.len() > 2 {
        return Err(bad());
    }
    let month: u32 = month.parse().map_err(|_| bad())?;
    let day: u32 = day.parse().map_err(|_| bad())?;
    // 2024 is a leap year, so every real birthday is a valid date in it.
    chrono::NaiveDate::from_ymd_opt(2024, month, day).ok_or_else(bad)?;
    Ok(Some(format!("{month:02}-{day:02}")))
}

/// `person`'s profile as `viewer` may see it, or `None` if they may not see it at all.
pub async fn view(
    store: &Store,
    viewer: &Viewer,
    person: PersonId,
) -> Result<Option<Profile>, AppError> {
    let Some(record) = store.person(person).await? else {
        return Ok(None);
    };
    // The one rule for people: a guest sees only those who share a channel with them;
    // anyone else's profile does not exist for them, so an id reveals nothing either.
    let shares_channel = store.may_see_person(viewer.user_id, person).await?;
    if !allows(
        Some(viewer),
        Action::ReadProfile {
            person,
            shares_channel,
        },
    ) {
        return Ok(None);
    }
    let may_edit = allows(
        Some(viewer),
        Action::EditProfile {
            person,
            role: record.role,
        },
    );
    let may_manage = allows(
        Some(viewer),
        Action::SetActive {
            person,
            role: record.role,
        },
    );
    let may_reset = record.active
        && allows(
            Some(viewer),
            Action::MakeResetLink {
                person,
                role: record.role,
            },
        );
    // Deactivated people are still shown (their posts link here), but only admins see
    // more than that they have left.
    let split = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    };
    Ok(Some(Profile {
        managers: store.visible_manager_chain(person, viewer.user_id).await?,
        reports: store.direct_reports(person, viewer.user_id).await?,
        utc_offset_minutes: record
            .time_zone
            .as_deref()
            .map(crate::calendar::utc_offset_minutes),
        birthday: record
            .birthday
            .filter(|_| record.birthday_public || may_edit),
        email: if viewer.is_guest() {
            String::new()
        } else {
            record.email
        },
        person: record.person,
        role: record.role,
        active: record.active,
        leader: record.leader,
        department: record.department,
        location: record.location,
        time_zone: record.time_zone,
        start_date: record.start_date,
        birthday_public: record.birthday_public,
        expertise: split(&record.expertise),
        responsibilities: split(&record.responsibilities),
        may_edit,
        may_manage,
        may_reset,
        origin: String::new(),
        now_ms: crate::store::now_ms(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthdays_have_no_year_and_must_exist() {
        assert_eq!(birthday("", ""), Ok(None));
        assert_eq!(birthday("2", "29"), Ok(Some("02-29".into())));
        assert_eq!(birthday("12", "5"), Ok(Some("12-05".into())));
        let bad = Err(Invalid::Unacceptable(Field::Birthday).into());
        assert_eq!(birthday("2", "30"), bad);
        assert_eq!(birthday("13", "1"), bad);
        assert_eq!(birthday("3", ""), bad);
        assert_eq!(birthday(&"1".repeat(1_000_000), "1"), bad);
    }

    #[test]
    fn dates_are_real_calendar_days() {
        assert_eq!(date(" 2024-03-01 "), Ok(Some("2024-03-01".into())));
        assert_eq!(date(""), Ok(None));
        assert_eq!(
            date("2023-02-29"),
            Err(Invalid::Unacceptable(Field::StartDate).into())
        );
        assert_eq!(
            date(&"2024-03-01".repeat(100_000)),
            Err(Invalid::Unacceptable(Field::StartDate).into())
        );
    }
}
