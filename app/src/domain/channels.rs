//! Channel management: starting channels, joining and leaving, members and channel
//! admins, settings and the archive. The logic behind the channel server functions,
//! callable without HTTP. Every change finds the channel as the asker may see it (a
//! private channel they are not in is `NotFound`), asks the policy, then checks the
//! rules that keep a channel usable; refusals store nothing.

use crate::domain::posts::{facts, readable};
use crate::error::{AppError, ChannelRule, Field, Invalid};
use crate::input::{limited, required};
use crate::model::{
    ChannelId, ChannelKind, ChannelListing, ChannelRoster, ChannelStanding, LiveKind, PersonId,
};
use crate::policy::{allows, Action, Viewer};
use crate::store::{ChannelAccess, NewChannel, Reader, Store, StoreError, Tx};

pub const MAX_NAME: usize = 80;
pub const MAX_DESCRIPTION: usize = 500;
pub const MAX_GUIDELINES: usize = 2_000;
/// Addresses stay short enough to read and type.
const MAX_SLUG: usize = 60;

/// A channel's address from its name: lower case, Vietnamese folded to plain letters,
/// anything else a single hyphen ("Dự án Mặt Trời!" → "du-an-mat-troi").
pub fn slug_for(name: &str) -> String {
    let mut slug = String::new();
    for c in crate::folding::fold(name).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.truncate(MAX_SLUG);
    slug.trim_end_matches('-').to_owned()
}

/// What the viewer may do in `channel`, for the buttons its pages show.
pub fn standing(viewer: &Viewer, channel: &ChannelAccess) -> ChannelStanding {
    let facts = facts(channel);
    let channel_admin = channel.membership == Some(true);
    ChannelStanding {
        member: facts.member,
        channel_admin,
        archived: channel.archived,
        may_join: !facts.member
            && allows(
                Some(viewer),
                Action::JoinChannel {
                    channel: facts,
                    archived: channel.archived,
                },
            ),
        may_leave: allows(
            Some(viewer),
            Action::LeaveChannel {
                channel: facts,
                is_default: channel.summary.is_default,
            },
        ),
        may_manage: may_manage(viewer, channel),
    }
}

/// Whether `viewer` may manage `channel`: its members, settings and archive, and naming
/// it in an invitation. The one question every path that puts people into a channel asks.
pub fn may_manage(viewer: &Viewer, channel: &ChannelAccess) -> bool {
    allows(
        Some(viewer),
        Action::ManageChannel {
            channel: facts(channel),
            channel_admin: channel.membership == Some(true),
        },
    )
}

/// The open (not archived) channels `viewer` may manage: public ones for the company's
/// staff, and private ones only where they are members. What an invitation may name and
/// what a member turned guest may keep.
pub async fn manageable_channels(
    store: &Store,
    viewer: &Viewer,
) -> Result<Vec<ChannelAccess>, AppError> {
    Ok(store
        .readable_channels(Reader::of(viewer))
        .await?
        .into_iter()
        .filter(|c| may_manage(viewer, c))
        .collect())
}

/// The channels `viewer` may see listed: the open ones, or with `archived` the
/// archived ones they are in.
pub async fn list(
    store: &Store,
    viewer: &Viewer,
    archived: bool,
) -> Result<Vec<ChannelListing>, AppError> {
    if !allows(Some(viewer), Action::ListChannels) {
        return Err(AppError::Forbidden);
    }
    let channels = if archived {
        store.archived_channels(viewer.user_id).await?
    } else {
        store.readable_channels(Reader::of(viewer)).await?
    };
    let unread = store
        .unread_by_channel(Reader::of(viewer), crate::model::UNREAD_SHOWN_UP_TO + 1)
        .await?;
    Ok(channels
        .into_iter()
        .map(|c| ChannelListing {
            standing: standing(viewer, &c),
            unread: unread.get(&c.id).copied().unwrap_or(0),
            channel: c.summary,
        })
        .collect())
}

/// What a person types to describe a channel.
pub struct ChannelInput<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub guidelines: &'a str,
}

struct CheckedInput<'a> {
    name: &'a str,
    slug: String,
    description: &'a str,
    guidelines: &'a str,
}

