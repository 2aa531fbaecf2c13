//! Web Push's rows: this Townhall's VAPID key pair, each device's subscription (tied to
//! the session it was made in), each person's push settings, and the outbox of what is
//! to be pushed. What a message says is decided by `domain::push` when it is sent.

use super::outbox::Outbox;
use super::{Rows, Store, StoreError, Tx};
use crate::model::{CommentId, NotificationKind, PersonId, PostId};
use sqlx::Row;

/// The VAPID key pair, base64url: the private scalar and the uncompressed public point;
/// and who push services may contact about our messages (`mailto:` or `https:`).
#[derive(Clone, Debug)]
pub struct PushKeys {
    pub private_key: String,
    pub public_key: String,
    pub contact: String,
}

/// One device's subscription, as the browser gave it.
#[derive(Clone, Debug)]
pub struct PushDevice {
    pub id: i64,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

/// A person's push settings as stored: the groups of notifications that reach their
/// devices (comma-separated) and their quiet hours (minutes after local midnight).
#[derive(Clone, Debug)]
pub struct StoredPushSettings {
    pub groups: String,
    pub quiet_from: Option<i64>,
    pub quiet_to: Option<i64>,
    pub time_zone: Option<String>,
    pub locale: Option<String>,
    pub devices: i64,
}

/// What an outbox row is to say: a notification's parts, or `Test` (the account page's
/// "Send a test notification").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PushWhat {
    Notification(NotificationKind),
    Test,
}

/// One outbox row an instance has claimed.
#[derive(Clone, Debug)]
pub struct ClaimedPush {
    pub id: i64,
    pub user_id: PersonId,
    pub what: PushWhat,
    pub actor_id: Option<PersonId>,
    pub post_id: Option<PostId>,
    pub comment_id: Option<CommentId>,
    /// Counting this one.
    pub attempts: i64,
}

/// A row to queue.
#[derive(Clone, Copy, Debug)]
pub struct NewPush {
    pub user_id: PersonId,
    pub what: PushWhat,
    pub actor_id: Option<PersonId>,
    pub post_id: Option<PostId>,
    pub comment_id: Option<CommentId>,
}

impl PushWhat {
    fn as_str(self) -> &'static str {
        match self {
            PushWhat::Notification(kind) => kind.as_str(),
            PushWhat::Test => "test",
        }
    }

    fn parse(text: &str) -> Result<PushWhat, StoreError> {
        if text == "test" {
            return Ok(PushWhat::Test);
        }
        NotificationKind::parse(text)
            .map(PushWhat::Notification)
            .ok_or(StoreError::Corrupt("push_outbox.kind"))
    }
}

