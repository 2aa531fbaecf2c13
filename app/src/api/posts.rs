//! Writing: posts, their preview, comments and reactions. Each returns the page to go
//! back to; without JavaScript the server redirects there.
// A server function's arguments are its form's fields (the composer has eight).
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::{CommentId, PostId, Posted};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "posts/create")]
pub async fn create_post(
    channel: String,
    kind: String,
    body: String,
    confirm_channel: Option<String>,
    back: Option<String>,
    schedule_date: Option<String>,
    schedule_time: Option<String>,
    files: Option<String>,
    client_id: Option<String>,
) -> Result<Posted, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            let files = crate::domain::files::checked_keys(files.as_deref())?;
            let input = crate::domain::posts::PostInput {
                channel: &channel,
                kind: &kind,
                body: &body,
                confirm_channel: confirm_channel.is_some(),
                files: &files,
            };
            // With a date and time, the post waits: see `crate::domain::scheduled`.
            let when = crate::domain::scheduled::When {
                date: schedule_date.as_deref().unwrap_or_default(),
                time: schedule_time.as_deref().unwrap_or_default(),
            };
            let (store, viewer) = (store()?, signed_in()?);
            // Sent again (from the offline outbox, or after a lost answer), it is written
            // once; a repeat answers with the first one's id and names nobody missed.
            let mut not_notified = Vec::new();
            let (missed, writer, input, when_ref) = (&mut not_notified, &viewer, &input, &when);
            let id = crate::domain::once::once(
                &store,
                viewer.user_id,
                client_id.as_deref(),
                now,
                || {
                    let store = &store;
                    async move {
                        if when_ref.given() {
                            return crate::domain::scheduled::schedule(
                                store, writer, input, when_ref, now,
                            )
                            .await;
                        }
                        let posted =
                            crate::domain::posts::create_post(store, writer, input, now).await?;
                        *missed = posted.not_notified;
                        Ok(posted.id.0)
                    }
                },
            )
            .await?;
            if when.given() {
                redirect_plain_form("/scheduled");
            } else {
                redirect_plain_form(&super::accounts::local_path(back.as_deref()));
            }
            // The answer's id is a post's or a scheduled post's.
            Ok(Posted { id, not_notified })
        }
        .await,
    )
}

/// The channels the asker may post in, the company-wide one first: the feed's composer
/// offers them.
#[server(prefix = "/api", endpoint = "posts/channels")]
pub async fn postable_channels() -> Result<Vec<crate::model::ChannelRef>, AppError> {
    super::context::respond(
        async move {
            use crate::model::ChannelRef;
            let viewer = super::context::signed_in()?;
            let reader = crate::store::Reader::of(&viewer);
            Ok(super::context::store()?
                .channel_choices(reader)
                .await?
                .into_iter()
                .filter(|c| crate::domain::posts::may_post_in_choice(&viewer, c).is_ok())
                .map(|c| ChannelRef {
                    id: c.id,
                    slug: c.slug,
                    name: c.name,
                })
                .collect())
        }
        .await,
    )
}

/// What a post will look like: its Markdown as sanitised HTML.
#[server(prefix = "/api", endpoint = "posts/preview")]
pub async fn preview_post(body: String) -> Result<String, AppError> {
    super::context::respond(
        async move {
            use crate::error::{Field, Invalid};
            super::context::signed_in()?;
            let body = crate::input::limited(&body, Field::Post, crate::domain::posts::MAX_POST)?;
            // Bounded like a post: a text past the budgets is refused before rendering,
            // and rendering runs off the async workers.
            crate::domain::markdown::check(body)
                .await
                .map_err(|_| Invalid::TooComplex(Field::Post))?;
            Ok(crate::domain::markdown::to_html_all(vec![body.to_owned()])
                .await
                .pop()
                .unwrap_or_default())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "posts/comment")]
pub async fn add_comment(
    post: PostId,
    parent: Option<CommentId>,
    body: String,
    back: Option<String>,
    files: Option<String>,
    client_id: Option<String>,
) -> Result<Posted<CommentId>, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            let files = crate::domain::files::checked_keys(files.as_deref())?;
            let (store, viewer) = (store()?, signed_in()?);
            let mut not_notified = Vec::new();
            let (missed, writer, body, files) = (&mut not_notified, &viewer, &body, &files);
            let id = crate::domain::once::once(
                &store,
                viewer.user_id,
                client_id.as_deref(),
                now,
                || {
                    let store = &store;
                    async move {
                        let posted = crate::domain::posts::comment(
                            store, writer, post, parent, body, files, now,
                        )
                        .await?;
                        *missed = posted.not_notified;
                        Ok(posted.id.0)
                    }
                },
            )
            .await?;
            redirect_plain_form(&super::accounts::local_path(back.as_deref()));
            Ok(Posted {
                id: CommentId(id),
                not_notified,
            })
        }
        .await,
    )
}

/// Adds the reaction, or takes it back; answers whether it is there now.
#[server(prefix = "/api", endpoint = "posts/react")]
pub async fn toggle_reaction(
    post: PostId,
    emoji: String,
    back: Option<String>,
) -> Result<bool, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            let on =
                crate::domain::posts::toggle_reaction(&store()?, &signed_in()?, post, &emoji, now)
                    .await?;
            redirect_plain_form(&super::accounts::local_path(back.as_deref()));
            Ok(on)
        }
        .await,
    )
}

/// Replaces a post's text (its author).
#[server(prefix = "/api", endpoint = "posts/edit")]
pub async fn edit_post(post: PostId, body: String, back: Option<String>) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::posts::edit_post(&store()?, &signed_in()?, post, &body, now).await?;
            redirect_plain_form(&super::accounts::local_path(back.as_deref()));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "posts/delete")]
pub async fn delete_post(post: PostId, back: Option<String>) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::posts::delete_post(&store()?, &signed_in()?, post, now).await?;
            redirect_plain_form(&super::accounts::local_path(back.as_deref()));
            Ok(())
        }
        .await,
    )
}

/// Pins (`pinned` present) or unpins a post in its channel.
#[server(prefix = "/api", endpoint = "posts/pin")]
pub async fn pin_post(
    post: PostId,
    pinned: Option<String>,
    back: Option<String>,
) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            let on = pinned.is_some();
            crate::domain::posts::set_pinned(&store()?, &signed_in()?, post, on, now).await?;
            redirect_plain_form(&super::accounts::local_path(back.as_deref()));
            Ok(())
        }
        .await,
    )
}

/// A post's earlier texts (channel and company admins).
#[server(prefix = "/api", endpoint = "posts/history")]
pub async fn post_history(post: PostId) -> Result<crate::model::PostHistory, AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            let store = store()?;
            let versions = crate::domain::posts::history(&store, &signed_in()?, post).await?;
            let time_zone = store.company().await?.map(|(_, tz)| tz).unwrap_or_default();
            Ok(crate::model::PostHistory {
                versions,
                utc_offset_minutes: crate::calendar::utc_offset_minutes(&time_zone),
            })
        }
        .await,
    )
}

/// The tab reports, in batches, the post cards that were on screen: impressions for the
/// adoption figures, and "seen" for announcements addressed to the reader.
#[server(prefix = "/api", endpoint = "posts/seen")]
pub async fn posts_seen(posts: Vec<PostId>) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::announcements::saw_posts(&store()?, &signed_in()?, &posts, now).await
        }
        .await,
    )
}
