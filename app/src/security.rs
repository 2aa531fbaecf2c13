//! The Content Security Policy. Pages get a fresh nonce per response for Leptos'
//! inline hydration scripts; every other response gets the same policy without one.

use http::header::CONTENT_SECURITY_POLICY;
use http::HeaderValue;

/// `'wasm-unsafe-eval'` lets the page compile its WebAssembly and nothing else; no
/// inline script runs without the nonce, and no site may frame Townhall.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let script_nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{script_nonce}; \
         style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; \
         manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sends the policy that allows this page's nonce (leptos_axum makes one per request).
pub fn send_content_security_policy() {
    use leptos::prelude::use_context;
    let nonce = leptos::nonce::use_nonce();
    let policy = content_security_policy(nonce.as_ref().map(|n| n.as_inner().as_ref()));
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&policy),
    ) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::content_security_policy;

    #[test]
    fn policy_allows_wasm_and_only_nonced_inline_scripts() {
        let p = content_security_policy(Some("abc"));
        assert!(p.contains("script-src 'self' 'wasm-unsafe-eval' 'nonce-abc';"));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(!p.contains("unsafe-inline"));
        assert!(!content_security_policy(None).contains("nonce"));
    }
}
