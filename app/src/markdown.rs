//! Posts and comments are written in Markdown (CommonMark with GitHub's tables, task
//! lists and strikethrough) and shown as HTML that a sanitiser has cleaned: no script,
//! style, event handler or `javascript:` link survives, whatever was typed. Rendering
//! happens on the server only, so the browser build carries neither parser.
//!
//! Outside code and links, `@handle` becomes a link to that person, `#tag` a link to
//! the tag's page and a bare `https://…` address a link; [`references`] finds the same
//! mentions and tags for notifications and the tag index.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM
}

/// A piece of running text: plain, or something that becomes a link.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Mention(String),
    /// `@channel`: everyone in the channel.
    Channel,
    Tag(String),
    Url(&'a str),
}

/// The word that `@channel` is.
pub const CHANNEL_MENTION: &str = "channel";

/// Whether `c` may continue a handle (`an.nguyen`, `thu-ha`, `binh_2`).
fn handle_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

fn tag_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-')
}

/// The longest prefix of `rest` made of `allowed` characters, without trailing
/// punctuation (a sentence's full stop is not part of a handle).
fn word(rest: &str, allowed: fn(char) -> bool) -> &str {
    let end = rest.find(|c: char| !allowed(c)).unwrap_or(rest.len());
    rest[..end].trim_end_matches(['.', '_', '-'])
}

/// Splits running text into plain text, mentions, tags and bare web addresses.
fn scan(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut plain_from = 0;
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let starts_word = text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '/'));
        let found = if !starts_word {
            None
        } else if let Some(after) = rest.strip_prefix('@') {
            let handle = word(after, handle_char);
            (!handle.is_empty()).then(|| {
                let lower = handle.to_ascii_lowercase();
                let piece = if lower == CHANNEL_MENTION {
                    Piece::Channel
                } else {
                    Piece::Mention(lower)
                };
                (piece, 1 + handle.len())
            })
        } else if let Some(after) = rest.strip_prefix('#') {
            let tag = word(after, tag_char);
            // `#12` is a number, not a topic.
            (tag.chars().any(char::is_alphabetic))
                .then(|| (Piece::Tag(tag.to_lowercase()), 1 + tag.len()))
        } else if rest.starts_with("https://") || rest.starts_with("http://") {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', '"']);
            (url.len() > "https://".len()).then_some((Piece::Url(url), url.len()))
        } else {
            None
        };
        match found {
            Some((piece, len)) => {
                if plain_from < i {
                    pieces.push(Piece::Text(&text[plain_from..i]));
                }
                pieces.push(piece);
                i += len;
                plain_from = i;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    if plain_from < text.len() {
        pieces.push(Piece::Text(&text[plain_from..]));
    }
    pieces
}

/// Runs `f` on each piece of running text in `markdown` (not in code, not in a link).
fn each_text<'a>(
    parser: Parser<'a>,
    mut f: impl FnMut(Event<'a>, bool) -> Option<Event<'a>>,
) -> Vec<Event<'a>> {
    let mut code = 0usize;
    let mut link = 0usize;
    let mut out = Vec::new();
    for event in parser {
        match &event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => link += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => link = link.saturating_sub(1),
            _ => {}
        }
        let running = code == 0 && link == 0 && matches!(event, Event::Text(_));
        if let Some(e) = f(event, running) {
            out.push(e);
        }
    }
    out
}

/// Percent-encodes a tag for its page's URL.
fn tag_path(tag: &str) -> String {
    let mut path = String::from("/tags/");
    for b in tag.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_') {
            path.push(b as char);
        } else {
            path.push_str(&format!("%{b:02X}"));
        }
    }
    path
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Safe HTML for `markdown`. Every feed shows the same posts to many readers, and
/// rendering and sanitising was the largest part of a feed page's CPU, so recent
/// results are kept (the output depends on the text alone).
pub fn to_html(markdown: &str) -> String {
    if let Some(html) = rendered().get(markdown) {
        return html;
    }
    let html = render(markdown);
    rendered().put(markdown, &html);
    html
}

/// Texts rendered lately, in two generations: when the young one is full it becomes
/// the old one, and whatever is read from the old one moves back to the young one.
#[derive(Default)]
struct Rendered {
    young: HashMap<String, String>,
    old: HashMap<String, String>,
}

/// Texts per generation: every card of a few hundred feed pages.
const RENDERED_PER_GENERATION: usize = 4_096;

fn rendered() -> MutexGuard<'static, Rendered> {
    static RENDERED: LazyLock<Mutex<Rendered>> = LazyLock::new(Mutex::default);
    // A panic while holding the lock cannot leave a half-written entry behind.
    RENDERED.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Rendered {
    fn get(&mut self, markdown: &str) -> Option<String> {
        if let Some(html) = self.young.get(markdown) {
            return Some(html.clone());
        }
        let (markdown, html) = self.old.remove_entry(markdown)?;
        self.put(&markdown, &html);
        Some(html)
    }

    fn put(&mut self, markdown: &str, html: &str) {
        if self.young.len() >= RENDERED_PER_GENERATION {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(markdown.to_owned(), html.to_owned());
    }
}

fn sanitiser() -> &'static ammonia::Builder<'static> {
    static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut builder = ammonia::Builder::default();
        builder
            // Task-list checkboxes, shown ticked or not and never editable.
            .add_tags(["input"])
            .add_tag_attribute_values("input", "type", ["checkbox"])
            .add_tag_attributes("input", ["checked", "disabled"])
            .add_allowed_classes("a", ["mention", "tag"])
            .add_allowed_classes("strong", ["mention"])
            .link_rel(Some("noopener noreferrer nofollow"))
            .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect());
        builder
    });
    &SANITISER
}

