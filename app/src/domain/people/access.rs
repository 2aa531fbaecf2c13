//! Admins changing what someone may do: their role, whether they may sign in at all,
//! and whether they read the adoption dashboard.

use crate::domain::channels::{manageable_channels, membership_changed};
use crate::error::{AppError, Field, Invalid};
use crate::input::optional_id;
use crate::model::{ChannelId, PersonId, Role};
use crate::policy::{allows, Action, Viewer};
use crate::store::Store;

/// Changes `person`'s role as `viewer`. A member (or admin) turned guest leaves every
/// channel, the company-wide ones included: guests are only in channels they were
/// explicitly given. `keep` names the one channel they keep (or are put in), chosen as
/// a guest invitation's channel is: one `viewer` may manage.
pub async fn change_role(
    store: &Store,
    viewer: &Viewer,
    person: PersonId,
    role: &str,
    keep: Option<&str>,
    now: i64,
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
    let becomes_guest = to == Role::Guest && record.role != Role::Guest;
    let kept = if becomes_guest {
        channel_a_guest_keeps(store, viewer, keep).await?
    } else {
        None
    };
    // One transaction: the role and the memberships it allows change together.
    let mut tx = store.begin().await?;
    tx.set_role(person, to).await?;
    if becomes_guest {
        tx.leave_channels_except(person, kept, now).await?;
    }
    // Their open live streams re-read who they are and what they may read.
    membership_changed(&mut tx, person, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The channel a member turned guest keeps, if the admin named one: it must be one
/// `viewer` may manage (the same rule as inviting a guest into it), and not the
/// company-wide channel, which is for members.
async fn channel_a_guest_keeps(
    store: &Store,
    viewer: &Viewer,
    keep: Option<&str>,
) -> Result<Option<ChannelId>, AppError> {
    let Some(id) = optional_id(keep, Field::Channel)? else {
        return Ok(None);
    };
    let allowed = manageable_channels(store, viewer)
        .await?
        .iter()
        .any(|c| c.id == id && !c.summary.is_default);
    if allowed {
        Ok(Some(id))
    } else {
        Err(Invalid::Unacceptable(Field::Channel).into())
    }
}

/// Deactivates (signing them out everywhere at once) or reactivates `person`.
pub async fn set_active(
    store: &Store,
    viewer: &Viewer,
    person: PersonId,
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
    if !active {
        // Nothing is orphaned: their knowledge pages pass on, in this transaction.
        crate::domain::knowledge::hand_over(&mut tx, person, now).await?;
    }
    // Ends their open live streams now, not at the next session check.
    membership_changed(&mut tx, person, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives or takes the "leader" permission (reading the adoption dashboard). Only staff
/// manage people at all; a guest is never made a leader.
pub async fn set_leader(
    store: &Store,
    viewer: &Viewer,
    person: PersonId,
    leader: bool,
) -> Result<(), AppError> {
    if !allows(Some(viewer), Action::ManagePeople) {
        return Err(AppError::Forbidden);
    }
    let record = store.person(person).await?.ok_or(AppError::NotFound)?;
    let action = Action::SetLeader {
        role: record.role,
        leader,
    };
    if !allows(Some(viewer), action) {
        return Err(AppError::Forbidden);
    }
    let mut tx = store.begin().await?;
    tx.set_leader(person, leader).await?;
    tx.commit().await?;
    Ok(())
}
