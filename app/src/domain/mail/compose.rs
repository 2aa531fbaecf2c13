//! Writing a mail: the same words as plain text and as simple HTML (inline styles only,
//! which is what mail programs keep), in the reader's language. Everything taken from
//! posts and names is escaped in the HTML; post bodies go in as short plain excerpts,
//! never as their rendered HTML.

use super::digest::Digest;
use super::words::{self, MailWords};
use crate::domain::markdown::escape;
use crate::i18n::Lang;
use crate::mail::Outgoing;
use crate::model::{PostCard, PostId};
use crate::store::{DigestEvery, Recipient};
use std::collections::HashMap;
use std::fmt::Write;

/// Characters of a post shown in a mail.
const EXCERPT_CHARS: usize = 200;

/// The start of a post's Markdown as one line of plain text.
pub fn excerpt(markdown: &str) -> String {
    excerpt_of(markdown, EXCERPT_CHARS)
}

/// The first `chars` characters of a post's Markdown as one line of plain text (a push
/// message shows fewer than a mail).
pub fn excerpt_of(markdown: &str, chars: usize) -> String {
    crate::i18n::one_line(&crate::domain::search::snippet::plain(markdown), chars)
}

/// The language mail to `person` is written in: the one they last used here.
pub fn language_of(person: &Recipient) -> Lang {
    person
        .locale
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or_default()
}

/// Plain text and HTML written side by side.
struct Both {
    text: String,
    html: String,
}

impl Both {
    fn new() -> Both {
        Both {
            text: String::new(),
            html: String::from(
                "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#1f2328;max-width:40rem\">",
            ),
        }
    }

    fn paragraph(&mut self, words: &str) {
        let _ = writeln!(self.text, "{words}\n");
        let _ = write!(self.html, "<p>{}</p>", escape(words));
    }

    fn link(&mut self, label: &str, url: &str) {
        let _ = writeln!(self.text, "{label}: {url}\n");
        let _ = write!(
            self.html,
            "<p><a href=\"{}\" style=\"display:inline-block;padding:.5rem 1rem;background:#0b6bcb;color:#fff;border-radius:.375rem;text-decoration:none\">{}</a></p>",
            escape(url),
            escape(label)
        );
    }

    fn heading(&mut self, words: &str) {
        let _ = writeln!(
            self.text,
            "{words}\n{}\n",
            "=".repeat(words.chars().count())
        );
        let _ = write!(
            self.html,
            "<h2 style=\"font-size:1.1rem;margin-top:1.5rem\">{}</h2>",
            escape(words)
        );
    }

    fn item(&mut self, w: &MailWords, site: &str, card: &PostCard, acknowledge: Option<&str>) {
        let by = (w.in_channel)(&card.author.name, &card.channel_name);
        let text = excerpt(&card.body);
        let url = format!("{site}/posts/{}", card.id);
        let _ = writeln!(self.text, "* {by}\n  {text}\n  {}: {url}", w.read);
        let _ = write!(
            self.html,
            "<div style=\"margin:.75rem 0;padding:.5rem .75rem;border-left:3px solid #d0d7de\"><div style=\"color:#59636e;font-size:.9rem\">{}</div><div>{}</div><div><a href=\"{}\">{}</a>",
            escape(&by),
            escape(&text),
            escape(&url),
            escape(w.read)
        );
        if let Some(link) = acknowledge {
            let _ = writeln!(self.text, "  {}: {link}", w.acknowledge);
            let _ = write!(
                self.html,
                " · <a href=\"{}\">{}</a>",
                escape(link),
                escape(w.acknowledge)
            );
        }
        self.text.push('\n');
        self.html.push_str("</div></div>");
    }

    fn footer(&mut self, lines: &[(&str, Option<&str>)]) {
        self.text.push_str("--\n");
        self.html.push_str("<hr style=\"border:0;border-top:1px solid #d0d7de;margin-top:2rem\"><p style=\"color:#59636e;font-size:.85rem\">");
        for (words, url) in lines {
            match url {
                Some(url) => {
                    let _ = writeln!(self.text, "{words}: {url}");
                    let _ = write!(
                        self.html,
                        "<a href=\"{}\" style=\"color:#59636e\">{}</a> ",
                        escape(url),
                        escape(words)
                    );
                }
                None => {
                    let _ = writeln!(self.text, "{words}");
                    let _ = write!(self.html, "{} ", escape(words));
                }
            }
        }
        self.html.push_str("</p></body></html>");
    }
}

