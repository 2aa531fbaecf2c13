//! `townhall bench`: starts `townhall serve` (this very binary) on loopback against a
//! seeded database, measures it from a load client in this process, and stops it.
//!
//! What it measures: the home feed as a server-rendered page and as its server function
//! (first page and a page a month back) at 1, 10 and 100 clients; creating a post
//! (with its mention, notifications and live event); the adoption dashboard over 90
//! days; a mix of server-rendered pages as signed-in people browse them, counted by status
//! class (zero 5xx is the target: any 5xx fails the run); live fan-out to N streams with the server's memory per idle stream; the time from
//! process start to `/readyz`; and the front end's weight. Every latency is also given as a
//! multiple of a trivial axum handler's, served the same way by `townhall bench-ceiling`.
//! See BENCHMARKS.md.

mod ceiling;
pub(crate) mod client;
mod live;
mod mixed;
mod open_loop;
mod report;
mod shapes;
mod weight;

use app::store::{Store, StoreError};
use client::{Call, Connection};
use report::{Report, Scenario, CEILING};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use ceiling::serve as serve_ceiling;

/// `BenchError`: why a benchmark run stopped.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot connect to {0}: {1}")]
    Connect(SocketAddr, #[source] std::io::Error),
    #[error("HTTP: {0}")]
    Http(#[source] hyper::Error),
    #[error("{0}")]
    Request(String),
    #[error("the server refused: {0}")]
    Refused(String),
    #[error("cannot {0}: {1}")]
    Process(String, #[source] std::io::Error),
    #[error("{0} did not answer within a minute")]
    NotReady(String),
    #[error("the database holds no company with a `general` channel: seed one with `townhall seed --posts N`")]
    NoCompany,
    #[error("{0}")]
    Missed(String),
}

pub struct Options {
    pub database_url: String,
    pub site_root: PathBuf,
    pub addr: SocketAddr,
    pub ceiling_addr: SocketAddr,
    /// How long each load scenario runs.
    pub duration: Duration,
    pub clients: Vec<usize>,
    /// Numbers of live streams to fan out to.
    pub streams: Vec<usize>,
    /// How far back the deep feed page starts.
    pub deep_days: i64,
    pub report: Option<PathBuf>,
    /// Requests of the mixed pages run (0: none), and its concurrent clients.
    pub mixed_pages: usize,
    pub mixed_clients: usize,
    /// Each mixed client's pause between pages (0: back to back, saturation).
    pub mixed_think: std::time::Duration,
    /// The binary to serve with, when not this one (the image's, say).
    pub server_binary: Option<std::path::PathBuf>,
    /// The open-loop mix: its scale (× a 500-person company's busiest hour; 0: none)
    /// and how long it runs.
    pub open_loop_scale: f64,
    pub open_loop_duration: Duration,
}

/// What client `n` sends as its `k`-th request.
type Next = Arc<dyn Fn(usize, u64) -> Call + Send + Sync>;

/// Who the load client acts as.
struct Cast {
    /// One session per active member of the general channel.
    sessions: Vec<Arc<str>>,
    /// The sessions of the channel's admins: in a generated company, the company's
    /// owner and admins, who may read the dashboard.
    staff: Vec<Arc<str>>,
    /// Some of their @handles, for mentions in new posts.
    handles: Vec<String>,
    /// The members' ids, for their profiles.
    people: Vec<i64>,
}

/// Kills a child process when the run ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub async fn run(options: Options) -> Result<(), BenchError> {
    let store = Store::connect(&options.database_url).await?;
    store.migrate().await?;
    let cast = cast(&store).await?;
    let nobody = app::store::Reader {
        user_id: app::model::PersonId(0),
        guest: false,
        staff: false,
    };
    let newest = store
        .feed(
            app::store::Reader {
                user_id: app::model::PersonId(0),
                guest: false,
                staff: false,
            },
            &app::store::FeedScope::Company,
            None,
            1,
        )
        .await?
        .first()
        .map_or_else(app::store::now_ms, |p| p.created_at);
    let deep = format!(
        "{}.{}",
        newest - options.deep_days * 24 * 60 * 60 * 1000,
        i64::MAX
    );
    let sessions = Arc::new(cast.sessions);
    let handles = Arc::new(cast.handles);
    let staff = Arc::new(cast.staff);
    let mix = Arc::new(
        page_mix(
            &store,
            nobody,
            &deep,
            sessions.clone(),
            staff.clone(),
            cast.people,
        )
        .await?,
    );
    let shapes = shapes::cast(&store).await?;
    // A company-wide knowledge page, for the knowledge issue's "page view".
    let knowledge_page = store
        .readable_pages(nobody)
        .await?
        .into_iter()
        .find(|p| p.space == app::model::knowledge::SpaceKey::Company)
        .map(|p| p.id);
    store.close().await;

    let exe =
        std::env::current_exe().map_err(|e| BenchError::Process("find this binary".into(), e))?;
    let _ceiling = Running(spawn(Command::new(&exe).args([
        "bench-ceiling",
        "--addr",
        &options.ceiling_addr.to_string(),
    ]))?);
    wait_until_ok(options.ceiling_addr, ceiling::PATH, None).await?;
    let started = Instant::now();
    let server_exe = options.server_binary.clone().unwrap_or_else(|| exe.clone());
    let mut server = Running(spawn(
        Command::new(&server_exe).env("TOWNHALL_LOG", "warn").args([
            "serve",
            "--addr",
            &options.addr.to_string(),
            "--database-url",
            &options.database_url,
            "--site-root",
            &options.site_root.to_string_lossy(),
        ]),
    )?);
    wait_until_ok(options.addr, "/readyz", Some(&mut server.0)).await?;
    let ready_ms = started.elapsed().as_secs_f64() * 1000.0;
    let pid = server.0.id();
    // What an idle instance holds (the operate issue: ≤ 60 MB), before any load.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let idle_rss = live::resident_bytes(pid).ok();

    // Each scenario: its name, target, and the request a client sends next.
    let scenarios: Vec<(&str, Option<f64>, Next)> = vec![
        (CEILING, None, Arc::new(|_, _| Call::get(ceiling::PATH))),
        ("home feed page (HTML)", Some(20.0), {
            let s = sessions.clone();
            Arc::new(move |n, k| Call::get("/").as_(someone(&s, n, k)))
        }),
        ("home feed page a month back (HTML)", Some(20.0), {
            let (s, path) = (sessions.clone(), format!("/?before={deep}"));
            Arc::new(move |n, k| Call::get(path.clone()).as_(someone(&s, n, k)))
        }),
        ("home feed server fn (JSON)", Some(20.0), {
            let s = sessions.clone();
            Arc::new(move |n, k| Call::post("/api/feed/home", "").as_(someone(&s, n, k)))
        }),
        ("home feed server fn a month back (JSON)", Some(20.0), {
            let (s, form) = (sessions.clone(), format!("before={deep}"));
            Arc::new(move |n, k| Call::post("/api/feed/home", form.clone()).as_(someone(&s, n, k)))
        }),
        // Questions without an accepted answer, everywhere and in the company-wide
        // channel (the knowledge issue's "unanswered view"): read from partial indexes.
        ("unanswered questions page (HTML)", Some(20.0), {
            let s = sessions.clone();
            Arc::new(move |n, k| Call::get("/questions/open").as_(someone(&s, n, k)))
        }),
        (
            "a channel's unanswered questions page (HTML)",
            Some(20.0),
            {
                let (s, path) = (
                    sessions.clone(),
                    format!("/channels/{}/questions", crate::seed::company::GENERAL),
                );
                Arc::new(move |n, k| Call::get(path.clone()).as_(someone(&s, n, k)))
            },
        ),
        // One knowledge page: its text, review state, sub-pages, backlinks, the
        // questions that led to it and the reader's journey steps.
        ("a knowledge page (HTML)", Some(20.0), {
            let (s, path) = (
                sessions.clone(),
                knowledge_page.map_or_else(|| "/pages".to_owned(), |id| format!("/pages/{id}")),
            );
            Arc::new(move |n, k| Call::get(path.clone()).as_(someone(&s, n, k)))
        }),
        // What every feed page reads besides its posts (the hot-paths issue's "composer
        // and announcement options per page", ≤ 0.5 ms together at one client).
        ("composer's channels server fn (JSON)", None, {
            let s = sessions.clone();
            Arc::new(move |n, k| Call::post("/api/posts/channels", "").as_(someone(&s, n, k)))
        }),
        // Search (the files-and-search issue: p95 ≤ 50 ms at 10 searchers, typeahead
        // ≤ 20 ms): a word in many posts, two Vietnamese words typed without accents, a
        // word in none (which the LIKE scan read the whole table for), and the top bar's
        // suggestions for a name being typed.
        (
            "search server fn, common and rare words (JSON)",
            Some(50.0),
            {
                let s = sessions.clone();
                let forms = ["q=release", "q=ke+hoach", "q=bao+cao+quy", "q=zzznothing"];
                Arc::new(move |n, k| {
                    Call::post("/api/search", forms[(n + k as usize) % forms.len()])
                        .as_(someone(&s, n, k))
                })
            },
        ),
        ("search suggestions server fn (JSON)", Some(20.0), {
            let s = sessions.clone();
            let forms = ["q=ng", "q=tran+m", "q=sal"];
            Arc::new(move |n, k| {
                Call::post("/api/search/suggest", forms[(n + k as usize) % forms.len()])
                    .as_(someone(&s, n, k))
            })
        }),
        ("announcement options server fn, staff (JSON)", None, {
            let s = staff.clone();
            Arc::new(move |n, k| {
                Call::post("/api/announcements/options", "").as_(someone(&s, n, k))
            })
        }),
    ];
    warm_up(options.addr, options.ceiling_addr, &scenarios).await?;
    let mut report = Report {
        heading: heading(&options),
        ready_ms,
        idle_rss,
        ..Default::default()
    };
    for &clients in &options.clients {
        for (what, target, next) in &scenarios {
            let addr = if *what == CEILING {
                options.ceiling_addr
            } else {
                options.addr
            };
            let sample = client::measure(addr, clients, options.duration, next.clone()).await?;
            eprintln!(
                "measured {what} at {clients} clients: p99 {:.2} ms",
                sample.quantile_ms(0.99)
            );
            report.scenarios.push(Scenario {
                what: (*what).to_owned(),
                clients,
                sample,
                target_ms: target.filter(|_| clients >= 100),
            });
        }
    }
    // Readers of every shape, one client each: what a page costs must not depend on
    // who asks (the hot-paths issue's "slowest shape ÷ typical ≤ 2").
    for shape in &shapes {
        let requests = shapes::requests(shape);
        let warm: Vec<(&str, Option<f64>, Next)> = requests
            .iter()
            .map(|next| (shape.name.as_str(), None, next.clone()))
            .collect();
        warm_up(options.addr, options.ceiling_addr, &warm).await?;
        let mut samples = Vec::new();
        for next in requests {
            samples.push(client::measure(options.addr, 1, options.duration, next).await?);
        }
        eprintln!(
            "measured {}: home feed p99 {:.2} ms, channel list p99 {:.2} ms",
            shape.name,
            samples[0].quantile_ms(0.99),
            samples[2].quantile_ms(0.99)
        );
        report.shapes.push(shapes::Measured {
            name: shape.name.clone(),
            samples,
        });
    }
    report.home_html = home_html(options.addr, &sessions[0]).await.ok();
    if options.mixed_pages > 0 {
        eprintln!(
            "mixed pages: {} requests at {} clients…",
            options.mixed_pages, options.mixed_clients
        );
        // The most memory the server holds while they browse (≤ 200 MB at 500 people).
        let (stop_sampling, mut stopped) = tokio::sync::watch::channel(false);
        let sampler = tokio::spawn(async move {
            let mut most = 0;
            loop {
                most = most.max(live::resident_bytes(pid).unwrap_or(0));
                tokio::select! {
                    _ = tokio::time::sleep(std::time::Duration::from_millis(100)) => {}
                    _ = stopped.changed() => return most,
                }
            }
        });
        let mixed = mixed::run(
            options.addr,
            options.mixed_clients,
            options.mixed_pages,
            options.mixed_think,
            mix.clone(),
        )
        .await;
        let _ = stop_sampling.send(true);
        report.browsing_rss = sampler.await.ok().filter(|&b| b > 0);
        let mixed = mixed?;
        if let Some(peak) = report.browsing_rss {
            eprintln!(
                "resident memory: {:.1} MB idle, at most {:.1} MB while {} browse",
                report.idle_rss.unwrap_or(0) as f64 / 1_048_576.0,
                peak as f64 / 1_048_576.0,
                options.mixed_clients
            );
        }
        eprintln!("{}", report::mixed_line(&mixed));
        for error in &mixed.server_errors {
            eprintln!("  5xx: {error}");
        }
        report.mixed = Some(mixed);
    }
    let writes: Vec<(&str, Option<f64>, Next)> = vec![
        (
            "create post (mention, notifications, live event)",
            Some(30.0),
            {
                let (s, h) = (sessions.clone(), handles.clone());
                Arc::new(move |n, k| {
                    let mention = &h[(n + k as usize) % h.len()];
                    let form = format!("channel=general&kind=update&body=Benchmark+post+{n}-{k}+for+%40{mention}+%23bench");
                    Call::post("/api/posts/create", form)
                        .as_(someone(&s, n, k))
                        .uncompressed()
                })
            },
        ),
        (
            "adoption dashboard (90 days, all departments)",
            Some(100.0),
            {
                let s = staff.clone();
                Arc::new(move |n, k| {
                    Call::post("/api/dashboard", "range=90").as_(someone(&s, n, k))
                })
            },
        ),
    ];
    for clients in [1, 10] {
        let sample = client::measure(
            options.ceiling_addr,
            clients,
            options.duration,
            scenarios[0].2.clone(),
        )
        .await?;
        if !options.clients.contains(&clients) {
            report.scenarios.push(Scenario {
                what: CEILING.into(),
                clients,
                sample,
                target_ms: None,
            });
        }
        for (what, target, next) in &writes {
            let sample =
                client::measure(options.addr, clients, options.duration, next.clone()).await?;
            eprintln!(
                "measured {what} at {clients} clients: p99 {:.2} ms",
                sample.quantile_ms(0.99)
            );
            report.scenarios.push(Scenario {
                what: (*what).to_owned(),
                clients,
                sample,
                target_ms: *target,
            });
        }
    }
    for &streams in &options.streams {
        // The poster's own tabs are not told of their own post; everyone else's are.
        let listeners: Vec<Arc<str>> = sessions[1..]
            .iter()
            .cycle()
            .take(streams)
            .cloned()
            .collect();
        let fan_out = live::fan_out(options.addr, pid, &listeners, &sessions[0], "general").await?;
        eprintln!(
            "live fan-out to {streams}: p99 {:.2} ms, {} missed, {:.1} KB per idle stream",
            fan_out.delays.quantile_ms(0.99),
            fan_out.missed,
            fan_out.bytes_per_stream / 1024.0
        );
        let target = if streams > 1000 { 100.0 } else { 50.0 };
        report.fan_outs.push((fan_out, target));
        // Closed streams end on the server when it next writes to them; give it a moment.
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Last: its thousands of streams would leave memory behind that the fan-out's
    // measure of memory per stream would reuse, and understate.
    if options.open_loop_scale > 0.0 {
        eprintln!(
            "open-loop mix at ×{} for {:.0} s…",
            options.open_loop_scale,
            options.open_loop_duration.as_secs_f64()
        );
        let run = open_loop::run(
            options.addr,
            options.open_loop_scale,
            options.open_loop_duration,
            mix.clone(),
        )
        .await?;
        eprintln!("{}", report::open_loop_line(&run));
        report.open_loop = Some(run);
    }
    drop(server);
    report.assets = weight::front_end(&options.site_root).unwrap_or_default();
    let markdown = report.markdown();
    println!("{markdown}");
    if let Some(path) = &options.report {
        std::fs::write(path, &markdown)
            .map_err(|e| BenchError::Process(format!("write {}", path.display()), e))?;
    }
    let failed: usize = report.scenarios.iter().map(|s| s.sample.failures).sum();
    if let Some(first) = report
        .scenarios
        .iter()
        .find_map(|s| s.sample.first_failure.clone())
    {
        eprintln!("{failed} requests failed; the first: {first}");
    }
    // A 5xx is a bug (a panic while rendering answers 500): the run fails, after its
    // report is written.
    if let Some(mixed) = report.mixed.as_ref().filter(|m| m.failed()) {
        return Err(BenchError::Missed(report::mixed_line(mixed)));
    }
    Ok(())
}

/// The Home page one member receives, weighed as the islands issue counts it: raw, and
/// as brotli at its best quality (what a precompressing proxy would send; the server
/// itself compresses pages at a faster setting), with its number of posts.
async fn home_html(addr: SocketAddr, session: &Arc<str>) -> Result<report::PageWeight, BenchError> {
    let mut connection = Connection::open(addr).await?;
    let (status, body) = connection
        .send(&Call::get("/").as_(session).uncompressed())
        .await?;
    if !status.is_success() {
        return Err(BenchError::Refused(format!("GET / answered {status}")));
    }
    let brotli = crate::precompress::brotli(&body)
        .map_err(|e| BenchError::Process("compress the home page".into(), e))?;
    Ok(report::PageWeight {
        raw: body.len() as u64,
        brotli: brotli.len() as u64,
        // Every card carries its id (see `components::post_card`).
        posts: String::from_utf8_lossy(&body)
            .matches("<article data-post-id=")
            .count(),
    })
}

/// The session client `n` uses for its `k`-th request: a different person each time.
fn someone(sessions: &[Arc<str>], n: usize, k: u64) -> &Arc<str> {
    &sessions[fastrand::Rng::with_seed(((n as u64) << 32) ^ k).usize(..sessions.len())]
}

fn heading(options: &Options) -> String {
    format!(
        "Each load scenario ran {:.1} s per concurrency level; deep pages start {} days before the newest post.",
        options.duration.as_secs_f64(),
        options.deep_days
    )
}

/// A session for every active member of the general channel (the poster of the fan-out
/// post first), created as signing in would.
async fn cast(store: &Store) -> Result<Cast, BenchError> {
    let owner = store.people(&Default::default()).await?;
    let first = owner.first().ok_or(BenchError::NoCompany)?.person.id;
    let general = store
        .channel_access("general", first)
        .await?
        .ok_or(BenchError::NoCompany)?;
    let members = store.channel_members(general.id).await?;
    let now = app::store::now_ms();
    let mut tx = store.begin().await?;
    let mut sessions = Vec::with_capacity(members.len());
    let mut staff = Vec::new();
    let mut people = Vec::with_capacity(members.len());
    for member in &members {
        let token = app::domain::accounts::session::new_token()
            .map_err(|e| BenchError::Request(format!("no randomness for a session: {e}")))?;
        let hash = app::domain::accounts::session::token_hash(&token);
        tx.create_session(
            &hash,
            member.person.id,
            now,
            now + app::domain::accounts::session::LIFETIME_MS,
        )
        .await?;
        let session: Arc<str> = Arc::from(token);
        people.push(member.person.id.0);
        if member.admin {
            staff.push(session.clone());
        }
        sessions.push(session);
    }
    tx.commit().await?;
    let handles: Vec<String> = store
        .handles_like("a", 8, first)
        .await?
        .into_iter()
        .map(|(_, handle)| handle)
        .collect();
    if sessions.len() < 2 || staff.is_empty() || handles.is_empty() {
        return Err(BenchError::NoCompany);
    }
    Ok(Cast {
        sessions,
        staff,
        handles,
        people,
    })
}

/// A session for the phone benchmark (`make bench-phone`): one of the company's staff
/// (an admin of `general`, who has both composers on Home), and a letter that
/// @-suggestions answer; as one JSON line, `{"session": "…", "mention": "a"}`.
pub async fn phone_session(database_url: &str) -> Result<String, BenchError> {
    let store = Store::connect(database_url).await?;
    store.migrate().await?;
    let first = store
        .people(&Default::default())
        .await?
        .first()
        .ok_or(BenchError::NoCompany)?
        .person
        .id;
    let general = store
        .channel_access("general", first)
        .await?
        .ok_or(BenchError::NoCompany)?;
    let members = store.channel_members(general.id).await?;
    let staff = members
        .iter()
        .find(|m| m.admin)
        .ok_or(BenchError::NoCompany)?;
    let mut mention = None;
    for letter in 'a'..='z' {
        let found = store
            .handles_like(&letter.to_string(), 1, staff.person.id)
            .await?;
        if found.iter().any(|(_, handle)| handle.starts_with(letter)) {
            mention = Some(letter);
            break;
        }
    }
    let token = app::domain::accounts::session::new_token()
        .map_err(|e| BenchError::Request(format!("no randomness for a session: {e}")))?;
    let now = app::store::now_ms();
    let mut tx = store.begin().await?;
    tx.create_session(
        &app::domain::accounts::session::token_hash(&token),
        staff.person.id,
        now,
        now + app::domain::accounts::session::LIFETIME_MS,
    )
    .await?;
    tx.commit().await?;
    store.close().await;
    Ok(serde_json::json!({
        "session": token,
        "mention": mention.ok_or(BenchError::NoCompany)?.to_string(),
    })
    .to_string())
}

/// What the mixed pages draw from: channels and posts everyone may read (those a reader
/// who is in no channel sees), the generated company's tags, and searches for words its
/// posts contain.
async fn page_mix(
    store: &Store,
    nobody: app::store::Reader,
    deep: &str,
    sessions: Arc<Vec<Arc<str>>>,
    staff: Arc<Vec<Arc<str>>>,
    people: Vec<i64>,
) -> Result<mixed::Mix, BenchError> {
    let channels: Vec<String> = store
        .listed_channels(nobody)
        .await?
        .into_iter()
        .filter(|c| c.post_count > 0)
        .map(|c| c.slug)
        .collect();
    let mut posts = Vec::new();
    for before in [None, app::model::Cursor::decode(deep)] {
        posts.extend(
            store
                .feed(nobody, &app::store::FeedScope::Company, before, 100)
                .await?
                .into_iter()
                .map(|p| p.id.0),
        );
    }
    if channels.is_empty() || posts.is_empty() {
        return Err(BenchError::NoCompany);
    }
    Ok(mixed::Mix {
        sessions,
        staff,
        deep: deep.to_owned(),
        channels,
        posts,
        people,
        tags: crate::seed::company::TAGS[..8]
            .iter()
            .map(|t| (*t).to_owned())
            .collect(),
        // Words of the generated posts, English and Vietnamese (percent-encoded).
        queries: [
            "release",
            "onboarding+guide",
            "customer+survey",
            "k%E1%BA%BF+ho%E1%BA%A1ch",
            "incident",
            "b%C3%A1o+c%C3%A1o",
        ]
        .iter()
        .map(|q| (*q).to_owned())
        .collect(),
    })
}

fn spawn(command: &mut Command) -> Result<Child, BenchError> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| BenchError::Process("start a server".into(), e))
}

