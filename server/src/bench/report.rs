//! The results, as Markdown tables (printed, and written to a file for BENCHMARKS.md),
//! each latency also as a multiple of the ceiling's at the same concurrency.

use super::client::Sample;
use super::live::FanOut;
use super::mixed::{Mixed, PAGES};
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
}

/// A page's HTML: its bytes raw and as brotli, and how many posts it shows.
pub struct PageWeight {
    pub raw: u64,
    pub brotli: u64,
    pub posts: usize,
}

/// The ceiling scenario's name.
pub const CEILING: &str = "ceiling: trivial axum JSON";

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
                verdict(f.bytes_per_stream / 1024.0, Some(16.0)),
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
