//! Profiles: reading and editing them, and admins changing someone's access.

// `save_profile` takes one argument per form field, so the plain HTML form posts as it
// is; the server macro's browser-side twin does not carry a per-function allow.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::{PersonId, Profile, ProfileForm};
use leptos::prelude::*;

/// One person's profile, with their manager chain and direct reports.
#[server(prefix = "/api", endpoint = "people/profile")]
pub async fn person_profile(id: PersonId) -> Result<Profile, AppError> {
    super::context::respond(
        async move {
            use super::context::{origin, signed_in, store};
            let mut profile = crate::domain::people::view(&store()?, &signed_in()?, id)
                .await?
                .ok_or(AppError::NotFound)?;
            if profile.may_reset {
                profile.origin = origin();
            }
            Ok(profile)
        }
        .await,
    )
}

/// What the edit form for `id`'s profile starts from.
#[server(prefix = "/api", endpoint = "people/profile-form")]
pub async fn editable_profile(id: PersonId) -> Result<ProfileForm, AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            use crate::model::DepartmentRef;
            use crate::policy::{allows, Action};
            let viewer = signed_in()?;
            let store = store()?;
            if !crate::domain::people::may_edit(&store, &viewer, id).await? {
                return Err(AppError::Forbidden);
            }
            let profile = crate::domain::people::view(&store, &viewer, id)
                .await?
                .ok_or(AppError::NotFound)?;
            let may_edit_organisation = allows(Some(&viewer), Action::EditOrganisation);
            let (departments, managers) = if may_edit_organisation {
                let departments = store
                    .departments()
                    .await?
                    .into_iter()
                    .map(|d| DepartmentRef {
                        id: d.id,
                        name: d.name,
                    })
                    .collect();
                (departments, store.possible_managers(id).await?)
            } else {
                (Vec::new(), Vec::new())
            };
            Ok(ProfileForm {
                profile,
                departments,
                managers,
                may_edit_organisation,
            })
        }
        .await,
    )
}

/// Saves a profile and goes back to it.
#[server(prefix = "/api", endpoint = "people/save")]
pub async fn save_profile(
    person: PersonId,
    name: String,
    job_title: String,
    location: String,
    time_zone: String,
    start_date: String,
    birthday_month: String,
    birthday_day: String,
    birthday_public: Option<String>,
    expertise: String,
    responsibilities: String,
    department: Option<String>,
    manager: Option<String>,
) -> Result<PersonId, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let input = crate::domain::people::ProfileInput {
                name,
                job_title,
                location,
                time_zone,
                start_date,
                birthday_month,
                birthday_day,
                birthday_public: birthday_public.is_some(),
                expertise,
                responsibilities,
                department,
                manager,
            };
            crate::domain::people::save(&store()?, &signed_in()?, person, &input).await?;
            redirect_plain_form(&format!("/people/{person}"));
            Ok(person)
        }
        .await,
    )
}

/// Goes back to initials.
#[server(prefix = "/api", endpoint = "people/remove-avatar")]
pub async fn remove_avatar(person: PersonId) -> Result<PersonId, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let store = store()?;
            if !crate::domain::people::may_edit(&store, &signed_in()?, person).await? {
                return Err(AppError::Forbidden);
            }
            let mut tx = store.begin().await?;
            tx.remove_avatar(person).await?;
            tx.commit().await?;
            redirect_plain_form(&format!("/people/{person}/edit"));
            Ok(person)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "people/role")]
pub async fn change_role(
    person: PersonId,
    role: String,
    keep: Option<String>,
) -> Result<PersonId, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let (store, viewer, now) = (store()?, signed_in()?, crate::store::now_ms());
            let keep = keep.as_deref();
            crate::domain::people::access::change_role(&store, &viewer, person, &role, keep, now)
                .await?;
            redirect_plain_form(&format!("/people/{person}"));
            Ok(person)
        }
        .await,
    )
}

/// Deactivates (`active` false: signed out everywhere at once) or reactivates someone.
#[server(prefix = "/api", endpoint = "people/active")]
pub async fn set_active(person: PersonId, active: bool) -> Result<PersonId, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::people::access::set_active(
                &store()?,
                &signed_in()?,
                person,
                active,
                now,
            )
            .await?;
            redirect_plain_form(&format!("/people/{person}"));
            Ok(person)
        }
        .await,
    )
}

/// Gives or takes the "leader" permission (reading the adoption dashboard); staff only,
/// and never to a guest. Answers the person's id, whose page shows the change.
#[server(prefix = "/api", endpoint = "people/leader")]
pub async fn set_leader(person: PersonId, leader: bool) -> Result<PersonId, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            crate::domain::people::access::set_leader(&store()?, &signed_in()?, person, leader)
                .await?;
            redirect_plain_form(&format!("/people/{person}"));
            Ok(person)
        }
        .await,
    )
}
