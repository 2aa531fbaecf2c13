//! Durability, on SQLite and PostgreSQL: `townhall serve` killed with SIGKILL in the
//! middle of a write load from several clients (posts, comments, reactions) and started
//! again. Every write that was
//! answered 2xx is there, nothing half-written shows (a post's comment count matches
//! its comments; every post is in the search index, written in the same transaction),
//! and the server is ready again quickly (the time is printed; the bench, not this
//! test, holds the one-second target).

use crate::common::*;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A form POST that may fail (the server is killed under it): the status and body, or
/// nothing when the connection broke before a whole answer came.
pub(crate) fn try_post(
    addr: SocketAddr,
    path: &str,
    body: &str,
    cookie: &str,
) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Cookie: townhall_session={cookie}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let raw = text(&raw);
    let (head, body) = raw.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, body.to_owned()))
}

pub(crate) fn sign_in(addr: SocketAddr, email: &str) -> String {
    sign_in_as(addr, email, "").0
}

/// Signs a demo person in, with extra header lines: their session token, and the whole
/// (lower-cased) `Set-Cookie` line.
pub(crate) fn sign_in_as(addr: SocketAddr, email: &str, extra_headers: &str) -> (String, String) {
    let body = format!("email={email}&password=townhall-demo&next=%2F");
    let (status, headers, _) = post(addr, "/api/account/sign-in", &body, extra_headers);
    assert_eq!(status, 200, "{headers}");
    let line = headers
        .lines()
        .find(|l| l.starts_with("set-cookie: townhall_session="))
        .unwrap_or_else(|| panic!("no session: {headers}"));
    let token = line["set-cookie: townhall_session=".len()..]
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    (token, line.to_owned())
}

