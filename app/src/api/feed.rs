use crate::error::AppError;
use crate::model::FeedPage;
use leptos::prelude::*;

/// How many posts one feed page holds.
pub const FEED_PAGE_SIZE: i64 = 20;

/// One page of the company feed, older than the cursor `before` (`created_at.id`).
#[server(prefix = "/api", endpoint = "feed/company")]
pub async fn company_feed(before: Option<String>) -> Result<FeedPage, AppError> {
    super::context::respond(
        async move {
            use super::context::{require, store, utc_offset_minutes};
            use crate::model::Cursor;
            require(crate::policy::Action::ReadCompanyFeed)?;
            let before = match before.as_deref().filter(|b| !b.is_empty()) {
                Some(text) => Some(Cursor::decode(text).ok_or(AppError::BadRequest)?),
                None => None,
            };
            let store = store()?;
            let time_zone = store.company().await?.map(|(_, tz)| tz).unwrap_or_default();
            // Pins sit above the newest posts only; older pages are plain history.
            let pinned = if before.is_none() {
                store.company_pins().await?
            } else {
                Vec::new()
            };
            let mut posts = store.company_feed(before, FEED_PAGE_SIZE + 1).await?;
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
                utc_offset_minutes: utc_offset_minutes(&time_zone),
            })
        }
        .await,
    )
}
