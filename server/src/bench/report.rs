//! The results, as Markdown tables (printed, and written to a file for BENCHMARKS.md),
//! each latency also as a multiple of the ceiling's at the same concurrency.

use super::client::Sample;
use super::live::FanOut;
use super::mixed::{Mixed, PAGES};
use super::open_loop::{OpenLoop, HOURLY};
use super::weight::Asset;
use std::collections::HashMap;
use std::fmt::Write;

pub struct Scenario {
    pub what: String,
    pub clients: usize,
    pub sample: Sample,
    /// The p99 it should stay under, in milliseconds.
    pub target_ms: Option<f64>,
}

#[derive(Default)]
pub struct Report {
    pub heading: String,
    pub scenarios: Vec<Scenario>,
    pub fan_outs: Vec<(FanOut, f64)>,
    pub ready_ms: f64,
    pub assets: Vec<Asset>,
    /// The mixed pages run, when there was one.
    pub mixed: Option<Mixed>,
    /// The Home page's HTML, as one member receives it.
    pub home_html: Option<PageWeight>,
    /// Readers of every shape, at one client.
    pub shapes: Vec<super::shapes::Measured>,
    /// The server's resident memory (VmRSS, bytes) a second after it became ready, idle.
    pub idle_rss: Option<u64>,
    /// The most it held while the mixed clients browsed (sampled every 100 ms).
    pub browsing_rss: Option<u64>,
    /// The open-loop mix, when there was one.
    pub open_loop: Option<OpenLoop>,
}

/// A page's HTML: its bytes raw and as brotli, and how many posts it shows.
pub struct PageWeight {
    pub raw: u64,
    pub brotli: u64,
    pub posts: usize,
}

/// The ceiling scenario's name.
pub const CEILING: &str = "ceiling: trivial axum JSON";

/// The hot-paths issue's target for a live stream's memory while idle, in KB.
const MEMORY_PER_STREAM_KB: f64 = 8.0;

/// The one line that says whether the open-loop mix met its target.
pub fn open_loop_line(o: &OpenLoop) -> String {
    format!(
        "open-loop mix at ×{} for {:.0} s: {} requests ({:.1}/s), {} live streams ({} refused), \
         {} live events received, p50 {} ms, p99 {} ms, {} failed: {}",
        o.scale,
        o.seconds,
        thousands(o.total.latencies.len()),
        o.total.latencies.len() as f64 / o.seconds,
        thousands(o.streams),
        o.streams_refused,
        thousands(o.events),
        number(o.total.quantile_ms(0.5)),
        number(o.total.quantile_ms(0.99)),
        o.total.failures,
        if o.met() {
            format!(
                "≤ {} ms and none failed: met",
                number(super::open_loop::TARGET_P99_MS)
            )
        } else {
            format!(
                "≤ {} ms and none failed: **missed**",
                number(super::open_loop::TARGET_P99_MS)
            )
        }
    )
}

fn verdict(value: f64, target: Option<f64>) -> String {
    match target {
        Some(t) if value <= t => format!("≤ {} met", number(t)),
        Some(t) => format!("≤ {} **missed**", number(t)),
        None => "—".into(),
    }
}

/// 100000 as "100,000".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The one line that says whether the mixed pages run met its target (zero 5xx).
pub fn mixed_line(m: &Mixed) -> String {
    let t = &m.total;
    format!(
        "mixed pages: {} requests at {} clients{}, {} × 5xx, {} × 4xx, {} × 3xx, {} unanswered, \
         {} incomplete 200s, p50 {} ms, p99 {} ms, {:.0} pages/s: {}",
        thousands(t.sample.latencies.len() + t.errors),
        m.clients,
        if m.think_ms > 0 {
            format!(" pausing {:.1} s between pages", m.think_ms as f64 / 1000.0)
        } else {
            String::new()
        },
        thousands(t.classes[5]),
        thousands(t.classes[4]),
        thousands(t.classes[3]),
        thousands(t.errors),
        thousands(t.incomplete),
        number(t.sample.quantile_ms(0.5)),
        number(t.sample.quantile_ms(0.99)),
        t.sample.per_second(),
        if m.failed() {
            "zero 5xx **MISSED**"
        } else {
            "zero 5xx met"
        }
    )
}

