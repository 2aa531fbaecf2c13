//! People over real HTTP, on SQLite and PostgreSQL: what a guest learns about the
//! people outside their channels (nothing: not from autocomplete, the directory,
//! profiles, manager chains, reactions, `/u/{handle}`, avatars or notifications), who
//! may edit the owner, who may hold the leader permission, and that a huge profile field
//! is refused at once while the server keeps answering.
//!
//! Unlike the authorisation matrix, these tests read what comes back.

#[macro_use]
mod common;

use app::domain::accounts::SetUp;
use app::error::{AppError, Field, Invalid};
use app::model::{ChannelKind, PersonId, PostId, Role};
use app::store::{NewPost, Store};
use app::testing::{CompanyBuilder, TestDb, SAO_MAI};
use common::*;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// People a guest may never meet: their names and handles.
const STRANGERS: [(&str, &str); 4] = [
    ("Owner Quan", "owner"),
    ("Admin Bao", "admin"),
    ("Hung Manager", "hung"),
    ("Mai Report", "mai"),
];

/// The company: Hung manages Lan, who manages Mai; Lan and the guest share the
/// partners channel, where Hung (not in it) reacts; the owner and Hung have photos.
struct Company {
    owner: PersonId,
    admin: PersonId,
    hung: PersonId,
    lan: PersonId,
    mai: PersonId,
    guest: PersonId,
    /// A member with the leader permission.
    leader: PersonId,
    /// Session cookies.
    owner_cookie: String,
    admin_cookie: String,
    lan_cookie: String,
    guest_cookie: String,
    /// Lan's post in the partners channel.
    lan_post: PostId,
}

async fn company(store: &Store) -> Company {
    let now = app::store::now_ms();
    let setup = SetUp {
        name: "Owner Quan",
        ..SAO_MAI
    };
    let (company, owner) = CompanyBuilder::set_up_with(store, setup, now).await;
    let admin = company
        .person("admin@saomai.vn", "Admin Bao")
        .role(Role::Admin)
        .await;
    let hung = company.person("hung@saomai.vn", "Hung Manager").await;
    let lan = company
        .person("lan@saomai.vn", "Lan Partner")
        .manager(&hung)
        .await;
    let mai = company
        .person("mai@saomai.vn", "Mai Report")
        .manager(&lan)
        .await;
    let leader = company
        .person("lead@saomai.vn", "Leader")
        .leader(true)
        .await;
    let guest = company
        .person("agency@partner.vn", "Guest Agency")
        .role(Role::Guest)
        .await;
    let partners = company
        .channel("partners", ChannelKind::Public)
        .admin(&lan)
        .member(&guest)
        .await;
    for who in [&owner, &hung, &lan] {
        company.photo(who, b"not really a jpeg").await;
    }
    let mut tx = store.begin().await.unwrap();
    let mut posts = Vec::new();
    for author in [&lan, &guest] {
        let id = tx
            .create_post(&NewPost {
                channel_id: partners,
                author_id: author.user_id,
                kind: app::model::PostKind::Update,
                body: "hello partners",
                created_at: now,
            })
            .await
            .unwrap();
        posts.push(id);
    }
    tx.commit().await.unwrap();
    // Hung, not in the channel, reacts to both posts (any member may, in a public
    // channel); the reaction to the guest's post notifies the guest.
    for post in &posts {
        app::domain::posts::toggle_reaction(store, &hung, *post, "👍", now)
            .await
            .unwrap();
    }
    Company {
        owner: owner.user_id,
        admin: admin.user_id,
        hung: hung.user_id,
        lan: lan.user_id,
        mai: mai.user_id,
        guest: guest.user_id,
        leader: leader.user_id,
        owner_cookie: company.cookie(&owner).await,
        admin_cookie: company.cookie(&admin).await,
        lan_cookie: company.cookie(&lan).await,
        guest_cookie: company.cookie(&guest).await,
        lan_post: posts[0],
    }
}

/// A running `townhall serve` on the test database, stopped when dropped.
struct Server {
    addr: SocketAddr,
    child: std::process::Child,
}

impl Server {
    fn start(db: &TestDb, tag: &str) -> Server {
        let site = fake_site(&format!("people-{tag}-{}", db.url.len()));
        let addr = free_addr();
        let mut child = spawn_serve(addr, &db.url, &site);
        wait_until_healthy(addr, &mut child);
        Server { addr, child }
    }

