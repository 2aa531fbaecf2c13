//! Attachments' server functions: taking a pending file out of a composer, and the
//! company's file limits. Uploading and reading files are plain HTTP routes
//! (`server::http::files`): their bodies are bytes, not arguments.

use crate::error::AppError;
use leptos::prelude::*;

/// Removes one of the asker's pending files (taken out of a composer before posting).
#[server(prefix = "/api", endpoint = "files/discard")]
pub async fn discard_file(key: String) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            crate::domain::files::discard(&store()?, &signed_in()?, &key).await
        }
        .await,
    )
}

/// The file limits and how much is used, in megabytes and bytes (company admins).
#[server(prefix = "/api", endpoint = "files/settings")]
pub async fn file_settings() -> Result<(i64, i64, i64), AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            let viewer = signed_in()?;
            if !crate::policy::allows(Some(&viewer), crate::policy::Action::ManagePeople) {
                return Err(AppError::Forbidden);
            }
            let store = store()?;
            let limits = crate::domain::files::limits(&store).await?;
            Ok((limits.max_mb, limits.quota_mb, store.files_bytes().await?))
        }
        .await,
    )
}

/// Changes the file limits (company admins).
#[server(prefix = "/api", endpoint = "files/settings/save")]
pub async fn save_file_settings(
    max_mb: String,
    quota_mb: String,
    back: Option<String>,
) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            crate::domain::files::set_limits(&store()?, &signed_in()?, &max_mb, &quota_mb).await?;
            redirect_plain_form(&super::accounts::local_path(back.as_deref()));
            Ok(())
        }
        .await,
    )
}
