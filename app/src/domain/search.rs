//! Finding posts and channels by their words, archived channels included for their
//! members (archiving takes a channel off the lists, not out of reach). Words are
//! compared folded (see [`crate::folding::fold`]), so diacritics may be left out.

use crate::error::AppError;
use crate::folding::fold;
use crate::model::{Cursor, SearchPage};
use crate::policy::Viewer;
use crate::store::{FeedScope, Store};

/// Channels whose name or description contains `words` (first page only) and one page
/// of the posts containing them that `viewer` may read, older than `before`. `words`
/// are already trimmed and bounded by the caller.
pub async fn search(
    store: &Store,
    viewer: &Viewer,
    words: String,
    before: Option<Cursor>,
) -> Result<SearchPage, AppError> {
    if words.is_empty() {
        return Ok(SearchPage {
            words,
            channels: Vec::new(),
            feed: None,
        });
    }
    let wanted = fold(&words);
    let mut channels = Vec::new();
    if before.is_none() {
        for archived in [false, true] {
            channels.extend(
                crate::domain::channels::list(store, viewer, archived)
                    .await?
                    .into_iter()
                    .filter(|c| {
                        fold(&c.channel.name).contains(&wanted)
                            || fold(&c.channel.description).contains(&wanted)
                    }),
            );
        }
    }
    let feed = crate::domain::feed::scoped(store, viewer, FeedScope::Search(words.clone()), before)
        .await?;
    Ok(SearchPage {
        words,
        channels,
        feed: Some(feed),
    })
}
