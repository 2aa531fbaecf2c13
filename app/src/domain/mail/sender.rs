//! Sending what the outbox holds. Each round claims a few due rows (one instance gets
//! each), writes each mail for its reader as things stand now, and hands it to the SMTP
//! server. A failure the server calls temporary (or a server that cannot be reached) is
//! tried again after a growing pause; one it calls permanent, or the last try, ends the
//! row with the error as its outcome. A row whose instance stopped mid-send is claimed
//! again once its hold lapses; that is the one case a mail could go twice, and only if
//! the server took it in the moment before the stop.

use super::{compose, digest, links};
use crate::domain::scheduled::Clock;
use crate::domain::{accounts::session, invitations};
use crate::mail::{Mail, SendError};
use crate::store::{ClaimedMail, DigestEvery, LinkAction, MailKind, MailTo, Store, StoreError};
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::watch;

/// How often each instance sends what is due.
pub const SEND_EVERY: Duration = Duration::from_secs(5);
/// How often each instance looks for digests that fell due.
const QUEUE_EVERY_MS: i64 = 60_000;
/// Rows one round claims at most.
const BATCH: i64 = 20;
/// How long a claim holds: longer than one SMTP conversation may take (30 s).
const HOLD_MS: i64 = 2 * 60 * 1000;
/// Pauses before the 2nd, 3rd… try; after the last, the row is given up.
const RETRY_AFTER_MS: [i64; 5] = [
    60_000,
    5 * 60_000,
    30 * 60_000,
    2 * 3_600_000,
    6 * 3_600_000,
];

/// What one round did, for the tests and the log.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub empty: usize,
    pub skipped: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Sends every due row (in batches) by `now`.
pub async fn send_due(store: &Store, mail: &Mail, now: i64) -> Result<Round, StoreError> {
    let mut round = Round::default();
    loop {
        let claimed = store.claim_mail(now, now + HOLD_MS, BATCH).await?;
        if claimed.is_empty() {
            return Ok(round);
        }
        for row in claimed {
            let outcome = send_one(store, mail, &row, now).await;
            match outcome {
                Ok(Done::Sent) => {
                    store.finish_mail(row.id, "sent", now).await?;
                    round.sent += 1;
                }
                Ok(Done::Empty) => {
                    store.finish_mail(row.id, "empty", now).await?;
                    round.empty += 1;
                }
                Ok(Done::Skipped) => {
                    store.finish_mail(row.id, "skipped", now).await?;
                    round.skipped += 1;
                }
                Err(error) => {
                    let pause = RETRY_AFTER_MS.get(row.attempts as usize - 1);
                    match pause {
                        Some(pause) if !error.permanent => {
                            tracing::warn!(id = row.id, attempt = row.attempts, %error.message, "mail not sent; will try again");
                            store
                                .retry_mail(row.id, &error.message, now + pause)
                                .await?;
                            round.retried += 1;
                        }
                        _ => {
                            crate::telemetry::background_error("mail");
                            tracing::warn!(id = row.id, attempt = row.attempts, %error.message, "mail not sent; given up");
                            store.finish_mail(row.id, &error.message, now).await?;
                            round.failed += 1;
                        }
                    }
                }
            }
        }
    }
}

enum Done {
    Sent,
    Empty,
    Skipped,
}

impl From<StoreError> for SendError {
    fn from(error: StoreError) -> SendError {
        SendError {
            message: error.to_string(),
            permanent: false,
        }
    }
}

impl From<crate::error::AppError> for SendError {
    fn from(error: crate::error::AppError) -> SendError {
        SendError {
            message: error.to_string(),
            permanent: false,
        }
    }
}

