//! Knowledge pages: the spaces and review queue, one page, its forms, saving, verifying
//! ("still true"), history and restoring. Each action is a plain form post that
//! redirects back without JavaScript.

use crate::error::AppError;
use crate::model::knowledge::{EditPageForm, KnowledgeHome, NewPageForm, PageHistory, PageView};
use crate::model::{PageId, PostId};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod parse {
    use crate::error::{AppError, Field, Invalid};
    use crate::model::knowledge::{SpaceKey, MAX_REVIEW_DAYS, MIN_REVIEW_DAYS};
    use crate::model::PageId;

    /// A parent page from a select (`""`: the top of the space).
    pub fn parent(value: &str) -> Result<Option<PageId>, AppError> {
        match value.trim() {
            "" => Ok(None),
            id => id
                .parse()
                .map(Some)
                .map_err(|_| Invalid::Unacceptable(Field::ParentPage).into()),
        }
    }

    /// A review interval in days, as typed.
    pub fn review_days(value: &str) -> Result<i64, AppError> {
        value.trim().parse().map_err(|_| {
            Invalid::OutOfRange(Field::ReviewDays, MIN_REVIEW_DAYS, MAX_REVIEW_DAYS).into()
        })
    }

    pub fn space(value: &str) -> Result<SpaceKey, AppError> {
        value
            .parse()
            .map_err(|_| Invalid::Unacceptable(Field::Space).into())
    }
}

#[server(prefix = "/api", endpoint = "knowledge/home")]
pub async fn knowledge_overview() -> Result<KnowledgeHome, AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::knowledge::home(&store()?, &signed_in()?, now).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "knowledge/page")]
pub async fn knowledge_page(id: PageId) -> Result<PageView, AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::knowledge::page(&store()?, &signed_in()?, id, now).await
        }
        .await,
    )
}

/// The new-page form, pre-filled from a template (`policy`, `how-to`, `process`,
/// `onboarding`) in the asker's language.
#[server(prefix = "/api", endpoint = "knowledge/new-form")]
pub async fn page_new_form(
    template: String,
    question: Option<PostId>,
) -> Result<NewPageForm, AppError> {
    super::context::respond(
        async move {
            use super::context::{request, signed_in, store};
            let (store, viewer) = (store()?, signed_in()?);
            let lang = request()
                .map(|parts| crate::prefs::Prefs::from_headers(&parts.headers).lang)
                .unwrap_or_default();
            let chosen = crate::model::knowledge::PageTemplate::parse(&template);
            crate::domain::knowledge::new_form(&store, &viewer, chosen, question, lang.texts())
                .await
        }
        .await,
    )
}

/// Starts a page; answers its id. Without JavaScript the browser goes to it.
#[server(prefix = "/api", endpoint = "knowledge/create")]
pub async fn create_page(
    space: String,
    parent: String,
    title: String,
    body: String,
    review_days: String,
    from_question: Option<PostId>,
    files: Option<String>,
) -> Result<PageId, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let files = crate::domain::files::checked_keys(files.as_deref())?;
            let input = crate::domain::knowledge::PageInput {
                title: &title,
                body: &body,
                parent: parse::parent(&parent)?,
                review_days: parse::review_days(&review_days)?,
                files: &files,
            };
            let space = parse::space(&space)?;
            let now = crate::store::now_ms();
            let id = crate::domain::knowledge::create_from(
                &store()?,
                &signed_in()?,
                space,
                &input,
                from_question,
                now,
            )
            .await?;
            redirect_plain_form(&format!("/pages/{id}"));
            Ok(id)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "knowledge/edit-form")]
pub async fn page_edit_form(id: PageId) -> Result<EditPageForm, AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::knowledge::edit_form(&store()?, &signed_in()?, id, now).await
        }
        .await,
    )
}

/// Saves a new version of a page (and verifies it); answers the version's number.
#[server(prefix = "/api", endpoint = "knowledge/edit")]
pub async fn edit_page(
    id: PageId,
    parent: String,
    title: String,
    body: String,
    review_days: String,
    files: Option<String>,
) -> Result<i64, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let files = crate::domain::files::checked_keys(files.as_deref())?;
            let input = crate::domain::knowledge::PageInput {
                title: &title,
                body: &body,
                parent: parse::parent(&parent)?,
                review_days: parse::review_days(&review_days)?,
                files: &files,
            };
            let now = crate::store::now_ms();
            let version =
                crate::domain::knowledge::edit(&store()?, &signed_in()?, id, &input, now).await?;
            redirect_plain_form(&format!("/pages/{id}"));
            Ok(version)
        }
        .await,
    )
}

/// Takes a file off a page (its editors).
#[server(prefix = "/api", endpoint = "knowledge/remove-file")]
pub async fn remove_page_file(id: PageId, key: String) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            crate::domain::knowledge::remove_file(&store()?, &signed_in()?, id, &key).await?;
            redirect_plain_form(&format!("/pages/{id}"));
            Ok(())
        }
        .await,
    )
}

/// "Still true".
#[server(prefix = "/api", endpoint = "knowledge/verify")]
pub async fn verify_page(id: PageId) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::knowledge::verify(&store()?, &signed_in()?, id, now).await?;
            redirect_plain_form(&format!("/pages/{id}?verified=1"));
            Ok(())
        }
        .await,
    )
}

/// Hands the page to someone else to keep.
#[server(prefix = "/api", endpoint = "knowledge/owner")]
pub async fn hand_page_over(id: PageId, owner: String) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            use crate::error::{Field, Invalid};
            let owner = owner
                .trim()
                .parse()
                .map_err(|_| AppError::from(Invalid::Unacceptable(Field::PageOwner)))?;
            let now = crate::store::now_ms();
            crate::domain::knowledge::hand_to(&store()?, &signed_in()?, id, owner, now).await?;
            redirect_plain_form(&format!("/pages/{id}?owner=1"));
            Ok(())
        }
        .await,
    )
}

/// Deletes the page; back to the knowledge home.
#[server(prefix = "/api", endpoint = "knowledge/delete")]
pub async fn delete_page(id: PageId) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::knowledge::delete(&store()?, &signed_in()?, id, now).await?;
            redirect_plain_form("/pages?deleted=1");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "knowledge/history")]
pub async fn knowledge_history(id: PageId) -> Result<PageHistory, AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            crate::domain::knowledge::history(&store()?, &signed_in()?, id).await
        }
        .await,
    )
}

/// Makes an old version current again, as a new version; answers its number.
#[server(prefix = "/api", endpoint = "knowledge/restore")]
pub async fn restore_page(id: PageId, version: i64) -> Result<i64, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            let saved =
                crate::domain::knowledge::restore(&store()?, &signed_in()?, id, version, now)
                    .await?;
            redirect_plain_form(&format!("/pages/{id}/history"));
            Ok(saved)
        }
        .await,
    )
}
