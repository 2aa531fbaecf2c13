//! E-mail: what Townhall sends and when. Two kinds of mail, both queued in the outbox
//! (`store::mail`) and written only when sent, so that nothing secret waits in a table
//! and nothing is sent that its reader may no longer read:
//! - a password reset link, when someone asks on "Forgot password?" ([`forgot`]);
//! - the digest ([`digest`]), weekly by default (Monday), daily or off by preference, at
//!   08:00 in the person's time zone: unacknowledged must-reads with a one-click
//!   acknowledge link, mentions, open questions routed to them, and the top posts of
//!   their channels, each gathered through the read rule at send time.
//!
//! Every instance runs a [`Postman`]: once a minute it queues the digests that fell due
//! (one per person and period, however many instances look: the outbox's `dedupe` key),
//! and every few seconds it claims due rows and sends them ([`sender`]), retrying with
//! growing pauses. Links in a digest act without signing in ([`links`]): unsubscribe
//! (one click, RFC 8058) and acknowledge.

pub mod compose;
pub mod digest;
pub mod links;
pub mod sender;
mod words;

pub use sender::Postman;

use crate::domain::accounts::valid_email;
use crate::error::AppError;
use crate::policy::Viewer;
use crate::store::{DigestEvery, MailKind, MailTo, Store};

/// One reset mail per person per this long, however often "Forgot password?" is sent.
pub const RESET_EVERY_MS: i64 = 10 * 60 * 1000;

/// "Forgot password?": queues a reset mail to the active account with address `email`.
/// The answer is the same whether such an account exists or not (and whether a mail
/// was already sent in the last [`RESET_EVERY_MS`]), so the form tells nobody which
/// addresses have accounts. Refused only when this Townhall sends no mail, or the
/// address is not one.
pub async fn forgot(store: &Store, email: &str, now: i64) -> Result<(), AppError> {
    if store.mail().is_none() {
        return Err(AppError::MailOff);
    }
    let email = valid_email(email)?;
    let Some(found) = store.credentials(email).await? else {
        return Ok(());
    };
    if !found.is_active {
        return Ok(());
    }
    let mut tx = store.begin().await?;
    let dedupe = format!("reset:{}:{}", found.user_id, now / RESET_EVERY_MS);
    tx.queue_mail(
        &dedupe,
        MailKind::Reset,
        MailTo::Person(found.user_id),
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// How often the signed-in person gets the digest.
pub async fn digest_setting(store: &Store, viewer: &Viewer) -> Result<DigestEvery, AppError> {
    Ok(store.digest_of(viewer.user_id).await?)
}

/// Changes how often the signed-in person gets the digest (`weekly`, `daily`, `off`).
pub async fn set_digest(store: &Store, viewer: &Viewer, every: &str) -> Result<(), AppError> {
    let every = DigestEvery::parse(every.trim()).ok_or(AppError::BadRequest)?;
    let mut tx = store.begin().await?;
    tx.set_digest(viewer.user_id, every).await?;
    tx.commit().await?;
    Ok(())
}
