//! E-mail's rows: the outbox (what is to be sent, claimed by one instance at a time),
//! each person's digest preference and the last digest period queued for them, their
//! language, and the links in a mail that act without signing in. What goes into a mail
//! is decided by `domain::mail` when it is sent.

use super::outbox::Outbox;
use super::{Store, StoreError, Tx};
use crate::model::{PersonId, PostId, Role};
use sqlx::Row;

/// How often a person wants the digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DigestEvery {
    Week,
    Day,
    Never,
}

impl DigestEvery {
    pub fn as_str(self) -> &'static str {
        match self {
            DigestEvery::Week => "weekly",
            DigestEvery::Day => "daily",
            DigestEvery::Never => "off",
        }
    }

    pub fn parse(value: &str) -> Option<DigestEvery> {
        [DigestEvery::Week, DigestEvery::Day, DigestEvery::Never]
            .into_iter()
            .find(|every| every.as_str() == value)
    }
}

/// What kind of mail an outbox row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailKind {
    Reset,
    Digest,
    Invitation,
}

impl MailKind {
    fn as_str(self) -> &'static str {
        match self {
            MailKind::Reset => "reset",
            MailKind::Digest => "digest",
            MailKind::Invitation => "invitation",
        }
    }

    fn parse(text: &str) -> Result<MailKind, StoreError> {
        [MailKind::Reset, MailKind::Digest, MailKind::Invitation]
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or(StoreError::Corrupt("mail_outbox.kind"))
    }
}

/// Who an outbox row goes to: a person, or the address an invitation was made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailTo {
    Person(PersonId),
    Invitation(i64),
}

impl MailTo {
    fn columns(self) -> (Option<PersonId>, Option<i64>) {
        match self {
            MailTo::Person(id) => (Some(id), None),
            MailTo::Invitation(id) => (None, Some(id)),
        }
    }

    fn of(user: Option<PersonId>, invitation: Option<i64>) -> Result<MailTo, StoreError> {
        match (user, invitation) {
            (Some(user), None) => Ok(MailTo::Person(user)),
            (None, Some(invitation)) => Ok(MailTo::Invitation(invitation)),
            _ => Err(StoreError::Corrupt("mail_outbox.user_id")),
        }
    }
}

/// One outbox row an instance has claimed to send.
#[derive(Clone, Debug)]
pub struct ClaimedMail {
    pub id: i64,
    pub kind: MailKind,
    pub to: MailTo,
    pub since: Option<i64>,
    /// Counting this one.
    pub attempts: i64,
}

/// Someone who may be due a digest: an active person with an address and the digest on.
#[derive(Clone, Debug)]
pub struct DigestReader {
    pub user_id: PersonId,
    pub every: DigestEvery,
    pub time_zone: Option<String>,
    pub created_at: i64,
    pub queued_at: Option<i64>,
}

/// Who a mail goes to, read when it is sent.
#[derive(Clone, Debug)]
pub struct Recipient {
    pub user_id: PersonId,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
    pub leader: bool,
}

/// What a link in a mail does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkAction {
    UnsubscribeDigest,
    Acknowledge(PostId),
}

