//! The open-loop mix (the hot-paths issue): requests arrive at fixed average rates
//! whether or not earlier ones have been answered, as people's clicks do, while live
//! streams stay open. Closed-loop scenarios measure throughput; this measures what people
//! feel: a slow answer does not slow the arrivals behind it, so queueing shows in p99.
//!
//! The rates model a 500-person company's busiest hour (see [`HOURLY`]), multiplied by
//! the scale (×30 by default). Each request's time runs from when it was due, not from
//! when it was sent, so a client that falls behind cannot hide a stall.

use super::client::{Call, Connection, Sample};
use super::mixed::Mix;
use super::BenchError;
use hyper::StatusCode;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::time::Instant;

/// What the busiest hour of a 500-person company holds, per hour, at scale 1: 60 % of
/// the company (300 people) has a tab open, each viewing a page every three minutes,
/// scrolling the feed every six, reacting twice, commenting once every two hours, and
/// one in ten posting. The numbers are our estimate from the use cases (morning
/// announcements, questions answered through the day), not a measurement.
pub const HOURLY: [(&str, f64); 5] = [
    ("page view (HTML, the mixed pages' mix)", 6_000.0),
    ("feed scroll (JSON)", 3_000.0),
    ("reaction", 600.0),
    ("comment", 150.0),
    ("post in general (notifications, live event)", 30.0),
];

/// Open tabs, each with a live stream, at scale 1.
pub const TABS: usize = 300;

/// Requests in flight beyond which arrivals are counted as failed instead of sent: the
/// server has fallen so far behind that measuring on would only measure the client.
const MOST_IN_FLIGHT: usize = 5_000;

/// The target: p99 under this, and no failed request.
pub const TARGET_P99_MS: f64 = 50.0;

pub struct OpenLoop {
    pub scale: f64,
    pub seconds: f64,
    /// Streams held open through the run, and how many of them the server refused.
    pub streams: usize,
    pub streams_refused: usize,
    /// Live events the streams received during the run.
    pub events: usize,
    /// One sample per kind of [`HOURLY`], then all of them together.
    pub kinds: Vec<Sample>,
    pub total: Sample,
}

impl OpenLoop {
    pub fn per_second(&self, kind: usize) -> f64 {
        HOURLY[kind].1 * self.scale / 3600.0
    }

    /// Whether the run met its target (p99 and no failure).
    pub fn met(&self) -> bool {
        self.total.quantile_ms(0.99) <= TARGET_P99_MS
            && self.total.failures == 0
            && self.streams_refused == 0
    }
}

/// Runs the mix for `duration` at `scale`, against the server at `addr`.
pub async fn run(
    addr: SocketAddr,
    scale: f64,
    duration: Duration,
    mix: Arc<Mix>,
) -> Result<OpenLoop, BenchError> {
    let tabs = ((TABS as f64) * scale).round() as usize;
    let (streams, streams_refused) = open_streams(addr, &mix.sessions, tabs).await;
    let events = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut listening = tokio::task::JoinSet::new();
    for mut stream in streams {
        let events = events.clone();
        listening.spawn(async move {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stream.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                let text = String::from_utf8_lossy(&buf[..n]);
                events.fetch_add(
                    text.matches("\ndata:").count() + usize::from(text.starts_with("data:")),
                    std::sync::atomic::Ordering::Relaxed,
                );
            }
        });
    }

    let rates: Vec<f64> = HOURLY
        .iter()
        .map(|(_, per_hour)| per_hour * scale / 3600.0)
        .collect();
    let total_rate: f64 = rates.iter().sum();
    let pool: Arc<Mutex<Vec<Connection>>> = Arc::default();
    let in_flight = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut rng = fastrand::Rng::with_seed(42);
    let mut sent = tokio::task::JoinSet::new();
    let mut skipped: Vec<usize> = vec![0; HOURLY.len()];
    let started = Instant::now();
    let end = started + duration;
    let mut due = started;
    let mut n: u64 = 0;
    loop {
        // Arrivals of a Poisson process: exponential gaps at the total rate, each one of
        // a kind drawn in proportion to its rate.
        due += Duration::from_secs_f64(-(1.0 - rng.f64()).ln() / total_rate);
        if due >= end {
            break;
        }
        tokio::time::sleep_until(due).await;
        let mut draw = rng.f64() * total_rate;
        let kind = rates
            .iter()
            .position(|r| {
                draw -= r;
                draw < 0.0
            })
            .unwrap_or(0);
        n += 1;
        if in_flight.load(std::sync::atomic::Ordering::Relaxed) >= MOST_IN_FLIGHT {
            skipped[kind] += 1;
            continue;
        }
        let call = request(&mix, kind, n);
        let (pool, in_flight) = (pool.clone(), in_flight.clone());
        in_flight.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        sent.spawn(async move {
            let taken = pool.lock().map(|mut p| p.pop()).unwrap_or(None);
            let outcome = match taken {
                Some(connection) => Ok(connection),
                None => Connection::open(addr).await,
            };
            let outcome = match outcome {
                Ok(mut connection) => match connection.send(&call).await {
                    Ok((status, body)) => {
                        if let Ok(mut p) = pool.lock() {
                            p.push(connection);
                        }
                        answered(&call, status, &body)
                    }
                    Err(e) => Err(e.to_string()),
                },
                Err(e) => Err(e.to_string()),
            };
            in_flight.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
            (kind, due.elapsed(), outcome)
        });
    }
    let mut kinds: Vec<Sample> = vec![Sample::default(); HOURLY.len()];
    while let Some(done) = sent.join_next().await {
        let (kind, took, outcome) = done.map_err(|e| BenchError::Request(e.to_string()))?;
        let sample = &mut kinds[kind];
        sample.latencies.push(took.as_micros() as u64);
        if let Err(why) = outcome {
            sample.failures += 1;
            sample.first_failure.get_or_insert(why);
        }
    }
    let elapsed = started.elapsed();
    listening.abort_all();
    let mut total = Sample::default();
    for (sample, skipped) in kinds.iter_mut().zip(skipped) {
        sample.failures += skipped;
        if skipped > 0 {
            sample
                .first_failure
                .get_or_insert_with(|| format!("{MOST_IN_FLIGHT} requests were in flight"));
        }
        sample.elapsed = elapsed;
        sample.latencies.sort_unstable();
        total.latencies.extend(&sample.latencies);
        total.failures += sample.failures;
        if total.first_failure.is_none() {
            total.first_failure = sample.first_failure.clone();
        }
    }
    total.elapsed = elapsed;
    total.latencies.sort_unstable();
    Ok(OpenLoop {
        scale,
        seconds: duration.as_secs_f64(),
        streams: tabs,
        streams_refused,
        events: events.load(std::sync::atomic::Ordering::Relaxed),
        kinds,
        total,
    })
}

