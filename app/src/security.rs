//! The Content Security Policy: a fresh nonce per response for Leptos' inline hydration
//! scripts, `'wasm-unsafe-eval'` for the wasm, and nothing else inline.

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

/// `bytes` random bytes as lower-case hex: names nobody can guess (attachments' keys).
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the system random source works");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// This request's nonce. The server's HTTP layer makes one per request, puts it here (in
/// the request's extensions) and sends the policy naming it; the page's inline scripts
/// take the same value through [`use_request_nonce`]. One source, so header and scripts
/// always agree.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

impl CspNonce {
    pub fn generate() -> CspNonce {
        let mut bytes = [0u8; 16];
        // Without the system's randomness nothing here is safe to serve; it does not fail
        // on the platforms we run on.
        getrandom::fill(&mut bytes).expect("the system random source works");
        CspNonce(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// Hands this request's nonce to Leptos, for its hydration and resource scripts.
pub fn use_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(value)) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(value));
    }
}

#[cfg(test)]
mod tests {
    use super::{content_security_policy, CspNonce};

    #[test]
    fn policy_allows_wasm_and_only_nonced_inline_scripts() {
        let p = content_security_policy(Some("abc"));
        assert!(p.contains("script-src 'self' 'wasm-unsafe-eval' 'nonce-abc';"));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(!p.contains("unsafe-inline"));
        assert!(!content_security_policy(None).contains("nonce"));
        let (a, b) = (CspNonce::generate(), CspNonce::generate());
        assert_ne!(a.0, b.0);
        assert_eq!(a.0.len(), 32);
    }
}
