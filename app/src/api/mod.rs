//! Server functions: the API between the browser and the server. Each one finds out who
//! is asking, checks the input, calls the store and returns; nothing more lives here.

pub mod accounts;
pub mod admin;
pub mod announcements;
pub mod channels;
pub mod dashboard;
pub mod directory;
pub mod feed;
pub mod files;
pub mod journeys;
pub mod knowledge;
pub mod mail;
pub mod notifications;
pub mod people;
pub mod posts;
pub mod prefs;
pub mod push;
pub mod questions;
pub mod scheduled;
pub mod search;

/// The address the request came from, as the server saw it (put in the request's
/// extensions by the server, like the [`crate::policy::Viewer`]).
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress(pub std::net::IpAddr);

#[cfg(feature = "ssr")]
mod context {
    use crate::error::AppError;
    use crate::policy::{allows, Action, Viewer};
    use crate::store::Store;
    use leptos::prelude::use_context;

    pub fn request() -> Option<http::request::Parts> {
        use_context::<http::request::Parts>()
    }

    /// Who is asking: the server's session layer resolved the cookie before we ran.
    pub fn viewer() -> Option<Viewer> {
        request().and_then(|parts| parts.extensions.get::<Viewer>().cloned())
    }

    /// The viewer, if the policy lets them do `action`.
    pub fn require(action: Action) -> Result<Viewer, AppError> {
        let viewer = viewer();
        if allows(viewer.as_ref(), action) {
            viewer.ok_or(AppError::NotSignedIn)
        } else if viewer.is_none() {
            Err(AppError::NotSignedIn)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn set_cookie(value: &str) {
        use http::{header::SET_COOKIE, HeaderValue};
        if let (Some(response), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            HeaderValue::from_str(value),
        ) {
            response.append_header(SET_COOKIE, value);
        }
    }

    /// Whether the browser asked for a page: a navigation, or a form posted without
    /// JavaScript (which the server answers with a redirect back).
    fn wants_html() -> bool {
        request()
            .and_then(|p| {
                p.headers
                    .get(http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok().map(str::to_owned))
            })
            .is_some_and(|accept| accept.contains("text/html"))
    }

    /// Sends a browser without JavaScript on to `path` after a form post; with
    /// JavaScript the page navigates itself. Every target passes the one same-site
    /// check ([`super::accounts::local_path`]), so no redirect leaves the site or fails
    /// to become a header (which would panic after the action was stored).
    pub fn redirect_plain_form(path: &str) {
        if wants_html() {
            let path = super::accounts::local_path(Some(path));
            let path = match http::HeaderValue::from_str(&path) {
                Ok(_) => path,
                Err(_) => "/".to_owned(),
            };
            leptos_axum::redirect(&path);
        }
    }

    /// Every server function's last step: a refusal answers a script's call with its own
    /// status (401, 403, 429…) rather than 500. Page renders and plain form posts keep
    /// theirs: the page explains the error, and a form post must stay a redirect.
    pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(error) = &result {
            if !wants_html() {
                if let (Some(response), Ok(status)) = (
                    use_context::<leptos_axum::ResponseOptions>(),
                    http::StatusCode::from_u16(error.status()),
                ) {
                    response.set_status(status);
                }
            }
        }
        result
    }

    /// The signed-in person, or `NotSignedIn`. For functions whose policy question needs
    /// facts about the target first; they ask [`crate::policy::allows`] themselves.
    pub fn signed_in() -> Result<Viewer, AppError> {
        viewer().ok_or(AppError::NotSignedIn)
    }

    /// The site's own address as the browser reached it, for links shown to copy.
    pub fn origin() -> String {
        let parts = request();
        let header = |name: &str| {
            parts
                .as_ref()
                .and_then(|p| p.headers.get(name))
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let scheme = header("x-forwarded-proto").unwrap_or_else(|| "http".to_owned());
        let host = header("x-forwarded-host")
            .or_else(|| header("host"))
            .unwrap_or_else(|| "localhost".to_owned());
        format!("{scheme}://{host}")
    }

    /// The store the server provided for this request.
    pub fn store() -> Result<Store, AppError> {
        use_context::<Store>().ok_or_else(|| {
            tracing::error!("no Store in the server function context");
            AppError::Internal
        })
    }
}