/// A 2xx (or a redirect, which a page may answer) is an answer; anything else fails.
fn answered(call: &Call, status: StatusCode, body: &[u8]) -> Result<(), String> {
    if status.is_success() || status.is_redirection() {
        return Ok(());
    }
    // Pages and server functions answer compressed, as a browser asks: say so rather
    // than print the bytes.
    let text = match std::str::from_utf8(body) {
        Ok(text) => text.chars().take(300).collect::<String>(),
        Err(_) => format!("({} bytes, compressed)", body.len()),
    };
    Err(format!("{} {} → {status}: {text}", call.method, call.path))
}

/// Arrival `n`, of kind `kind` (an index into [`HOURLY`]).
fn request(mix: &Mix, kind: usize, n: u64) -> Call {
    let mut rng = fastrand::Rng::with_seed(n.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let someone = mix.sessions[rng.usize(..mix.sessions.len())].clone();
    let post = mix.posts[rng.usize(..mix.posts.len())];
    match kind {
        0 => mix.call(n).1,
        1 => {
            // Half open the feed afresh, half read on from a month back.
            let form = if rng.bool() {
                String::new()
            } else {
                format!("before={}", mix.deep)
            };
            Call::post("/api/feed/home", form).as_(&someone)
        }
        2 => {
            let emoji = app::model::REACTIONS[rng.usize(..app::model::REACTIONS.len())];
            let form = format!(
                "post={post}&emoji={}",
                form_urlencoded::byte_serialize(emoji.as_bytes()).collect::<String>()
            );
            Call::post("/api/posts/react", form).as_(&someone)
        }
        3 => Call::post(
            "/api/posts/comment",
            format!("post={post}&body=Open-loop+comment+{n}"),
        )
        .as_(&someone),
        _ => Call::post(
            "/api/posts/create",
            format!("channel=general&kind=update&body=Open-loop+post+{n}+%23bench"),
        )
        .as_(&someone),
    }
}

/// Opens `count` live streams, one per session in turn; answers the streams and how
/// many the server refused.
async fn open_streams(
    addr: SocketAddr,
    sessions: &[Arc<str>],
    count: usize,
) -> (Vec<tokio::net::TcpStream>, usize) {
    let gate = Arc::new(tokio::sync::Semaphore::new(200));
    let mut opening = tokio::task::JoinSet::new();
    for session in sessions.iter().cycle().take(count) {
        let (gate, session) = (gate.clone(), session.clone());
        opening.spawn(async move {
            let _turn = gate.acquire_owned().await;
            super::live::open_stream(addr, &session).await
        });
    }
    let (mut streams, mut refused) = (Vec::with_capacity(count), 0);
    while let Some(opened) = opening.join_next().await {
        match opened {
            Ok(Ok((stream, _))) => streams.push(stream),
            _ => refused += 1,
        }
    }
    (streams, refused)
}
