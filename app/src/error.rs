//! `AppError`: the one error type of the server-function layer.
//!
//! Every variant is something the interface can explain to a person in their language
//! ([`AppError::message`]). Causes (driver errors, file paths, SQL) are logged on the
//! server where the error is created and never cross the wire, so no error page can
//! leak internals.

use crate::i18n::Texts;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist (or the asker may not know it exists).
    #[error("not found")]
    NotFound,
    /// The request carried a value the server does not accept.
    #[error("bad request")]
    BadRequest,
    /// The database could not be reached; the request may succeed later.
    #[error("service unavailable")]
    Unavailable,
    /// The browser could not reach the server (or got an unreadable answer).
    #[error("network error")]
    Network,
    /// Anything else: a bug. Details are in the server log.
    #[error("internal error")]
    Internal,
}

impl AppError {
    pub fn message(&self, t: &Texts) -> &'static str {
        match self {
            AppError::NotFound => t.error_not_found,
            AppError::BadRequest => t.error_bad_request,
            AppError::Unavailable => t.error_unavailable,
            AppError::Network => t.error_network,
            AppError::Internal => t.error_internal,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_)
            | ServerFnErrorErr::Response(_)
            | ServerFnErrorErr::Deserialization(_) => AppError::Network,
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::store::StoreError> for AppError {
    fn from(err: crate::store::StoreError) -> Self {
        use crate::store::StoreError;
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Connect(_) | StoreError::Unavailable(_) => {
                tracing::warn!(error = %err, "database unavailable");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "storage error");
                AppError::Internal
            }
        }
    }
}
