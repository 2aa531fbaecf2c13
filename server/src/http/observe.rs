//! What every request leaves for the operator: an id that ties its log lines together
//! (and to the proxy's, and to what a person reports from the response), and its count
//! and duration in `/metrics` under the route pattern it matched.

use app::telemetry::{HTTP_DURATION, HTTP_REQUESTS};
use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

pub const REQUEST_ID: &str = "x-request-id";

/// Gives the request an id, unless a proxy in front already did, and sends it back in
/// the response. A request id from outside is kept only when it looks like one (64
/// characters at most of letters, digits, `-`, `_`, `.`): it goes into every log line
/// of the request. tower-http's request-id layers keep whatever arrives, hence this.
pub async fn request_id(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .filter(|id| looks_like_an_id(id.as_bytes()))
        .cloned()
        .unwrap_or_else(new_id);
    request.headers_mut().insert(REQUEST_ID, id.clone());
    let mut response = next.run(request).await;
    response.headers_mut().insert(REQUEST_ID, id);
    response
}

fn looks_like_an_id(id: &[u8]) -> bool {
    (1..=64).contains(&id.len())
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// 128 random bits as 32 hex digits: unique enough to find one request in the logs.
fn new_id() -> HeaderValue {
    let id = format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
    HeaderValue::from_str(&id).expect("hex digits are a valid header value")
}

/// The request id [`request_id`] gave the request, for its log span.
pub fn id_of(request: &Request) -> &str {
    request
        .headers()
        .get(REQUEST_ID)
        .and_then(|id| id.to_str().ok())
        .unwrap_or("")
}

/// Counts the request and times it, labelled by the route's pattern (`/channels/{slug}`,
/// `/api/feed/home`), never by its path: paths name people and posts, and one label per
/// path would grow without end. Requests no route matched (the site's files, the 404
/// page) share the label `other`. Outside the panic layer, so a panic counts as its 500.
pub async fn count(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "other".to_owned(), |path| path.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!(HTTP_DURATION, "route" => route.clone(), "method" => method.clone())
        .record(started.elapsed().as_secs_f64());
    metrics::counter!(HTTP_REQUESTS, "route" => route, "method" => method, "status" => status)
        .increment(1);
    response
}

#[cfg(test)]
mod tests {
    use super::looks_like_an_id;

    #[test]
    fn only_plausible_ids_from_outside_are_kept() {
        assert!(looks_like_an_id(b"3f2a9c1e-7b4d-4e8a-9f00-1c2d3e4f5a6b"));
        assert!(looks_like_an_id(b"req_01.abc"));
        assert!(!looks_like_an_id(b""));
        assert!(!looks_like_an_id(&[b'a'; 65]));
        assert!(!looks_like_an_id(b"abc def"));
        assert!(!looks_like_an_id(b"abc\"}{\"admin\":true"));
    }
}
