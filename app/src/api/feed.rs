//! Reading posts: home, company, mentions, tag and person feeds, a channel's page, and
//! one post.

use crate::error::AppError;
use crate::model::{ChannelPage, FeedPage};
use leptos::prelude::*;

/// How many posts one feed page holds.
pub const FEED_PAGE_SIZE: i64 = 20;

/// One page of the company feed, older than the cursor `before` (`created_at.id`).
#[cfg(feature = "ssr")]
use crate::store::{FeedScope, LookedAt};

#[server(prefix = "/api", endpoint = "feed/company")]
pub async fn company_feed(before: Option<String>) -> Result<FeedPage, AppError> {
    super::context::respond(
        async move {
            use super::context::{require, store};
            let viewer = require(crate::policy::Action::ReadFeed)?;
            let before = cursor(before)?;
            let store = store()?;
            let reader = crate::store::Reader::of(&viewer);
            // Pins sit above the newest posts only; older pages are plain history.
            let pinned = if before.is_none() {
                store.company_pins(reader).await?
            } else {
                Vec::new()
            };
            let posts = store
                .feed(
                    reader,
                    &crate::store::FeedScope::Company,
                    before,
                    FEED_PAGE_SIZE + 1,
                )
                .await?;
            let looked = before.is_none().then_some(LookedAt::Feed("company"));
            page(&store, &viewer, pinned, posts, looked).await
        }
        .await,
    )
}

/// The home feed: must-read announcements not yet acknowledged on top, then the
/// asker's channels, announcements addressed to them and posts mentioning them.
#[server(prefix = "/api", endpoint = "feed/home")]
pub async fn home_feed(before: Option<String>) -> Result<FeedPage, AppError> {
    super::context::respond(
        async move {
            use super::context::{require, store};
            let viewer = require(crate::policy::Action::ReadFeed)?;
            let before = cursor(before)?;
            let store = store()?;
            let reader = crate::store::Reader::of(&viewer);
            let pinned = if before.is_none() {
                store.must_reads(reader, crate::store::now_ms()).await?
            } else {
                Vec::new()
            };
            let posts = store
                .feed(
                    reader,
                    &crate::store::FeedScope::Home,
                    before,
                    FEED_PAGE_SIZE + 1,
                )
                .await?;
            let looked = before.is_none().then_some(LookedAt::Feed("home"));
            page(&store, &viewer, pinned, posts, looked).await
        }
        .await,
    )
}

/// Posts mentioning the asker.
#[server(prefix = "/api", endpoint = "feed/mentions")]
pub async fn mentions_feed(before: Option<String>) -> Result<FeedPage, AppError> {
    super::context::respond(scoped(crate::store::FeedScope::Mentions, before).await)
}

/// Posts with a tag.
#[server(prefix = "/api", endpoint = "feed/tag")]
pub async fn tag_feed(tag: String, before: Option<String>) -> Result<FeedPage, AppError> {
    super::context::respond(
        scoped(
            crate::store::FeedScope::Tag(tag.trim().to_lowercase()),
            before,
        )
        .await,
    )
}

/// One person's posts, for their profile.
#[server(prefix = "/api", endpoint = "feed/person")]
pub async fn person_feed(person: i64, before: Option<String>) -> Result<FeedPage, AppError> {
    super::context::respond(
        async move {
            // Like their profile, the posts of someone a guest may not see do not exist
            // for that guest as a list of their own.
            let viewer = super::context::require(crate::policy::Action::ReadFeed)?;
            if !super::context::store()?
                .may_see_person(viewer.user_id, person)
                .await?
            {
                return Err(AppError::NotFound);
            }
            scoped(crate::store::FeedScope::Author(person), before).await
        }
        .await,
    )
}

/// One post, for its own page and for refreshing a card in place. Opening an
/// announcement's page counts as seeing it.
#[server(prefix = "/api", endpoint = "feed/post")]
pub async fn post_view(id: i64, opened: bool) -> Result<FeedPage, AppError> {
    super::context::respond(
        async move {
            use super::context::{require, signed_in, store};
            require(crate::policy::Action::ReadFeed)?;
            let viewer = signed_in()?;
            let store = store()?;
            let post = store
                .post_card(crate::store::Reader::of(&viewer), id)
                .await?
                .ok_or(AppError::NotFound)?;
            if opened
                && post
                    .announcement
                    .as_ref()
                    .is_some_and(|a| a.addressed_to_me)
            {
                let now = crate::store::now_ms();
                crate::announcing::mark_seen(&store, &viewer, &[id], now).await?;
            }
            page(&store, &viewer, Vec::new(), vec![post], None).await
        }
        .await,
    )
}

