use super::{Store, StoreError, Tx};
use crate::model::{PersonId, Role};
use crate::policy::Viewer;
use sqlx::Row;

/// What signing in needs to know about an account.
pub struct Credentials {
    pub user_id: PersonId,
    pub password_hash: Option<String>,
    pub is_active: bool,
}

impl Tx {
    pub async fn set_password_hash(
        &mut self,
        user_id: PersonId,
        hash: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn create_session(
        &mut self,
        token_hash: &str,
        user_id: PersonId,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(user_id)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn delete_session(&mut self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Ends every session of `user_id` ("sign out everywhere", deactivation).
    pub async fn delete_sessions_of(&mut self, user_id: PersonId) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected())
    }

    pub async fn record_sign_in_failure(
        &mut self,
        subject: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sign_in_failures (subject, at) VALUES ($1, $2)")
            .bind(subject)
            .bind(at)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Forgets failures older than `before`, and all of `subject`'s after a success.
    pub async fn clear_sign_in_failures(
        &mut self,
        subject: &str,
        before: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_failures WHERE subject = $1 OR at < $2")
            .bind(subject)
            .bind(before)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}

impl Store {
    /// Looks an account up by e-mail, ignoring case.
    pub async fn credentials(&self, email: &str) -> Result<Option<Credentials>, StoreError> {
        let row = sqlx::query(
            "SELECT id, password_hash, is_active FROM users WHERE LOWER(email) = LOWER($1)",
        )
        .bind(email)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Credentials {
                user_id: r.try_get("id")?,
                password_hash: r.try_get("password_hash")?,
                is_active: r.try_get::<i64, _>("is_active")? != 0,
            })
        })
        .transpose()
    }

    /// The person a session token (hashed) belongs to, if the session is current and
    /// the person still active.
    pub async fn session_viewer(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<Viewer>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.display_name, u.role, u.is_leader FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.is_active = 1",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let role: String = r.try_get("role")?;
            Ok(Viewer {
                user_id: r.try_get("id")?,
                name: r.try_get("display_name")?,
                role: Role::parse(&role).ok_or(StoreError::Corrupt("users.role"))?,
                leader: r.try_get::<i64, _>("is_leader")? == 1,
            })
        })
        .transpose()
    }

    pub async fn sign_in_failures_since(
        &self,
        subject: &str,
        since: i64,
    ) -> Result<i64, StoreError> {
        let n = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sign_in_failures WHERE subject = $1 AND at >= $2",
        )
        .bind(subject)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }
}

/// Whose password an open reset link sets.
pub struct ResetHolder {
    pub user_id: PersonId,
    pub name: String,
    pub email: String,
}

impl Tx {
    /// Stores a new reset link for `user_id`; any earlier open one of theirs ends, so
    /// only the newest works.
    pub async fn create_password_reset(
        &mut self,
        token_hash: &str,
        user_id: PersonId,
        by: Option<PersonId>,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE password_resets SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?;
        sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(by)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Ends the open, unexpired link `token_hash` of an active person and answers whose
    /// it was: exactly one caller gets it, however many try at once (the row lock on
    /// PostgreSQL, the one writer on SQLite).
    pub async fn use_password_reset(
        &mut self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<PersonId>, StoreError> {
        Ok(sqlx::query_scalar(
            "UPDATE password_resets SET ended_at = $1 WHERE token_hash = $2 \
               AND ended_at IS NULL AND expires_at > $1 \
               AND user_id IN (SELECT id FROM users WHERE is_active = 1) \
             RETURNING user_id",
        )
        .bind(now)
        .bind(token_hash)
        .fetch_optional(&mut *self.tx)
        .await?)
    }
}

impl Store {
    /// The person an open, unexpired reset link is for, if they are still active.
    pub async fn password_reset(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<ResetHolder>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.display_name, u.email FROM password_resets r \
             JOIN users u ON u.id = r.user_id \
             WHERE r.token_hash = $1 AND r.ended_at IS NULL AND r.expires_at > $2 \
               AND u.is_active = 1",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(ResetHolder {
                user_id: r.try_get("id")?,
                name: r.try_get("display_name")?,
                email: r.try_get("email")?,
            })
        })
        .transpose()
    }
}
