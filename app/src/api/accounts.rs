//! Signing in and out, and first run.

use crate::error::AppError;
use crate::policy::Viewer;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Who is here, and whether the company exists yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub viewer: Option<Viewer>,
    pub set_up: bool,
    /// The latest live event when the page was made: the tab's stream starts after it.
    pub live_from: i64,
    /// Unread notification lines, for the badge.
    pub unread: i64,
}

#[server(prefix = "/api", endpoint = "account/session")]
pub async fn current_session() -> Result<Session, AppError> {
    super::context::respond(
        async move {
            let store = super::context::store()?;
            let viewer = super::context::viewer();
            let (live_from, unread) = match &viewer {
                Some(v) => (
                    store.last_event_id().await?,
                    store.unread_notifications(v.user_id).await?,
                ),
                None => (0, 0),
            };
            Ok(Session {
                live_from,
                unread,
                viewer,
                set_up: store.company().await?.is_some(),
            })
        }
        .await,
    )
}

/// Makes `token` this browser's session: whatever session the browser carried before
/// ends (a token planted before sign-in is worth nothing; whoever was signed in here
/// is not any more), and the cookie is set.
#[cfg(feature = "ssr")]
async fn take_session(
    store: &crate::store::Store,
    parts: &http::request::Parts,
    token: &str,
) -> Result<(), AppError> {
    use crate::domain::accounts::session;
    if let Some(old) = session::token_from(&parts.headers) {
        crate::domain::accounts::end_session(store, &old).await?;
    }
    super::context::set_cookie(&session::set_cookie(
        token,
        session::is_https(&parts.headers),
    ));
    // The language they use here is the one their mail is written in.
    let now = crate::store::now_ms();
    if let Some(viewer) = store
        .session_viewer(&session::token_hash(token), now)
        .await?
    {
        let lang = crate::prefs::Prefs::from_headers(&parts.headers).lang;
        store.set_locale(viewer.user_id, lang.tag()).await?;
    }
    Ok(())
}

/// Signs in and returns the page to go to (`next` when it is a path on this site).
#[server(prefix = "/api", endpoint = "account/sign-in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<String, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, request, store};
            use crate::domain::accounts;
            let store = store()?;
            let parts = request().ok_or(AppError::Internal)?;
            let address = parts.extensions.get::<super::ClientAddress>().map(|a| a.0);
            let token =
                accounts::sign_in(&store, &email, &password, address, crate::store::now_ms())
                    .await?;
            // A new session on every sign-in.
            take_session(&store, &parts, &token).await?;
            let next = local_path(next.as_deref());
            redirect_plain_form(&next);
            Ok(next)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "account/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, request, set_cookie, store};
            use crate::domain::accounts::{self, session};
            let parts = request().ok_or(AppError::Internal)?;
            if let Some(token) = session::token_from(&parts.headers) {
                accounts::end_session(&store()?, &token).await?;
            }
            set_cookie(&session::clear_cookie());
            redirect_plain_form("/sign-in");
            Ok(())
        }
        .await,
    )
}

/// Ends every session of the person asking, on every device, this one included.
#[server(prefix = "/api", endpoint = "account/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, require, set_cookie, store};
            let viewer = require(crate::policy::Action::ManageOwnSessions)?;
            crate::domain::accounts::end_all_sessions(&store()?, viewer.user_id).await?;
            set_cookie(&crate::domain::accounts::session::clear_cookie());
            redirect_plain_form("/sign-in");
            Ok(())
        }
        .await,
    )
}

/// First run: creates the company and its owner, who is then signed in.
#[server(prefix = "/api", endpoint = "account/set-up")]
pub async fn set_up(
    company_name: String,
    name: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, request, set_cookie, store};
            use crate::domain::accounts::{self, session, SetUp};
            let parts = request().ok_or(AppError::Internal)?;
            let lang = crate::prefs::Prefs::from_headers(&parts.headers).lang;
            let input = SetUp {
                company_name: &company_name,
                name: &name,
                email: &email,
                password: &password,
                time_zone: "Asia/Ho_Chi_Minh",
                default_channel_name: lang.texts().default_channel_name,
            };
            let token = accounts::set_up(&store()?, input, crate::store::now_ms()).await?;
            set_cookie(&session::set_cookie(
                &token,
                session::is_https(&parts.headers),
            ));
            redirect_plain_form("/");
            Ok(())
        }
        .await,
    )
}

/// What an invitation link offers, for the join page (no sign-in needed: the link is
/// the credential).
#[server(prefix = "/api", endpoint = "account/invitation")]
pub async fn invitation_details(
    token: String,
) -> Result<crate::model::InvitationDetails, AppError> {
    super::context::respond(
        async move {
            let now = crate::store::now_ms();
            crate::domain::invitations::details(&super::context::store()?, &token, now).await
        }
        .await,
    )
}

