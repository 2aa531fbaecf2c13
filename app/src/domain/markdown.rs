//! Posts and comments are written in Markdown (CommonMark with GitHub's tables, task
//! lists and strikethrough) and shown as HTML that a sanitiser has cleaned: no script,
//! style, event handler or `javascript:` link survives, whatever was typed. Rendering
//! happens on the server only, so the browser build carries neither parser.
//!
//! Outside code and links, `@handle` becomes a link to that person, `#tag` a link to
//! the tag's page and a bare `https://…` address a link; [`references`] finds the same
//! mentions and tags for notifications and the tag index.
//!
//! Rendering is bounded: a text whose tables would have more than [`MAX_TABLE_CELLS`]
//! cells (counted in the source, before parsing) or whose HTML would pass
//! [`MAX_HTML_BYTES`] is refused when written ([`check`]) and shown as plain text if
//! one was stored before. Pictures may only come from where the server keeps them
//! ([`PICTURE_PATH`]): any other address would make every reader's browser request it.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};

/// The most table cells a text may make. pulldown-cmark pads every short row to the
/// header's width, so a 17 KB text of a wide header and many one-cell rows would
/// otherwise render to megabytes of empty cells.
pub const MAX_TABLE_CELLS: usize = 20_000;
/// The most HTML one text may render to, in bytes, before sanitising: a 20 000-character
/// post full of links and mentions stays well below it.
pub const MAX_HTML_BYTES: usize = 512 * 1024;
/// Where pictures are: the only addresses an `<img>` in a post may point to
/// (`/avatars/12?v=3`).
pub const PICTURE_PATH: &str = "/avatars/";

/// The text would render past a budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLarge;

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

/// Runs `f` on each event of `events`, telling it whether the event is running text
/// (not in code, not in a link); keeps what `f` returns. Lazy, so rendering can stop
/// early.
fn each_text<'a>(
    events: impl Iterator<Item = Event<'a>>,
    mut f: impl FnMut(Event<'a>, bool) -> Option<Event<'a>>,
) -> impl Iterator<Item = Event<'a>> {
    let mut code = 0usize;
    let mut link = 0usize;
    events.filter_map(move |event| {
        match &event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => link += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => link = link.saturating_sub(1),
            _ => {}
        }
        let running = code == 0 && link == 0 && matches!(event, Event::Text(_));
        f(event, running)
    })
}

/// Whether `url` is a picture the server serves: `/avatars/{id}`, optionally with
/// `?v={version}`, and nothing else (no `..`, no other query), so no picture in a post
/// can make a reader's browser open a post, mark something seen or act for them.
pub fn picture_path(url: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let Some(rest) = url.strip_prefix(PICTURE_PATH) else {
        return false;
    };
    let (id, query) = rest.split_once('?').unwrap_or((rest, ""));
    digits(id) && (query.is_empty() || query.strip_prefix("v=").is_some_and(digits))
}

/// Turns every Markdown image that is not a [`picture_path`] into a link to the same
/// address (its description, or the address, as the link's text): the reader may
/// follow it, their browser does not fetch it by itself.
fn pictures_only<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    // For each open image: whether it became a link, its address, whether it had text.
    let mut open: Vec<(bool, CowStr<'a>, bool)> = Vec::new();
    events.flat_map(move |event| {
        let mut out = Vec::with_capacity(2);
        match event {
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let allowed = picture_path(&dest_url);
                open.push((!allowed, dest_url.clone(), false));
                out.push(Event::Start(if allowed {
                    Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }
                } else {
                    Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }
                }));
            }
            Event::End(TagEnd::Image) => match open.pop() {
                Some((true, url, had_text)) => {
                    if !had_text {
                        out.push(Event::Text(url));
                    }
                    out.push(Event::End(TagEnd::Link));
                }
                _ => out.push(Event::End(TagEnd::Image)),
            },
            other => {
                if let Some(last) = open.last_mut() {
                    last.2 = true;
                }
                out.push(other);
            }
        }
        out
    })
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

/// `text` made safe inside HTML text and double-quoted attributes.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The lines of `markdown` as pulldown-cmark sees them: ended by `\n`, `\r\n` or `\r`.
fn source_lines(markdown: &str) -> impl Iterator<Item = &str> {
    markdown
        .split('\n')
        .flat_map(|line| line.strip_suffix('\r').unwrap_or(line).split('\r'))
}

