//! Reading posts: the server functions over [`crate::domain::feed`] — home, company,
//! mentions, tag and person feeds, a channel's page, and one post.

use crate::error::AppError;
use crate::model::{ChannelPage, FeedPage, PersonId, PostId};
use leptos::prelude::*;

/// One page of the company feed, older than the cursor `before` (`created_at.id`).
#[server(prefix = "/api", endpoint = "feed/company")]
pub async fn company_feed(before: Option<String>) -> Result<FeedPage, AppError> {
    super::context::respond(
        async move {
            let viewer = super::context::require(crate::policy::Action::ReadFeed)?;
            let before = cursor(before)?;
            crate::domain::feed::company(&super::context::store()?, &viewer, before).await
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
            let viewer = super::context::require(crate::policy::Action::ReadFeed)?;
            let before = cursor(before)?;
            crate::domain::feed::home(&super::context::store()?, &viewer, before).await
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
pub async fn person_feed(person: PersonId, before: Option<String>) -> Result<FeedPage, AppError> {
    super::context::respond(
        async move {
            let viewer = super::context::require(crate::policy::Action::ReadFeed)?;
            let before = cursor(before)?;
            crate::domain::feed::person(&super::context::store()?, &viewer, person, before).await
        }
        .await,
    )
}

/// One post, for its own page and for refreshing a card in place. Opening an
/// announcement's page counts as seeing it.
#[server(prefix = "/api", endpoint = "feed/post")]
pub async fn post_view(id: PostId, opened: bool) -> Result<FeedPage, AppError> {
    super::context::respond(
        async move {
            use super::context::{require, signed_in, store};
            require(crate::policy::Action::ReadFeed)?;
            let viewer = signed_in()?;
            // Its own page (opened) lists the whole thread.
            crate::domain::feed::post(&store()?, &viewer, id, opened, opened).await
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

/// A channel's header, pins and one page of its posts.
#[server(prefix = "/api", endpoint = "feed/channel")]
pub async fn channel_view(slug: String, before: Option<String>) -> Result<ChannelPage, AppError> {
    super::context::respond(
        async move {
            let viewer = super::context::signed_in()?;
            let before = cursor(before)?;
            crate::domain::feed::channel(&super::context::store()?, &viewer, &slug, before).await
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
    crate::domain::feed::scoped(&super::context::store()?, &viewer, scope, before).await
}

/// The `before` parameter as a cursor: parsed here, at the edge, so a malformed one is
/// refused before any query.
#[cfg(feature = "ssr")]
pub(super) fn cursor(before: Option<String>) -> Result<Option<crate::model::Cursor>, AppError> {
    match before.as_deref().filter(|b| !b.is_empty()) {
        Some(text) => Ok(Some(
            crate::model::Cursor::decode(text).ok_or(AppError::BadRequest)?,
        )),
        None => Ok(None),
    }
}
