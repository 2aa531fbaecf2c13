//! Getting back in: one-time links that set a new password. An admin makes one for a
//! person from their profile (no e-mail set-up needed, as with invitations) and hands
//! it over; the operator makes one from the command line (`townhall reset-link`), the
//! owner's way back. A link lasts [`VALID_HOURS`], works once, is replaced by a newer
//! one, and when used ends every session of the person's before signing this browser
//! in. Whatever is wrong with a link, the answer is the same ([`AppError::ResetLink`]).

use super::{password, session, start_session};
use crate::domain::channels::membership_changed;
use crate::error::AppError;
use crate::model::{PersonId, ResetDetails};
use crate::policy::{allows, Action, Viewer};
use crate::store::Store;

/// How long a reset link works.
pub const VALID_HOURS: i64 = 24;
const HOUR_MS: i64 = 60 * 60 * 1000;

/// Makes a reset link for `person` as `viewer` ([`Action::MakeResetLink`]) and returns
/// its secret token (the link's last part); only its hash is stored, so the link is
/// shown this once. Deactivated people get none: they may not sign in at all.
pub async fn create(
    store: &Store,
    viewer: &Viewer,
    person: PersonId,
    now: i64,
) -> Result<String, AppError> {
    let record = store.person(person).await?.ok_or(AppError::NotFound)?;
    if !allows(
        Some(viewer),
        Action::MakeResetLink {
            person,
            role: record.role,
        },
    ) {
        return Err(AppError::Forbidden);
    }
    if !record.active {
        return Err(AppError::Deactivated);
    }
    issue(store, person, Some(viewer.user_id), now).await
}

/// Makes a reset link for the active account with address `email`, for the operator
/// on the server's command line (who may already read the whole database).
pub async fn create_for_operator(store: &Store, email: &str, now: i64) -> Result<String, AppError> {
    let found = store
        .credentials(email.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    if !found.is_active {
        return Err(AppError::Deactivated);
    }
    issue(store, found.user_id, None, now).await
}

pub(crate) async fn issue(
    store: &Store,
    person: PersonId,
    by: Option<PersonId>,
    now: i64,
) -> Result<String, AppError> {
    let token = session::new_token().map_err(|_| AppError::Internal)?;
    let mut tx = store.begin().await?;
    tx.create_password_reset(
        &session::token_hash(&token),
        person,
        by,
        now,
        now + VALID_HOURS * HOUR_MS,
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// What the reset page shows: whose password it sets (anyone holding the link may ask).
pub async fn details(store: &Store, token: &str, now: i64) -> Result<ResetDetails, AppError> {
    let hash = session::link_hash(token).ok_or(AppError::ResetLink)?;
    let holder = store
        .password_reset(&hash, now)
        .await?
        .ok_or(AppError::ResetLink)?;
    let company_name = store
        .company()
        .await?
        .map(|(site, _)| site.company_name)
        .unwrap_or_default();
    Ok(ResetDetails {
        company_name,
        name: holder.name,
    })
}

/// Sets the new password through the link: checked like any password before any
/// hashing, then, in one transaction, the link is used up, the password replaced, every
/// session of the person's ended (their open live streams close) and a new one started
/// for this browser, whose token is returned. A refused password leaves the link usable.
pub async fn set_password(
    store: &Store,
    token: &str,
    new_password: &str,
    now: i64,
) -> Result<String, AppError> {
    let hash_of_token = session::link_hash(token).ok_or(AppError::ResetLink)?;
    let holder = store
        .password_reset(&hash_of_token, now)
        .await?
        .ok_or(AppError::ResetLink)?;
    password::check(new_password, &holder.email)?;
    let hash = password::hash(new_password.to_owned()).await?;
    let mut tx = store.begin().await?;
    // Claimed again inside the transaction: of two tabs sending at once, one wins.
    if tx.use_password_reset(&hash_of_token, now).await? != Some(holder.user_id) {
        return Err(AppError::ResetLink);
    }
    tx.set_password_hash(holder.user_id, &hash).await?;
    tx.delete_sessions_of(holder.user_id).await?;
    // Failed attempts against the old password no longer hold the account back.
    let subject = format!("account:{}", holder.email.to_lowercase());
    tx.clear_sign_in_failures(&subject, now - super::FAILURE_WINDOW_MS)
        .await?;
    membership_changed(&mut tx, holder.user_id, now).await?;
    let session = start_session(&mut tx, holder.user_id, now).await?;
    tx.commit().await?;
    Ok(session)
}
