//! Failover and scale-out: two `townhall serve` on one PostgreSQL behind a real HAProxy.
//! One instance is killed (SIGKILL) while a reader's live stream is on it and a writer
//! keeps posting: the reader reconnects through the balancer and, resuming from its last
//! event, receives every post that was answered 2xx; a scheduled post due meanwhile is
//! published exactly once. Then a rolling restart (SIGTERM, start again, one instance at
//! a time) under the same load answers no 5xx.

use crate::common::*;
use crate::durability::{posted_id, sign_in, sign_in_as, try_post};
use app::testing::TestDb;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The balancer as docs/deploy/haproxy.cfg sets it up, tightened for a test: checks
/// every 200 ms, a failed connection retried once on the other instance, and each
/// response naming the instance that answered (so the test kills the right one).
fn balancer_config(front: SocketAddr, a: SocketAddr, b: SocketAddr) -> String {
    format!(
        "defaults
    mode http
    timeout connect 500ms
    timeout client 30s
    timeout server 30s
    timeout tunnel 1h
    option forwardfor
    option http-server-close
    retries 2
    option redispatch 1
frontend web
    bind {front}
    default_backend townhall
backend townhall
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    http-response set-header X-Instance %s
    default-server check inter 200ms fall 1 rise 1
    server a {a}
    server b {b}
"
    )
}