/// Makes a one-time password reset link for `person` (admins; see
/// `domain::accounts::reset`); answers the whole link, shown once. Without JavaScript the
/// profile page shows it from the address it is sent back to.
#[server(prefix = "/api", endpoint = "account/reset-link")]
pub async fn make_reset_link(person: crate::model::PersonId) -> Result<String, AppError> {
    super::context::respond(
        async move {
            use super::context::{origin, redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            let token =
                crate::domain::accounts::reset::create(&store()?, &signed_in()?, person, now)
                    .await?;
            redirect_plain_form(&format!("/people/{person}?reset={token}"));
            Ok(format!("{}/reset/{token}", origin()))
        }
        .await,
    )
}

/// Whose password a reset link sets (anyone holding the link may ask).
#[server(prefix = "/api", endpoint = "account/reset-details")]
pub async fn reset_details(token: String) -> Result<crate::model::ResetDetails, AppError> {
    super::context::respond(
        async move {
            let now = crate::store::now_ms();
            crate::domain::accounts::reset::details(&super::context::store()?, &token, now).await
        }
        .await,
    )
}

/// Sets a new password through a reset link: the person is signed out everywhere and
/// signed in here.
#[server(prefix = "/api", endpoint = "account/reset")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, request, store};
            let (store, parts) = (store()?, request().ok_or(AppError::Internal)?);
            let now = crate::store::now_ms();
            let session_token =
                crate::domain::accounts::reset::set_password(&store, &token, &password, now)
                    .await?;
            take_session(&store, &parts, &session_token).await?;
            redirect_plain_form("/");
            Ok(())
        }
        .await,
    )
}

/// Creates an account through an invitation and signs the new person in.
#[server(prefix = "/api", endpoint = "account/join")]
pub async fn join(
    token: String,
    name: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, request, store};
            use crate::domain::invitations::{join, JoinInput};
            let (store, parts) = (store()?, request().ok_or(AppError::Internal)?);
            let input = JoinInput {
                token: &token,
                name: &name,
                email: &email,
                password: &password,
            };
            let session_token = join(&store, &input, crate::store::now_ms()).await?;
            take_session(&store, &parts, &session_token).await?;
            redirect_plain_form("/");
            Ok(())
        }
        .await,
    )
}

/// The longest redirect target kept; a longer `next` or `back` goes home.
pub const MAX_REDIRECT_PATH: usize = 2_000;

/// The one check for every redirect target: `next` after signing in, `back` after a
/// form, and every path a server function sends a browser on to. Only a path on this
/// site passes; anything else goes home (`/`).
///
/// Browsers drop tabs and newlines from a URL, treat `\` like `/`, and some decode
/// percent-escapes before looking, so `/\t/evil.example`, `/\evil.example` and
/// `/%09/evil.example` would leave the site just as `//evil.example` does. No control
/// character or space may reach a `Location` header either (building it would fail).
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(path) if is_same_site_path(path) => path.to_owned(),
        _ => "/".to_owned(),
    }
}

fn is_same_site_path(path: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    path.len() <= MAX_REDIRECT_PATH
        && !path.contains('\\')
        && !path.chars().any(|c| c.is_control() || c.is_whitespace())
        // Escaped spaces are fine in a query; escaped control characters are not.
        && !decoded.chars().any(char::is_control)
        && starts_as_local_path(path)
        && starts_as_local_path(&decoded)
}

/// A single `/` first, and not `//` or `/\` (which browsers read as another host).
fn starts_as_local_path(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/') && !matches!(chars.next(), Some('/' | '\\'))
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_stays_on_this_site() {
        use super::local_path;
        assert_eq!(local_path(Some("/people?q=an")), "/people?q=an");
        assert_eq!(local_path(Some("//evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn next_with_hidden_characters_goes_home() {
        use super::local_path;
        for bad in [
            "/%09/evil.example",
            "/\t/evil.example",
            "/\t\t//evil.example",
            "//evil",
            "/\\evil",
            "/%5Cevil",
            "/%2F/evil",
            "/ok\r\nSet-Cookie: a=b",
            "/ok%0d%0aSet-Cookie:%20a=b",
            "/ok%00",
            " /ok",
            "\t/ok",
            "",
            "evil.example",
            "javascript:alert(1)",
        ] {
            assert_eq!(local_path(Some(bad)), "/", "{bad:?}");
        }
        let long = format!("/{}", "a".repeat(super::MAX_REDIRECT_PATH));
        assert_eq!(local_path(Some(&long)), "/");
        for good in [
            "/",
            "/search?q=an%20b",
            "/posts/5#comments",
            "/c/d%C6%B0-an",
        ] {
            assert_eq!(local_path(Some(good)), good);
        }
    }
}