/// The people whose handle or name starts with `prefix`, for `@` in the composer.
#[server(prefix = "/api", endpoint = "feed/mention-suggestions")]
pub async fn mention_suggestions(
    prefix: String,
) -> Result<Vec<crate::model::MentionSuggestion>, AppError> {
    super::context::respond(
        async move {
            use crate::model::MentionSuggestion;
            let viewer = super::context::require(crate::policy::Action::ReadDirectory)?;
            let prefix = prefix.trim();
            if prefix.is_empty() || prefix.chars().count() > 40 {
                return Ok(Vec::new());
            }
            Ok(super::context::store()?
                .handles_like(prefix, 8, viewer.user_id)
                .await?
                .into_iter()
                .map(|(person, handle)| MentionSuggestion { person, handle })
                .collect())
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
            let reader = crate::store::Reader::of(&viewer);
            let pinned = if before.is_none() {
                store.channel_pins(reader, channel.id).await?
            } else {
                Vec::new()
            };
            let looked = before.is_none().then_some(LookedAt::Channel(channel.id));
            let posts = store
                .feed(
                    reader,
                    &crate::store::FeedScope::Channel(channel.id),
                    before,
                    FEED_PAGE_SIZE + 1,
                )
                .await?;
            let post_kinds = match crate::posting::may_post(&viewer, &channel) {
                Ok(()) if channel.membership == Some(true) => {
                    vec![PostKind::Update, PostKind::Question, PostKind::Announcement]
                }
                Ok(()) => vec![PostKind::Update, PostKind::Question],
                Err(_) => Vec::new(),
            };
            Ok(ChannelPage {
                notify: store.notify_level(channel.id, viewer.user_id).await?,
                standing: crate::channels::standing(&viewer, &channel),
                channel_id: channel.id,
                post_kinds,
                feed: page(&store, &viewer, pinned, posts, looked).await?,
                channel: channel.summary,
                guidelines: channel.guidelines,
            })
        }
        .await,
    )
}

/// One page of a feed that has no pins.
#[cfg(feature = "ssr")]
async fn scoped(
    scope: crate::store::FeedScope,
    before: Option<String>,
) -> Result<FeedPage, AppError> {
    let viewer = super::context::require(crate::policy::Action::ReadFeed)?;
    let before = cursor(before)?;
    let store = super::context::store()?;
    let looked = match scope {
        FeedScope::Mentions if before.is_none() => Some(LookedAt::Feed("mentions")),
        _ => None,
    };
    let posts = store
        .feed(
            crate::store::Reader::of(&viewer),
            &scope,
            before,
            FEED_PAGE_SIZE + 1,
        )
        .await?;
    page(&store, &viewer, Vec::new(), posts, looked).await
}

/// Notes that `viewer` opens `place` now, whose newest post is from `newest`; returns
/// when they looked before, which is what "new" is measured from. Nothing is written
/// when nothing arrived since (most page views): the mark would move, but mean the same.
#[cfg(feature = "ssr")]
async fn look(
    store: &crate::store::Store,
    viewer: &crate::policy::Viewer,
    place: LookedAt,
    newest: Option<i64>,
) -> Result<Option<i64>, AppError> {
    let before = store.looked_at(viewer.user_id, place).await?;
    if newest.is_some_and(|at| before.is_none_or(|looked| at > looked)) {
        let mut tx = store.begin().await?;
        tx.mark_looked(viewer.user_id, place, crate::store::now_ms())
            .await?;
        tx.commit().await?;
    }
    Ok(before)
}

#[cfg(feature = "ssr")]
pub(super) fn cursor(before: Option<String>) -> Result<Option<crate::model::Cursor>, AppError> {
    match before.as_deref().filter(|b| !b.is_empty()) {
        Some(text) => Ok(Some(
            crate::model::Cursor::decode(text).ok_or(AppError::BadRequest)?,
        )),
        None => Ok(None),
    }
}

/// A feed page from up to one more post than a page holds (the extra one says there is
/// a next page), each card with the buttons the policy gives `viewer`. For the first
/// page of a feed one `looked` at, cards someone else posted since the last look are new.
#[cfg(feature = "ssr")]
pub(super) async fn page(
    store: &crate::store::Store,
    viewer: &crate::policy::Viewer,
    mut pinned: Vec<crate::model::PostCard>,
    mut posts: Vec<crate::model::PostCard>,
    looked: Option<LookedAt>,
) -> Result<FeedPage, AppError> {
    use crate::model::Cursor;
    let since = match looked {
        Some(place) => look(store, viewer, place, posts.first().map(|p| p.created_at)).await?,
        None => None,
    };
    for card in pinned.iter_mut().chain(posts.iter_mut()) {
        card.actions = crate::posting::post_actions(viewer, card);
        card.unread =
            since.is_some_and(|at| card.created_at > at && card.author.id != viewer.user_id);
    }
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