    fn call(&self, endpoint: &str, body: &str, cookie: &str) -> (u16, String) {
        let (status, _, answer) = post(self.addr, &format!("/api/{endpoint}"), body, cookie);
        (status, answer)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Fails when `answer` names or gives the handle of anyone the guest may not see.
fn names_no_stranger(what: &str, answer: &str) {
    for (name, handle) in STRANGERS {
        let leaks = [
            name.to_owned(),
            format!("\"handle\":\"{handle}\""),
            format!("/u/{handle}"),
        ];
        for leak in leaks {
            assert!(
                !answer.contains(&leak),
                "{what} tells the guest about {name}: {answer}"
            );
        }
    }
}

async fn a_guest_learns_nothing_about_people_outside_their_channels(db: TestDb) {
    let c = company(&db.store).await;
    let server = Server::start(&db, "guest");
    let guest = c.guest_cookie.as_str();

    // Mention autocomplete, whatever is typed, as data and as the composer's list.
    for endpoint in ["feed/mention-suggestions", "posts/mention-list"] {
        for prefix in ["a", "h", "m", "o", "n", "u"] {
            let (status, answer) = server.call(endpoint, &format!("prefix={prefix}"), guest);
            assert_eq!(status, 200, "{answer}");
            names_no_stranger(&format!("{endpoint} {prefix}"), &answer);
        }
        let (_, answer) = server.call(endpoint, "prefix=l", guest);
        assert!(answer.contains("Lan Partner"), "{endpoint}: {answer}");
        // The same question from a member finds Hung.
        let (_, answer) = server.call(endpoint, "prefix=h", &c.lan_cookie);
        assert!(answer.contains("Hung Manager"), "{endpoint}: {answer}");
    }

    // The directory, searched or not.
    for query in ["", "query=a", "query=manager"] {
        let (status, answer) = server.call("people", query, guest);
        assert_eq!(status, 200, "{answer}");
        names_no_stranger(&format!("the directory ({query})"), &answer);
    }
    let (_, answer) = server.call("people", "", guest);
    assert!(answer.contains("Lan Partner"), "{answer}");

    // Profiles: a stranger's does not exist; Lan's comes without her manager and report.
    for stranger in [c.owner, c.admin, c.hung, c.mai] {
        let (status, answer) = server.call("people/profile", &format!("id={stranger}"), guest);
        assert_eq!(status, 404, "{answer}");
        names_no_stranger("a stranger's profile", &answer);
        let (status, answer) = server.call("feed/person", &format!("person={stranger}"), guest);
        assert_eq!(status, 404, "{answer}");
    }
    let (status, answer) = server.call("people/profile", &format!("id={}", c.lan), guest);
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("Lan Partner"), "{answer}");
    names_no_stranger("Lan's profile", &answer);
    let (_, answer) = server.call("people/profile", &format!("id={}", c.lan), &c.lan_cookie);
    assert!(
        answer.contains("Hung Manager") && answer.contains("Mai Report"),
        "{answer}"
    );
    let (status, _) = server.call("feed/person", &format!("person={}", c.lan), guest);
    assert_eq!(status, 200);

    // Reactions: counted, but Hung is not named, on the channel page or the post's own.
    let (status, answer) = server.call("feed/channel", "slug=partners", guest);
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("Lan Partner"), "{answer}");
    names_no_stranger("the channel page", &answer);
    let (_, answer) = server.call(
        "feed/post",
        &format!("id={}&opened=false", c.lan_post),
        guest,
    );
    assert!(answer.contains("\"count\":1"), "{answer}");
    names_no_stranger("a post", &answer);
    let (_, answer) = server.call(
        "feed/post",
        &format!("id={}&opened=false", c.lan_post),
        &c.lan_cookie,
    );
    assert!(answer.contains("Hung Manager"), "{answer}");

    // Notifications: Hung's reaction to the guest's post comes without his name.
    let (status, answer) = server.call("notifications/list", "", guest);
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("Reaction"), "{answer}");
    names_no_stranger("notifications", &answer);

    // Channel members: only the people of the guest's channel.
    let (_, answer) = server.call("channels/members", "slug=partners", guest);
    names_no_stranger("the members page", &answer);

    // `/u/{handle}`: a stranger's handle answers exactly as one nobody has.
    let location = |path: &str| {
        let (status, head, _) = get_with(server.addr, path, guest);
        assert_eq!(status, 303, "{path}: {head}");
        head.lines()
            .find_map(|l| l.strip_prefix("location: "))
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(location("/u/hung"), "/people?q=hung");
    assert_eq!(location("/u/nobody"), "/people?q=nobody");
    assert_eq!(location("/u/lan"), format!("/people/{}", c.lan));

    // Avatars: a stranger's photo is as missing as one never uploaded.
    let avatar = |person: PersonId, cookie: &str| {
        get_with(server.addr, &format!("/avatars/{person}"), cookie)
    };
    let (missing, _, missing_body) = avatar(c.mai, guest);
    assert_eq!(missing, 404);
    for stranger in [c.owner, c.hung] {
        let (status, _, body) = avatar(stranger, guest);
        assert_eq!((status, body.as_str()), (missing, missing_body.as_str()));
    }
    assert_eq!(avatar(c.lan, guest).0, 200);
    assert_eq!(avatar(c.hung, &c.lan_cookie).0, 200);
    drop(server);
    db.finish().await;
}

