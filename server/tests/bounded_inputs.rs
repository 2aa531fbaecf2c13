//! Inputs that cost far more to process than to send, over real HTTP against a running
//! `townhall serve`: they are refused quickly, store nothing, and `/healthz` keeps
//! answering while they arrive.

mod common;

use app::model::PersonId;
use app::testing::{cookie_header, CompanyBuilder, TestDb};
use common::{fake_site, free_addr, get, photo_form, post, spawn_serve, wait_until_healthy};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// Generous: the refusals take milliseconds, even in a debug build on a busy machine;
/// before the limits, one such text took seconds and hundreds of megabytes.
const QUICK: Duration = Duration::from_secs(5);

/// About 17 KB of Markdown: a 1 500-column header, its delimiter row and 5 500
/// one-cell rows, which pulldown-cmark pads to the header's width.
fn amplifying_table() -> String {
    format!(
        "{}|\n{}|\n{}",
        "|a".repeat(1_500),
        "|-".repeat(1_500),
        "a\n".repeat(5_500)
    )
}

fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The owner's session token and id.
async fn company(db: &TestDb) -> (String, PersonId) {
    let (company, owner) = CompanyBuilder::set_up(&db.store, app::store::now_ms()).await;
    (company.session(&owner).await, owner.user_id)
}

/// Sends `request` from another thread; answers its status, body and how long it took.
fn in_background(
    addr: SocketAddr,
    path: &'static str,
    form: String,
    headers: String,
) -> std::thread::JoinHandle<(u16, String, Duration)> {
    std::thread::spawn(move || {
        let started = Instant::now();
        let (status, _, body) = post(addr, path, &form, &headers);
        (status, body, started.elapsed())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amplifying_markdown_is_refused_quickly_while_healthz_answers() {
    let db = TestDb::sqlite().await;
    let (token, _) = company(&db).await;
    let (addr, site) = (free_addr(), fake_site("bounded-markdown"));
    let mut server = spawn_serve(addr, &db.url, &site);
    wait_until_healthy(addr, &mut server);

    let table = amplifying_table();
    assert!(table.len() > 16_000 && table.chars().count() <= app::domain::posts::MAX_POST);
    let body = form_encode(&table);
    let mut requests = Vec::new();
    for _ in 0..3 {
        requests.push(in_background(
            addr,
            "/api/posts/preview",
            format!("body={body}"),
            cookie_header(&token),
        ));
        requests.push(in_background(
            addr,
            "/api/posts/create",
            format!("channel=general&kind=update&body={body}"),
            cookie_header(&token),
        ));
    }
    // The server keeps answering everyone else meanwhile.
    for _ in 0..5 {
        let started = Instant::now();
        let (status, _, _) = get(addr, "/healthz");
        assert_eq!(status, 200);
        assert!(
            started.elapsed() < QUICK,
            "/healthz took {:?}",
            started.elapsed()
        );
    }
    for request in requests {
        let (status, answer, took) = request.join().unwrap();
        assert_eq!(status, 400, "{answer}");
        assert!(answer.contains("TooComplex"), "{answer}");
        assert!(took < QUICK, "refused after {took:?}");
    }
    let feed = db
        .store
        .feed(
            app::testing::ANY_MEMBER,
            &app::store::FeedScope::Company,
            None,
            10,
        )
        .await
        .unwrap();
    assert!(feed.is_empty(), "nothing stored");

    server.kill().ok();
    server.wait().ok();
    db.finish().await;
}

/// Sends raw bytes (a PNG is not text) and answers the status and lower-cased head.
fn exchange_bytes(addr: SocketAddr, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).to_lowercase();
    let head = raw.split("\r\n\r\n").next().unwrap_or_default().to_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_declaring_huge_dimensions_is_refused_and_nothing_is_stored() {
    let db = TestDb::sqlite().await;
    let (token, owner) = company(&db).await;
    let (addr, site) = (free_addr(), fake_site("bounded-avatar"));
    let mut server = spawn_serve(addr, &db.url, &site);
    wait_until_healthy(addr, &mut server);

    // 9 000 × 9 000 pixels declared in a few dozen bytes: 243 MB once decoded.
    let png = server::testing::png_declaring(9_000, 9_000);
    assert!(png.len() < 100);
    let (content_type, form) = photo_form(&png);
    let mut request = format!(
        "POST /people/{owner}/avatar HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n{}Connection: close\r\n\r\n",
        form.len(),
        cookie_header(&token)
    )
    .into_bytes();
    request.extend_from_slice(&form);
    let started = Instant::now();
    let (status, head) = exchange_bytes(addr, &request);
    assert!(
        started.elapsed() < QUICK,
        "refused after {:?}",
        started.elapsed()
    );
    assert_eq!(status, 303, "{head}");
    assert!(head.contains("avatar_error=too_many_pixels"), "{head}");
    assert_eq!(
        db.store.avatar(owner, owner).await.unwrap(),
        None,
        "nothing stored"
    );

    server.kill().ok();
    server.wait().ok();
    db.finish().await;
}