fn check<'a>(input: &ChannelInput<'a>) -> Result<CheckedInput<'a>, AppError> {
    let name = required(input.name, Field::ChannelName, MAX_NAME)?;
    let slug = slug_for(name);
    if slug.is_empty() {
        return Err(Invalid::ChannelNameNoLetters.into());
    }
    Ok(CheckedInput {
        name,
        slug,
        description: limited(input.description, Field::Description, MAX_DESCRIPTION)?,
        guidelines: limited(input.guidelines, Field::Guidelines, MAX_GUIDELINES)?,
    })
}

fn taken(err: StoreError) -> AppError {
    match err {
        // Someone else took the name between the check and the write.
        StoreError::Conflict => Invalid::ChannelExists.into(),
        other => other.into(),
    }
}

/// Starts a channel of `kind` ("public", "private" or "announcement") with `viewer` as
/// its admin; returns its slug.
pub async fn create(
    store: &Store,
    viewer: &Viewer,
    input: &ChannelInput<'_>,
    kind: &str,
    now: i64,
) -> Result<String, AppError> {
    if !allows(Some(viewer), Action::CreateChannel) {
        return Err(AppError::Forbidden);
    }
    let kind = ChannelKind::parse(kind.trim()).ok_or(Invalid::Unacceptable(Field::Kind))?;
    let input = check(input)?;
    if store
        .channel_name_taken(input.name, &input.slug, None)
        .await?
    {
        return Err(Invalid::ChannelExists.into());
    }
    let mut tx = store.begin().await?;
    let id = tx
        .create_channel(&NewChannel {
            slug: &input.slug,
            name: input.name,
            description: input.description,
            guidelines: input.guidelines,
            kind,
            is_default: false,
            created_by: Some(viewer.user_id),
            created_at: now,
        })
        .await
        .map_err(taken)?;
    tx.add_member(id, viewer.user_id, true).await?;
    // The creator's open tabs learn they are in it (their live stream keeps the ids of
    // their channels, re-read on this event), as for anyone who joins.
    membership_changed(&mut tx, viewer.user_id, now).await?;
    tx.commit().await?;
    Ok(input.slug)
}