fn number(x: f64) -> String {
    if x.is_nan() {
        "—".into()
    } else if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

impl Report {
    /// Readers of every shape: p50 / p99 of each page at one client, then slowest ÷
    /// typical per page (target ≤ 2 on the home feed).
    fn shapes_table(&self, out: &mut String) {
        use super::shapes::{spread, PAGES};
        let _ = writeln!(
            out,
            "\nReaders of every shape, 1 client, p50 / p99 ms:\n\n| reader | {} |\n|---|{}",
            PAGES.join(" | "),
            "---:|".repeat(PAGES.len())
        );
        for m in &self.shapes {
            let cells: Vec<String> = m
                .samples
                .iter()
                .map(|s| {
                    format!(
                        "{} / {}",
                        number(s.quantile_ms(0.5)),
                        number(s.quantile_ms(0.99))
                    )
                })
                .collect();
            let _ = writeln!(out, "| {} | {} |", m.name, cells.join(" | "));
        }
        let ratios: Vec<String> = (0..PAGES.len())
            .map(|page| spread(&self.shapes, page).map_or("—".into(), |r| format!("{r:.1}")))
            .collect();
        let _ = writeln!(
            out,
            "| slowest ÷ general member (p50; target ≤ 2 on the home feed) | {} |",
            ratios.join(" | ")
        );
    }

    /// The open-loop mix: each kind's rate and latencies (from when it was due).
    fn open_loop_table(&self, o: &OpenLoop, out: &mut String) {
        let _ = writeln!(
            out,
            "\n{}\n\n| open-loop request | per second | requests | p50 ms | p99 ms | max ms | failed |\n\
             |---|---:|---:|---:|---:|---:|---:|",
            open_loop_line(o)
        );
        let rows = HOURLY
            .iter()
            .enumerate()
            .map(|(k, (name, _))| (*name, o.per_second(k), &o.kinds[k]))
            .chain([(
                "**all**",
                HOURLY.iter().map(|(_, h)| h * o.scale / 3600.0).sum(),
                &o.total,
            )]);
        for (name, rate, s) in rows {
            let _ = writeln!(
                out,
                "| {name} | {} | {} | {} | {} | {} | {} |",
                number(rate),
                thousands(s.latencies.len()),
                number(s.quantile_ms(0.5)),
                number(s.quantile_ms(0.99)),
                number(s.quantile_ms(1.0)),
                s.failures
            );
        }
        if let Some(first) = &o.total.first_failure {
            let _ = writeln!(out, "\nFirst failure: `{}`", first.replace('`', "'"));
        }
    }

    /// The hot-paths issue's table: each of its figures as measured in this run, its
    /// target, and the figure as a multiple of the trivial handler's (the ceiling).
    fn hot_paths_table(&self, ceiling: &HashMap<usize, &Sample>, out: &mut String) {
        let find = |what: &str, clients: usize| {
            self.scenarios
                .iter()
                .find(|s| s.what.starts_with(what) && s.clients == clients)
                .map(|s| &s.sample)
        };
        // Whether more is better (throughput) or less (time, memory, failures).
        let (at_least, at_most) = (true, false);
        struct Row {
            figure: String,
            value: Option<f64>,
            unit: &'static str,
            target: f64,
            higher: bool,
            /// The ceiling's value for the same figure, for the ratio.
            ceiling: Option<f64>,
        }
        let mut rows = Vec::new();
        const FEED: &str = "home feed server fn (JSON)";
        let saturation = self
            .scenarios
            .iter()
            .filter(|s| s.what == FEED)
            .max_by(|a, b| a.sample.per_second().total_cmp(&b.sample.per_second()));
        rows.push(Row {
            figure: format!(
                "home feed JSON, saturation throughput (best of {} clients)",
                saturation.map_or("—".into(), |s| s.clients.to_string())
            ),
            value: saturation.map(|s| s.sample.per_second()),
            unit: "/s",
            target: 3000.0,
            higher: at_least,
            ceiling: saturation
                .and_then(|s| ceiling.get(&s.clients))
                .map(|c| c.per_second()),
        });
        let one = ceiling.get(&1).map(|c| c.quantile_ms(0.99));
        let shape_p99 = |page: usize| {
            self.shapes
                .iter()
                .filter_map(|m| m.samples.get(page))
                .map(|s| s.quantile_ms(0.99))
                .chain(
                    find(FEED, 1)
                        .map(|s| s.quantile_ms(0.99))
                        .filter(|_| page == 0),
                )
                .fold(None, |most: Option<f64>, x| {
                    Some(most.map_or(x, |m| m.max(x)))
                })
        };
        rows.push(Row {
            figure: "home feed JSON p99, slowest reader shape, 1 client".into(),
            value: shape_p99(0),
            unit: "ms",
            target: 3.0,
            higher: at_most,
            ceiling: one,
        });
        rows.push(Row {
            figure: "slowest reader shape ÷ general member (home feed, p50)".into(),
            value: super::shapes::spread(&self.shapes, 0),
            unit: "×",
            target: 2.0,
            higher: at_most,
            ceiling: None,
        });
        let many = self.shapes.iter().find(|m| {
            m.name.starts_with("member of")
                && m.name.ends_with("channels")
                && !m.name.contains(" 3 ")
        });
        rows.push(Row {
            figure: format!(
                "channel list with unread counts p99, {}",
                many.map_or("member of many channels", |m| m.name.as_str())
            ),
            value: many
                .and_then(|m| m.samples.get(2))
                .map(|s| s.quantile_ms(0.99)),
            unit: "ms",
            target: 5.0,
            higher: at_most,
            ceiling: one,
        });
        let options = match (
            find("composer's channels", 1),
            find("announcement options", 1),
        ) {
            (Some(a), Some(b)) => Some(a.quantile_ms(0.5) + b.quantile_ms(0.5)),
            _ => None,
        };
        rows.push(Row {
            figure: "composer and announcement options per page (p50 together, 1 client)".into(),
            value: options,
            unit: "ms",
            target: 0.5,
            higher: at_most,
            ceiling: ceiling.get(&1).map(|c| c.quantile_ms(0.5)),
        });
        const CREATE: &str = "create post";
        rows.push(Row {
            figure: "create post (≈50 notified), 10 writers, throughput".into(),
            value: find(CREATE, 10).map(Sample::per_second),
            unit: "/s",
            target: 1000.0,
            higher: at_least,
            ceiling: ceiling.get(&10).map(|c| c.per_second()),
        });
        rows.push(Row {
            figure: "create post (≈50 notified), 10 writers, p99".into(),
            value: find(CREATE, 10).map(|s| s.quantile_ms(0.99)),
            unit: "ms",
            target: 30.0,
            higher: at_most,
            ceiling: ceiling.get(&10).map(|c| c.quantile_ms(0.99)),
        });
        let widest = self
            .fan_outs
            .iter()
            .map(|(f, _)| f)
            .max_by_key(|f| f.streams);
        rows.push(Row {
            figure: format!(
                "live fan-out p99, {} streams",
                widest.map_or("—".into(), |f| thousands(f.streams))
            ),
            value: widest.map(|f| f.delays.quantile_ms(0.99)),
            unit: "ms",
            target: 100.0,
            higher: at_most,
            ceiling: one,
        });
        rows.push(Row {
            figure: format!(
                "memory per idle live stream, {} streams",
                widest.map_or("—".into(), |f| thousands(f.streams))
            ),
            value: widest.map(|f| f.bytes_per_stream / 1024.0),
            unit: "KB",
            target: MEMORY_PER_STREAM_KB,
            higher: at_most,
            ceiling: None,
        });
        rows.push(Row {
            figure: "adoption dashboard, 90 days, 10 leaders, p99".into(),
            value: find("adoption dashboard", 10).map(|s| s.quantile_ms(0.99)),
            unit: "ms",
            target: 100.0,
            higher: at_most,
            ceiling: ceiling.get(&10).map(|c| c.quantile_ms(0.99)),
        });
        if let Some(o) = &self.open_loop {
            rows.push(Row {
                figure: format!("open-loop mix at ×{}, p99", o.scale),
                value: Some(o.total.quantile_ms(0.99)),
                unit: "ms",
                target: super::open_loop::TARGET_P99_MS,
                higher: at_most,
                ceiling: None,
            });
            rows.push(Row {
                figure: format!("open-loop mix at ×{}, failed requests", o.scale),
                value: Some((o.total.failures + o.streams_refused) as f64),
                unit: "",
                target: 0.0,
                higher: at_most,
                ceiling: None,
            });
        }
        out.push_str(
            "\nThe hot-paths issue's figures (its targets are for a million posts on two cores):\n\n\
             | figure | measured | target | × ceiling | verdict |\n|---|---:|---|---:|---|\n",
        );
        for row in rows {
            let shown = |x: f64| format!("{} {}", number(x), row.unit).trim_end().to_owned();
            let comparison = if row.higher { "≥" } else { "≤" };
            let _ = writeln!(
                out,
                "| {} | {} | {comparison} {} | {} | {} |",
                row.figure,
                row.value.map_or("not run".into(), shown),
                shown(row.target),
                match (row.value, row.ceiling) {
                    // Throughput is a small fraction of the ceiling's: three decimals.
                    (Some(v), Some(c)) if c > 0.0 && row.higher => format!("{:.3}", v / c),
                    (Some(v), Some(c)) if c > 0.0 => number(v / c),
                    _ => "—".into(),
                },
                match row.value {
                    None => "—",
                    // Nothing measured (no answer at all) is not "met".
                    Some(v) if v.is_nan() => "—",
                    Some(v) if (v >= row.target) == row.higher || v == row.target => "met",
                    Some(_) => "**missed**",
                }
            );
        }
    }

    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}\n", self.heading);
        let ceiling: HashMap<usize, &Sample> = self
            .scenarios
            .iter()
            .filter(|s| s.what == CEILING)
            .map(|s| (s.clients, &s.sample))
            .collect();
        out.push_str(
            "| scenario | clients | p50 ms | p95 ms | p99 ms | req/s | p99 × ceiling | req/s ÷ ceiling | failed | target p99 ms |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
        );
        for s in &self.scenarios {
            let (p99_ratio, rps_ratio) = match ceiling.get(&s.clients) {
                Some(c) => (
                    number(s.sample.quantile_ms(0.99) / c.quantile_ms(0.99)),
                    format!("{:.3}", s.sample.per_second() / c.per_second()),
                ),
                None => ("—".into(), "—".into()),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {:.0} | {} | {} | {} | {} |",
                s.what,
                s.clients,
                number(s.sample.quantile_ms(0.5)),
                number(s.sample.quantile_ms(0.95)),
                number(s.sample.quantile_ms(0.99)),
                s.sample.per_second(),
                p99_ratio,
                rps_ratio,
                s.sample.failures,
                verdict(s.sample.quantile_ms(0.99), s.target_ms)
            );
        }
        if !self.shapes.is_empty() {
            self.shapes_table(&mut out);
        }
        if let Some(m) = &self.mixed {
            let _ = writeln!(out, "\n{}\n", mixed_line(m));
            out.push_str(
                "| mixed pages | requests | p50 ms | p95 ms | p99 ms | 2xx | incomplete | 3xx | 4xx | 5xx | unanswered |\n\
                 |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
            );
            let rows = PAGES
                .iter()
                .map(|(name, _)| *name)
                .zip(&m.pages)
                .chain([("**all**", &m.total)]);
            for (name, p) in rows {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                    name,
                    thousands(p.sample.latencies.len() + p.errors),
                    number(p.sample.quantile_ms(0.5)),
                    number(p.sample.quantile_ms(0.95)),
                    number(p.sample.quantile_ms(0.99)),
                    thousands(p.classes[2]),
                    thousands(p.incomplete),
                    thousands(p.classes[3]),
                    thousands(p.classes[4]),
                    if p.classes[5] > 0 {
                        format!("**{}**", thousands(p.classes[5]))
                    } else {
                        "0".into()
                    },
                    thousands(p.errors),
                );
            }
            if !m.server_errors.is_empty() {
                out.push_str("\n5xx answers (the first per path):\n\n");
                for e in &m.server_errors {
                    let _ = writeln!(out, "- `{}`", e.replace('`', "'"));
                }
            }
            if let Some(path) = &m.first_incomplete {
                let _ = writeln!(out, "\nFirst 200 without the main navigation: `{path}`");
            }
            if let Some(e) = &m.first_error {
                let _ = writeln!(out, "\nFirst unanswered request: `{}`", e.replace('`', "'"));
            }
        }
        if let Some(o) = &self.open_loop {
            self.open_loop_table(o, &mut out);
        }
        let first_ceiling = ceiling.get(&1).map(|c| c.quantile_ms(0.99));
        out.push_str(
            "\n| live streams | received | p50 ms | p99 ms | max ms | p99 × ceiling (1 client) | server memory per idle stream | target p99 ms | target memory |\n\
             |---:|---:|---:|---:|---:|---:|---:|---|---|\n",
        );
        for (f, target) in &self.fan_outs {
            let p99 = f.delays.quantile_ms(0.99);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {:.1} KB | {} | {} |",
                f.streams,
                f.delays.latencies.len(),
                number(f.delays.quantile_ms(0.5)),
                number(p99),
                number(f.delays.quantile_ms(1.0)),
                first_ceiling.map_or("—".into(), |c| number(p99 / c)),
                f.bytes_per_stream / 1024.0,
                verdict(p99, Some(*target)),
                verdict(f.bytes_per_stream / 1024.0, Some(MEMORY_PER_STREAM_KB)),
            );
        }
        let _ = writeln!(
            out,
            "\n| start | value | target |\n|---|---:|---|\n| process start to `/readyz` 200 | {} ms | {} |",
            number(self.ready_ms),
            verdict(self.ready_ms, Some(300.0))
        );
        let mb = |b: u64| b as f64 / 1_048_576.0;
        if let Some(idle) = self.idle_rss {
            let _ = writeln!(
                out,
                "| resident memory, idle after start | {:.1} MB | {} |",
                mb(idle),
                verdict(mb(idle), Some(60.0))
            );
        }
        if let (Some(peak), Some(mixed)) = (self.browsing_rss, &self.mixed) {
            let _ = writeln!(
                out,
                "| resident memory, most while {} signed-in people browse | {:.1} MB | {} |",
                mixed.clients,
                mb(peak),
                verdict(mb(peak), Some(200.0))
            );
        }
        self.hot_paths_table(&ceiling, &mut out);
        if let Some(page) = &self.home_html {
            let _ = writeln!(
                out,
                "\n| page | raw KB | brotli KB | target |\n|---|---:|---:|---|\n| Home page HTML, {} posts | {:.1} | {:.1} | {} |",
                page.posts,
                page.raw as f64 / 1024.0,
                page.brotli as f64 / 1024.0,
                verdict(page.brotli as f64 / 1024.0, Some(40.0))
            );
        }
        if !self.assets.is_empty() {
            out.push_str("\n| front end | raw KB | brotli KB |\n|---|---:|---:|\n");
            for a in &self.assets {
                let _ = writeln!(
                    out,
                    "| {} | {:.1} | {:.1} |",
                    a.name,
                    a.raw as f64 / 1024.0,
                    a.brotli as f64 / 1024.0
                );
            }
            // What a first visit transfers (wasm, js and css, as precompressed and sent),
            // against the islands issue's target.
            let sent: u64 = self.assets.iter().map(|a| a.brotli).sum();
            let sent_kb = sent as f64 / 1024.0;
            let _ = writeln!(
                out,
                "| **wasm + js + css** | {:.1} | **{:.1}** ({}) |",
                self.assets.iter().map(|a| a.raw).sum::<u64>() as f64 / 1024.0,
                sent_kb,
                verdict(sent_kb, Some(150.0))
            );
        }
        out
    }
}