/// Polls `path` every two milliseconds until it answers 200.
async fn wait_until_ok(
    addr: SocketAddr,
    path: &str,
    mut child: Option<&mut Child>,
) -> Result<(), BenchError> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some(child) = child.as_deref_mut() {
            if let Ok(Some(status)) = child.try_wait() {
                return Err(BenchError::Refused(format!("the server exited: {status}")));
            }
        }
        if let Ok(mut connection) = Connection::open(addr).await {
            if let Ok((status, _)) = connection.send(&Call::get(path)).await {
                if status.is_success() {
                    return Ok(());
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Err(BenchError::NotReady(format!("{addr}{path}")))
}

/// A few requests of each kind first, so caches and connection pools are warm.
async fn warm_up(
    addr: SocketAddr,
    ceiling_addr: SocketAddr,
    scenarios: &[(&str, Option<f64>, Next)],
) -> Result<(), BenchError> {
    for (what, _, next) in scenarios {
        let addr = if *what == CEILING { ceiling_addr } else { addr };
        let mut connection = Connection::open(addr).await?;
        for k in 0..20 {
            let (status, body) = connection.send(&next(0, k)).await?;
            if !status.is_success() {
                return Err(BenchError::Refused(format!(
                    "{what}: {status} {}",
                    String::from_utf8_lossy(&body)
                        .chars()
                        .take(300)
                        .collect::<String>()
                )));
            }
        }
    }
    Ok(())
}
