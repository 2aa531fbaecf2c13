//! The `townhall` binary as an operator meets it: flags, errors, health probes, shutdown.

use crate::common::*;
use app::testing::TestDb;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn townhall(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("TOWNHALL_DATABASE_URL")
        .output()
        .expect("run townhall")
}

#[test]
fn bad_flags_and_unreachable_databases_get_one_clear_line() {
    let out = townhall(&["serve", "--addr", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("invalid value 'nowhere' for '--addr"));

    let out = townhall(&["seed"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--demo"));

    let out = townhall(&[
        "migrate",
        "--database-url",
        "postgres://postgres@127.0.0.1:1/x",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("townhall: cannot connect to the database:"),
        "{err}"
    );
    assert!(err.contains("Connection refused"), "{err}");

    let out = townhall(&["migrate", "--database-url", "mysql://localhost/x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("use sqlite:PATH or postgres://"));

    for out in [
        townhall(&["serve", "--addr", "nowhere"]),
        townhall(&["migrate", "--database-url", "mysql://x"]),
    ] {
        assert!(!text(&out.stderr).contains("panicked"));
    }
}

#[test]
fn invalid_trusted_proxies_refuse_to_start() {
    let out = townhall(&["serve", "--trusted-proxies", "10.0.0.0/8,proxy.local"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("--trusted-proxies"), "{err}");
    assert!(err.contains("`proxy.local` is not a network"), "{err}");
    let out = Command::new(BIN)
        .args(["serve"])
        .env_remove("TOWNHALL_DATABASE_URL")
        .env("TOWNHALL_TRUSTED_PROXIES", "10.0.0.0/33")
        .output()
        .expect("run townhall");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("`10.0.0.0/33` is not a network"));
}

#[test]
fn help_describes_every_command() {
    let out = townhall(&["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for command in ["serve", "migrate", "seed", "health"] {
        assert!(help.contains(command), "{help}");
    }
    // The version names the commit built (git's short hash, `-dirty` when changed).
    let version = text(&townhall(&["--version"]).stdout);
    let commit = version
        .trim()
        .strip_prefix(&format!("townhall {} (", env!("CARGO_PKG_VERSION")))
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{version}"));
    assert!(
        commit == "unknown" || commit.chars().take(12).all(|c| c.is_ascii_hexdigit()),
        "{version}"
    );
    let serve = text(&townhall(&["serve", "--help"]).stdout);
    for flag in [
        "--addr",
        "TOWNHALL_ADDR",
        "--database-url",
        "TOWNHALL_DATABASE_URL",
        "--site-root",
        "--metrics-addr",
        "TOWNHALL_METRICS_ADDR",
        "--log-format",
    ] {
        assert!(serve.contains(flag), "{serve}");
    }
}

#[test]
fn serve_without_a_compiled_site_says_how_to_build_it() {
    let dir = temp_dir("nosite");
    let out = Command::new(BIN)
        .args([
            "serve",
            "--site-root",
            dir.join("missing").to_str().unwrap(),
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("cannot find the compiled site"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn migrate_and_seed_create_an_sqlite_file_under_data() {
    let dir = temp_dir("default-db");
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .current_dir(&dir)
            .env_remove("TOWNHALL_DATABASE_URL")
            .output()
            .unwrap()
    };
    let out = run(&["migrate"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.join("data/townhall.db").is_file());
    let out = run(&["seed", "--demo"]);
    assert!(
        text(&out.stdout).contains("Demo company created: 60 people"),
        "{}",
        text(&out.stdout)
    );
    let out = run(&["seed", "--demo"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("left untouched"));

    // The owner's way back in: the operator prints a reset link, which works.
    let out = run(&[
        "reset-link",
        "--email",
        "tran.minh.quan@saomai.example",
        "--origin",
        "https://townhall.saomai.example/",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    let token = printed
        .trim()
        .strip_prefix("https://townhall.saomai.example/reset/")
        .unwrap_or_else(|| panic!("{printed}"))
        .to_owned();
    let url = format!("sqlite:{}", dir.join("data/townhall.db").display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = app::store::Store::connect(&url).await.unwrap();
        let now = app::store::now_ms();
        app::domain::accounts::reset::set_password(&store, &token, "a new owner passphrase", now)
            .await
            .unwrap();
        app::domain::accounts::sign_in(
            &store,
            "tran.minh.quan@saomai.example",
            "a new owner passphrase",
            None,
            now,
        )
        .await
        .unwrap();
        store.close().await;
    });
    // Backed up while nothing serves, restored as another database: the same people.
    let out = run(&["backup", "--to", "backups"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    let folder = said
        .strip_prefix("Backed up to ")
        .and_then(|rest| rest.split(": database ").next())
        .unwrap_or_else(|| panic!("{said}"))
        .to_owned();
    assert!(said.contains("(integrity checked)"), "{said}");
    let out = run(&[
        "restore",
        "--from",
        &folder,
        "--database-url",
        "sqlite:restored/th.db",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("Restored "),
        "{}",
        text(&out.stdout)
    );
    let out = run(&["seed", "--demo", "--database-url", "sqlite:restored/th.db"]);
    assert!(
        text(&out.stdout).contains("left untouched"),
        "{}",
        text(&out.stdout)
    );
    let out = run(&[
        "restore",
        "--from",
        "backups",
        "--database-url",
        "sqlite:restored/th.db",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("is not a Townhall backup"),
        "{}",
        text(&out.stderr)
    );

    let out = run(&["reset-link", "--email", "nobody@saomai.example"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim(),
        "townhall: no reset link: nobody has that e-mail address"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_follows_the_database_and_sigterm_stops_gracefully() {
    // PostgreSQL lets the test take the database away under a running server.
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let site = fake_site("readiness");
    let addr = free_addr();
    let mut server = spawn_serve(addr, &db.url, &site);
    wait_until_healthy(addr, &mut server);

    assert_eq!(get(addr, "/healthz").0, 200);
    let (status, headers, body) = get(addr, "/readyz");
    assert_eq!((status, body.as_str()), (200, "ready"));
    assert!(headers.contains("x-content-type-options: nosniff"));

    let (status, headers, body) = get(addr, "/no/such/page");
    assert_eq!(status, 404);
    assert!(headers.contains("content-security-policy:"));
    assert!(body.contains("Page not found") && !body.contains("panicked"));

    // Static files: served, revalidated with 304 (a browser's cached copy is still good),
    // and a missing one is the translated 404 page.
    let (status, static_headers, _) = get(addr, "/manifest.webmanifest");
    assert_eq!(status, 200);
    assert!(static_headers.contains("last-modified: "));
    // "Has it changed since 2100?" — no: the browser's copy is current.
    let (status, _, _) = get_with(
        addr,
        "/manifest.webmanifest",
        "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\n",
    );
    assert_eq!(status, 304);
    assert_eq!(get(addr, "/icons/missing.png").0, 404);

    // Pull the database away: the process lives, but is no longer ready.
    let url = db.url.clone();
    let name = url.rsplit('/').next().unwrap().to_owned();
    let admin = std::env::var("TOWNHALL_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    drop_database(&admin, &name).await;
    assert_eq!(get(addr, "/healthz").0, 200);
    let (status, _, body) = get(addr, "/readyz");
    assert_eq!(status, 503, "{body}");
    // The feed explains the outage in words, without internals.
    let (_, _, page) = get(addr, "/");
    assert!(page.contains("cannot reach its database"), "{page}");
    assert!(!page.to_lowercase().contains("sqlx") && !page.contains("does not exist"));

    // SIGTERM: the process finishes and exits cleanly.
    let pid = server.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "townhall did not stop after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

async fn drop_database(admin_url: &str, name: &str) {
    use sqlx::{Connection, Executor};
    let mut admin = sqlx::AnyConnection::connect(admin_url).await.unwrap();
    admin
        .execute(format!("DROP DATABASE {name} WITH (FORCE)").as_str())
        .await
        .unwrap();
}

/// Many people signing in at once each get their own session cookie, never a neighbour's:
/// server functions set cookies through Leptos' per-request response options.
#[test]
fn concurrent_sign_ins_each_get_their_own_session() {
    let dir = temp_dir("concurrent");
    let url = format!("sqlite:{}/townhall.db", dir.display());
    let seeded = Command::new(BIN)
        .args(["seed", "--demo", "--database-url", &url])
        .output()
        .unwrap();
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    let site = fake_site("concurrent");
    let addr = free_addr();
    let mut server = spawn_serve(addr, &url, &site);
    wait_until_healthy(addr, &mut server);

    let people = [
        ("tran.minh.quan@saomai.example", "Trần Minh Quân"),
        ("dang.thi.huong@saomai.example", "Đặng Thị Hương"),
        ("sarah.johnson@saomai.example", "Sarah Johnson"),
        ("david.miller@saomai.example", "David Miller"),
        ("emily.chen@saomai.example", "Emily Chen"),
        ("tom.becker@saomai.example", "Tom Becker"),
        ("priya.nair@saomai.example", "Priya Nair"),
        ("lucas.martin@saomai.example", "Lucas Martin"),
    ];
    let handles: Vec<_> = (0..4)
        .flat_map(|_| people.iter().copied())
        .map(|(email, name)| {
            std::thread::spawn(move || {
                let body = format!("email={email}&password=townhall-demo&next=%2F");
                let (status, headers, _) = post(addr, "/api/account/sign-in", &body, "");
                assert_eq!(status, 200, "{headers}");
                let cookies: Vec<_> = headers
                    .lines()
                    .filter(|l| l.starts_with("set-cookie: townhall_session="))
                    .collect();
                assert_eq!(cookies.len(), 1, "{headers}");
                let token = cookies[0]["set-cookie: townhall_session=".len()..]
                    .split(';')
                    .next()
                    .unwrap()
                    .to_owned();
                let (_, _, session) = post(
                    addr,
                    "/api/account/session",
                    "",
                    &format!("Cookie: townhall_session={token}\r\n"),
                );
                assert!(
                    session.contains(&format!("\"name\":\"{name}\"")),
                    "{email} got {session}"
                );
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("a sign-in went wrong");
    }
    server.kill().unwrap();
}

/// The figures an operator's Prometheus reads, on their own address, reflect what the
/// server did; every response names its request id, which is in each JSON log line of
/// that request.
#[test]
fn metrics_and_request_ids_tell_the_operator_what_happened() {
    let dir = temp_dir("metrics");
    let url = format!("sqlite:{}/townhall.db", dir.display());
    let seeded = Command::new(BIN)
        .args(["seed", "--demo", "--database-url", &url])
        .output()
        .unwrap();
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    let site = fake_site("metrics");
    let (addr, metrics_addr) = (free_addr(), free_addr());
    let log = dir.join("serve.log");
    let mut server = Command::new(BIN)
        .args(["serve", "--addr", &addr.to_string(), "--database-url", &url])
        .args(["--site-root", site.to_str().unwrap()])
        .args(["--metrics-addr", &metrics_addr.to_string()])
        .args(["--log-format", "json"])
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    wait_until_healthy(addr, &mut server);
    wait_until_healthy(metrics_addr, &mut server);

    // Not on the site's address: only those the metrics port is opened to read them.
    assert_eq!(get(addr, "/metrics").0, 404);
    for _ in 0..3 {
        assert_eq!(get(addr, "/healthz").0, 200);
    }
    // A proxy's request id is kept and returned; anything that does not look like one
    // is replaced by an id of our own.
    let (_, headers, _) = get_with(addr, "/healthz", "X-Request-Id: proxy-7f3a.91\r\n");
    assert!(
        headers.contains("x-request-id: proxy-7f3a.91\r\n"),
        "{headers}"
    );
    let (_, headers, _) = get_with(addr, "/healthz", "X-Request-Id: {\"forged\":1}\r\n");
    let made = header_value(&headers, "x-request-id");
    assert!(
        made.len() == 32 && made.chars().all(|c| c.is_ascii_hexdigit()),
        "{headers}"
    );
    assert_eq!(get(addr, "/no/such/page").0, 404);
    // No proxy is trusted here: a client's own X-Forwarded-Proto is not believed.
    let (token, cookie) = crate::durability::sign_in_as(
        addr,
        "dang.thi.huong@saomai.example",
        "X-Forwarded-Proto: https\r\n",
    );
    assert!(!cookie.contains("secure"), "{cookie}");
    // A tab's live stream stays open while the scrapes below run.
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .write_all(
            format!(
                "GET /live HTTP/1.1\r\nHost: {addr}\r\nCookie: townhall_session={token}\r\n\r\n"
            )
            .as_bytes(),
        )
        .unwrap();
    let mut first = [0u8; 12];
    stream.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");

    let deadline = Instant::now() + Duration::from_secs(10);
    let scrape = loop {
        let (status, headers, scrape) = get(metrics_addr, "/metrics");
        assert_eq!(status, 200);
        assert!(
            headers.contains("content-type: text/plain; version=0.0.4"),
            "{headers}"
        );
        if sample(&scrape, "townhall_live_streams", &[]) == Some(1.0) {
            break scrape;
        }
        assert!(
            Instant::now() < deadline,
            "no open live stream counted:\n{scrape}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let requests = "townhall_http_requests_total";
    let healthz = [("route", "/healthz"), ("method", "GET"), ("status", "200")];
    assert_eq!(sample(&scrape, requests, &healthz), Some(5.0), "{scrape}");
    let sign_in = [
        ("route", "/api/account/sign-in"),
        ("method", "POST"),
        ("status", "200"),
    ];
    assert_eq!(sample(&scrape, requests, &sign_in), Some(1.0), "{scrape}");
    // Unmatched paths share one label: a path per person or post would grow for ever.
    let other = [("route", "other"), ("status", "404")];
    assert!(
        sample(&scrape, requests, &other).unwrap_or(0.0) >= 2.0,
        "{scrape}"
    );
    assert!(!scrape.contains("/no/such/page"), "{scrape}");
    let timed = [("route", "/healthz"), ("le", "+Inf")];
    assert_eq!(
        sample(
            &scrape,
            "townhall_http_request_duration_seconds_bucket",
            &timed
        ),
        Some(5.0),
        "{scrape}"
    );
    // Signing in wrote a session: one write began its transaction.
    assert!(sample(&scrape, "townhall_db_begin_wait_seconds_count", &[]).unwrap_or(0.0) >= 1.0);
    assert_eq!(
        sample(&scrape, "townhall_sqlite_write_queue", &[]),
        Some(0.0)
    );
    assert!(sample(&scrape, "townhall_db_pool_max_connections", &[]).unwrap_or(0.0) >= 1.0);
    assert!(sample(
        &scrape,
        "townhall_db_pool_connections",
        &[("state", "idle")]
    )
    .is_some());
    assert_eq!(
        sample(
            &scrape,
            "townhall_background_errors_total",
            &[("task", "scheduler")]
        ),
        Some(0.0)
    );
    assert_eq!(
        sample(&scrape, "townhall_scheduled_posts_overdue_seconds", &[]),
        Some(0.0)
    );
    assert_eq!(sample(&scrape, "townhall_build_info", &[]), Some(1.0));
    // Every metric is described with its kind, except the lateness of scheduled posts,
    // which appears with the first one published.
    for metric in app::telemetry::ALL {
        if metric.name == app::telemetry::SCHEDULED_LAG {
            continue;
        }
        let kind = format!("{:?}", metric.kind).to_lowercase();
        assert!(
            scrape.contains(&format!("# TYPE {} {kind}\n", metric.name)),
            "{} is missing:\n{scrape}",
            metric.name
        );
    }

    // The container image's health check: ready while it serves, not once it stopped.
    let health = townhall(&["health", "--addr", &addr.to_string()]);
    assert!(health.status.success(), "{}", text(&health.stderr));

    drop(stream);
    let pid = server.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    assert!(server.wait().unwrap().success());
    let health = townhall(&["health", "--addr", &addr.to_string()]);
    assert_eq!(health.status.code(), Some(1));
    assert!(
        text(&health.stderr).starts_with("townhall: not ready: "),
        "{}",
        text(&health.stderr)
    );
    // One JSON object per line; the proxy's id is in the access log line of its request.
    let logged = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<serde_json::Value> = logged
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let answered = lines
        .iter()
        .find(|line| line["span"]["id"] == "proxy-7f3a.91")
        .unwrap_or_else(|| panic!("no log line of the request:\n{logged}"));
    assert_eq!(answered["span"]["path"], "/healthz");
    assert_eq!(answered["fields"]["status"], 200, "{answered}");
    assert!(lines.iter().any(|line| line["span"]["id"] == made));
}

/// The value of the first header with this (lower-case) name.
fn header_value<'a>(headers: &'a str, name: &str) -> &'a str {
    headers
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no {name} in {headers}"))
        .trim()
}

/// The value of the sample of `metric` whose labels include all of `labels`.
fn sample(scrape: &str, metric: &str, labels: &[(&str, &str)]) -> Option<f64> {
    scrape.lines().find_map(|line| {
        let (series, value) = line.rsplit_once(' ')?;
        let (name, rest) = series.split_once('{').unwrap_or((series, ""));
        let wanted = name == metric
            && labels
                .iter()
                .all(|(key, value)| rest.contains(&format!("{key}=\"{value}\"")));
        wanted.then(|| value.parse().ok()).flatten()
    })
}