/// Whether `line` could be a table's delimiter row (`|---|:--:|`), inside any
/// blockquotes or list items: a pipe, and only the characters such a row is made of.
/// A superset of what pulldown-cmark accepts, so no table escapes the count.
fn maybe_delimiter_row(line: &str) -> bool {
    let row = line.trim_start_matches(|c: char| {
        matches!(c, ' ' | '\t' | '>' | '*' | '+' | '.' | ')') || c.is_ascii_digit()
    });
    row.contains('|')
        && row
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// Whether `line` ends a table: empty once container markers are set aside.
fn blank(line: &str) -> bool {
    line.chars().all(|c| matches!(c, ' ' | '\t' | '>'))
}

/// At most how many cells the tables of `markdown` have, counted in the source before
/// any parsing: a table has as many columns as its delimiter row has cells (at most its
/// pipes plus one), and at most one row per line from its header to the next blank line.
pub fn table_cells_at_most(markdown: &str) -> usize {
    let lines: Vec<&str> = source_lines(markdown).collect();
    // Non-blank lines from each line on: computed backwards, so counting stays linear.
    let mut run = vec![0usize; lines.len() + 1];
    for i in (0..lines.len()).rev() {
        run[i] = if blank(lines[i]) { 0 } else { run[i + 1] + 1 };
    }
    let mut cells = 0usize;
    for (i, line) in lines.iter().enumerate() {
        if maybe_delimiter_row(line) {
            let columns = line.matches('|').count() + 1;
            // The header above, the delimiter row itself, and the rows below.
            let rows = 2 + run[i + 1];
            cells = cells.saturating_add(columns.saturating_mul(rows));
        }
    }
    cells
}

/// A writer that fails once more than its budget was written: rendering stops there.
struct Budget {
    html: String,
    left: usize,
}

impl std::fmt::Write for Budget {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.left = self.left.checked_sub(s.len()).ok_or(std::fmt::Error)?;
        self.html.push_str(s);
        Ok(())
    }
}

/// Safe HTML for `markdown`. Every feed shows the same posts to many readers, and
/// rendering and sanitising was the largest part of a feed page's CPU, so recent
/// results are kept (the output depends on the text alone). A text past a budget
/// ([`TooLarge`]) shows as plain text. Prefer [`to_html_all`] on the async workers.
pub fn to_html(markdown: &str) -> String {
    rendering(markdown).0
}

/// Like [`to_html`], but tells whether the text fits the budgets.
pub fn try_to_html(markdown: &str) -> Result<String, TooLarge> {
    match rendering(markdown) {
        (html, true) => Ok(html),
        (_, false) => Err(TooLarge),
    }
}

/// The cached rendering of `markdown`, or a new one: the HTML, and whether it fit.
fn rendering(markdown: &str) -> (String, bool) {
    if let Some(found) = rendered().get(markdown) {
        return found;
    }
    let (html, fits) = match render(markdown) {
        Ok(html) => (html, true),
        Err(TooLarge) => (plain(markdown), false),
    };
    rendered().put(markdown, &html, fits);
    (html, fits)
}

/// Safe HTML for each of `texts`, in order, rendered off the async workers: cached
/// texts at once, the others together on a blocking thread under the Markdown limit.
pub async fn to_html_all(texts: Vec<String>) -> Vec<String> {
    let mut html: Vec<Option<String>> = {
        let mut cache = rendered();
        texts.iter().map(|t| cache.get(t).map(|(h, _)| h)).collect()
    };
    let missing: Vec<(usize, String)> = texts
        .into_iter()
        .enumerate()
        .filter(|(i, _)| html[*i].is_none())
        .collect();
    if !missing.is_empty() {
        let fallback: Vec<(usize, String)> =
            missing.iter().map(|(i, text)| (*i, plain(text))).collect();
        let done = crate::heavy::markdown()
            .run(move || {
                missing
                    .into_iter()
                    .map(|(i, text)| (i, to_html(&text)))
                    .collect::<Vec<_>>()
            })
            .await
            // Rendering panicked (a bug, logged): show the texts as plain text.
            .unwrap_or(fallback);
        for (i, rendered) in done {
            html[i] = Some(rendered);
        }
    }
    html.into_iter().map(Option::unwrap_or_default).collect()
}

