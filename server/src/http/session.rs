//! Who is asking, resolved once per request before any handler runs, and the refusal
//! of state-changing requests from other sites.

use super::AppState;
use app::api::ClientAddress;
use app::domain::accounts::session;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

/// Puts the signed-in [`app::policy::Viewer`] (if the session cookie is current) and the
/// client's address into the request's extensions, where server functions read them,
/// and notes the person as active today for the adoption dashboard.
///
/// `X-Forwarded-Proto` and `X-Forwarded-Host` (which make cookies `Secure` and the
/// links Townhall shows `https://` and the proxy's host) are dropped unless the request
/// came straight from a trusted proxy: anyone else may write them.
pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .copied()
    {
        if !state.trusted_proxies.trusts(peer.ip()) {
            request.headers_mut().remove("x-forwarded-proto");
            request.headers_mut().remove("x-forwarded-host");
        }
        let client = state
            .trusted_proxies
            .client_address(peer.ip(), request.headers());
        request.extensions_mut().insert(ClientAddress(client));
    }
    if let Some(token) = session::token_from(request.headers()) {
        let now = app::store::now_ms();
        match state
            .store
            .session_viewer(&session::token_hash(&token), now)
            .await
        {
            Ok(Some(viewer)) => {
                // Any signed-in request makes its person active today (written once).
                state.presence.note(&state.store, viewer.user_id, now).await;
                request.extensions_mut().insert(viewer);
            }
            Ok(None) => {}
            // The page will explain the outage; the request goes on as anonymous.
            Err(err) => tracing::warn!(error = %err, "cannot look up the session"),
        }
    }
    next.run(request).await
}

/// Refuses POSTs (and other unsafe methods) sent by another site's page. Together with
/// `SameSite=Lax` cookies this stops cross-site request forgery.
pub async fn reject_cross_site(request: Request, next: Next) -> Response {
    // A one-click unsubscribe link is its own credential, and mail programs post to it
    // from wherever they like (`http::mail`).
    let one_click = request
        .uri()
        .path()
        .starts_with(super::mail::ONE_CLICK_PREFIX);
    if !request.method().is_safe() && !one_click && is_cross_site(request.headers()) {
        return (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &HeaderMap) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if matches!(
        text(header::HeaderName::from_static("sec-fetch-site")),
        Some("cross-site" | "same-site")
    ) {
        return true;
    }
    match (text(header::ORIGIN), text(header::HOST)) {
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, rest)| rest) != Some(host),
        (Some(_), None) => true,
        // Browsers send Origin on every cross-origin POST; its absence means a same-site
        // form in an older browser or a non-browser client.
        (None, _) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_cross_site;
    use axum::http::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.parse().unwrap(), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn only_same_origin_posts_pass() {
        assert!(!is_cross_site(&headers(&[
            ("host", "th.example"),
            ("origin", "https://th.example")
        ])));
        assert!(!is_cross_site(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000")
        ])));
        assert!(!is_cross_site(&headers(&[("host", "th.example")])));
        assert!(is_cross_site(&headers(&[
            ("host", "th.example"),
            ("origin", "https://evil.example")
        ])));
        assert!(is_cross_site(&headers(&[
            ("host", "th.example"),
            ("origin", "null")
        ])));
        assert!(is_cross_site(&headers(&[
            ("host", "th.example"),
            ("sec-fetch-site", "cross-site")
        ])));
    }
}
