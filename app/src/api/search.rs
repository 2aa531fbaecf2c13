//! Finding posts and channels by their words, archived channels included for their
//! members (archiving takes a channel off the lists, not out of reach).

use crate::error::AppError;
use crate::model::SearchPage;
use leptos::prelude::*;

/// The longest search accepted.
pub const MAX_SEARCH: usize = 100;

/// Channels whose name or description contains `q` (first page only) and one page of
/// the posts containing it that the asker may read, older than `before`.
#[server(prefix = "/api", endpoint = "search")]
pub async fn search(q: String, before: Option<String>) -> Result<SearchPage, AppError> {
    super::context::respond(
        async move {
            use super::feed::{cursor, page, FEED_PAGE_SIZE};
            use crate::search::fold;
            use crate::store::{FeedScope, Reader};
            let viewer = super::context::require(crate::policy::Action::ReadFeed)?;
            let words =
                crate::input::limited(&q, crate::error::Field::Search, MAX_SEARCH)?.to_owned();
            let before = cursor(before)?;
            if words.is_empty() {
                return Ok(SearchPage {
                    words,
                    channels: Vec::new(),
                    feed: None,
                });
            }
            let store = super::context::store()?;
            let wanted = fold(&words);
            let mut channels = Vec::new();
            if before.is_none() {
                for archived in [false, true] {
                    channels.extend(
                        crate::channels::list(&store, &viewer, archived)
                            .await?
                            .into_iter()
                            .filter(|c| {
                                fold(&c.channel.name).contains(&wanted)
                                    || fold(&c.channel.description).contains(&wanted)
                            }),
                    );
                }
            }
            let posts = store
                .feed(
                    Reader::of(&viewer),
                    &FeedScope::Search(words.clone()),
                    before,
                    FEED_PAGE_SIZE + 1,
                )
                .await?;
            Ok(SearchPage {
                words,
                channels,
                feed: Some(page(&store, &viewer, Vec::new(), posts, None).await?),
            })
        }
        .await,
    )
}
