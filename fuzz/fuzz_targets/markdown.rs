//! Markdown → safe HTML (`app::domain::markdown::to_html`). Whatever is typed, rendering does
//! not panic and the sanitised HTML holds no element or attribute that runs code: no
//! script, style, frame or form, no `on…` handler, no `style` attribute, and every link
//! or image address is relative or uses http, https, mailto or tel.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else {
        return;
    };
    let html = app::domain::markdown::to_html(markdown);
    check_safe(&html);
});

/// Elements that must never reach a reader's browser.
const FORBIDDEN_TAGS: &[&str] = &[
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "form",
    "button",
    "textarea",
    "select",
    "meta",
    "link",
    "base",
    "template",
    "noscript",
    "xmp",
    "plaintext",
    "noembed",
    "title",
];

/// Attributes that hold an address the browser follows or loads.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "cite",
    "action",
    "formaction",
    "poster",
    "background",
    "longdesc",
    "xlink:href",
    "srcset",
];

const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Reads `html` as html5ever (ammonia's serialiser) writes it: in text, `<` is always
/// `&lt;`, so every `<` opens a tag; attribute values are double-quoted with `"`
/// written as `&quot;`. Panics on anything unsafe.
fn check_safe(html: &str) {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        i += offset + 1;
        if html[i..].starts_with("!--") {
            panic!("a comment survived sanitising: {html}");
        }
        let closing = html[i..].starts_with('/');
        if closing {
            i += 1;
        }
        let name_end = html[i..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |n| i + n);
        let name = html[i..name_end].to_ascii_lowercase();
        assert!(
            !FORBIDDEN_TAGS.contains(&name.as_str()),
            "<{name}> survived sanitising: {html}"
        );
        i = name_end;
        if closing {
            continue;
        }
        // Attributes, up to the tag's `>`.
        let mut input_type = None;
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let attr_end = html[i..]
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>')
                .map_or(html.len(), |n| i + n);
            let attr = html[i..attr_end].to_ascii_lowercase();
            i = attr_end;
            let mut value = String::new();
            if html[i..].starts_with("=\"") {
                let start = i + 2;
                let end = html[start..]
                    .find('"')
                    .map_or_else(|| panic!("unterminated attribute: {html}"), |n| start + n);
                value = unescape(&html[start..end]);
                i = end + 1;
            }
            assert!(
                !attr.starts_with("on") && !matches!(attr.as_str(), "style" | "srcdoc"),
                "attribute {attr} on <{name}> survived sanitising: {html}"
            );
            if URL_ATTRIBUTES.contains(&attr.as_str()) {
                if let Some(scheme) = scheme(&value) {
                    assert!(
                        ALLOWED_SCHEMES.contains(&scheme.as_str()),
                        "{attr}={value:?} on <{name}> uses scheme {scheme}: {html}"
                    );
                }
            }
            if attr == "type" {
                input_type = Some(value);
            }
        }
        if name == "input" {
            assert_eq!(
                input_type.as_deref(),
                Some("checkbox"),
                "an <input> other than a checkbox: {html}"
            );
        }
    }
}

fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// The scheme a browser would read in `url` (WHATWG URL parsing: leading and trailing
/// spaces and controls are dropped, tabs and newlines anywhere are ignored), if any.
fn scheme(url: &str) -> Option<String> {
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}
