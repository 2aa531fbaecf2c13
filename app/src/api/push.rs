//! Push notifications' server functions: the account page's settings, and a device
//! turning them on or off (see `domain::push`).

use crate::error::AppError;
use crate::model::PushSettings;
use leptos::prelude::*;

/// The signed-in person's push settings and the key a device subscribes with.
#[server(prefix = "/api", endpoint = "push/settings")]
pub async fn push_setup() -> Result<PushSettings, AppError> {
    super::context::respond(
        async move {
            use super::context::{origin, require, store};
            let viewer = require(crate::policy::Action::ManageOwnSessions)?;
            let now = crate::store::now_ms();
            crate::domain::push::settings(&store()?, &viewer, &origin(), now).await
        }
        .await,
    )
}

/// Records this device's subscription, as its browser gave it.
#[server(prefix = "/api", endpoint = "push/subscribe")]
pub async fn push_subscribe(
    endpoint: String,
    p256dh: String,
    auth: String,
) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{request, require, store};
            use crate::domain::accounts::session;
            let viewer = require(crate::policy::Action::ManageOwnSessions)?;
            let parts = request().ok_or(AppError::Internal)?;
            let token = session::token_from(&parts.headers).ok_or(AppError::NotSignedIn)?;
            let now = crate::store::now_ms();
            crate::domain::push::subscribe(
                &store()?,
                &viewer,
                &session::token_hash(&token),
                &endpoint,
                &p256dh,
                &auth,
                now,
            )
            .await
        }
        .await,
    )
}

/// Forgets this device's subscription (it turned notifications off).
#[server(prefix = "/api", endpoint = "push/unsubscribe")]
pub async fn push_unsubscribe(endpoint: String) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{require, store};
            let viewer = require(crate::policy::Action::ManageOwnSessions)?;
            crate::domain::push::unsubscribe(&store()?, &viewer, &endpoint).await
        }
        .await,
    )
}

/// Sends a test notification to every device of the person asking.
#[server(prefix = "/api", endpoint = "push/test")]
pub async fn push_test() -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{require, store};
            let viewer = require(crate::policy::Action::ManageOwnSessions)?;
            crate::domain::push::test(&store()?, &viewer, crate::store::now_ms()).await
        }
        .await,
    )
}

/// Saves which groups reach the person's devices (each ticked box is present) and their
/// quiet hours (`HH:MM`, both or neither). Works as a plain form.
#[server(prefix = "/api", endpoint = "push/save-settings")]
pub async fn save_push_settings(
    mentions: Option<String>,
    replies: Option<String>,
    announcements: Option<String>,
    questions: Option<String>,
    posts: Option<String>,
    quiet_from: Option<String>,
    quiet_to: Option<String>,
) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, require, store};
            let viewer = require(crate::policy::Action::ManageOwnSessions)?;
            let chosen: Vec<String> = [
                ("mentions", mentions),
                ("replies", replies),
                ("announcements", announcements),
                ("questions", questions),
                ("posts", posts),
            ]
            .into_iter()
            .filter(|(_, ticked)| ticked.is_some())
            .map(|(name, _)| name.to_owned())
            .collect();
            crate::domain::push::set_settings(
                &store()?,
                &viewer,
                &chosen,
                quiet_from.as_deref().unwrap_or_default(),
                quiet_to.as_deref().unwrap_or_default(),
            )
            .await?;
            redirect_plain_form("/account?push=saved");
            Ok(())
        }
        .await,
    )
}