fn render(markdown: &str) -> String {
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    let events = each_text(Parser::new_ext(markdown, options()), |event, running| {
        let Event::Text(text) = &event else {
            return Some(event);
        };
        if !running {
            return Some(event);
        }
        let mut html = String::new();
        for piece in scan(text) {
            match piece {
                Piece::Text(t) => html.push_str(&escape(t)),
                Piece::Mention(handle) => html.push_str(&format!(
                    r#"<a class="mention" href="/u/{handle}">@{handle}</a>"#
                )),
                Piece::Channel => html.push_str(r#"<strong class="mention">@channel</strong>"#),
                Piece::Tag(tag) => html.push_str(&format!(
                    r#"<a class="tag" href="{}">#{}</a>"#,
                    tag_path(&tag),
                    escape(&tag)
                )),
                Piece::Url(url) => {
                    let url = escape(url);
                    html.push_str(&format!(r#"<a href="{url}">{url}</a>"#));
                }
            }
        }
        Some(Event::InlineHtml(CowStr::from(html)))
    });
    html::push_html(&mut raw, events.into_iter());
    sanitiser().clean(&raw).to_string()
}

/// Who and what a text refers to: its `@handle`s, whether it says `@channel`, and its
/// `#tag`s, each once, in order of appearance.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct References {
    pub handles: Vec<String>,
    pub channel: bool,
    pub tags: Vec<String>,
}

pub fn references(markdown: &str) -> References {
    let mut found = References::default();
    each_text(Parser::new_ext(markdown, options()), |event, running| {
        if let (Event::Text(text), true) = (&event, running) {
            for piece in scan(text) {
                match piece {
                    Piece::Mention(h) if !found.handles.contains(&h) => found.handles.push(h),
                    Piece::Channel => found.channel = true,
                    Piece::Tag(t) if !found.tags.contains(&t) => found.tags.push(t),
                    _ => {}
                }
            }
        }
        None
    });
    found
}

#[cfg(test)]
mod tests {
    use super::{references, to_html, References, Rendered, RENDERED_PER_GENERATION};

    #[test]
    fn rendered_texts_live_two_generations_unless_read() {
        let mut rendered = Rendered::default();
        for i in 0..RENDERED_PER_GENERATION {
            rendered.put(&format!("old {i}"), "<p>old</p>");
        }
        rendered.put("new", "<p>new</p>");
        // "old 0" is now in the old generation; reading it brings it back.
        assert_eq!(rendered.get("old 0").as_deref(), Some("<p>old</p>"));
        for i in 0..RENDERED_PER_GENERATION {
            rendered.put(&format!("newer {i}"), "<p>newer</p>");
        }
        assert_eq!(rendered.get("old 0").as_deref(), Some("<p>old</p>"));
        // Written one generation ago: still there. Two generations ago, unread: gone.
        assert_eq!(rendered.get("new").as_deref(), Some("<p>new</p>"));
        assert_eq!(rendered.get("old 1"), None);
    }

    #[test]
    fn markdown_becomes_html() {
        assert_eq!(
            to_html("**Chào** _mọi người_"),
            "<p><strong>Chào</strong> <em>mọi người</em></p>\n"
        );
        let table = to_html("| a | b |\n|---|---|\n| 1 | 2 |");
        assert!(
            table.contains("<table>") && table.contains("<td>1</td>"),
            "{table}"
        );
        let tasks = to_html("- [x] done\n- [ ] todo");
        assert!(
            tasks.contains(r#"<input disabled="" type="checkbox" checked="">"#),
            "{tasks}"
        );
        let code = to_html("```rust\nfn main() {}\n```");
        assert!(code.contains("<pre><code"), "{code}");
        assert!(to_html("<https://saomai.vn>")
            .contains(r#"href="https://saomai.vn" rel="noopener noreferrer nofollow""#));
    }

    #[test]
    fn nothing_executable_survives() {
        for attack in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<style>body{display:none}</style>",
            "<div style=\"position:fixed\">x</div>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<svg onload=alert(1)>",
            "<input type=\"text\" onfocus=\"alert(1)\" autofocus>",
        ] {
            let html = to_html(attack).to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "javascript:",
                "<style",
                "style=",
                "<iframe",
                "onload",
                "onfocus",
                "type=\"text\"",
            ] {
                assert!(!html.contains(bad), "{attack} → {html}");
            }
        }
    }

    #[test]
    fn mentions_tags_and_addresses_become_links() {
        let html = to_html("Hi @An.Nguyen, see #Kế-hoạch and https://saomai.vn/q3. Mail a@b.vn");
        assert!(html.contains(r#"<a class="mention" href="/u/an.nguyen" rel="noopener noreferrer nofollow">@an.nguyen</a>,"#), "{html}");
        assert!(
            html.contains(r#"href="/tags/k%E1%BA%BF-ho%E1%BA%A1ch""#),
            "{html}"
        );
        assert!(html.contains(r#">#kế-hoạch</a>"#), "{html}");
        assert!(html.contains(r#"<a href="https://saomai.vn/q3""#), "{html}");
        assert!(
            !html.contains("/u/b.vn"),
            "an e-mail address is not a mention: {html}"
        );
        let code = to_html("`@an` and\n\n```\n#tag\n```");
        assert!(
            !code.contains("/u/an") && !code.contains("/tags/"),
            "{code}"
        );
    }

    #[test]
    fn references_are_found_once_outside_code() {
        assert_eq!(
            references("@binh @an @binh #q3 #Q3 #12 @channel `@code` [@x](https://x.vn)"),
            References {
                handles: vec!["binh".into(), "an".into()],
                channel: true,
                tags: vec!["q3".into()],
            }
        );
        assert_eq!(references("# Heading\n\nbody").tags, Vec::<String>::new());
    }
}
