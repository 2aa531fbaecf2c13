use crate::domain::accounts::{password, session, start_session, valid_email, MAX_NAME};
use crate::error::{AppError, Field, Invalid, InvitationProblem};
use crate::input::{optional_id, required};
use crate::model::{ChannelId, ChannelRef, InvitationDetails, InvitationSummary, Invited, Role};
use crate::policy::{allows, Action, Viewer};
use crate::store::{InvitationRecord, MailKind, MailTo, NewInvitation, NewUser, Store, StoreError};

/// The longest an invitation may stay open.
pub const MAX_VALID_DAYS: i64 = 90;
/// Addresses one invitation form may mail at once.
pub const MAX_ADDRESSES: usize = 50;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// An invitation form as submitted.
pub struct InvitationInput<'a> {
    pub role: &'a str,
    pub department: Option<&'a str>,
    pub channel: Option<&'a str>,
    pub valid_days: &'a str,
    /// `"one"` for a single person, anything else for any number until it expires.
    pub uses: &'a str,
}

/// Creates an invitation and returns its secret token (the link's last part). The
/// token itself is not stored, only its hash, so the link is shown this once.
pub async fn create(
    store: &Store,
    viewer: &Viewer,
    input: &InvitationInput<'_>,
    now: i64,
) -> Result<String, AppError> {
    let terms = terms(store, viewer, input, now).await?;
    let token = session::new_token().map_err(|_| AppError::Internal)?;
    let mut tx = store.begin().await?;
    tx.create_invitation(&terms.invitation(&session::token_hash(&token), None, None))
        .await?;
    tx.commit().await?;
    Ok(token)
}

/// Mails invitations on `input`'s terms to the addresses an admin typed (`emails`:
/// commas, semicolons or new lines between them), in `locale`: one one-use invitation
/// per address that has no account yet, each sent by the outbox with a link made when
/// it is sent, which works only with that address. All refused, and nothing stored, if
/// one address is not one.
pub async fn mail(
    store: &Store,
    viewer: &Viewer,
    input: &InvitationInput<'_>,
    emails: &str,
    locale: &str,
    now: i64,
) -> Result<Invited, AppError> {
    let terms = terms(store, viewer, input, now).await?;
    let addresses = addresses(emails)?;
    if addresses.is_empty() {
        return Err(Invalid::Required(Field::Email).into());
    }
    if store.mail().is_none() {
        return Err(AppError::MailOff);
    }
    let (mut to, mut already_here) = (Vec::new(), Vec::new());
    for address in addresses {
        if store.credentials(&address).await?.is_some() {
            already_here.push(address);
        } else {
            to.push(address);
        }
    }
    let mut tx = store.begin().await?;
    for address in &to {
        // A link nobody holds until the mail is sent: the sender gives it a new token.
        let unheld = session::token_hash(&session::new_token().map_err(|_| AppError::Internal)?);
        let id = tx
            .create_invitation(&terms.invitation(&unheld, Some(address), Some(locale)))
            .await?;
        let to = MailTo::Invitation(id);
        tx.queue_mail(
            &format!("invitation:{id}"),
            MailKind::Invitation,
            to,
            None,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Invited::Mailed { to, already_here })
}

/// An invitation form's terms, checked.
struct Terms {
    role: Role,
    department_id: Option<crate::model::DepartmentId>,
    channel_id: Option<ChannelId>,
    max_uses: Option<i64>,
    expires_at: i64,
    created_by: crate::model::PersonId,
    created_at: i64,
}

impl Terms {
    /// A mailed invitation is for one person, whatever the form said.
    fn invitation<'a>(
        &self,
        token_hash: &'a str,
        email: Option<&'a str>,
        locale: Option<&'a str>,
    ) -> NewInvitation<'a> {
        NewInvitation {
            token_hash,
            role: self.role,
            department_id: self.department_id,
            channel_id: self.channel_id,
            max_uses: if email.is_some() {
                Some(1)
            } else {
                self.max_uses
            },
            expires_at: self.expires_at,
            created_by: self.created_by,
            created_at: self.created_at,
            email,
            locale,
        }
    }
}

