//! E-mail's server functions: "Forgot password?", the digest preference, and the links
//! in a mail that act without signing in (see `domain::mail`).

use crate::error::AppError;
use crate::model::MailLinkDetails;
use leptos::prelude::*;

/// Whether this Townhall sends e-mail (the forgot-password page asks).
#[server(prefix = "/api", endpoint = "mail/enabled")]
pub async fn mail_enabled() -> Result<bool, AppError> {
    super::context::respond(Ok(super::context::store()?.mail().is_some()))
}

/// Sends a reset link to `email` if it is an active account's; the answer is the same
/// either way.
#[server(prefix = "/api", endpoint = "mail/forgot")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, store};
            crate::domain::mail::forgot(&store()?, &email, crate::store::now_ms()).await?;
            redirect_plain_form("/forgot-password?sent=1");
            Ok(())
        }
        .await,
    )
}

/// How often the signed-in person gets the digest (`weekly`, `daily` or `off`), and
/// whether this Townhall sends mail at all.
#[server(prefix = "/api", endpoint = "mail/digest")]
pub async fn digest_setting() -> Result<(String, bool), AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            let store = store()?;
            let every = crate::domain::mail::digest_setting(&store, &signed_in()?).await?;
            Ok((every.as_str().to_owned(), store.mail().is_some()))
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "mail/set-digest")]
pub async fn set_digest(every: String) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            crate::domain::mail::set_digest(&store()?, &signed_in()?, &every).await?;
            redirect_plain_form("/account?digest=saved");
            Ok(())
        }
        .await,
    )
}

/// What a link in a mail does (no sign-in: the link is the credential).
#[server(prefix = "/api", endpoint = "mail/link")]
pub async fn mail_link(token: String) -> Result<MailLinkDetails, AppError> {
    super::context::respond(
        async move {
            let now = crate::store::now_ms();
            crate::domain::mail::links::details(&super::context::store()?, &token, now).await
        }
        .await,
    )
}

/// Does what a link in a mail says (unsubscribe, acknowledge); `back` is its page.
#[server(prefix = "/api", endpoint = "mail/use-link")]
pub async fn use_mail_link(token: String, back: String) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, store};
            let now = crate::store::now_ms();
            crate::domain::mail::links::act(&store()?, &token, now).await?;
            redirect_plain_form(&format!("{back}?done=1"));
            Ok(())
        }
        .await,
    )
}
