//! Posts and comments are written in Markdown (CommonMark with GitHub's tables, task
//! lists and strikethrough) and shown as HTML that a sanitiser has cleaned: no script,
//! style, event handler or `javascript:` link survives, whatever was typed. Rendering
//! happens on the server only, so the browser build carries neither parser.

use pulldown_cmark::{html, Options, Parser};

/// Safe HTML for `markdown`.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        // Task-list checkboxes, shown ticked or not and never editable.
        .add_tags(["input"])
        .add_tag_attribute_values("input", "type", ["checkbox"])
        .add_tag_attributes("input", ["checked", "disabled"])
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::to_html;

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
}