fn serve_behind(addr: SocketAddr, url: &str, site: &Path) -> Child {
    Command::new(BIN)
        .args(["serve", "--addr", &addr.to_string(), "--database-url", url])
        .args(["--site-root", site.to_str().unwrap()])
        .args(["--trusted-proxies", "127.0.0.1/32"])
        // The balancer checks every 200 ms and takes one failure as down.
        .args(["--drain-seconds", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn wait_ready(addr: SocketAddr, server: &mut Child) {
    let started = Instant::now();
    wait_until_healthy(addr, server);
    while get(addr, "/readyz").0 != 200 {
        assert!(started.elapsed() < Duration::from_secs(20), "never ready");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Until the balancer sends requests to both instances again.
fn wait_balanced(front: SocketAddr) {
    let started = Instant::now();
    let mut seen = BTreeSet::new();
    while seen.len() < 2 {
        let (_, headers, _) = get(front, "/healthz");
        if let Some(instance) = headers.lines().find_map(|l| l.strip_prefix("x-instance: ")) {
            seen.insert(instance.trim().to_owned());
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{seen:?}");
    }
}

/// A tab's live stream through the balancer, reconnecting after every end with the
/// last id it saw, as a browser's EventSource does.
struct Reader {
    posts: Arc<Mutex<BTreeSet<i64>>>,
    instance: Arc<Mutex<String>>,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    /// The open connection, shut down to stop the reader.
    open: Arc<Mutex<Option<TcpStream>>>,
    thread: std::thread::JoinHandle<()>,
}

impl Reader {
    fn start(front: SocketAddr, cookie: String) -> Reader {
        let posts = Arc::new(Mutex::new(BTreeSet::new()));
        let instance = Arc::new(Mutex::new(String::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let open = Arc::new(Mutex::new(None::<TcpStream>));
        let thread = {
            let (posts, instance, connections, stop, open) = (
                posts.clone(),
                instance.clone(),
                connections.clone(),
                stop.clone(),
                open.clone(),
            );
            std::thread::spawn(move || {
                let mut last: Option<i64> = None;
                while !stop.load(Ordering::Relaxed) {
                    let Ok(mut stream) = TcpStream::connect(front) else {
                        std::thread::sleep(Duration::from_millis(100));
                        continue;
                    };
                    *open.lock().unwrap() = stream.try_clone().ok();
                    let resume =
                        last.map_or(String::new(), |id| format!("Last-Event-ID: {id}\r\n"));
                    let request = format!(
                        "GET /live HTTP/1.1\r\nHost: {front}\r\nCookie: townhall_session={cookie}\r\n{resume}\r\n"
                    );
                    if stream.write_all(request.as_bytes()).is_err() {
                        continue;
                    }
                    let mut from = BufReader::new(stream);
                    if let Some(name) = read_head(&mut from) {
                        *instance.lock().unwrap() = name;
                        connections.fetch_add(1, Ordering::SeqCst);
                        // The body is chunked, and the balancer may cut the server's
                        // chunks anywhere: the events are read from the joined chunks.
                        let mut events = String::new();
                        while let Some(chunk) = read_chunk(&mut from) {
                            events.push_str(&chunk);
                            while let Some(end) = events.find('\n') {
                                let line: String = events.drain(..=end).collect();
                                let line = line.trim_end();
                                if let Some(id) = line.strip_prefix("id:") {
                                    last = Some(id.trim().parse().unwrap());
                                } else if let Some(data) = line.strip_prefix("data:") {
                                    let event: serde_json::Value =
                                        serde_json::from_str(data.trim())
                                            .unwrap_or_else(|e| panic!("{e}: {line}"));
                                    if event["kind"] == "post" {
                                        posts
                                            .lock()
                                            .unwrap()
                                            .insert(event["post"].as_i64().unwrap());
                                    }
                                }
                            }
                        }
                    }
                    // The response ended (the instance went, or its stream closed), though
                    // the balancer may keep the connection: as EventSource does, start again.
                    *instance.lock().unwrap() = String::new();
                }
            })
        };
        Reader {
            posts,
            instance,
            connections,
            stop,
            open,
            thread,
        }
    }

    /// The instance holding the stream, once it is open.
    fn on(&self) -> String {
        let started = Instant::now();
        loop {
            let name = self.instance.lock().unwrap().clone();
            if !name.is_empty() {
                return name;
            }
            assert!(!self.thread.is_finished(), "the reader stopped");
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "no live stream"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(open) = self.open.lock().unwrap().take() {
            let _ = open.shutdown(std::net::Shutdown::Both);
        }
        self.thread.join().expect("the reader failed");
    }
}

/// A response's head: the instance that answered a 200, or nothing.
fn read_head(from: &mut BufReader<TcpStream>) -> Option<String> {
    let mut status = String::new();
    from.read_line(&mut status).ok()?;
    let ok = status.starts_with("HTTP/1.1 200");
    let mut instance = String::new();
    loop {
        let mut line = String::new();
        if from.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line == "\r\n" {
            return (ok && !instance.is_empty()).then_some(instance);
        }
        if let Some(name) = line.to_lowercase().strip_prefix("x-instance: ") {
            instance = name.trim().to_owned();
        }
    }
}

/// The next chunk of a chunked body; nothing at its end or when the connection goes.
fn read_chunk(from: &mut BufReader<TcpStream>) -> Option<String> {
    let mut size = String::new();
    if from.read_line(&mut size).ok()? == 0 {
        return None;
    }
    let size = usize::from_str_radix(size.trim(), 16).ok()?;
    if size == 0 {
        return None;
    }
    let mut chunk = vec![0; size + 2];
    from.read_exact(&mut chunk).ok()?;
    Some(String::from_utf8_lossy(&chunk[..size]).into_owned())
}

/// A writer posting through the balancer until stopped: what was answered 2xx, and every
/// answer that was not (status 0: the connection broke).
struct Writer {
    posted: Arc<Mutex<Vec<i64>>>,
    failed: Arc<Mutex<Vec<(u16, String)>>>,
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl Writer {
    fn start(front: SocketAddr, cookie: String) -> Writer {
        let posted = Arc::new(Mutex::new(Vec::new()));
        let failed = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (posted, failed, stop) = (posted.clone(), failed.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let body = format!("channel=general&kind=update&body=failover+{n}");
                    match try_post(front, "/api/posts/create", &body, &cookie) {
                        Some((200, answer)) => posted.lock().unwrap().push(posted_id(&answer)),
                        Some((status, answer)) => failed.lock().unwrap().push((status, answer)),
                        None => failed.lock().unwrap().push((0, String::new())),
                    }
                    std::thread::sleep(Duration::from_millis(30));
                }
            })
        };
        Writer {
            posted,
            failed,
            stop,
            thread,
        }
    }

    fn answered(&self) -> usize {
        self.posted.lock().unwrap().len()
    }

    /// Waits for `more` answers after the ones so far.
    fn wait_for(&self, more: usize) {
        let target = self.answered() + more;
        let started = Instant::now();
        while self.answered() < target {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "writes stalled"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Stops `server` the polite way, and sees it drain first: not ready, still answering.
fn sigterm(server: &mut Child, addr: SocketAddr) {
    let pid = server.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let started = Instant::now();
    while get(addr, "/readyz").0 != 503 {
        assert!(
            started.elapsed() < Duration::from_millis(800),
            "never drained"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        get(addr, "/healthz").0,
        200,
        "stopped answering while draining"
    );
    assert!(server.wait().unwrap().success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_behind_a_balancer_lose_nothing_when_one_goes() {
    if Command::new("haproxy").arg("-v").output().is_err() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI=true requires HAProxy (.ci/setup installs it)"
        );
        eprintln!("skipped: no haproxy (Debian: apt-get install haproxy; .ci/setup does)");
        return;
    }
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let seeded = Command::new(BIN)
        .args(["seed", "--demo", "--database-url", &db.url])
        .output()
        .unwrap();
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    let site = fake_site("failover");
    let (a, b, front) = (free_addr(), free_addr(), free_addr());
    let mut servers = [
        serve_behind(a, &db.url, &site),
        serve_behind(b, &db.url, &site),
    ];
    wait_ready(a, &mut servers[0]);
    wait_ready(b, &mut servers[1]);
    let dir = temp_dir("failover");
    std::fs::write(dir.join("haproxy.cfg"), balancer_config(front, a, b)).unwrap();
    let mut balancer = Command::new("haproxy")
        .args(["-db", "-f"])
        .arg(dir.join("haproxy.cfg"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until_healthy(front, &mut balancer);
    wait_balanced(front);

    // Behind a trusted balancer, its X-Forwarded-Proto is believed: the cookie is Secure.
    let (_, cookie) = sign_in_as(
        front,
        "emily.chen@saomai.example",
        "X-Forwarded-Proto: https\r\n",
    );
    assert!(cookie.ends_with("; secure"), "{cookie}");

    let reader = Reader::start(front, sign_in(front, "sarah.johnson@saomai.example"));
    let victim = reader.on();
    let writer = Writer::start(front, sign_in(front, "david.miller@saomai.example"));
    writer.wait_for(10);

    // A scheduled post falls due while one instance is gone: the survivor publishes it,
    // and nobody publishes it twice.
    sqlx::any::install_default_drivers();
    let mut database = <sqlx::AnyConnection as sqlx::Connection>::connect(&db.url)
        .await
        .unwrap();
    let now = app::store::now_ms();
    sqlx::query(
        "INSERT INTO scheduled_posts (channel_id, author_id, kind, body, publish_at, created_at, updated_at) \
         SELECT c.id, u.id, 'update', 'scheduled through a failover', $1, $2, $2 \
         FROM channels c, users u WHERE c.slug = 'general' AND u.email = 'david.miller@saomai.example'",
    )
    .bind(now + 1_000)
    .bind(now)
    .execute(&mut database)
    .await
    .unwrap();

    // The instance holding the reader's stream dies without a word.
    let killed = if victim == "a" { 0 } else { 1 };
    servers[killed].kill().unwrap();
    let _ = servers[killed].wait();
    let started = Instant::now();
    while reader.on() == victim || reader.connections.load(Ordering::SeqCst) < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the reader never came back"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    writer.wait_for(20);
    let started = Instant::now();
    let published = loop {
        let published: Vec<(i64,)> =
            sqlx::query_as("SELECT id FROM posts WHERE body = 'scheduled through a failover'")
                .fetch_all(&mut database)
                .await
                .unwrap();
        if !published.is_empty() || started.elapsed() > Duration::from_secs(15) {
            break published;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(published.len(), 1, "published {published:?}");
    // Writes that met the dying instance may have failed (502): only those.
    let failed_in_the_kill = writer.failed.lock().unwrap().len();

    // A rolling restart under load: the killed one comes back, then each in turn is
    // stopped the polite way (SIGTERM) and started again. Nothing answers 5xx.
    let addrs = [a, b];
    servers[killed] = serve_behind(addrs[killed], &db.url, &site);
    wait_ready(addrs[killed], &mut servers[killed]);
    wait_balanced(front);
    for i in [1 - killed, killed] {
        sigterm(&mut servers[i], addrs[i]);
        writer.wait_for(10);
        servers[i] = serve_behind(addrs[i], &db.url, &site);
        wait_ready(addrs[i], &mut servers[i]);
        wait_balanced(front);
        writer.wait_for(10);
    }

    writer.stop.store(true, Ordering::Relaxed);
    writer.thread.join().unwrap();
    let posted = writer.posted.lock().unwrap().clone();
    let failed = writer.failed.lock().unwrap().clone();
    assert!(
        failed[failed_in_the_kill..].is_empty(),
        "the rolling restart answered {:?}",
        &failed[failed_in_the_kill..]
    );
    assert!(
        failed
            .iter()
            .all(|(status, _)| [0, 502, 503].contains(status)),
        "{failed:?}"
    );
    // Every answered post reaches the reader, across every reconnection.
    let started = Instant::now();
    loop {
        let missing: Vec<i64> = {
            let received = reader.posts.lock().unwrap();
            posted
                .iter()
                .filter(|id| !received.contains(id))
                .copied()
                .collect()
        };
        if missing.is_empty() {
            break;
        }
        assert!(!reader.thread.is_finished(), "the reader stopped");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{} of {} answered posts never reached the reader: {missing:?}",
            missing.len(),
            posted.len()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(reader.connections.load(Ordering::SeqCst) >= 3);
    eprintln!(
        "failover: {} posts answered, {} failed while an instance was killed, {} live connections",
        posted.len(),
        failed.len(),
        reader.connections.load(Ordering::SeqCst)
    );
    reader.stop();
    balancer.kill().unwrap();
    for server in &mut servers {
        let _ = server.kill();
        let _ = server.wait();
    }
    let _ = balancer.wait();
    sqlx::Connection::close(database).await.unwrap();
    db.finish().await;
}