async fn send_one(
    store: &Store,
    mail: &Mail,
    row: &ClaimedMail,
    now: i64,
) -> Result<Done, SendError> {
    let company = store
        .company()
        .await?
        .map(|(site, _)| site.company_name)
        .unwrap_or_default();
    let site = mail.site_url();
    let user_id = match row.to {
        MailTo::Person(user_id) => user_id,
        MailTo::Invitation(id) => {
            let Some(outgoing) = invitation(store, id, &company, site, now).await? else {
                return Ok(Done::Skipped);
            };
            mail.send(outgoing).await?;
            return Ok(Done::Sent);
        }
    };
    let Some(person) = store.recipient(user_id).await? else {
        return Ok(Done::Skipped);
    };
    if !person.active || person.email.is_empty() {
        return Ok(Done::Skipped);
    }
    let outgoing = match row.kind {
        // Only ever queued to an invitation (above).
        MailKind::Invitation => return Ok(Done::Skipped),
        MailKind::Reset => {
            // Made now, so the link's secret exists only in the mail (and as its hash).
            let token =
                crate::domain::accounts::reset::issue(store, person.user_id, None, now).await?;
            compose::reset(&person, &company, site, &token)
        }
        MailKind::Digest => {
            // Asked again: turned off since it was queued, it is not sent.
            let every = store.digest_of(person.user_id).await?;
            if every == DigestEvery::Never {
                return Ok(Done::Skipped);
            }
            let viewer = links::viewer_of(&person);
            let since = row.since.unwrap_or(now);
            let gathered = digest::gather(store, &viewer, since, now).await?;
            if gathered.is_empty() {
                return Ok(Done::Empty);
            }
            let mut tx = store.begin().await?;
            let unsubscribe =
                links::create(&mut tx, person.user_id, LinkAction::UnsubscribeDigest, now).await?;
            let mut acknowledge = HashMap::new();
            for card in &gathered.must_reads {
                let token = links::create(
                    &mut tx,
                    person.user_id,
                    LinkAction::Acknowledge(card.id),
                    now,
                )
                .await?;
                acknowledge.insert(card.id, token);
            }
            tx.commit().await?;
            let made = compose::DigestLinks {
                unsubscribe,
                acknowledge,
            };
            compose::digest(&person, every, &company, site, &gathered, &made)
        }
    };
    mail.send(outgoing).await?;
    Ok(Done::Sent)
}

/// The mail for invitation `id`, with a link made now (so its secret exists only in
/// the mail); `None` when it can no longer be used (revoked, expired, used) or its
/// address has meanwhile got an account. A retry makes a new link: the previous one,
/// never delivered, stops working.
async fn invitation(
    store: &Store,
    id: i64,
    company: &str,
    site: &str,
    now: i64,
) -> Result<Option<crate::mail::Outgoing>, SendError> {
    let Some(invitation) = store.invitation_by_id(id).await? else {
        return Ok(None);
    };
    let Some(email) = invitation.email.as_deref() else {
        return Ok(None);
    };
    if invitations::problem(&invitation, now).is_some() || store.credentials(email).await?.is_some()
    {
        return Ok(None);
    }
    let inviter = match invitation.created_by {
        Some(id) => store.recipient(id).await?.map(|person| person.name),
        None => None,
    };
    let token = session::new_token().map_err(|error| SendError {
        message: error.to_string(),
        permanent: false,
    })?;
    let mut tx = store.begin().await?;
    tx.rekey_invitation(id, &session::token_hash(&token))
        .await?;
    tx.commit().await?;
    Ok(Some(compose::invitation(
        &compose::Invitation {
            email,
            locale: invitation.locale.as_deref(),
            inviter: inviter.as_deref(),
            company,
            expires_at: invitation.expires_at,
        },
        site,
        &token,
        now,
    )))
}

/// Each instance's mail round: queues digests that fell due (once a minute) and sends
/// what is due (every [`SEND_EVERY`]).
pub struct Postman {
    closing: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Postman {
    /// Runs by the system clock; `None` when this Townhall sends no mail.
    pub fn start(store: Store) -> Option<Postman> {
        Postman::start_with(store, std::sync::Arc::new(crate::store::now_ms), SEND_EVERY)
    }

    pub fn start_with(store: Store, clock: Clock, every: Duration) -> Option<Postman> {
        let mail = store.mail()?.clone();
        let closing = watch::channel(false).0;
        let mut stop = closing.subscribe();
        let task = tokio::spawn(async move {
            let mut queued_at = i64::MIN;
            loop {
                let now = clock();
                if now.saturating_sub(queued_at) >= QUEUE_EVERY_MS {
                    queued_at = now;
                    if let Err(error) = digest::queue_due(&store, now).await {
                        crate::telemetry::background_error("digests");
                        tracing::warn!(%error, "cannot queue digests");
                    }
                    if let Err(error) = store.forget_expired_mail_links(now).await {
                        tracing::warn!(%error, "cannot remove expired mail links");
                    }
                }
                match send_due(&store, &mail, now).await {
                    Ok(round) if round != Round::default() => {
                        tracing::info!(?round, "mail sent");
                    }
                    Ok(_) => {}
                    Err(error) => {
                        crate::telemetry::background_error("mail");
                        tracing::warn!(%error, "cannot send mail");
                    }
                }
                tokio::select! {
                    () = tokio::time::sleep(every) => {}
                    _ = stop.changed() => return,
                }
            }
        });
        Some(Postman { closing, task })
    }

    /// Stops after the round in progress, if any.
    pub async fn stop(self) {
        self.closing.send_replace(true);
        let _ = self.task.await;
    }
}
