//! Shortcuts the storage stories share.

use app::error::AppError;
use app::policy::Viewer;
use app::posting::{self, PostInput};
use app::store::Store;

/// Posts without `@channel` confirmation; the new post's id.
pub async fn post_in(
    store: &Store,
    viewer: &Viewer,
    channel: &str,
    kind: &str,
    body: &str,
    now: i64,
) -> Result<i64, AppError> {
    let input = PostInput {
        channel,
        kind,
        body,
        confirm_channel: false,
    };
    Ok(posting::create_post(store, viewer, &input, now).await?.id)
}

/// Comments (or replies); the new comment's id.
pub async fn comment_on(
    store: &Store,
    viewer: &Viewer,
    post: i64,
    parent: Option<i64>,
    body: &str,
    now: i64,
) -> Result<i64, AppError> {
    Ok(posting::comment(store, viewer, post, parent, body, now)
        .await?
        .id)
}