/// A reset mail carrying the link `token` makes.
pub fn reset(person: &Recipient, company: &str, site: &str, token: &str) -> Outgoing {
    let w = words::of(language_of(person));
    let mut mail = Both::new();
    mail.paragraph(&(w.hello)(&person.name));
    mail.paragraph(&(w.reset_body)(&person.email, company));
    mail.link(w.reset_button, &format!("{site}/reset/{token}"));
    mail.paragraph(w.reset_not_you);
    mail.footer(&[(company, Some(site))]);
    Outgoing {
        to_name: person.name.clone(),
        to_email: person.email.clone(),
        subject: (w.reset_subject)(company),
        text: mail.text,
        html: mail.html,
        unsubscribe: None,
    }
}

/// What an invitation mail says, besides its link.
pub struct Invitation<'a> {
    pub email: &'a str,
    /// The inviting admin's language when they sent it.
    pub locale: Option<&'a str>,
    /// The inviting admin's name (`None` if their account is gone).
    pub inviter: Option<&'a str>,
    pub company: &'a str,
    pub expires_at: i64,
}

/// An invitation mail carrying the join link `token` makes.
pub fn invitation(invite: &Invitation<'_>, site: &str, token: &str, now: i64) -> Outgoing {
    let lang = invite.locale.and_then(Lang::from_tag).unwrap_or_default();
    let w = words::of(lang);
    let company = invite.company;
    let mut mail = Both::new();
    let inviter = invite.inviter.unwrap_or(company);
    mail.paragraph(&(w.invitation_body)(inviter, company));
    mail.link(w.invitation_button, &format!("{site}/join/{token}"));
    // Whole days left, rounded up: "7 days" for an invitation made a moment ago.
    let days = (invite.expires_at - now + DAY_MS - 1) / DAY_MS;
    mail.paragraph(&(w.invitation_terms)(invite.email, days.max(1)));
    mail.paragraph(w.invitation_not_you);
    mail.footer(&[(company, Some(site))]);
    Outgoing {
        to_name: String::new(),
        to_email: invite.email.to_owned(),
        subject: (w.invitation_subject)(inviter, company),
        text: mail.text,
        html: mail.html,
        unsubscribe: None,
    }
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The links a digest carries, made for it: stop the digest, acknowledge each must-read.
pub struct DigestLinks {
    pub unsubscribe: String,
    pub acknowledge: HashMap<PostId, String>,
}

/// A digest mail; `digest` is not empty.
pub fn digest(
    person: &Recipient,
    every: DigestEvery,
    company: &str,
    site: &str,
    digest: &Digest,
    links: &DigestLinks,
) -> Outgoing {
    let w = words::of(language_of(person));
    let mut mail = Both::new();
    mail.paragraph(&(w.hello)(&person.name));
    let sections: [(&str, &[PostCard], bool); 4] = [
        (w.must_reads, &digest.must_reads, true),
        (w.mentions, &digest.mentions, false),
        (w.questions, &digest.questions, false),
        (w.top, &digest.top, false),
    ];
    for (heading, cards, with_acknowledge) in sections {
        if cards.is_empty() {
            continue;
        }
        mail.heading(heading);
        for card in cards {
            let acknowledge = with_acknowledge
                .then(|| links.acknowledge.get(&card.id))
                .flatten()
                .map(|token| format!("{site}/mail/acknowledge/{token}"));
            mail.item(w, site, card, acknowledge.as_deref());
        }
    }
    let unsubscribe = format!("{site}/mail/unsubscribe/{}", links.unsubscribe);
    // Mail programs POST here themselves (RFC 8058); a person clicking gets the page.
    let one_click = format!("{site}/mail/one-click/{}", links.unsubscribe);
    let (subject, why) = match every {
        DigestEvery::Day => ((w.digest_subject_day)(company), w.why_day),
        _ => ((w.digest_subject_week)(company), w.why_week),
    };
    mail.footer(&[
        (why, None),
        (w.change, Some(&format!("{site}/account"))),
        (w.unsubscribe, Some(&unsubscribe)),
    ]);
    Outgoing {
        to_name: person.name.clone(),
        to_email: person.email.clone(),
        subject,
        text: mail.text,
        html: mail.html,
        unsubscribe: Some(one_click),
    }
}