/// Checks that `markdown` renders within the budgets, rendering it off the async
/// workers (and keeping the result for the feeds that will show it).
pub async fn check(markdown: &str) -> Result<(), TooLarge> {
    if table_cells_at_most(markdown) > MAX_TABLE_CELLS {
        return Err(TooLarge);
    }
    let text = markdown.to_owned();
    match crate::heavy::markdown()
        .run(move || try_to_html(&text).map(drop))
        .await
    {
        Ok(fits) => fits,
        Err(_) => Err(TooLarge),
    }
}

/// A text that may not be rendered, as plain paragraphs: bounded by its own length.
fn plain(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() + 16);
    for paragraph in markdown.split("\n\n").filter(|p| !p.trim().is_empty()) {
        html.push_str("<p>");
        let lines: Vec<String> = source_lines(paragraph.trim()).map(escape).collect();
        html.push_str(&lines.join("<br>"));
        html.push_str("</p>\n");
    }
    html
}

/// Texts rendered lately, in two generations: when the young one holds its bytes it
/// becomes the old one, and whatever is read from the old one moves back to the young
/// one. Bounded in bytes, not entries, because one text may render to half a megabyte.
/// Hand-written rather than a caching crate: two maps and a counter do it.
struct Rendered {
    young: HashMap<String, (String, bool)>,
    old: HashMap<String, (String, bool)>,
    /// Bytes of text and HTML in `young`.
    young_bytes: usize,
    bytes_per_generation: usize,
}

/// Bytes per generation: every card of a few hundred feed pages (two generations and
/// the maps' own overhead make the whole cache at most about 40 MiB).
const RENDERED_BYTES_PER_GENERATION: usize = 16 * 1024 * 1024;

fn rendered() -> MutexGuard<'static, Rendered> {
    static RENDERED: LazyLock<Mutex<Rendered>> =
        LazyLock::new(|| Mutex::new(Rendered::new(RENDERED_BYTES_PER_GENERATION)));
    // A panic while holding the lock cannot leave a half-written entry behind.
    RENDERED.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Rendered {
    fn new(bytes_per_generation: usize) -> Rendered {
        Rendered {
            young: HashMap::new(),
            old: HashMap::new(),
            young_bytes: 0,
            bytes_per_generation,
        }
    }

    fn get(&mut self, markdown: &str) -> Option<(String, bool)> {
        if let Some(found) = self.young.get(markdown) {
            return Some(found.clone());
        }
        let (markdown, (html, fits)) = self.old.remove_entry(markdown)?;
        self.put(&markdown, &html, fits);
        Some((html, fits))
    }

    fn put(&mut self, markdown: &str, html: &str, fits: bool) {
        let bytes = markdown.len() + html.len();
        if self.young_bytes + bytes > self.bytes_per_generation {
            self.old = std::mem::take(&mut self.young);
            self.young_bytes = 0;
        }
        if bytes > self.bytes_per_generation {
            return;
        }
        if let Some((old_html, _)) = self
            .young
            .insert(markdown.to_owned(), (html.to_owned(), fits))
        {
            self.young_bytes -= markdown.len() + old_html.len();
        }
        self.young_bytes += bytes;
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
            .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
            // Raw `<img>` too: a picture only from where pictures are.
            .attribute_filter(|element, attribute, value| {
                if element == "img" && attribute == "src" && !picture_path(value) {
                    None
                } else {
                    Some(value.into())
                }
            });
        builder
    });
    &SANITISER
}

/// Renders and sanitises `markdown`, or refuses it when its tables or its HTML would
/// pass the budgets (checked before parsing, and while writing).
fn render(markdown: &str) -> Result<String, TooLarge> {
    render_within(markdown, MAX_HTML_BYTES)
}

