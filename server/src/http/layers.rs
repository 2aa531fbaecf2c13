use app::security::{content_security_policy, CspNonce};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Response, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response as AxumResponse};
use leptos::config::LeptosOptions;
use std::any::Any;
use tower::Layer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Headers every response carries, including the CSP with this request's nonce (made
/// here, and handed to the page through the request's extensions).
pub async fn security_headers(mut request: Request, next: Next) -> AxumResponse {
    let nonce = CspNonce::generate();
    let policy = HeaderValue::from_str(&content_security_policy(Some(&nonce.0)));
    request.extensions_mut().insert(nonce);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // A response with a stricter policy of its own (an attachment's) keeps it.
    if let Ok(policy) = policy {
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(policy);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Same-origin referrers let form posts without JavaScript return to their page.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Words a refused script call for its reader: when a server function (or an upload)
/// answers an `Accept: application/json` request with an error, the error's sentence in
/// the page's language goes with it in [`app::error::MESSAGE_HEADER`]. The islands show
/// that sentence, so the browser's code carries no error texts (every page's words in
/// two languages would otherwise be compiled into the wasm). The body is left as it is.
pub async fn explain_refusals(request: Request, next: Next) -> AxumResponse {
    let wants_json = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let lang = app::prefs::Prefs::from_headers(request.headers()).lang;
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let status = response.status();
    if !wants_json || !is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // An error's JSON is a few dozen bytes; a longer (or unsized) body is not one of
    // ours and goes on untouched.
    use axum::body::HttpBody as _;
    if body
        .size_hint()
        .upper()
        .is_none_or(|n| n > REFUSAL_BYTES as u64)
    {
        return AxumResponse::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, REFUSAL_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        let sentence = error.message(lang.texts());
        let encoded =
            percent_encoding::utf8_percent_encode(&sentence, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        if let Ok(value) = HeaderValue::from_str(&encoded) {
            parts.headers.insert(app::error::MESSAGE_HEADER, value);
        }
    }
    AxumResponse::from_parts(parts, axum::body::Body::from(bytes))
}

/// The most of an error answer [`explain_refusals`] reads.
const REFUSAL_BYTES: usize = 16 * 1024;

/// `/pkg`: the hashed wasm, js and css. Their names change with their content, so
/// browsers may keep them for a year.
pub fn immutable_assets(
    options: &LeptosOptions,
) -> tower_http::set_header::SetResponseHeader<ServeDir, HeaderValue> {
    let dir = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    )
    .layer(ServeDir::new(dir).precompressed_br().precompressed_gzip())
}

/// Which responses are compressed as they are sent: what tower-http compresses by
/// default, except the site's hashed files (marked immutable by [`immutable_assets`]),
/// which go out as `townhall precompress` made them or, where it was not run, as they are.
pub fn compress_on_the_fly() -> impl tower_http::compression::Predicate {
    use tower_http::compression::predicate::{DefaultPredicate, Predicate};
    DefaultPredicate::new().and(
        |_: StatusCode,
         _: axum::http::Version,
         headers: &axum::http::HeaderMap,
         _: &axum::http::Extensions| {
            !headers
                .get(header::CACHE_CONTROL)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("immutable"))
        },
    )
}

/// A panic becomes a plain 500 page: the panic message goes to the log, never to the reader.
pub fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response<String> {
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = detail, "request handler panicked");
    let body = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Townhall</title></head>\
        <body><h1>Something went wrong</h1><p>Đã có lỗi xảy ra. Please try again.</p></body></html>";
    let mut response = Response::new(body.to_owned());
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// Path prefixes whose next segment is a secret (an invitation's or a password reset
/// link's token): the access log keeps the prefix only.
const SECRET_SEGMENT_AFTER: [&str; 2] = ["/join/", "/reset/"];

/// The request path as the access log writes it: `/join/{token}` becomes `/join/…`,
/// so that holding the logs is not holding the company's open invitations.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in SECRET_SEGMENT_AFTER {
        if let Some(rest) = path.strip_prefix(prefix) {
            if !rest.is_empty() {
                return format!("{prefix}…").into();
            }
        }
    }
    path.into()
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn invitation_tokens_stay_out_of_the_log() {
        assert_eq!(loggable_path("/join/s3cr3t-token"), "/join/…");
        assert_eq!(loggable_path("/join/s3cr3t/more"), "/join/…");
        assert_eq!(loggable_path("/join/"), "/join/");
        assert_eq!(loggable_path("/people/5"), "/people/5");
        assert_eq!(loggable_path("/api/account/join"), "/api/account/join");
        assert!(!loggable_path("/join/abc123").contains("abc123"));
        assert_eq!(loggable_path("/reset/s3cr3t-token"), "/reset/…");
    }
}
