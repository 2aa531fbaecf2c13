//! E-mail on both backends, sent to a real SMTP server (aiosmtpd from PyPI, which
//! `.ci/setup` installs; it writes what it receives into a Maildir that these tests read
//! back and parse as a mail program would).
//!
//! The digest holds only what its reader may read (an outsider's has nothing of a
//! private channel), in the reader's language, with working one-click links; each
//! person gets one per period however many instances send; nothing empty is sent; a
//! server that is down is retried. "Forgot password?" mails a working link and says
//! nothing about which addresses have accounts. An invitation mailed to an address
//! works once, only for that address, in the inviting admin's language.

use app::domain::accounts::{reset, session};
use app::domain::announcements::{self, AnnouncementInput};
use app::domain::invitations::{self, InvitationInput, JoinInput};
use app::domain::mail::{self, digest, links, sender};
use app::error::{AppError, Invalid, InvitationProblem};
use app::model::Audience;
use app::model::ChannelKind;
use app::model::Invited;
use app::store::{DigestEvery, Reader, Store};
use app::testing::{CompanyBuilder, TestDb, NOW, OWNER_EMAIL};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

app::storage_stories!(
    digests_hold_only_what_each_reader_may_read,
    each_digest_goes_once_however_many_instances_send,
    digest_links_unsubscribe_and_acknowledge_in_one_click,
    a_server_that_is_down_is_tried_again,
    forgot_password_mails_a_working_link_and_tells_nothing,
    invitations_by_mail_carry_a_link_for_that_address_only,
);

const DAY: i64 = 24 * 60 * 60 * 1000;
/// NOW is a Friday; eight days on, Monday 08:00 has passed in every time zone.
const LATER: i64 = NOW + 8 * DAY;
const SITE: &str = "https://townhall.saomai.vn";
const SECRET: &str = "Kế hoạch sáp nhập bí mật";

/// aiosmtpd, listening on a port of its own, delivering into a Maildir.
struct SmtpServer {
    port: u16,
    maildir: PathBuf,
    child: Option<Child>,
    _dir: TempDir,
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn python() -> Option<PathBuf> {
    if let Ok(path) = std::env::var("TOWNHALL_SMTP_PYTHON") {
        return Some(path.into());
    }
    let home = std::env::var("HOME").ok()?;
    let path = Path::new(&home).join(".cache/townhall/smtp/bin/python");
    path.exists().then_some(path)
}

impl SmtpServer {
    /// A stopped server's place: its port, nobody listening yet.
    fn reserve() -> SmtpServer {
        let dir = std::env::temp_dir().join(format!(
            "townhall-smtp-{}-{}",
            std::process::id(),
            session::new_token().unwrap()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        SmtpServer {
            port: free_port(),
            maildir: dir.join("box"),
            child: None,
            _dir: TempDir(dir),
        }
    }

    /// `None` when aiosmtpd is not installed, which `CI=true` does not allow.
    fn start() -> Option<SmtpServer> {
        let mut server = SmtpServer::reserve();
        server.listen()?;
        Some(server)
    }

    fn listen(&mut self) -> Option<()> {
        let Some(python) = python() else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true requires the SMTP test server: run .ci/setup"
            );
            eprintln!("skipped: no SMTP test server (run .ci/setup)");
            return None;
        };
        let mut child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&self.maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(child.try_wait().unwrap().is_none(), "aiosmtpd exited");
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        self.child = Some(child);
        Some(())
    }

    fn mail(&self) -> app::mail::Mail {
        app::mail::Mail::new(
            &format!("smtp://127.0.0.1:{}", self.port),
            "Townhall Sao Mai <townhall@saomai.vn>",
            SITE,
        )
        .unwrap()
    }

