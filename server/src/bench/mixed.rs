//! Mixed pages: signed-in people browsing, as a browser asks for pages: N clients on
//! keep-alive connections send `total` requests in all, each a server-rendered page drawn
//! from a weighted mix (home, a month back, a channel, a post, the directory, a profile,
//! notifications, a tag, a search, channels, scheduled, and the dashboard for staff).
//! Every answer is counted by its status class; any 5xx is a bug (a panic while
//! rendering answers 500), and the run reports its path and the start of its body.
//! A 200 must also be a whole signed-in page (it has the main navigation): a reactive
//! read that silently gives nothing would otherwise leave a page without it.

use super::client::{Call, Connection, Sample};
use super::BenchError;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// The 5xx answers kept for the report (the first of each path, then none).
const KEPT_ERRORS: usize = 20;
/// What every signed-in page has: the shell's main navigation.
const WHOLE_PAGE: &str = "class=\"mainnav\"";

/// The pages of the mix: a name, a weight (per hundred requests), and whether only
/// staff ask for it.
pub const PAGES: [(&str, u32); 12] = [
    ("home", 20),
    ("home a month back", 8),
    ("channel", 14),
    ("post", 12),
    ("people", 5),
    ("profile", 8),
    ("notifications", 8),
    ("tag", 6),
    ("search", 6),
    ("channels", 5),
    ("scheduled", 4),
    ("dashboard (staff)", 4),
];

/// What the mix draws its paths from.
pub struct Mix {
    /// A session per member of `general`; the staff's for the dashboard.
    pub sessions: Arc<Vec<Arc<str>>>,
    pub staff: Arc<Vec<Arc<str>>>,
    /// A cursor a month before the newest post.
    pub deep: String,
    /// Channels every member may read (slugs).
    pub channels: Vec<String>,
    /// Posts every member may read.
    pub posts: Vec<i64>,
    /// People (ids) for profiles.
    pub people: Vec<i64>,
    pub tags: Vec<String>,
    /// Search queries, already percent-encoded.
    pub queries: Vec<String>,
}

impl Mix {
    /// Request number `i` of the run: which page (index into [`PAGES`]) and the call.
    pub(super) fn call(&self, i: u64) -> (usize, Call) {
        let mut rng = fastrand::Rng::with_seed(i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let total: u32 = PAGES.iter().map(|(_, w)| w).sum();
        let mut draw = rng.u32(..total);
        let page = PAGES
            .iter()
            .position(|(_, w)| {
                if draw < *w {
                    true
                } else {
                    draw -= w;
                    false
                }
            })
            .unwrap_or(0);
        let pick = |rng: &mut fastrand::Rng, n: usize| rng.usize(..n.max(1));
        let path = match page {
            0 => "/".to_owned(),
            1 => format!("/?before={}", self.deep),
            2 => {
                let slug = &self.channels[pick(&mut rng, self.channels.len())];
                // One channel visit in four reads on from a month back.
                if rng.u8(..4) == 0 {
                    format!("/channels/{slug}?before={}", self.deep)
                } else {
                    format!("/channels/{slug}")
                }
            }
            3 => format!("/posts/{}", self.posts[pick(&mut rng, self.posts.len())]),
            4 => "/people".to_owned(),
            5 => format!("/people/{}", self.people[pick(&mut rng, self.people.len())]),
            6 => "/notifications".to_owned(),
            7 => format!("/tags/{}", self.tags[pick(&mut rng, self.tags.len())]),
            8 => format!(
                "/search?q={}",
                self.queries[pick(&mut rng, self.queries.len())]
            ),
            9 => "/channels".to_owned(),
            10 => "/scheduled".to_owned(),
            _ => "/dashboard".to_owned(),
        };
        let cast = if page == PAGES.len() - 1 {
            &self.staff
        } else {
            &self.sessions
        };
        let session = &cast[pick(&mut rng, cast.len())];
        (page, Call::get(path).as_(session))
    }
}

/// One page of the mix: its latencies and answers by status class.
#[derive(Clone, Debug, Default)]
pub struct PageSample {
    pub sample: Sample,
    /// Answers by status class: index 2 is 2xx, 3 is 3xx, 4 is 4xx, 5 is 5xx.
    pub classes: [usize; 6],
    /// Requests that got no answer (the connection failed).
    pub errors: usize,
    /// 200s that were not a whole signed-in page (no main navigation).
    pub incomplete: usize,
}

/// The whole run.
#[derive(Clone, Debug, Default)]
pub struct Mixed {
    pub clients: usize,
    /// Each client's mean pause between pages, in milliseconds (0: back to back).
    pub think_ms: u64,
    pub total: PageSample,
    pub pages: Vec<PageSample>,
    /// The first 5xx answers (one per path): "GET path → status: body…".
    pub server_errors: Vec<String>,
    /// The first transport error, if any.
    pub first_error: Option<String>,
    /// The first 200 that was not a whole page: its path.
    pub first_incomplete: Option<String>,
}

impl Mixed {
    pub fn server_error_count(&self) -> usize {
        self.total.classes[5]
    }