async fn terms(
    store: &Store,
    viewer: &Viewer,
    input: &InvitationInput<'_>,
    now: i64,
) -> Result<Terms, AppError> {
    if !allows(Some(viewer), Action::ManagePeople) {
        return Err(AppError::Forbidden);
    }
    let role = match Role::parse(input.role.trim()) {
        Some(role @ (Role::Admin | Role::Member | Role::Guest)) => role,
        _ => return Err(Invalid::Unacceptable(Field::Role).into()),
    };
    let department_id = optional_id(input.department, Field::Department)?;
    if let Some(id) = department_id {
        if !store.department_exists(id).await? {
            return Err(Invalid::Unacceptable(Field::Department).into());
        }
    }
    let channel_id = optional_id(input.channel, Field::Channel)?;
    if let Some(id) = channel_id {
        // An invitation puts people into its channel: only into one the inviting admin
        // may manage, as `channels/add-member` would.
        if !may_invite_into(store, viewer, id).await? {
            return Err(Invalid::Unacceptable(Field::Channel).into());
        }
    }
    // A guest sees only their channels: an invitation without one would let them in to
    // nothing at all.
    if role == Role::Guest && channel_id.is_none() {
        return Err(Invalid::Required(Field::Channel).into());
    }
    let days: i64 = match input.valid_days.trim().parse() {
        Ok(days) if (1..=MAX_VALID_DAYS).contains(&days) => days,
        _ => return Err(Invalid::Unacceptable(Field::ValidDays).into()),
    };
    let max_uses = match input.uses {
        "one" => Some(1),
        "many" => None,
        _ => return Err(Invalid::Unacceptable(Field::Uses).into()),
    };
    Ok(Terms {
        role,
        department_id,
        channel_id,
        max_uses,
        expires_at: now + days * DAY_MS,
        created_by: viewer.user_id,
        created_at: now,
    })
}

/// The distinct addresses in what an admin typed (lower-cased, in their order), each
/// checked; all refused if one is not an address or there are too many.
fn addresses(typed: &str) -> Result<Vec<String>, AppError> {
    let mut found: Vec<String> = Vec::new();
    for part in typed.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        if part.is_empty() {
            continue;
        }
        let address = valid_email(part)?.to_lowercase();
        if !found.contains(&address) {
            // Refused at the first one too many: a body of thousands of addresses is
            // never compared whole against itself.
            if found.len() == MAX_ADDRESSES {
                return Err(Invalid::TooMany(Field::Email, MAX_ADDRESSES).into());
            }
            found.push(address);
        }
    }
    Ok(found)
}

/// The channels `viewer` may name in an invitation: those they may manage (public ones,
/// and private ones they are in), the same rule as adding a member.
pub async fn invitable_channels(
    store: &Store,
    viewer: &Viewer,
) -> Result<Vec<ChannelRef>, AppError> {
    Ok(crate::domain::channels::manageable_channels(store, viewer)
        .await?
        .into_iter()
        .map(|c| ChannelRef {
            id: c.id,
            slug: c.summary.slug,
            name: c.summary.name,
        })
        .collect())
}

async fn may_invite_into(
    store: &Store,
    viewer: &Viewer,
    channel: ChannelId,
) -> Result<bool, AppError> {
    Ok(invitable_channels(store, viewer)
        .await?
        .iter()
        .any(|c| c.id == channel))
}

/// Pending invitations as `viewer` may see them: another admin's invitation into a
/// private channel `viewer` is not in shows no channel name.
pub async fn pending(
    store: &Store,
    viewer: &Viewer,
    now: i64,
) -> Result<Vec<InvitationSummary>, AppError> {
    if !allows(Some(viewer), Action::ManagePeople) {
        return Err(AppError::Forbidden);
    }
    // Channel names are unique, so a name identifies its channel.
    let visible = invitable_channels(store, viewer).await?;
    let mut invitations = store.pending_invitations(now).await?;
    for invitation in &mut invitations {
        if let Some(name) = &invitation.channel {
            if !visible.iter().any(|c| &c.name == name) {
                invitation.channel = None;
            }
        }
    }
    Ok(invitations)
}

pub async fn revoke(store: &Store, viewer: &Viewer, id: i64, now: i64) -> Result<(), AppError> {
    if !allows(Some(viewer), Action::ManagePeople) {
        return Err(AppError::Forbidden);
    }
    let mut tx = store.begin().await?;
    if !tx.revoke_invitation(id, now).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Why an invitation cannot be used at `now`, if it cannot.
pub fn problem(invitation: &InvitationRecord, now: i64) -> Option<InvitationProblem> {
    if invitation.revoked_at.is_some() {
        Some(InvitationProblem::Revoked)
    } else if invitation.expires_at <= now {
        Some(InvitationProblem::Expired)
    } else if invitation
        .max_uses
        .is_some_and(|max| invitation.uses >= max)
    {
        Some(InvitationProblem::UsedUp)
    } else {
        None
    }
}

/// A usable invitation behind `token`, or the reason it cannot be used.
async fn usable(store: &Store, token: &str, now: i64) -> Result<InvitationRecord, AppError> {
    let hash =
        session::link_hash(token.trim()).ok_or(AppError::Invitation(InvitationProblem::Unknown))?;
    let invitation = store
        .invitation(&hash)
        .await?
        .ok_or(AppError::Invitation(InvitationProblem::Unknown))?;
    if let Some(problem) = problem(&invitation, now) {
        return Err(AppError::Invitation(problem));
    }
    if let Some(channel) = invitation.channel_id {
        if !creator_may_still_invite_into(store, &invitation, channel).await? {
            return Err(AppError::Invitation(InvitationProblem::ChannelClosed));
        }
    }
    Ok(invitation)
}

/// Whether the admin who made the invitation may still name its channel: still active
/// staff, and the channel still one they may manage (not archived, and if private, they
/// are still in it). Checked again on every use, not only when the link was made.
async fn creator_may_still_invite_into(
    store: &Store,
    invitation: &InvitationRecord,
    channel: ChannelId,
) -> Result<bool, AppError> {
    let Some(creator) = invitation.created_by else {
        return Ok(false);
    };
    let Some(record) = store.person(creator).await?.filter(|p| p.active) else {
        return Ok(false);
    };
    let creator = Viewer {
        user_id: creator,
        name: record.person.name,
        role: record.role,
        leader: record.leader,
    };
    Ok(allows(Some(&creator), Action::ManagePeople)
        && may_invite_into(store, &creator, channel).await?)
}

/// What the join page shows about an invitation (anyone holding the link may ask).
pub async fn details(store: &Store, token: &str, now: i64) -> Result<InvitationDetails, AppError> {
    let invitation = usable(store, token, now).await?;
    let company_name = store
        .company()
        .await?
        .map(|(site, _)| site.company_name)
        .unwrap_or_default();
    Ok(InvitationDetails {
        company_name,
        role: invitation.role,
        department: invitation.department,
        email: invitation.email,
    })
}

pub struct JoinInput<'a> {
    pub token: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
}