/// Admins do not rename the owner nor change their photo; the owner edits anyone.
async fn only_the_owner_edits_the_owner(db: TestDb) {
    let c = company(&db.store).await;
    let server = Server::start(&db, "owner");
    let save = |person: PersonId, name: &str| {
        format!(
            "person={person}&name={name}&job_title=&location=&time_zone=&start_date=\
             &birthday_month=&birthday_day=&expertise=&responsibilities="
        )
    };
    let (status, answer) = server.call("people/save", &save(c.owner, "Hijacked"), &c.admin_cookie);
    assert_eq!(status, 403, "{answer}");
    let (status, answer) = server.call(
        "people/remove-avatar",
        &format!("person={}", c.owner),
        &c.admin_cookie,
    );
    assert_eq!(status, 403, "{answer}");
    let (status, answer) = server.call(
        "people/profile-form",
        &format!("id={}", c.owner),
        &c.admin_cookie,
    );
    assert_eq!(status, 403, "{answer}");
    let owner = db.store.person(c.owner).await.unwrap().unwrap();
    assert_eq!(owner.person.name, "Owner Quan");
    assert!(owner.person.avatar.is_some());
    assert!(db.store.avatar(c.owner, c.owner).await.unwrap().is_some());
    // The owner edits the admin, and the admin everyone else.
    let (status, answer) = server.call("people/save", &save(c.admin, "Bao"), &c.owner_cookie);
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = server.call("people/save", &save(c.mai, "Mai"), &c.admin_cookie);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        db.store.person(c.admin).await.unwrap().unwrap().person.name,
        "Bao"
    );
    assert_eq!(
        db.store.person(c.mai).await.unwrap().unwrap().person.name,
        "Mai"
    );
    drop(server);
    db.finish().await;
}

/// A guest is not given the leader permission, and a leader made a guest loses it.
async fn guests_never_hold_the_leader_permission(db: TestDb) {
    let c = company(&db.store).await;
    let server = Server::start(&db, "leader");
    let (status, answer) = server.call(
        "people/leader",
        &format!("person={}&leader=true", c.guest),
        &c.owner_cookie,
    );
    assert_eq!(status, 403, "{answer}");
    assert!(!db.store.person(c.guest).await.unwrap().unwrap().leader);
    let (status, answer) = server.call(
        "people/role",
        &format!("person={}&role=guest", c.leader),
        &c.owner_cookie,
    );
    assert_eq!(status, 200, "{answer}");
    let demoted = db.store.person(c.leader).await.unwrap().unwrap();
    assert_eq!((demoted.role, demoted.leader), (Role::Guest, false));
    drop(server);
    db.finish().await;
}

/// One raw request whose answer is read even if the server stops reading the body
/// early; returns the status and body.
fn send(addr: SocketAddr, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let _ = stream.write_all(request);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let raw = text(&raw);
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if head.to_lowercase().contains("transfer-encoding: chunked") {
        dechunk(body)
    } else {
        body.to_owned()
    };
    (status, body)
}

