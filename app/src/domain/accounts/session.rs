//! Session tokens and the cookie that carries them. The browser holds a random token;
//! the database holds only its SHA-256, so a leaked table gives no working cookie.

use http::HeaderMap;
use sha2::{Digest, Sha256};

pub const COOKIE: &str = "townhall_session";
/// Sessions last thirty days from sign-in.
pub const LIFETIME_MS: i64 = 30 * 24 * 60 * 60 * 1000;

pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(hex(&bytes))
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Whether `token` has the shape [`new_token`] makes (64 hex digits).
pub fn is_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The stored hash of a link's token (a reset, an invitation, a mail link), or `None`
/// for a token that cannot be one: refused by its shape, before it is hashed or looked up.
pub fn link_hash(token: &str) -> Option<String> {
    is_token(token).then(|| token_hash(token))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The session token the request carries, if any.
pub fn token_from(headers: &HeaderMap) -> Option<String> {
    crate::prefs::cookie(headers, COOKIE).filter(|t| is_token(t))
}

/// `Set-Cookie` for a new session: HttpOnly, SameSite=Lax, and Secure behind https.
pub fn set_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{COOKIE}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
        LIFETIME_MS / 1000
    )
}

pub fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")
}

/// Whether the browser reached us over https (directly or through a proxy that says so).
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn a_link_token_of_the_wrong_shape_is_not_hashed() {
        let token = new_token().unwrap();
        assert_eq!(link_hash(&token), Some(token_hash(&token)));
        for bad in [
            "",
            "abc",
            &"g".repeat(64),
            &format!("{token}0"),
            &"é".repeat(32),
        ] {
            assert_eq!(link_hash(bad), None, "{bad}");
        }
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_only_over_https() {
        assert_eq!(
            set_cookie("t", false),
            "townhall_session=t; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax"
        );
        assert!(set_cookie("t", true).ends_with("; Secure"));
        let mut headers = HeaderMap::new();
        assert!(!is_https(&headers));
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(is_https(&headers));
    }

    #[test]
    fn malformed_tokens_are_ignored() {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            HeaderValue::from_static("townhall_session=abc"),
        );
        assert_eq!(token_from(&headers), None);
        let token = new_token().unwrap();
        headers.insert(
            http::header::COOKIE,
            HeaderValue::from_str(&format!("a=b; townhall_session={token}")).unwrap(),
        );
        assert_eq!(token_from(&headers), Some(token));
    }
}
