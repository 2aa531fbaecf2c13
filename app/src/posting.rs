//! Writing in channels: posts, comments (one level of replies) and reactions. The logic
//! behind the posting server functions, callable without HTTP. Every write first finds
//! the channel and asks the policy; refusals store nothing.

use crate::error::{AppError, Field, Invalid};
use crate::input::required;
use crate::model::{ChannelKind, PostKind, REACTIONS};
use crate::policy::{allows, Action, ChannelFacts, Viewer};
use crate::store::{ChannelAccess, NewComment, NewPost, Store};

/// The longest post, in characters.
pub const MAX_POST: usize = 20_000;
/// The longest comment, in characters.
pub const MAX_COMMENT: usize = 5_000;

pub(crate) fn facts(channel: &ChannelAccess) -> ChannelFacts {
    ChannelFacts {
        kind: channel.summary.kind,
        member: channel.membership.is_some(),
    }
}

/// The channel, if `viewer` may read it; a private channel they are not in is
/// `NotFound`, as if it did not exist.
pub(crate) async fn readable(
    store: &Store,
    viewer: &Viewer,
    slug: &str,
) -> Result<ChannelAccess, AppError> {
    let channel = store
        .channel_access(slug, viewer.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if allows(Some(viewer), Action::ReadChannel(facts(&channel))) {
        Ok(channel)
    } else if channel.summary.kind == ChannelKind::Private {
        Err(AppError::NotFound)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Whether `viewer` may post in `channel`, and why not.
pub fn may_post(viewer: &Viewer, channel: &ChannelAccess) -> Result<(), AppError> {
    let action = Action::PostIn {
        channel: facts(channel),
        channel_admin: channel.membership == Some(true),
        archived: channel.archived,
    };
    if allows(Some(viewer), action) {
        Ok(())
    } else if channel.archived {
        Err(AppError::ChannelArchived)
    } else if channel.summary.kind == ChannelKind::Announcement {
        Err(AppError::AnnouncementsOnly)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Posts `body` (Markdown) in the channel called `slug` and returns the new post's id.
pub async fn create_post(
    store: &Store,
    viewer: &Viewer,
    slug: &str,
    kind: &str,
    body: &str,
    now: i64,
) -> Result<i64, AppError> {
    let channel = readable(store, viewer, slug).await?;
    may_post(viewer, &channel)?;
    let kind = match PostKind::parse(kind.trim()) {
        // Announcements to the company come with audiences and acknowledgements; a
        // channel's admins may mark a channel post as one.
        Some(PostKind::Announcement) if channel.membership != Some(true) => {
            return Err(Invalid::Unacceptable(Field::Kind).into())
        }
        Some(kind) => kind,
        None => return Err(Invalid::Unacceptable(Field::Kind).into()),
    };
    let body = required(body, Field::Post, MAX_POST)?;
    let mut tx = store.begin().await?;
    let id = tx
        .create_post(&NewPost {
            channel_id: channel.id,
            author_id: viewer.user_id,
            kind,
            body,
            created_at: now,
        })
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// The channel of a post `viewer` may respond to.
async fn respondable(store: &Store, viewer: &Viewer, post_id: i64) -> Result<(), AppError> {
    let slug = store
        .post_channel_slug(post_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let channel = readable(store, viewer, &slug).await?;
    let action = Action::Respond {
        channel: facts(&channel),
        archived: channel.archived,
    };
    if allows(Some(viewer), action) {
        Ok(())
    } else if channel.archived {
        Err(AppError::ChannelArchived)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Comments on a post, or replies to one of its comments (`parent`); replies to a reply
/// join the same thread, one level deep. Returns the comment's id.
pub async fn comment(
    store: &Store,
    viewer: &Viewer,
    post_id: i64,
    parent: Option<i64>,
    body: &str,
    now: i64,
) -> Result<i64, AppError> {
    respondable(store, viewer, post_id).await?;
    let parent_id = match parent {
        Some(id) => match store.comment_place(id).await? {
            Some((post, grandparent)) if post == post_id => Some(grandparent.unwrap_or(id)),
            _ => return Err(AppError::NotFound),
        },
        None => None,
    };
    let body = required(body, Field::Comment, MAX_COMMENT)?;
    let mut tx = store.begin().await?;
    let id = tx
        .create_comment(&NewComment {
            post_id,
            parent_id,
            author_id: viewer.user_id,
            body,
            created_at: now,
        })
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds `viewer`'s `emoji` reaction, or takes it back if it is there; returns whether
/// it is there now.
pub async fn toggle_reaction(
    store: &Store,
    viewer: &Viewer,
    post_id: i64,
    emoji: &str,
    now: i64,
) -> Result<bool, AppError> {
    respondable(store, viewer, post_id).await?;
    if !REACTIONS.contains(&emoji) {
        return Err(Invalid::Unacceptable(Field::Reaction).into());
    }
    let mut tx = store.begin().await?;
    let added = if tx.remove_reaction(post_id, viewer.user_id, emoji).await? {
        false
    } else {
        tx.add_reaction(post_id, viewer.user_id, emoji, now).await?
    };
    tx.commit().await?;
    Ok(added)
}
