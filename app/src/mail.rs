//! Handing e-mail to an SMTP server: the operator's settings (`--smtp-url`,
//! `--mail-from`, `--site-url`) and one finished message at a time. Building and sending
//! are lettre's (a well-kept crate that speaks SMTP, STARTTLS and TLS with rustls, so the
//! static binary needs no system TLS); what a mail says is `domain::mail`'s.

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;

/// How long one SMTP conversation may take before it counts as failed (and is retried).
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Where mail goes and who it is from; cheap to clone (the connection pool is shared).
#[derive(Clone)]
pub struct Mail {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    site_url: Arc<str>,
    server: Arc<str>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("--smtp-url {0}: {1} (give smtp://HOST:PORT, smtp://USER:PASSWORD@HOST:587?tls=required or smtps://USER:PASSWORD@HOST)")]
    Url(String, String),
    #[error("--mail-from {0:?}: not an address such as `Townhall <townhall@example.com>`")]
    From(String),
    #[error("--site-url {0:?}: give the address people open Townhall at, such as https://townhall.example.com (links in mail lead there)")]
    SiteUrl(String),
    #[error("--smtp-url needs --mail-from and --site-url too")]
    Incomplete,
}

/// Why a message was not accepted; `permanent` when trying again will not help (the
/// server refused the address, say).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    pub permanent: bool,
}

/// A message ready to go: both a plain-text and an HTML body.
pub struct Outgoing {
    /// Empty when unknown (an invited address).
    pub to_name: String,
    pub to_email: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// A one-click unsubscribe link (RFC 8058), for mail people may turn off.
    pub unsubscribe: Option<String>,
}

impl std::fmt::Debug for Mail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mail")
            .field("server", &self.server)
            .field("from", &self.from)
            .field("site_url", &self.site_url)
            .finish_non_exhaustive()
    }
}

impl Mail {
    /// Checks the settings and prepares the connection pool; nothing is connected yet.
    pub fn new(smtp_url: &str, from: &str, site_url: &str) -> Result<Mail, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| MailError::Url(crate::redact::redacted(smtp_url), e.to_string()))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        let from: Mailbox = from
            .parse()
            .map_err(|_| MailError::From(from.to_string()))?;
        let site = site_url.trim().trim_end_matches('/');
        let valid_site = (site.starts_with("https://") || site.starts_with("http://"))
            && site
                .split("://")
                .nth(1)
                .is_some_and(|rest| !rest.is_empty() && !rest.contains(['/', '?', '#', ' ']));
        if !valid_site {
            return Err(MailError::SiteUrl(site_url.to_string()));
        }
        let server = smtp_url
            .split('@')
            .next_back()
            .unwrap_or_default()
            .trim_start_matches("smtps://")
            .trim_start_matches("smtp://")
            .split('?')
            .next()
            .unwrap_or_default()
            .to_string();
        Ok(Mail {
            transport,
            from,
            site_url: site.into(),
            server: server.into(),
        })
    }

    /// What `serve` refuses about these settings, said so the operator can fix it.
    pub fn problems(
        smtp_url: Option<&str>,
        from: Option<&str>,
        site_url: Option<&str>,
    ) -> Vec<String> {
        match (smtp_url, from, site_url) {
            (None, _, _) => Vec::new(),
            (Some(url), Some(from), Some(site)) => Mail::new(url, from, site)
                .err()
                .map(|e| e.to_string())
                .into_iter()
                .collect(),
            _ => vec![MailError::Incomplete.to_string()],
        }
    }

    /// The address people open Townhall at, without a trailing `/`.
    pub fn site_url(&self) -> &str {
        &self.site_url
    }

    /// The SMTP server's host and port, for logs and `townhall doctor` (no password).
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Connects and says hello, without sending anything (`townhall doctor`).
    pub async fn check_connection(&self) -> Result<(), String> {
        match self.transport.test_connection().await {
            Ok(true) => Ok(()),
            Ok(false) => Err("the server did not answer NOOP".into()),
            Err(error) => Err(error.to_string()),
        }
    }

    pub async fn send(&self, mail: Outgoing) -> Result<(), SendError> {
        let refused = |message: String| SendError {
            message,
            permanent: true,
        };
        let to = Mailbox::new(
            Some(mail.to_name).filter(|name| !name.is_empty()),
            mail.to_email
                .parse()
                .map_err(|_| refused(format!("not an address: {}", mail.to_email)))?,
        );
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject);
        if let Some(link) = &mail.unsubscribe {
            // RFC 8058: mail programs show "Unsubscribe" and POST to the link themselves.
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{link}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".into(),
                ));
        }
        let message = builder
            .multipart(MultiPart::alternative_plain_html(mail.text, mail.html))
            .map_err(|e| refused(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| SendError {
                message: e.to_string(),
                permanent: e.is_permanent(),
            })
    }
}