/// Creates the invited person's account with the invitation's role, department and
/// channels, and returns a session token for them. All or nothing.
pub async fn join(store: &Store, input: &JoinInput<'_>, now: i64) -> Result<String, AppError> {
    let invitation = usable(store, input.token, now).await?;
    let name = required(input.name, Field::Name, MAX_NAME)?;
    let email = valid_email(input.email)?;
    // A mailed invitation proves only that address: the account must use it.
    if let Some(invited) = &invitation.email {
        if !invited.eq_ignore_ascii_case(email) {
            return Err(Invalid::NotInvitedAddress.into());
        }
    }
    password::check(input.password, email)?;
    if store.credentials(email).await?.is_some() {
        return Err(Invalid::EmailTaken.into());
    }
    let hash = password::hash(input.password.to_owned()).await?;
    let mut tx = store.begin().await?;
    // Checked again inside the transaction: the last use of a link goes to one person.
    if !tx.use_invitation(invitation.id, now).await? {
        return Err(AppError::Invitation(InvitationProblem::UsedUp));
    }
    let user_id = tx
        .create_user(&NewUser {
            email,
            display_name: name,
            job_title: "",
            department_id: invitation.department_id,
            manager_id: None,
            role: invitation.role,
            location: "",
            start_date: None,
            created_at: now,
        })
        .await
        .map_err(|err| match err {
            StoreError::Conflict => Invalid::EmailTaken.into(),
            other => AppError::from(other),
        })?;
    tx.set_password_hash(user_id, &hash).await?;
    tx.set_invitation_of(user_id, invitation.id).await?;
    if invitation.role != Role::Guest {
        tx.join_default_channels(user_id, now).await?;
    }
    if let Some(channel) = invitation.channel_id {
        tx.add_member(channel, user_id, false).await?;
    }
    crate::domain::journeys::on_join(
        &mut tx,
        user_id,
        invitation.department_id,
        invitation.role,
        now,
    )
    .await?;
    let token = start_session(&mut tx, user_id, now).await?;
    tx.commit().await?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_split_lowered_and_counted_once() {
        assert_eq!(
            addresses("An@Saomai.example, binh@saomai.example;\nan@saomai.example").unwrap(),
            ["an@saomai.example", "binh@saomai.example"]
        );
        let fifty: Vec<String> = (0..MAX_ADDRESSES)
            .map(|i| format!("p{i}@saomai.example"))
            .collect();
        assert_eq!(addresses(&fifty.join(",")).unwrap().len(), MAX_ADDRESSES);
        assert!(matches!(
            addresses(&format!("{},one.more@saomai.example", fifty.join(","))),
            Err(AppError::Invalid(Invalid::TooMany(
                Field::Email,
                MAX_ADDRESSES
            )))
        ));
        assert!(matches!(
            addresses("an@saomai.example, not an address"),
            Err(AppError::Invalid(_))
        ));
    }

    /// A request body's worth of distinct addresses (the limit lets ~2 MB through) is
    /// refused at the 51st: what follows is never read (a malformed address at the end
    /// is not found), nor all of them compared with each other, a cost that grew with
    /// the square of their number.
    #[test]
    fn a_flood_of_addresses_stops_at_the_first_one_too_many() {
        let mut flood: Vec<String> = (0..100_000)
            .map(|i| format!("p{i}@saomai.example"))
            .collect();
        flood.push("not-an-address".into());
        assert!(matches!(
            addresses(&flood.join("\n")),
            Err(AppError::Invalid(Invalid::TooMany(
                Field::Email,
                MAX_ADDRESSES
            )))
        ));
    }
}