    /// Whether the run shows a bug: any 5xx, any request left unanswered, any 200
    /// that is not a whole page.
    pub fn failed(&self) -> bool {
        self.server_error_count() > 0 || self.total.errors > 0 || self.total.incomplete > 0
    }
}

/// Sends `total` requests of `mix` from `clients` clients at once, each on its own
/// keep-alive connection, each sending its next request as soon as the last is read.
///
/// With a `think` time, each client waits that long (±50 %, so they do not march in
/// step) after each page before its next: people browsing rather than a load at
/// saturation.
pub async fn run(
    addr: SocketAddr,
    clients: usize,
    total: usize,
    think: std::time::Duration,
    mix: Arc<Mix>,
) -> Result<Mixed, BenchError> {
    let mut connections = Vec::with_capacity(clients);
    for _ in 0..clients {
        connections.push(Connection::open(addr).await?);
    }
    let counter = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for mut connection in connections {
        let (mix, counter) = (mix.clone(), counter.clone());
        workers.spawn(async move {
            let mut pages = vec![PageSample::default(); PAGES.len()];
            let mut server_errors: Vec<String> = Vec::new();
            let mut first_error = None;
            let mut first_incomplete = None;
            let mut pause = fastrand::Rng::new();
            loop {
                if !think.is_zero() {
                    tokio::time::sleep(think.mul_f64(0.5 + pause.f64())).await;
                }
                let i = counter.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                // A long run says how far it has got, every tenth of the way.
                if i > 0 && total >= 10_000 && i % (total / 10) == 0 {
                    eprintln!("mixed pages: {i} of {total} sent");
                }
                let (page, call) = mix.call(i as u64);
                let out = &mut pages[page];
                let sent = Instant::now();
                match connection.send(&call).await {
                    Ok((status, body)) => {
                        out.sample.latencies.push(sent.elapsed().as_micros() as u64);
                        let class = usize::from(status.as_u16() / 100).min(5);
                        out.classes[class] += 1;
                        if class != 2 {
                            out.sample.failures += 1;
                        } else if !decoded(&body).contains(WHOLE_PAGE) {
                            out.incomplete += 1;
                            first_incomplete.get_or_insert_with(|| call.path.clone());
                        }
                        if class == 5
                            && server_errors.len() < KEPT_ERRORS
                            && !server_errors.iter().any(|e| e.contains(&call.path))
                        {
                            server_errors.push(format!(
                                "GET {} → {status}: {}",
                                call.path,
                                excerpt(&body)
                            ));
                        }
                    }
                    Err(err) => {
                        out.errors += 1;
                        first_error.get_or_insert_with(|| format!("GET {}: {err}", call.path));
                        connection = Connection::open(addr).await?;
                    }
                }
            }
            Ok::<_, BenchError>((pages, server_errors, first_error, first_incomplete))
        });
    }
    let mut mixed = Mixed {
        clients,
        think_ms: think.as_millis() as u64,
        pages: vec![PageSample::default(); PAGES.len()],
        ..Default::default()
    };
    while let Some(done) = workers.join_next().await {
        let (pages, errors, first_error, first_incomplete) =
            done.map_err(|e| BenchError::Request(e.to_string()))??;
        for (into, from) in mixed.pages.iter_mut().zip(pages) {
            into.sample.latencies.extend(from.sample.latencies);
            into.sample.failures += from.sample.failures;
            for (sum, n) in into.classes.iter_mut().zip(from.classes) {
                *sum += n;
            }
            into.errors += from.errors;
            into.incomplete += from.incomplete;
        }
        for e in errors {
            if mixed.server_errors.len() < KEPT_ERRORS {
                mixed.server_errors.push(e);
            }
        }
        mixed.first_error = mixed.first_error.take().or(first_error);
        mixed.first_incomplete = mixed.first_incomplete.take().or(first_incomplete);
    }
    let elapsed = started.elapsed();
    for page in &mut mixed.pages {
        page.sample.latencies.sort_unstable();
        page.sample.elapsed = elapsed;
        mixed
            .total
            .sample
            .latencies
            .extend_from_slice(&page.sample.latencies);
        mixed.total.sample.failures += page.sample.failures;
        for (total, count) in mixed.total.classes.iter_mut().zip(page.classes) {
            *total += count;
        }
        mixed.total.errors += page.errors;
        mixed.total.incomplete += page.incomplete;
    }
    mixed.total.sample.latencies.sort_unstable();
    mixed.total.sample.elapsed = elapsed;
    Ok(mixed)
}

/// The start of a body as text, on one line: what a 500 says about its panic.
fn excerpt(body: &[u8]) -> String {
    let text = decoded(body);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.chars().take(300).collect()
}

/// A body as text. It may come zstd-, brotli- or gzip-compressed (the request offered
/// all three, as browsers do).
fn decoded(body: &[u8]) -> String {
    use std::io::Read;
    if let Ok(plain) = zstd::stream::decode_all(body) {
        return String::from_utf8_lossy(&plain).into_owned();
    }
    let mut plain = Vec::new();
    let decoded = brotli::Decompressor::new(body, 4096)
        .read_to_end(&mut plain)
        .is_ok()
        || {
            plain.clear();
            flate2::read::GzDecoder::new(body)
                .read_to_end(&mut plain)
                .is_ok()
        };
    if !decoded {
        plain = body.to_vec();
    }
    String::from_utf8_lossy(&plain).into_owned()
}