fn profile_request(addr: SocketAddr, cookie: &str, person: PersonId, expertise: &str) -> Vec<u8> {
    let body = format!(
        "person={person}&name=Lan&job_title=&location=&time_zone=&start_date=\
         &birthday_month=&birthday_day=&expertise={expertise}&responsibilities="
    );
    format!(
        "POST /api/people/save HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n{cookie}\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A profile whose "ask me about" field holds ~1.9 MB of distinct entries (just under
/// the request limit) is refused with the field's translated limit at once; two of
/// them at a time leave `/healthz` answering. Before, de-duplicating the entries two
/// by two held a worker for minutes.
async fn a_huge_profile_field_is_refused_at_once(db: TestDb) {
    let c = company(&db.store).await;
    let server = Server::start(&db, "huge");
    // "x0%0Ax1%0A…": newline-separated, all different.
    let mut expertise = String::new();
    let mut i = 0;
    while expertise.len() < 1_900_000 {
        expertise.push_str(&format!("x{i}%0A"));
        i += 1;
    }
    let request = profile_request(server.addr, &c.lan_cookie, c.lan, &expertise);
    let started = Instant::now();
    let senders: Vec<_> = (0..2)
        .map(|_| {
            let (addr, request) = (server.addr, request.clone());
            std::thread::spawn(move || {
                let started = Instant::now();
                let answer = send(addr, &request);
                (answer, started.elapsed())
            })
        })
        .collect();
    // The server keeps answering while both are in flight.
    std::thread::sleep(Duration::from_millis(100));
    let (status, _, _) = get(server.addr, "/healthz");
    assert_eq!(status, 200);
    let health_after = started.elapsed();
    let limit = app::input::list_limit(app::domain::people::MAX_TAGS, app::domain::people::MAX_TAG);
    let refused = AppError::Invalid(Invalid::TooLong(Field::Expertise, limit));
    for sender in senders {
        let ((status, body), took) = sender.join().unwrap();
        assert_eq!(status, 400, "{body}");
        let answer: AppError = serde_json::from_str(&body).unwrap();
        assert_eq!(answer, refused);
        // Generous bounds: the old code took minutes.
        assert!(took < Duration::from_secs(5), "refused after {took:?}");
    }
    assert!(health_after < Duration::from_secs(5), "{health_after:?}");
    // The refusal reads in each language.
    let en = refused.message(app::i18n::Lang::En.texts());
    assert!(
        en.contains("Ask me about") && en.contains(&limit.to_string()),
        "{en}"
    );
    let vi = refused.message(app::i18n::Lang::Vi.texts());
    assert!(vi.contains("Hỏi tôi về"), "{vi}");
    // A body beyond the request limit is refused without being read whole.
    let over = "x".repeat(3 * 1024 * 1024);
    let started = Instant::now();
    let (status, _) = send(
        server.addr,
        &profile_request(server.addr, &c.lan_cookie, c.lan, &over),
    );
    assert_ne!(status, 200);
    assert!(started.elapsed() < Duration::from_secs(5));
    // Nothing was stored.
    let lan = db.store.person(c.lan).await.unwrap().unwrap();
    assert_eq!(
        (lan.person.name.as_str(), lan.expertise.as_str()),
        ("Lan Partner", "")
    );
    drop(server);
    db.finish().await;
}

/// A refused call made by a script carries its reason, in the reader's language, in a
/// header (the islands show that sentence and carry no error texts of their own); its
/// body stays the error itself. A plain form's refusal is not touched.
async fn a_refused_call_says_why_in_the_readers_language(db: TestDb) {
    let c = company(&db.store).await;
    let server = Server::start(&db, "refusal-words");
    let body = format!(
        "person={}&name=&job_title=&location=&time_zone=&start_date=\
         &birthday_month=&birthday_day=&expertise=&responsibilities=",
        c.lan
    );
    let refused = AppError::Invalid(Invalid::Required(Field::Name));
    for (tag, lang) in [("vi", app::i18n::Lang::Vi), ("en", app::i18n::Lang::En)] {
        let request = format!(
            "POST /api/people/save HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n{}\
             Cookie: townhall_lang={tag}\r\nConnection: close\r\n\r\n{body}",
            server.addr,
            body.len(),
            c.lan_cookie
        );
        let (status, head, answer) = exchange(server.addr, &request);
        assert_eq!(status, 400, "{answer}");
        assert_eq!(serde_json::from_str::<AppError>(&answer).unwrap(), refused);
        let header = head
            .lines()
            .find_map(|line| line.strip_prefix("x-townhall-message: "))
            .unwrap_or_else(|| panic!("no reason in {head}"));
        // The head was lower-cased by `exchange`; percent-encoding's hex digits too.
        let said = percent_encoding::percent_decode_str(header)
            .decode_utf8()
            .unwrap()
            .into_owned();
        let expected = refused.message(lang.texts());
        assert_eq!(said.to_lowercase(), expected.to_lowercase(), "{tag}");
    }
    // The same refusal to a plain form (no JSON asked for) goes back as a redirect,
    // without the header.
    let plain = format!(
        "POST /api/people/save HTTP/1.1\r\nHost: {}\r\nReferer: http://{}/people\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n{}\
         Connection: close\r\n\r\n{body}",
        server.addr,
        server.addr,
        body.len(),
        c.lan_cookie
    );
    let (_, head, _) = exchange(server.addr, &plain);
    assert!(!head.contains("x-townhall-message"), "{head}");
    drop(server);
    db.finish().await;
}

on_both_databases!(
    a_guest_learns_nothing_about_people_outside_their_channels,
    a_refused_call_says_why_in_the_readers_language,
    only_the_owner_edits_the_owner,
    guests_never_hold_the_leader_permission,
    a_huge_profile_field_is_refused_at_once,
);