/// The `id` of a server function's `Posted` answer.
pub(crate) fn posted_id(body: &str) -> i64 {
    let dechunked = if body.contains("\"id\"") {
        body.to_owned()
    } else {
        dechunk(body)
    };
    let at = dechunked.find("\"id\":").unwrap() + 5;
    dechunked[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

fn wait_ready(addr: SocketAddr, server: &mut std::process::Child) -> Duration {
    let started = Instant::now();
    wait_until_healthy(addr, server);
    while get(addr, "/readyz").0 != 200 {
        assert!(started.elapsed() < Duration::from_secs(20), "never ready");
        std::thread::sleep(Duration::from_millis(10));
    }
    started.elapsed()
}

#[test]
fn every_answered_write_survives_a_sigkill() {
    let dir = temp_dir("durability");
    survives_a_sigkill(&format!("sqlite:{}/townhall.db", dir.display()));
}

#[test]
fn every_answered_write_survives_a_sigkill_on_postgres() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(db) = runtime.block_on(app::testing::TestDb::postgres()) else {
        return;
    };
    survives_a_sigkill(&db.url.clone());
    runtime.block_on(db.finish());
}

fn survives_a_sigkill(url: &str) {
    let url = url.to_owned();
    let seeded = Command::new(BIN)
        .args(["seed", "--demo", "--database-url", &url])
        .output()
        .unwrap();
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    let site = fake_site("durability");
    let addr = free_addr();
    let mut server = spawn_serve(addr, &url, &site);
    wait_ready(addr, &mut server);

    let writers = [
        sign_in(addr, "sarah.johnson@saomai.example"),
        sign_in(addr, "david.miller@saomai.example"),
        sign_in(addr, "emily.chen@saomai.example"),
    ];
    // The post the comments go to.
    let (status, body) = try_post(
        addr,
        "/api/posts/create",
        "channel=general&kind=update&body=durability+target",
        &writers[1],
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    let target = posted_id(&body);

    // What was answered 2xx, per kind: post bodies, comment bodies, reacted posts.
    let posts = Arc::new(Mutex::new(Vec::<(i64, String)>::new()));
    let comments = Arc::new(Mutex::new(Vec::<String>::new()));
    let reacted = Arc::new(Mutex::new(Vec::<i64>::new()));
    let killed = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    for (w, cookie) in writers.iter().cloned().enumerate() {
        let (posts, comments, reacted, killed) = (
            posts.clone(),
            comments.clone(),
            reacted.clone(),
            killed.clone(),
        );
        threads.push(std::thread::spawn(move || {
            let mut n = 0;
            while !killed.load(Ordering::SeqCst) {
                n += 1;
                match w {
                    0 => {
                        let text = format!("durable-post-{n}");
                        let form = format!("channel=general&kind=update&body={text}");
                        if let Some((200, body)) =
                            try_post(addr, "/api/posts/create", &form, &cookie)
                        {
                            posts.lock().unwrap().push((posted_id(&body), text));
                        }
                    }
                    1 => {
                        let text = format!("durable-comment-{n}");
                        let form = format!("post={target}&body={text}");
                        if let Some((200, _)) = try_post(addr, "/api/posts/comment", &form, &cookie)
                        {
                            comments.lock().unwrap().push(text);
                        }
                    }
                    _ => {
                        // A thumbs-up on the newest answered post not yet reacted to.
                        let next = {
                            let posts = posts.lock().unwrap();
                            let reacted = reacted.lock().unwrap();
                            posts
                                .iter()
                                .rev()
                                .map(|(id, _)| *id)
                                .find(|id| !reacted.contains(id))
                        };
                        match next {
                            Some(post) => {
                                let form = format!("post={post}&emoji=%F0%9F%91%8D");
                                if let Some((200, body)) =
                                    try_post(addr, "/api/posts/react", &form, &cookie)
                                {
                                    // Turned on, not off: each post is reacted to once.
                                    let on =
                                        body.trim() == "true" || dechunk(&body).trim() == "true";
                                    assert!(on, "{body}");
                                    reacted.lock().unwrap().push(post);
                                }
                            }
                            None => std::thread::sleep(Duration::from_millis(2)),
                        }
                    }
                }
            }
        }));
    }
    // Let the load run, then kill the server mid-write.
    while posts.lock().unwrap().len() < 40 || comments.lock().unwrap().len() < 40 {
        assert!(
            server.try_wait().unwrap().is_none(),
            "the server died on its own"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    killed.store(true, Ordering::SeqCst);
    for thread in threads {
        thread.join().unwrap();
    }

    let mut server = spawn_serve(addr, &url, &site);
    let ready = wait_ready(addr, &mut server);
    eprintln!("ready again {} ms after the restart", ready.as_millis());
    assert!(ready < Duration::from_secs(10), "{ready:?}");

    let posts = posts.lock().unwrap().clone();
    let comments = comments.lock().unwrap().clone();
    let reacted = reacted.lock().unwrap().clone();
    assert!(!reacted.is_empty());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut db = sqlx::AnyConnection::connect(&url).await.unwrap();
        let stored_posts: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, body FROM posts WHERE body LIKE 'durable-post-%'")
                .fetch_all(&mut db)
                .await
                .unwrap();
        for answered in &posts {
            assert!(stored_posts.contains(answered), "post {answered:?} lost");
        }
        let stored_comments: Vec<String> =
            sqlx::query_scalar("SELECT body FROM comments WHERE post_id = $1")
                .bind(target)
                .fetch_all(&mut db)
                .await
                .unwrap();
        for answered in &comments {
            assert!(
                stored_comments.contains(answered),
                "comment {answered} lost"
            );
        }
        for post in &reacted {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM reactions WHERE post_id = $1 AND emoji = '👍'",
            )
            .bind(*post)
            .fetch_one(&mut db)
            .await
            .unwrap();
            assert_eq!(n, 1, "reaction on {post} lost");
        }
        // Nothing half-written: the counts kept beside the rows agree with the rows,
        // and every post that is there is in the search index.
        let (kept, counted): (i64, i64) = sqlx::query_as(
            "SELECT comment_count, (SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id \
               AND c.deleted_at IS NULL) FROM posts p WHERE p.id = $1",
        )
        .bind(target)
        .fetch_one(&mut db)
        .await
        .unwrap();
        assert_eq!(kept, counted);
        let unindexed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM posts p WHERE p.body LIKE 'durable-post-%' AND NOT EXISTS \
               (SELECT 1 FROM search_entries e WHERE e.kind = 'post' AND e.ref_id = p.id)",
        )
        .fetch_one(&mut db)
        .await
        .unwrap();
        assert_eq!(unindexed, 0);
        if url.starts_with("sqlite:") {
            let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(&mut db)
                .await
                .unwrap();
            assert_eq!(integrity, "ok");
        }
        db.close().await.unwrap();
    });
    // And it serves writes again.
    let (status, body) = try_post(
        addr,
        "/api/posts/create",
        "channel=general&kind=update&body=after+the+restart",
        &writers[0],
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    server.kill().unwrap();
    server.wait().unwrap();
}
