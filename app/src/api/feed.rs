//! Reading posts: the company feed and a channel's page.

use crate::error::AppError;
use crate::model::{ChannelPage, FeedPage};
use leptos::prelude::*;

/// How many posts one feed page holds.
pub const FEED_PAGE_SIZE: i64 = 20;

/// One page of the company feed, older than the cursor `before` (`created_at.id`).
#[server(prefix = "/api", endpoint = "feed/company")]
pub async fn company_feed(before: Option<String>) -> Result<FeedPage, AppError> {
    super::context::respond(
        async move {
            use super::context::{require, store};
            let viewer = require(crate::policy::Action::ReadFeed)?;
            let before = cursor(before)?;
            let store = store()?;
            let reader = crate::store::Reader {
                user_id: viewer.user_id,
                guest: viewer.is_guest(),
            };
            // Pins sit above the newest posts only; older pages are plain history.
            let pinned = if before.is_none() {
                store.company_pins(reader).await?
            } else {
                Vec::new()
            };
            let posts = store
                .company_feed(reader, before, FEED_PAGE_SIZE + 1)
                .await?;
            page(&store, pinned, posts).await
        }
        .await,
    )
}

/// A channel's header, pins and one page of its posts. A private channel the viewer is
/// not in does not exist as far as they can tell; any other channel they may not read
/// is refused.
#[server(prefix = "/api", endpoint = "feed/channel")]
pub async fn channel_view(slug: String, before: Option<String>) -> Result<ChannelPage, AppError> {
    super::context::respond(
        async move {
            use crate::model::{ChannelKind, PostKind};
            use crate::policy::{allows, Action, ChannelFacts};
            let viewer = super::context::signed_in()?;
            let before = cursor(before)?;
            let store = super::context::store()?;
            let channel = store
                .channel_access(&slug, viewer.user_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let facts = ChannelFacts {
                kind: channel.summary.kind,
                member: channel.membership.is_some(),
            };
            if !allows(Some(&viewer), Action::ReadChannel(facts)) {
                return Err(if facts.kind == ChannelKind::Private {
                    AppError::NotFound
                } else {
                    AppError::Forbidden
                });
            }
            let reader = crate::store::Reader {
                user_id: viewer.user_id,
                guest: viewer.is_guest(),
            };
            let pinned = if before.is_none() {
                store.channel_pins(reader, channel.id).await?
            } else {
                Vec::new()
            };
            let posts = store
                .channel_feed(reader, channel.id, before, FEED_PAGE_SIZE + 1)
                .await?;
            let post_kinds = match crate::posting::may_post(&viewer, &channel) {
                Ok(()) if channel.membership == Some(true) => {
                    vec![PostKind::Update, PostKind::Question, PostKind::Announcement]
                }
                Ok(()) => vec![PostKind::Update, PostKind::Question],
                Err(_) => Vec::new(),
            };
            Ok(ChannelPage {
                standing: crate::channels::standing(&viewer, &channel),
                channel_id: channel.id,
                post_kinds,
                feed: page(&store, pinned, posts).await?,
                channel: channel.summary,
                guidelines: channel.guidelines,
            })
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn cursor(before: Option<String>) -> Result<Option<crate::model::Cursor>, AppError> {
    match before.as_deref().filter(|b| !b.is_empty()) {
        Some(text) => Ok(Some(
            crate::model::Cursor::decode(text).ok_or(AppError::BadRequest)?,
        )),
        None => Ok(None),
    }
}

/// A feed page from up to one more post than a page holds (the extra one says there is
/// a next page).
#[cfg(feature = "ssr")]
async fn page(
    store: &crate::store::Store,
    pinned: Vec<crate::model::PostCard>,
    mut posts: Vec<crate::model::PostCard>,
) -> Result<FeedPage, AppError> {
    use crate::model::Cursor;
    let time_zone = store.company().await?.map(|(_, tz)| tz).unwrap_or_default();
    let next = if posts.len() as i64 > FEED_PAGE_SIZE {
        posts.truncate(FEED_PAGE_SIZE as usize);
        posts.last().map(|p| Cursor {
            created_at: p.created_at,
            id: p.id,
        })
    } else {
        None
    };
    Ok(FeedPage {
        pinned,
        posts,
        next,
        utc_offset_minutes: super::utc_offset_minutes(&time_zone),
    })
}