impl Tx {
    /// Stores the key pair unless another instance stored one first.
    pub async fn create_push_keys(&mut self, keys: &PushKeys, now: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO push_keys (id, private_key, public_key, contact, created_at) \
             VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&keys.private_key)
        .bind(&keys.public_key)
        .bind(&keys.contact)
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Records a device's subscription for `user_id` in session `session_hash`; a
    /// device that subscribes again (or for someone else, after a sign-out) replaces
    /// its row.
    pub async fn save_push_device(
        &mut self,
        user_id: PersonId,
        session_hash: &str,
        device: &PushDevice,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO push_subscriptions (user_id, session_hash, endpoint, p256dh, auth, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (endpoint) DO UPDATE SET \
             user_id = excluded.user_id, session_hash = excluded.session_hash, \
             p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at",
        )
        .bind(user_id)
        .bind(session_hash)
        .bind(&device.endpoint)
        .bind(&device.p256dh)
        .bind(&device.auth)
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Keeps only `user_id`'s newest `keep` devices.
    pub async fn trim_push_devices(
        &mut self,
        user_id: PersonId,
        keep: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "DELETE FROM push_subscriptions WHERE user_id = $1 AND id NOT IN \
             (SELECT id FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2)",
        )
        .bind(user_id)
        .bind(keep)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Removes `user_id`'s subscription at `endpoint`; false when there was none.
    pub async fn delete_push_device(
        &mut self,
        user_id: PersonId,
        endpoint: &str,
    ) -> Result<bool, StoreError> {
        let done =
            sqlx::query("DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2")
                .bind(user_id)
                .bind(endpoint)
                .execute(&mut *self.tx)
                .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn set_push_settings(
        &mut self,
        user_id: PersonId,
        groups: &str,
        quiet: Option<(i64, i64)>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE users SET push_kinds = $1, push_quiet_from = $2, push_quiet_to = $3 WHERE id = $4",
        )
        .bind(groups)
        .bind(quiet.map(|q| q.0))
        .bind(quiet.map(|q| q.1))
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Queues pushes for those of `list` who have a device: one small read of who has
    /// one (a few hundred people at most), then one multi-row insert.
    pub async fn queue_pushes(&mut self, list: &[NewPush], now: i64) -> Result<(), StoreError> {
        if list.is_empty() {
            return Ok(());
        }
        let with_devices: Vec<PersonId> =
            sqlx::query_scalar("SELECT DISTINCT user_id FROM push_subscriptions")
                .fetch_all(&mut *self.tx)
                .await?;
        if with_devices.is_empty() {
            return Ok(());
        }
        let mut rows = Rows::new(
            "push_outbox",
            &[
                "user_id",
                "kind",
                "actor_id",
                "post_id",
                "comment_id",
                "created_at",
                "next_try_at",
            ],
        );
        for push in list.iter().filter(|p| with_devices.contains(&p.user_id)) {
            rows.push([
                push.user_id.into(),
                push.what.as_str().into(),
                push.actor_id.into(),
                push.post_id.into(),
                push.comment_id.into(),
                now.into(),
                now.into(),
            ]);
        }
        self.insert_rows(&mut rows).await
    }
}

impl Store {
    pub async fn push_keys(&self) -> Result<Option<PushKeys>, StoreError> {
        let row =
            sqlx::query("SELECT private_key, public_key, contact FROM push_keys WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        row.map(|row| {
            Ok(PushKeys {
                private_key: row.try_get("private_key")?,
                public_key: row.try_get("public_key")?,
                contact: row.try_get("contact")?,
            })
        })
        .transpose()
    }

    pub async fn push_devices(&self, user_id: PersonId) -> Result<Vec<PushDevice>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, endpoint, p256dh, auth FROM push_subscriptions WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(PushDevice {
                    id: row.try_get("id")?,
                    endpoint: row.try_get("endpoint")?,
                    p256dh: row.try_get("p256dh")?,
                    auth: row.try_get("auth")?,
                })
            })
            .collect()
    }

    /// Forgets a device its push service says is gone.
    pub async fn forget_push_device(&self, id: i64) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM push_subscriptions WHERE id = $1")
            .bind(id)
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await
    }

    pub async fn push_settings(&self, user_id: PersonId) -> Result<StoredPushSettings, StoreError> {
        let row = sqlx::query(
            "SELECT push_kinds, push_quiet_from, push_quiet_to, time_zone, locale, \
               (SELECT COUNT(*) FROM push_subscriptions s WHERE s.user_id = users.id) AS devices \
             FROM users WHERE id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(StoredPushSettings {
            groups: row.try_get("push_kinds")?,
            quiet_from: row.try_get("push_quiet_from")?,
            quiet_to: row.try_get("push_quiet_to")?,
            time_zone: row.try_get("time_zone")?,
            locale: row.try_get("locale")?,
            devices: row.try_get("devices")?,
        })
    }

    /// Whether any outbox row is due at `now` and unclaimed.
    pub async fn pushes_due(&self, now: i64) -> Result<bool, StoreError> {
        let due: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM push_outbox WHERE next_try_at <= $1 \
               AND (claimed_until IS NULL OR claimed_until <= $1) LIMIT 1",
        )
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(due.is_some())
    }

    /// Claims up to `limit` due outbox rows no running instance holds
    /// ([`Store::claim_outbox`]).
    pub async fn claim_pushes(
        &self,
        now: i64,
        hold_until: i64,
        limit: i64,
    ) -> Result<Vec<ClaimedPush>, StoreError> {
        let rows = self
            .claim_outbox(
                Outbox::Push,
                "id, user_id, kind, actor_id, post_id, comment_id, attempts",
                now,
                hold_until,
                limit,
            )
            .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                Ok(ClaimedPush {
                    id: row.try_get("id")?,
                    user_id: row.try_get("user_id")?,
                    what: PushWhat::parse(&kind)?,
                    actor_id: row.try_get("actor_id")?,
                    post_id: row.try_get("post_id")?,
                    comment_id: row.try_get("comment_id")?,
                    attempts: row.try_get("attempts")?,
                })
            })
            .collect()
    }

    /// Ends a claimed row: pushed, or not to be.
    pub async fn finish_push(&self, id: i64) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM push_outbox WHERE id = $1")
            .bind(id)
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await
    }

    /// Puts a claimed row back to be tried again at `next_try_at`.
    pub async fn retry_push(&self, id: i64, next_try_at: i64) -> Result<(), StoreError> {
        self.put_back(Outbox::Push, id, next_try_at, "").await
    }
}