fn render_within(markdown: &str, budget: usize) -> Result<String, TooLarge> {
    if table_cells_at_most(markdown) > MAX_TABLE_CELLS {
        return Err(TooLarge);
    }
    let events = pictures_only(Parser::new_ext(markdown, options()));
    let events = each_text(events, |event, running| {
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
    let mut raw = Budget {
        html: String::with_capacity(markdown.len() * 3 / 2),
        left: budget,
    };
    html::write_html_fmt(&mut raw, events).map_err(|_| TooLarge)?;
    Ok(sanitiser().clean(&raw.html).to_string())
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
    // Sets beside the lists: a text naming thousands of handles stays linear.
    let (mut handles, mut tags) = (HashSet::new(), HashSet::new());
    each_text(Parser::new_ext(markdown, options()), |event, running| {
        if let (Event::Text(text), true) = (&event, running) {
            for piece in scan(text) {
                match piece {
                    Piece::Mention(h) if handles.insert(h.clone()) => found.handles.push(h),
                    Piece::Channel => found.channel = true,
                    Piece::Tag(t) if tags.insert(t.clone()) => found.tags.push(t),
                    _ => {}
                }
            }
        }
        None
    })
    .for_each(drop);
    found
}

/// Renders the Markdown of each card and its comments into safe HTML, off the async
/// workers and in one batch (see [`to_html_all`]). The store hands cards out
/// with the Markdown in `body_html`; nothing shows a card that has not passed here.
pub async fn render_cards<'a>(cards: impl Iterator<Item = &'a mut crate::model::PostCard>) {
    let mut fields = Vec::new();
    for card in cards {
        fields.push(&mut card.body_html);
        for comment in &mut card.comments {
            fields.push(&mut comment.body_html);
        }
    }
    render_fields(fields).await;
}

/// Replaces each Markdown text in `fields` with its safe HTML.
pub async fn render_fields(mut fields: Vec<&mut String>) {
    let texts = fields
        .iter_mut()
        .map(|field| std::mem::take(*field))
        .collect();
    let html = to_html_all(texts).await;
    for (field, html) in fields.into_iter().zip(html) {
        *field = html;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_texts_live_two_generations_unless_read() {
        // Ten bytes of text and ten of HTML per entry: five entries per generation.
        let mut rendered = Rendered::new(100);
        let put = |r: &mut Rendered, key: &str| r.put(&format!("{key:<10}"), "<p>0123</p>", true);
        let get = |r: &mut Rendered, key: &str| r.get(&format!("{key:<10}")).is_some();
        for i in 0..4 {
            put(&mut rendered, &format!("old {i}"));
        }
        put(&mut rendered, "new");
        put(&mut rendered, "newer");
        // The young generation was full: "old 0" is in the old one; reading it brings it back.
        assert!(get(&mut rendered, "old 0"));
        for i in 0..4 {
            put(&mut rendered, &format!("newest {i}"));
        }
        assert!(get(&mut rendered, "old 0"));
        // Written one generation ago: still there. Two generations ago, unread: gone.
        assert!(get(&mut rendered, "newer"));
        assert!(!get(&mut rendered, "old 1"));
    }

    #[test]
    fn the_cache_is_bounded_in_bytes() {
        let mut rendered = Rendered::new(1_000);
        for i in 0..100 {
            rendered.put(&format!("text {i}"), &"x".repeat(300), true);
            assert!(rendered.young_bytes <= 1_000);
        }
        let held: usize = [&rendered.young, &rendered.old]
            .iter()
            .flat_map(|m| m.iter())
            .map(|(k, (v, _))| k.len() + v.len())
            .sum();
        assert!(held <= 2_000, "{held} bytes held");
        // One rendering larger than a generation is not kept at all.
        rendered.put("huge", &"x".repeat(5_000), true);
        assert!(rendered.get("huge").is_none());
    }

    /// A wide header, its delimiter row, and many one-cell rows that pulldown-cmark pads
    /// to the header's width: about 17 KB that rendered to megabytes.
    fn amplifying_table(columns: usize, rows: usize) -> String {
        let mut text = format!("{}|\n{}|\n", "|a".repeat(columns), "|-".repeat(columns));
        text.push_str(&"a\n".repeat(rows));
        text
    }

    #[test]
    fn tables_are_counted_before_parsing() {
        assert_eq!(table_cells_at_most("no table | here"), 0);
        // Two columns; header, delimiter and two rows.
        // At most four columns (three pipes); header, delimiter and two rows.
        assert_eq!(
            table_cells_at_most("| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |"),
            4 * 4
        );
        // A blank line ends the table; a blockquote's empty line too.
        assert_eq!(table_cells_at_most("a|b\n-|-\n1|2\n\nmore\ntext"), 2 * 3);
        assert_eq!(table_cells_at_most("> a|b\n> -|-\n> 1|2\n>\n> more"), 2 * 3);
        // Every line ending pulldown-cmark knows counts.
        assert_eq!(
            table_cells_at_most("a|b\r-|-\r1|2\r\n3|4"),
            table_cells_at_most("a|b\n-|-\n1|2\n3|4")
        );
        assert!(table_cells_at_most(&amplifying_table(1_500, 5_500)) > MAX_TABLE_CELLS);
        // The count never undercounts what the parser makes.
        for text in [
            "| a | b |\n|---|---|\n| 1 |",
            "- a|b|c\n  -|-|-\n  1\n  2",
            "> > a|b\n> > :-:|--:\n> > 1",
            "a|b\n-|-\n1\n> 2",
        ] {
            let cells = Parser::new_ext(text, options())
                .filter(|e| matches!(e, Event::Start(Tag::TableCell)))
                .count();
            assert!(
                cells <= table_cells_at_most(text),
                "{text:?}: {cells} cells"
            );
            assert!(cells > 0, "{text:?} has a table");
        }
    }

    #[test]
    fn texts_past_the_budgets_are_refused_and_shown_plain() {
        let table = amplifying_table(1_500, 5_500);
        assert!(table.len() < 20_000);
        let started = std::time::Instant::now();
        assert_eq!(try_to_html(&table), Err(TooLarge));
        let shown = to_html(&table);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert!(shown.len() < 4 * table.len(), "{} bytes", shown.len());
        assert!(!shown.contains("<td>"), "shown as text");
        // The HTML budget is a backstop for amplifications not known yet (pulldown-cmark
        // already caps repeated reference links): writing stops once it is spent.
        let mentions = "@an ".repeat(100);
        assert!(render_within(&mentions, 1_000).is_err());
        assert!(render_within(&mentions, 10_000).is_ok());
        // An ordinary table is fine.
        assert!(try_to_html(&amplifying_table(10, 100)).is_ok());
    }

    #[tokio::test]
    async fn checks_and_batches_render_off_the_workers() {
        assert_eq!(check(&amplifying_table(1_500, 5_500)).await, Err(TooLarge));
        assert_eq!(check("**fine**").await, Ok(()));
        let html = to_html_all(vec!["**a**".into(), "_b_".into(), "**a**".into()]).await;
        assert_eq!(
            html,
            [
                "<p><strong>a</strong></p>\n",
                "<p><em>b</em></p>\n",
                "<p><strong>a</strong></p>\n"
            ]
        );
    }

    #[test]
    fn pictures_only_come_from_where_pictures_are() {
        assert!(picture_path("/avatars/12"));
        assert!(picture_path("/avatars/12?v=3"));
        for elsewhere in [
            "/posts/5",
            "/avatars/../posts/5",
            "/avatars/12/../../posts/5",
            "/avatars/%2e%2e/posts/5",
            "/avatars/12?v=3&x=/posts/5",
            "//evil.example/avatars/1",
            "https://evil.example/x.png",
            "avatars/1",
            "/avatars/",
        ] {
            assert!(!picture_path(elsewhere), "{elsewhere}");
        }
        let html = to_html("![](/posts/5) ![seen](/posts/6 \"t\") ![me](/avatars/3?v=2)");
        assert!(!html.contains("<img src=\"/posts"), "{html}");
        assert!(
            html.contains(r#"<a href="/posts/5""#),
            "a link instead: {html}"
        );
        assert!(
            html.contains(">/posts/5</a>"),
            "named by its address: {html}"
        );
        assert!(html.contains(">seen</a>"), "{html}");
        assert!(
            html.contains(r#"<img src="/avatars/3?v=2" alt="me""#),
            "{html}"
        );
        // Raw HTML and reference images follow the same rule.
        for raw in [
            "<img src=\"/posts/5\">",
            "<img src=\"&#47;posts/5\">",
            "![x][p]\n\n[p]: /posts/5",
        ] {
            let html = to_html(raw);
            assert!(!html.contains("src=\"/posts"), "{raw} → {html}");
        }
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
