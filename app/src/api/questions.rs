//! Questions and answers: accepting an answer, "helpful", the open-question lists and
//! the reminder settings, over [`crate::domain::questions`]. Forms return to the page
//! they were sent from; without JavaScript the server redirects there.

use crate::error::AppError;
use crate::model::{CommentId, FeedPage, PostId};
use leptos::prelude::*;

/// Accepts `comment` as the answer to question `post` (`on`), or takes that back.
#[server(prefix = "/api", endpoint = "questions/accept")]
pub async fn accept_answer(
    post: PostId,
    comment: CommentId,
    on: Option<String>,
    back: Option<String>,
) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::questions::accept(
                &store()?,
                &signed_in()?,
                post,
                comment,
                on.is_some(),
                now,
            )
            .await?;
            redirect_plain_form(&super::accounts::local_path(back.as_deref()));
            Ok(())
        }
        .await,
    )
}

/// Marks an answer helpful (`on`), or takes that back; answers whether it is marked.
#[server(prefix = "/api", endpoint = "questions/helpful")]
pub async fn mark_helpful(
    comment: CommentId,
    on: Option<String>,
    back: Option<String>,
) -> Result<bool, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            let marked = crate::domain::questions::helpful(
                &store()?,
                &signed_in()?,
                comment,
                on.is_some(),
                now,
            )
            .await?;
            redirect_plain_form(&super::accounts::local_path(back.as_deref()));
            Ok(marked)
        }
        .await,
    )
}

/// Open questions routed to the asker ("Questions you could answer").
#[server(prefix = "/api", endpoint = "questions/for-you")]
pub async fn questions_for_you(before: Option<String>) -> Result<FeedPage, AppError> {
    super::context::respond(scoped(crate::store::FeedScope::QuestionsForReader, before).await)
}

/// Open questions in every channel the asker may read.
#[server(prefix = "/api", endpoint = "questions/open")]
pub async fn open_questions(before: Option<String>) -> Result<FeedPage, AppError> {
    super::context::respond(scoped(crate::store::FeedScope::OpenQuestions(None), before).await)
}

/// A channel's open questions, with the channel's name for the heading.
#[server(prefix = "/api", endpoint = "questions/channel")]
pub async fn channel_questions(
    slug: String,
    before: Option<String>,
) -> Result<(String, FeedPage), AppError> {
    super::context::respond(
        async move {
            let viewer = super::context::require(crate::policy::Action::ReadFeed)?;
            let before = super::feed::cursor(before)?;
            let store = super::context::store()?;
            let channel = crate::domain::posts::readable(&store, &viewer, &slug).await?;
            let page = crate::domain::feed::scoped(
                &store,
                &viewer,
                crate::store::FeedScope::OpenQuestions(Some(channel.id)),
                before,
            )
            .await?;
            Ok((channel.summary.name, page))
        }
        .await,
    )
}

/// How long the question reminders wait (company admins).
#[server(prefix = "/api", endpoint = "questions/settings")]
pub async fn question_settings() -> Result<(i64, i64), AppError> {
    super::context::respond(
        async move {
            let s = crate::domain::questions::settings(
                &super::context::store()?,
                &super::context::signed_in()?,
            )
            .await?;
            Ok((s.accept_reminder_days, s.unanswered_reminder_days))
        }
        .await,
    )
}

/// Changes how long the question reminders wait (company admins).
#[server(prefix = "/api", endpoint = "questions/settings/save")]
pub async fn save_question_settings(
    accept_days: String,
    unanswered_days: String,
    back: Option<String>,
) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            crate::domain::questions::set_settings(
                &store()?,
                &signed_in()?,
                &accept_days,
                &unanswered_days,
            )
            .await?;
            redirect_plain_form(&super::accounts::local_path(back.as_deref()));
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn scoped(
    scope: crate::store::FeedScope,
    before: Option<String>,
) -> Result<FeedPage, AppError> {
    let viewer = super::context::require(crate::policy::Action::ReadFeed)?;
    let before = super::feed::cursor(before)?;
    crate::domain::feed::scoped(&super::context::store()?, &viewer, scope, before).await
}

/// Questions already asked that look like `text`, among those the asker may read.
#[server(prefix = "/api", endpoint = "questions/similar")]
pub async fn similar_questions(
    text: String,
) -> Result<Vec<crate::model::SimilarQuestion>, AppError> {
    super::context::respond(
        async move {
            let viewer = super::context::require(crate::policy::Action::ReadFeed)?;
            crate::domain::questions::similar(&super::context::store()?, &viewer, &text).await
        }
        .await,
    )
}
