use super::people::person_columns;
use super::{Store, StoreError, Tx};
use crate::model::{ChannelId, DepartmentId, InvitationSummary, PersonId, Role};
use sqlx::Row;

pub struct NewInvitation<'a> {
    pub token_hash: &'a str,
    pub role: Role,
    pub department_id: Option<DepartmentId>,
    pub channel_id: Option<ChannelId>,
    pub max_uses: Option<i64>,
    pub expires_at: i64,
    pub created_by: PersonId,
    pub created_at: i64,
    /// The address it is mailed to, and the language of that mail.
    pub email: Option<&'a str>,
    pub locale: Option<&'a str>,
}

/// An invitation as joining needs it.
pub struct InvitationRecord {
    pub id: i64,
    pub role: Role,
    pub department_id: Option<DepartmentId>,
    pub department: Option<String>,
    pub channel_id: Option<ChannelId>,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    /// The admin who made it (`None` if their account is gone).
    pub created_by: Option<PersonId>,
    /// The address it was mailed to: joining must use it.
    pub email: Option<String>,
    pub locale: Option<String>,
}

fn role_of(text: &str) -> Result<Role, StoreError> {
    Role::parse(text).ok_or(StoreError::Corrupt("invitations.role"))
}

impl Tx {
    pub async fn create_invitation(
        &mut self,
        invite: &NewInvitation<'_>,
    ) -> Result<i64, StoreError> {
        let id = sqlx::query_scalar(
            "INSERT INTO invitations (token_hash, role, department_id, channel_id, max_uses, \
             expires_at, created_by, created_at, email, locale) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(invite.token_hash)
        .bind(invite.role.as_str())
        .bind(invite.department_id)
        .bind(invite.channel_id)
        .bind(invite.max_uses)
        .bind(invite.expires_at)
        .bind(invite.created_by)
        .bind(invite.created_at)
        .bind(invite.email)
        .bind(invite.locale)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(id)
    }

    /// Gives an invitation a new link (its token's hash), so the old one stops working:
    /// a mailed invitation's link is made when the mail is sent.
    pub async fn rekey_invitation(&mut self, id: i64, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE invitations SET token_hash = $1 WHERE id = $2")
            .bind(token_hash)
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Revokes a pending invitation; false when there was none to revoke.
    pub async fn revoke_invitation(&mut self, id: i64, at: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(at)
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Counts one use of an invitation, only if it is still usable at `now`: two people
    /// racing for a single-use link cannot both get in.
    pub async fn use_invitation(&mut self, id: i64, now: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE invitations SET uses = uses + 1 WHERE id = $1 AND revoked_at IS NULL \
             AND expires_at > $2 AND (max_uses IS NULL OR uses < max_uses)",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records which invitation brought a person in.
    pub async fn set_invitation_of(
        &mut self,
        user_id: PersonId,
        invitation_id: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET invitation_id = $1 WHERE id = $2")
            .bind(invitation_id)
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}

impl Store {
    /// Invitations that can still be used at `now`, newest first.
    pub async fn pending_invitations(
        &self,
        now: i64,
    ) -> Result<Vec<InvitationSummary>, StoreError> {
        let sql = format!(
            "SELECT i.id, i.role, d.name AS department, c.name AS channel, i.max_uses, i.uses, \
               i.expires_at, i.created_at, i.email, {} \
             FROM invitations i LEFT JOIN departments d ON d.id = i.department_id \
             LEFT JOIN channels c ON c.id = i.channel_id LEFT JOIN users u ON u.id = i.created_by \
             WHERE i.revoked_at IS NULL AND i.expires_at > $1 \
               AND (i.max_uses IS NULL OR i.uses < i.max_uses) \
             ORDER BY i.created_at DESC, i.id DESC",
            person_columns("u", "creator")
        );
        sqlx::query(&sql)
            .bind(now)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| {
                let role: String = r.try_get("role")?;
                Ok(InvitationSummary {
                    id: r.try_get("id")?,
                    role: role_of(&role)?,
                    department: r.try_get("department")?,
                    channel: r.try_get("channel")?,
                    max_uses: r.try_get("max_uses")?,
                    uses: r.try_get("uses")?,
                    expires_at: r.try_get("expires_at")?,
                    created_at: r.try_get("created_at")?,
                    created_by: r.try_get("creator_name")?,
                    email: r.try_get("email")?,
                })
            })
            .collect()
    }

    /// The invitation behind a link's token (hashed), whatever its state.
    pub async fn invitation(
        &self,
        token_hash: &str,
    ) -> Result<Option<InvitationRecord>, StoreError> {
        let sql = format!("{INVITATION} WHERE i.token_hash = $1");
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(record_of).transpose()
    }

    /// An invitation by its id, whatever its state (for the mail that carries it).
    pub async fn invitation_by_id(&self, id: i64) -> Result<Option<InvitationRecord>, StoreError> {
        let sql = format!("{INVITATION} WHERE i.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(record_of).transpose()
    }
}

const INVITATION: &str = "SELECT i.id, i.role, i.department_id, d.name AS department, \
    i.channel_id, i.max_uses, i.uses, i.expires_at, i.revoked_at, i.created_by, i.email, \
    i.locale FROM invitations i LEFT JOIN departments d ON d.id = i.department_id";

fn record_of(r: &sqlx::any::AnyRow) -> Result<InvitationRecord, StoreError> {
    let role: String = r.try_get("role")?;
    Ok(InvitationRecord {
        id: r.try_get("id")?,
        role: role_of(&role)?,
        department_id: r.try_get("department_id")?,
        department: r.try_get("department")?,
        channel_id: r.try_get("channel_id")?,
        max_uses: r.try_get("max_uses")?,
        uses: r.try_get("uses")?,
        expires_at: r.try_get("expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
        created_by: r.try_get("created_by")?,
        email: r.try_get("email")?,
        locale: r.try_get("locale")?,
    })
}
