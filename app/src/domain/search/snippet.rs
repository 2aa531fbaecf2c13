//! Snippets: the text around the first words a search matched, those words marked.
//! Made from the original text (its Markdown read as plain text), compared word by word
//! through the same normaliser as the index, so a match on "bao hiem" marks "bảo hiểm".

use crate::folding::index_text;
use crate::model::search::Fragment;
use pulldown_cmark::{Event, Parser};
use std::collections::BTreeSet;

/// Words shown before the first match.
const BEFORE: usize = 8;
/// Words in a snippet at most.
const LENGTH: usize = 36;

/// `markdown` as plain text: its words, without markup.
pub fn plain(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text
}

/// The piece of `text` around its first word among `matched` (normalised words; a word
/// ending in `*` matches as a prefix), cut to [`LENGTH`] words, matches marked.
pub fn snippet(text: &str, matched: &BTreeSet<String>) -> Vec<Fragment> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let is_match = |token: &str| {
        index_text(token).split(' ').any(|w| {
            !w.is_empty()
                && (matched.contains(w)
                    || matched
                        .iter()
                        .any(|m| m.strip_suffix('*').is_some_and(|p| w.starts_with(p))))
        })
    };
    let first = tokens.iter().position(|t| is_match(t)).unwrap_or(0);
    let start = first.saturating_sub(BEFORE);
    let end = (start + LENGTH).min(tokens.len());
    let mut fragments: Vec<Fragment> = Vec::new();
    if start > 0 {
        fragments.push(Fragment {
            text: "… ".into(),
            marked: false,
        });
    }
    for (i, token) in tokens[start..end].iter().enumerate() {
        let marked = is_match(token);
        let separator = if i + 1 < end - start { " " } else { "" };
        match fragments.last_mut() {
            Some(last) if !last.marked && !marked => {
                last.text.push_str(token);
                last.text.push_str(separator);
            }
            _ if marked => {
                fragments.push(Fragment {
                    text: (*token).to_owned(),
                    marked: true,
                });
                if !separator.is_empty() {
                    fragments.push(Fragment {
                        text: separator.into(),
                        marked: false,
                    });
                }
            }
            _ => fragments.push(Fragment {
                text: format!("{token}{separator}"),
                marked: false,
            }),
        }
    }
    if end < tokens.len() {
        fragments.push(Fragment {
            text: " …".into(),
            marked: false,
        });
    }
    fragments
}

#[cfg(test)]
mod tests {
    use super::{plain, snippet};
    use std::collections::BTreeSet;

    fn shown(fragments: &[crate::model::search::Fragment]) -> String {
        fragments
            .iter()
            .map(|f| {
                if f.marked {
                    format!("[{}]", f.text)
                } else {
                    f.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn marks_words_matched_without_their_accents() {
        let matched: BTreeSet<String> = ["bao".into(), "hiem".into()].into();
        let text = plain("Hỏi về **bảo hiểm** xã hội cho nhân viên mới");
        assert_eq!(
            shown(&snippet(&text, &matched)),
            "Hỏi về [bảo] [hiểm] xã hội cho nhân viên mới"
        );
    }

    #[test]
    fn cuts_around_the_first_match() {
        let text = (0..100)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let matched: BTreeSet<String> = ["w50".into()].into();
        let cut = shown(&snippet(&text, &matched));
        assert!(cut.starts_with("… w42 "), "{cut}");
        assert!(cut.contains("[w50]"));
        assert!(cut.ends_with(" …"));
    }

    #[test]
    fn prefixes_match_the_start_of_words() {
        let matched: BTreeSet<String> = ["hop*".into()].into();
        assert_eq!(shown(&snippet("Hợp đồng", &matched)), "[Hợp] đồng");
    }
}
