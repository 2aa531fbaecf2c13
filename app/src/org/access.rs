//! Admins changing what someone may do: their role, and whether they may sign in at all.

use crate::error::{AppError, Field, Invalid};
use crate::model::Role;
use crate::policy::{allows, Action, Viewer};
use crate::store::Store;

/// Changes `person`'s role as `viewer`.
pub async fn change_role(
    store: &Store,
    viewer: &Viewer,
    person: i64,
    role: &str,
) -> Result<(), AppError> {
    let to = Role::parse(role.trim()).ok_or(Invalid::Unacceptable(Field::Role))?;
    let record = store.person(person).await?.ok_or(AppError::NotFound)?;
    let action = Action::ChangeRole {
        person,
        from: record.role,
        to,
    };
    if !allows(Some(viewer), action) {
        return Err(AppError::Forbidden);
    }
    let mut tx = store.begin().await?;
    tx.set_role(person, to).await?;
    tx.commit().await?;
    Ok(())
}

/// Deactivates (signing them out everywhere at once) or reactivates `person`.
pub async fn set_active(
    store: &Store,
    viewer: &Viewer,
    person: i64,
    active: bool,
    now: i64,
) -> Result<(), AppError> {
    let record = store.person(person).await?.ok_or(AppError::NotFound)?;
    if !allows(
        Some(viewer),
        Action::SetActive {
            person,
            role: record.role,
        },
    ) {
        return Err(AppError::Forbidden);
    }
    let mut tx = store.begin().await?;
    tx.set_active(person, active, now).await?;
    tx.commit().await?;
    Ok(())
}