    /// Every message delivered so far, parsed.
    fn delivered(&self) -> Vec<Delivered> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        entries
            .map(|entry| {
                let raw = std::fs::read(entry.unwrap().path()).unwrap();
                let message = mail_parser::MessageParser::default().parse(&raw).unwrap();
                let header = |name: &str| {
                    message
                        .header_raw(name)
                        .map(|value| value.trim().to_string())
                };
                Delivered {
                    to: message
                        .to()
                        .and_then(|to| to.first())
                        .and_then(|to| to.address())
                        .unwrap_or_default()
                        .to_string(),
                    subject: message.subject().unwrap_or_default().to_string(),
                    text: message.body_text(0).unwrap_or_default().to_string(),
                    html: message.body_html(0).unwrap_or_default().to_string(),
                    list_unsubscribe: header("List-Unsubscribe"),
                    list_unsubscribe_post: header("List-Unsubscribe-Post"),
                }
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[derive(Debug)]
struct Delivered {
    to: String,
    subject: String,
    text: String,
    html: String,
    list_unsubscribe: Option<String>,
    list_unsubscribe_post: Option<String>,
}

impl Delivered {
    fn contains(&self, words: &str) -> bool {
        self.subject.contains(words) || self.text.contains(words) || self.html.contains(words)
    }

    /// The token at the end of the first link in the text that starts with `prefix`.
    fn token_after(&self, prefix: &str) -> Option<String> {
        let start = self.text.find(prefix)? + prefix.len();
        Some(
            self.text[start..]
                .chars()
                .take_while(char::is_ascii_hexdigit)
                .collect(),
        )
    }
}

fn to<'a>(all: &'a [Delivered], address: &str) -> Vec<&'a Delivered> {
    all.iter().filter(|m| m.to == address).collect()
}

/// Sends until the outbox has nothing due at `now`.
async fn send(store: &Store, smtp: &SmtpServer, now: i64) -> sender::Round {
    sender::send_due(store, &smtp.mail(), now).await.unwrap()
}

/// A company where An reads a private channel and Bình does not; Bình reads Townhall
/// in Vietnamese. Everything below happens the day after they joined.
struct Company {
    owner: app::policy::Viewer,
    an: app::policy::Viewer,
    binh: app::policy::Viewer,
    must_read: app::model::PostId,
}

async fn company(store: &Store) -> Company {
    let (company, owner) = CompanyBuilder::set_up(store, NOW).await;
    let an = company.person("an@saomai.vn", "Nguyễn Văn An").await;
    let binh = company.person("binh@saomai.vn", "Trần Thị Bình").await;
    store.set_locale(binh.user_id, "vi").await.unwrap();
    company
        .channel("ban-giam-doc", ChannelKind::Private)
        .by(&owner)
        .admin(&owner)
        .member(&an)
        .await;
    let day = CompanyBuilder::existing(store, NOW + DAY);
    // A private post that mentions both (Bình may not read it) and draws reactions.
    let private = day
        .post(
            &owner,
            "ban-giam-doc",
            "update",
            &format!("{SECRET}: @an @binh xem trước nhé"),
        )
        .await
        .unwrap();
    for who in [&owner, &an] {
        app::domain::posts::toggle_reaction(store, who, private, "🎉", NOW + DAY)
            .await
            .unwrap();
    }
    // A public post in general that mentions Bình.
    day.post(
        &an,
        "general",
        "update",
        "Chào mừng @binh đến với đội bán hàng!",
    )
    .await
    .unwrap();
    let must_read = announcements::announce(
        store,
        &owner,
        &AnnouncementInput {
            audience: Audience::Everyone,
            body: "Quy định nghỉ phép mới từ tháng sau",
            must_read: true,
            expires_on: "",
        },
        NOW + DAY,
    )
    .await
    .unwrap()
    .id;
    Company {
        owner,
        an,
        binh,
        must_read,
    }
}

async fn digests_hold_only_what_each_reader_may_read(db: &TestDb) {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let store = &db.store.with_mail(smtp.mail());
    let c = company(store).await;
    // Mentions reach Bình only where he may read them.
    let handles = store
        .feed(
            Reader::of(&c.binh),
            &app::store::FeedScope::Mentions,
            None,
            10,
        )
        .await
        .unwrap();
    assert_eq!(
        handles.len(),
        1,
        "only the public mention is Bình's to read"
    );

    // Nothing is due before the first Monday 08:00 after they joined.
    assert_eq!(digest::queue_due(store, NOW + DAY).await.unwrap(), 0);
    // The owner, An and Bình each get this week's digest, queued once.
    assert_eq!(digest::queue_due(store, LATER).await.unwrap(), 3);
    assert_eq!(digest::queue_due(store, LATER + 60_000).await.unwrap(), 0);
    let round = send(store, &smtp, LATER).await;
    assert_eq!(round.sent, 3, "{round:?}");
    let all = smtp.delivered();
    assert_eq!(all.len(), 3);

    let an = to(&all, "an@saomai.vn");
    let binh = to(&all, "binh@saomai.vn");
    assert_eq!((an.len(), binh.len()), (1, 1));
    let (an, binh) = (an[0], binh[0]);
    // An reads the private channel: the post that mentions him is his to read.
    assert!(an.contains(SECRET), "{}", an.text);
    assert!(an.contains("#ban-giam-doc"));
    // Bình does not: no word of it, not even through the mention of him.
    for private in [SECRET, "ban-giam-doc", "sáp nhập"] {
        assert!(!binh.contains(private), "{private:?} leaked: {}", binh.text);
    }
    assert!(binh.contains("Chào mừng"), "{}", binh.text);
    // Both have the must-read with its acknowledge link.
    for mail in [an, binh] {
        assert!(mail.contains("Quy định nghỉ phép mới"));
        assert!(mail
            .token_after(&format!("{SITE}/mail/acknowledge/"))
            .is_some());
        assert!(mail
            .html
            .contains("<a href=\"https://townhall.saomai.vn/posts/"));
    }
    // Each in their own language.
    assert_eq!(an.subject, "Your week at Sao Mai");
    assert_eq!(binh.subject, "Tuần qua ở Sao Mai");
    assert!(binh.contains("Thông báo cần đọc đang chờ bạn") && binh.contains("Bạn được nhắc đến"));
    assert!(an.contains("Must-reads waiting for you") && an.contains("You were mentioned"));
    // RFC 8058 one-click unsubscribe.
    let one_click = an.list_unsubscribe.as_deref().unwrap();
    assert!(
        one_click.starts_with(&format!("<{SITE}/mail/one-click/")),
        "{one_click}"
    );
    assert_eq!(
        an.list_unsubscribe_post.as_deref(),
        Some("List-Unsubscribe=One-Click")
    );

    // A week on, a digest is due again; with nothing new but the unacknowledged
    // must-read, that is still worth a mail. Once acknowledged and quiet, none is sent.
    for who in [&c.owner, &c.an, &c.binh] {
        let _ = announcements::acknowledge(store, who, c.must_read, LATER + DAY).await;
    }
    assert_eq!(digest::queue_due(store, LATER + 7 * DAY).await.unwrap(), 3);
    let round = send(store, &smtp, LATER + 7 * DAY).await;
    assert_eq!((round.sent, round.empty), (0, 3), "{round:?}");
    assert_eq!(smtp.delivered().len(), 3);
}

async fn each_digest_goes_once_however_many_instances_send(db: &TestDb) {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let store = &db.store.with_mail(smtp.mail());
    let c = company(store).await;
    // Two instances look for due digests and send at the same moment.
    let other = store.clone();
    let (a, b) = tokio::join!(
        digest::queue_due(store, LATER),
        digest::queue_due(&other, LATER)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 3);
    let mail = smtp.mail();
    let (a, b) = tokio::join!(
        sender::send_due(store, &mail, LATER),
        sender::send_due(&other, &mail, LATER)
    );
    assert_eq!(a.unwrap().sent + b.unwrap().sent, 3);
    let all = smtp.delivered();
    let mut to_whom: Vec<_> = all.iter().map(|m| m.to.as_str()).collect();
    to_whom.sort_unstable();
    assert_eq!(to_whom, ["an@saomai.vn", "binh@saomai.vn", OWNER_EMAIL]);
    // Turned off, daily or weekly: asked again when it is sent.
    let mut tx = store.begin().await.unwrap();
    tx.set_digest(c.an.user_id, DigestEvery::Never)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(digest::queue_due(store, LATER + 7 * DAY).await.unwrap(), 2);
}

async fn digest_links_unsubscribe_and_acknowledge_in_one_click(db: &TestDb) {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let store = &db.store.with_mail(smtp.mail());
    let c = company(store).await;
    digest::queue_due(store, LATER).await.unwrap();
    send(store, &smtp, LATER).await;
    let all = smtp.delivered();
    let binh = to(&all, "binh@saomai.vn")[0];
    let acknowledge = binh
        .token_after(&format!("{SITE}/mail/acknowledge/"))
        .unwrap();
    let unsubscribe = binh
        .token_after(&format!("{SITE}/mail/unsubscribe/"))
        .unwrap();
    let now = LATER + 60_000;

    // The acknowledge page says what it acknowledges; one click does it, as Bình.
    match links::details(store, &acknowledge, now).await.unwrap() {
        app::model::MailLinkDetails::Acknowledge {
            post,
            excerpt,
            acknowledged,
            ..
        } => {
            assert_eq!(post, c.must_read);
            assert!(excerpt.contains("Quy định nghỉ phép mới") && !acknowledged);
        }
        other => panic!("{other:?}"),
    }
    links::act(store, &acknowledge, now).await.unwrap();
    let waiting = store.must_reads(Reader::of(&c.binh), now).await.unwrap();
    assert!(waiting.is_empty(), "acknowledged through the link");
    assert_eq!(
        store
            .must_reads(Reader::of(&c.an), now)
            .await
            .unwrap()
            .len(),
        1,
        "An's is still his to acknowledge"
    );

    // Unsubscribing turns Bình's digest off, and nobody else's.
    match links::details(store, &unsubscribe, now).await.unwrap() {
        app::model::MailLinkDetails::Unsubscribe { email } => {
            assert_eq!(email, "binh@saomai.vn")
        }
        other => panic!("{other:?}"),
    }
    links::act(store, &unsubscribe, now).await.unwrap();
    assert_eq!(
        store.digest_of(c.binh.user_id).await.unwrap(),
        DigestEvery::Never
    );
    assert_eq!(
        store.digest_of(c.an.user_id).await.unwrap(),
        DigestEvery::Week
    );
    assert_eq!(digest::queue_due(store, LATER + 7 * DAY).await.unwrap(), 2);

    // A made-up or expired link does nothing and says nothing.
    for (token, at) in [
        ("00".repeat(32), now),
        (unsubscribe.clone(), now + links::VALID_MS),
    ] {
        assert!(matches!(
            links::details(store, &token, at).await,
            Err(AppError::MailLink)
        ));
        assert!(matches!(
            links::act(store, &token, at).await,
            Err(AppError::MailLink)
        ));
    }
}

async fn a_server_that_is_down_is_tried_again(db: &TestDb) {
    let mut smtp = SmtpServer::reserve();
    if python().is_none() && std::env::var("CI").as_deref() != Ok("true") {
        eprintln!("skipped: no SMTP test server (run .ci/setup)");
        return;
    }
    let store = &db.store.with_mail(smtp.mail());
    company(store).await;
    digest::queue_due(store, LATER).await.unwrap();
    // Nobody listens yet: each row waits for its next try.
    let round = send(store, &smtp, LATER).await;
    assert_eq!((round.sent, round.retried), (0, 3), "{round:?}");
    assert_eq!(
        send(store, &smtp, LATER + 1_000).await,
        sender::Round::default()
    );
    smtp.listen().unwrap();
    let round = send(store, &smtp, LATER + 61_000).await;
    assert_eq!(round.sent, 3, "{round:?}");
    assert_eq!(smtp.delivered().len(), 3);
    let outcomes = store.mail_outcomes().await.unwrap();
    assert!(outcomes
        .iter()
        .all(|(_, _, o)| o.as_deref() == Some("sent")));
}

async fn forgot_password_mails_a_working_link_and_tells_nothing(db: &TestDb) {
    // Without e-mail set up, the form says so instead of pretending.
    assert!(matches!(
        mail::forgot(&db.store, OWNER_EMAIL, NOW).await,
        Err(AppError::MailOff)
    ));
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let store = &db.store.with_mail(smtp.mail());
    let c = company(store).await;
    let laptop = CompanyBuilder::existing(store, NOW).session(&c.an).await;
    // Known or not, the answer is the same; a second ask within ten minutes sends no
    // second mail; a bad address is refused before anything is looked up.
    for email in ["an@saomai.vn", "nobody@saomai.vn", " AN@saomai.vn "] {
        mail::forgot(store, email, NOW + DAY).await.unwrap();
    }
    assert!(matches!(
        mail::forgot(store, "not an address", NOW + DAY).await,
        Err(AppError::Invalid(_))
    ));
    let round = send(store, &smtp, NOW + DAY).await;
    assert_eq!(round.sent, 1, "{round:?}");
    let all = smtp.delivered();
    assert_eq!(all.len(), 1);
    let mail = &all[0];
    assert_eq!(mail.to, "an@saomai.vn");
    assert_eq!(mail.subject, "Set a new password for Sao Mai on Townhall");
    assert!(
        mail.list_unsubscribe.is_none(),
        "a reset is not a newsletter"
    );
    let token = mail.token_after(&format!("{SITE}/reset/")).unwrap();
    // The link works once, and signs An out everywhere else.
    let fresh = reset::set_password(store, &token, "một mật khẩu mới đủ dài", NOW + DAY + 1)
        .await
        .unwrap();
    let viewer = |token: String| async move {
        store
            .session_viewer(&session::token_hash(&token), NOW + DAY + 2)
            .await
            .unwrap()
    };
    assert!(viewer(laptop).await.is_none());
    assert_eq!(viewer(fresh).await.unwrap().user_id, c.an.user_id);
    assert!(matches!(
        reset::set_password(store, &token, "lại một mật khẩu khác", NOW + DAY + 3).await,
        Err(AppError::ResetLink)
    ));
}

/// Mails invitations to `emails` as `by`, in Vietnamese.
async fn invite(
    store: &Store,
    by: &app::policy::Viewer,
    emails: &str,
    uses: &str,
) -> Result<Invited, AppError> {
    let input = InvitationInput {
        role: "member",
        department: None,
        channel: None,
        valid_days: "7",
        uses,
    };
    invitations::mail(store, by, &input, emails, "vi", NOW + DAY).await
}

async fn invitations_by_mail_carry_a_link_for_that_address_only(db: &TestDb) {
    let c = company(&db.store).await;
    let pending = |store: &Store| {
        let store = store.clone();
        async move { store.pending_invitations(NOW + DAY).await.unwrap() }
    };
    // Without e-mail set up, addresses are refused and nothing is made.
    let before = pending(&db.store).await.len();
    assert!(matches!(
        invite(&db.store, &c.owner, "chi@saomai.vn", "one").await,
        Err(AppError::MailOff)
    ));
    assert_eq!(pending(&db.store).await.len(), before);
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let store = &db.store.with_mail(smtp.mail());
    // One bad address refuses them all, before anything is stored.
    assert!(matches!(
        invite(store, &c.owner, "chi@saomai.vn, chi@", "one").await,
        Err(AppError::Invalid(_))
    ));
    assert_eq!(pending(store).await.len(), before);
    // Commas, semicolons and new lines separate; repeats count once; An is already here.
    let typed = "chi@saomai.vn, an@saomai.vn;\n CHI@saomai.vn\ndung@saomai.vn em@saomai.vn";
    let invited = invite(store, &c.owner, typed, "many").await.unwrap();
    assert_eq!(
        invited,
        Invited::Mailed {
            to: vec![
                "chi@saomai.vn".into(),
                "dung@saomai.vn".into(),
                "em@saomai.vn".into()
            ],
            already_here: vec!["an@saomai.vn".into()],
        }
    );
    let listed = pending(store).await;
    assert_eq!(listed.len(), before + 3);
    assert!(listed
        .iter()
        .filter(|i| i.email.is_some())
        .all(|i| i.max_uses == Some(1)));
    // Em joins by other means before the mail goes: Em is sent nothing.
    CompanyBuilder::existing(store, NOW + DAY)
        .person("em@saomai.vn", "Lê Em")
        .await;
    let round = send(store, &smtp, NOW + DAY).await;
    assert_eq!((round.sent, round.skipped), (2, 1), "{round:?}");
    let all = smtp.delivered();
    assert_eq!(all.len(), 2);
    assert!(to(&all, "em@saomai.vn").is_empty());
    let chi = to(&all, "chi@saomai.vn")[0];
    // In the inviting admin's language, from them by name.
    let owner = store
        .recipient(c.owner.user_id)
        .await
        .unwrap()
        .unwrap()
        .name;
    assert_eq!(
        chi.subject,
        format!("{owner} mời bạn tham gia Sao Mai trên Townhall")
    );
    assert!(chi.contains("trong 7 ngày tới"), "{}", chi.text);
    assert!(chi.list_unsubscribe.is_none());
    let token = chi.token_after(&format!("{SITE}/join/")).unwrap();
    let details = invitations::details(store, &token, NOW + DAY)
        .await
        .unwrap();
    assert_eq!(details.email.as_deref(), Some("chi@saomai.vn"));
    // Only for that address; then once.
    let join = |email: &'static str, token: String| async move {
        invitations::join(
            store,
            &JoinInput {
                token: &token,
                name: "Phạm Chi",
                email,
                password: "một mật khẩu đủ dài",
            },
            NOW + DAY + 1,
        )
        .await
    };
    assert!(matches!(
        join("someone.else@saomai.vn", token.clone()).await,
        Err(AppError::Invalid(Invalid::NotInvitedAddress))
    ));
    assert!(join("Chi@saomai.vn", token.clone()).await.is_ok());
    assert!(matches!(
        join("Chi@saomai.vn", token.clone()).await,
        Err(AppError::Invitation(InvitationProblem::UsedUp))
    ));
    // Dũng's invitation, revoked after it was sent, no longer opens.
    let dung = to(&all, "dung@saomai.vn")[0];
    let dung_token = dung.token_after(&format!("{SITE}/join/")).unwrap();
    let dung_id = pending(store)
        .await
        .into_iter()
        .find(|i| i.email.as_deref() == Some("dung@saomai.vn"))
        .unwrap()
        .id;
    invitations::revoke(store, &c.owner, dung_id, NOW + DAY + 2)
        .await
        .unwrap();
    assert!(matches!(
        invitations::details(store, &dung_token, NOW + DAY + 3).await,
        Err(AppError::Invitation(InvitationProblem::Revoked))
    ));
}