pub async fn join(store: &Store, viewer: &Viewer, slug: &str, now: i64) -> Result<(), AppError> {
    let channel = readable(store, viewer, slug).await?;
    if channel.membership.is_some() {
        return Ok(());
    }
    let action = Action::JoinChannel {
        channel: facts(&channel),
        archived: channel.archived,
    };
    if !allows(Some(viewer), action) {
        return Err(if channel.archived {
            AppError::ChannelArchived
        } else {
            AppError::Forbidden
        });
    }
    let mut tx = store.begin().await?;
    tx.join_channel(channel.id, viewer.user_id, now).await?;
    membership_changed(&mut tx, viewer.user_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Tells the person's live streams to read their channels again, so that they hear
/// about a channel from the moment they join it and nothing after they leave.
pub(crate) async fn membership_changed(
    tx: &mut Tx,
    person: PersonId,
    now: i64,
) -> Result<(), AppError> {
    tx.record_event(LiveKind::Membership, None, Some(person), None, None, now)
        .await?;
    Ok(())
}

pub async fn leave(store: &Store, viewer: &Viewer, slug: &str) -> Result<(), AppError> {
    let channel = readable(store, viewer, slug).await?;
    let action = Action::LeaveChannel {
        channel: facts(&channel),
        is_default: channel.summary.is_default,
    };
    if !allows(Some(viewer), action) {
        return Err(if channel.summary.is_default {
            AppError::ChannelRule(ChannelRule::DefaultChannel)
        } else {
            AppError::Forbidden
        });
    }
    remove(store, channel.id, viewer.user_id).await
}

async fn remove(store: &Store, channel_id: ChannelId, person: PersonId) -> Result<(), AppError> {
    let mut tx = store.begin().await?;
    if !tx.remove_member(channel_id, person).await? {
        return Err(AppError::ChannelRule(ChannelRule::LastAdmin));
    }
    membership_changed(&mut tx, person, crate::store::now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// The channel, if `viewer` may manage it.
async fn manageable(store: &Store, viewer: &Viewer, slug: &str) -> Result<ChannelAccess, AppError> {
    let channel = readable(store, viewer, slug).await?;
    if may_manage(viewer, &channel) {
        Ok(channel)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The members page: who is in the channel and their role, and for those who manage
/// it, whom they may add.
pub async fn members(
    store: &Store,
    viewer: &Viewer,
    slug: &str,
) -> Result<ChannelRoster, AppError> {
    let channel = readable(store, viewer, slug).await?;
    let standing = standing(viewer, &channel);
    let candidates = if standing.may_manage && !channel.summary.is_default {
        store.channel_candidates(channel.id, viewer.user_id).await?
    } else {
        Vec::new()
    };
    Ok(ChannelRoster {
        members: store.channel_members(channel.id).await?,
        candidates,
        standing,
        guidelines: channel.guidelines,
        channel: channel.summary,
    })
}

/// Where `person` stands in the channel called `slug`: `None` when not a member.
async fn membership_of(
    store: &Store,
    slug: &str,
    person: PersonId,
) -> Result<Option<bool>, AppError> {
    Ok(store
        .channel_access(slug, person)
        .await?
        .and_then(|c| c.membership))
}

pub async fn add_member(
    store: &Store,
    viewer: &Viewer,
    slug: &str,
    person: PersonId,
    now: i64,
) -> Result<(), AppError> {
    let channel = manageable(store, viewer, slug).await?;
    // A guest who administers a channel adds only people they already see: an id
    // picked at random must not bring a stranger in (nor tell the guest they exist).
    if !store.person(person).await?.is_some_and(|p| p.active)
        || !store.may_see_person(viewer.user_id, person).await?
    {
        return Err(Invalid::Unacceptable(Field::Person).into());
    }
    let mut tx = store.begin().await?;
    tx.join_channel(channel.id, person, now).await?;
    membership_changed(&mut tx, person, now).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_member(
    store: &Store,
    viewer: &Viewer,
    slug: &str,
    person: PersonId,
) -> Result<(), AppError> {
    let channel = manageable(store, viewer, slug).await?;
    if channel.summary.is_default {
        return Err(AppError::ChannelRule(ChannelRule::DefaultChannel));
    }
    if membership_of(store, slug, person).await?.is_none() {
        return Ok(());
    }
    remove(store, channel.id, person).await
}

/// Makes a member a channel admin, or (`admin` false) a plain member again.
pub async fn set_admin(
    store: &Store,
    viewer: &Viewer,
    slug: &str,
    person: PersonId,
    admin: bool,
) -> Result<(), AppError> {
    let channel = manageable(store, viewer, slug).await?;
    if membership_of(store, slug, person).await?.is_none() {
        return Err(Invalid::Unacceptable(Field::Person).into());
    }
    let mut tx = store.begin().await?;
    if !tx.set_channel_admin(channel.id, person, admin).await? {
        return Err(AppError::ChannelRule(ChannelRule::LastAdmin));
    }
    tx.commit().await?;
    Ok(())
}

/// A new name, description and guidelines; the address stays.
pub async fn edit(
    store: &Store,
    viewer: &Viewer,
    slug: &str,
    input: &ChannelInput<'_>,
) -> Result<(), AppError> {
    let channel = manageable(store, viewer, slug).await?;
    let input = check(input)?;
    // Only the name must stay unique: the address is not derived again.
    if store
        .channel_name_taken(input.name, "", Some(channel.id))
        .await?
    {
        return Err(Invalid::ChannelExists.into());
    }
    let mut tx = store.begin().await?;
    tx.update_channel(channel.id, input.name, input.description, input.guidelines)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Archives the channel (read-only, off the list) or brings it back.
pub async fn set_archived(
    store: &Store,
    viewer: &Viewer,
    slug: &str,
    archived: bool,
    now: i64,
) -> Result<(), AppError> {
    let channel = manageable(store, viewer, slug).await?;
    if channel.summary.is_default {
        return Err(AppError::ChannelRule(ChannelRule::DefaultChannel));
    }
    let mut tx = store.begin().await?;
    tx.set_channel_archived(channel.id, archived.then_some(now))
        .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::slug_for;

    #[test]
    fn slugs_come_from_names() {
        assert_eq!(slug_for("Dự án Mặt Trời!"), "du-an-mat-troi");
        assert_eq!(slug_for("  --Đội  Bán hàng 2026-- "), "doi-ban-hang-2026");
        assert_eq!(slug_for("!!! ???"), "");
        assert_eq!(slug_for(&"a b ".repeat(40)).len(), 59);
    }
}