impl Tx {
    /// Queues a mail unless one with the same `dedupe` was queued before; answers
    /// whether this call queued it.
    pub async fn queue_mail(
        &mut self,
        dedupe: &str,
        kind: MailKind,
        to: MailTo,
        since: Option<i64>,
        now: i64,
    ) -> Result<bool, StoreError> {
        let (user_id, invitation_id) = to.columns();
        let done = sqlx::query(
            "INSERT INTO mail_outbox (dedupe, kind, user_id, invitation_id, since, created_at, \
             next_try_at) VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (dedupe) DO NOTHING",
        )
        .bind(dedupe)
        .bind(kind.as_str())
        .bind(user_id)
        .bind(invitation_id)
        .bind(since)
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records that `user_id`'s digest for the period starting `period` is queued;
    /// answers false when it already was (another instance got there first).
    pub async fn mark_digest_queued(
        &mut self,
        user_id: PersonId,
        period: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE users SET digest_queued_at = $1 WHERE id = $2 \
               AND (digest_queued_at IS NULL OR digest_queued_at < $1)",
        )
        .bind(period)
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn create_mail_link(
        &mut self,
        token_hash: &str,
        user_id: PersonId,
        action: LinkAction,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let (name, post) = match action {
            LinkAction::UnsubscribeDigest => ("unsubscribe-digest", None),
            LinkAction::Acknowledge(post) => ("acknowledge", Some(post)),
        };
        sqlx::query(
            "INSERT INTO mail_links (token_hash, user_id, action, post_id, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(name)
        .bind(post)
        .bind(expires_at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn set_digest(
        &mut self,
        user_id: PersonId,
        every: DigestEvery,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET digest = $1 WHERE id = $2")
            .bind(every.as_str())
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}

impl Store {
    /// Claims up to `limit` due outbox rows no running instance holds
    /// ([`Store::claim_outbox`]).
    pub async fn claim_mail(
        &self,
        now: i64,
        hold_until: i64,
        limit: i64,
    ) -> Result<Vec<ClaimedMail>, StoreError> {
        let rows = self
            .claim_outbox(
                Outbox::Mail,
                "id, kind, user_id, invitation_id, since, attempts",
                now,
                hold_until,
                limit,
            )
            .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                Ok(ClaimedMail {
                    id: row.try_get("id")?,
                    kind: MailKind::parse(&kind)?,
                    to: MailTo::of(row.try_get("user_id")?, row.try_get("invitation_id")?)?,
                    since: row.try_get("since")?,
                    attempts: row.try_get("attempts")?,
                })
            })
            .collect()
    }

    /// Ends a claimed row: sent, or given up on (`outcome` says why).
    pub async fn finish_mail(&self, id: i64, outcome: &str, now: i64) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE mail_outbox SET done_at = $1, outcome = $2, claimed_until = NULL WHERE id = $3",
        )
        .bind(now)
        .bind(outcome)
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await
    }

    /// Puts a claimed row back to be tried again at `next_try_at`; `error` says why it
    /// was not sent this time.
    pub async fn retry_mail(
        &self,
        id: i64,
        error: &str,
        next_try_at: i64,
    ) -> Result<(), StoreError> {
        self.put_back(Outbox::Mail, id, next_try_at, error).await
    }

    /// Every active person with an address whose digest is on; a few hundred rows in a
    /// company of our size, read once a minute.
    pub async fn digest_readers(&self) -> Result<Vec<DigestReader>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, digest, time_zone, created_at, digest_queued_at FROM users \
             WHERE is_active = 1 AND digest <> 'off' AND email <> '' ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let every: String = row.try_get("digest")?;
                Ok(DigestReader {
                    user_id: row.try_get("id")?,
                    every: DigestEvery::parse(&every).unwrap_or(DigestEvery::Week),
                    time_zone: row.try_get("time_zone")?,
                    created_at: row.try_get("created_at")?,
                    queued_at: row.try_get("digest_queued_at")?,
                })
            })
            .collect()
    }

    pub async fn digest_of(&self, user_id: PersonId) -> Result<DigestEvery, StoreError> {
        let every: Option<String> = sqlx::query_scalar("SELECT digest FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(every
            .as_deref()
            .and_then(DigestEvery::parse)
            .unwrap_or(DigestEvery::Week))
    }

    pub async fn recipient(&self, user_id: PersonId) -> Result<Option<Recipient>, StoreError> {
        let row = sqlx::query(
            "SELECT id, display_name, email, role, is_active, locale, time_zone, is_leader \
             FROM users WHERE id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let role: String = row.try_get("role")?;
            Ok(Recipient {
                user_id: row.try_get("id")?,
                name: row.try_get("display_name")?,
                email: row.try_get("email")?,
                role: Role::parse(&role).unwrap_or(Role::Guest),
                active: row.try_get::<i64, _>("is_active")? == 1,
                locale: row.try_get("locale")?,
                time_zone: row.try_get("time_zone")?,
                leader: row.try_get::<i64, _>("is_leader")? == 1,
            })
        })
        .transpose()
    }

    /// Remembers the language a person reads Townhall in, for the mail sent to them.
    /// Skipped when it is already that (it is written on every sign-in).
    pub async fn set_locale(&self, user_id: PersonId, locale: &str) -> Result<(), StoreError> {
        let current: Option<Option<String>> =
            sqlx::query_scalar("SELECT locale FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        if current.flatten().as_deref() == Some(locale) {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
            .bind(locale)
            .bind(user_id)
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await
    }

    /// What an unexpired mail link does, and for whom.
    pub async fn mail_link(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<(PersonId, LinkAction)>, StoreError> {
        let row = sqlx::query(
            "SELECT user_id, action, post_id FROM mail_links \
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let action: String = row.try_get("action")?;
            let post: Option<PostId> = row.try_get("post_id")?;
            let action = match (action.as_str(), post) {
                ("acknowledge", Some(post)) => LinkAction::Acknowledge(post),
                _ => LinkAction::UnsubscribeDigest,
            };
            Ok((row.try_get("user_id")?, action))
        })
        .transpose()
    }

    /// Removes links that no longer work.
    pub async fn forget_expired_mail_links(&self, now: i64) -> Result<u64, StoreError> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("DELETE FROM mail_links WHERE expires_at <= $1")
            .bind(now)
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// The outbox as the tests and the operator see it: kind, recipient and outcome of
    /// each row, oldest first.
    pub async fn mail_outcomes(&self) -> Result<Vec<(String, MailTo, Option<String>)>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, user_id, invitation_id, outcome FROM mail_outbox ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("kind")?,
                    MailTo::of(row.try_get("user_id")?, row.try_get("invitation_id")?)?,
                    row.try_get("outcome")?,
                ))
            })
            .collect()
    }
}
