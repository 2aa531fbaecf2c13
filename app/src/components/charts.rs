//! Charts drawn as SVG on the server: no chart library and no script, so they read the
//! same without JavaScript. Each chart is an image with a text label and sits above a
//! data table (in a `<details>`, open to screen readers and keyboards) with the same
//! numbers.

use crate::i18n::format_number;
use crate::prefs::use_prefs;
use crate::prefs::use_texts;
use leptos::prelude::*;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 160.0;

/// Stacked bars, one per label (a day), one colour per series; the table lists each
/// label's values.
#[component]
pub fn BarChart(
    /// What the chart shows: its accessible name and the table's caption.
    title: &'static str,
    labels: Vec<String>,
    /// Series names and their values, one per label.
    series: Vec<(&'static str, Vec<i64>)>,
) -> impl IntoView {
    let t = use_texts();
    let lang = use_prefs().lang;
    let totals: Vec<i64> = (0..labels.len())
        .map(|i| {
            series
                .iter()
                .map(|(_, v)| v.get(i).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    let top = totals.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = WIDTH / labels.len().max(1) as f64;
    let bar = (step * 0.8).max(1.0);
    let mut rects = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let mut y = HEIGHT;
        for (s, (name, values)) in series.iter().enumerate() {
            let n = values.get(i).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let h = HEIGHT * n as f64 / top;
            y -= h;
            let tip = format!("{label} · {name}: {}", format_number(lang, n));
            rects.push(view! {
                <rect class=format!("series-{s}") x=format!("{:.1}", i as f64 * step + (step - bar) / 2.0)
                    y=format!("{y:.1}") width=format!("{bar:.1}") height=format!("{h:.1}")>
                    <title>{tip}</title>
                </rect>
            });
        }
    }
    let legend = (series.len() > 1).then(|| {
        view! {
            <ul class="chart-legend">
                {series.iter().enumerate().map(|(s, (name, _))| view! {
                    <li><span class=format!("swatch series-{s}")></span>{*name}</li>
                }).collect_view()}
            </ul>
        }
    });
    let headers: Vec<&'static str> = series.iter().map(|(name, _)| *name).collect();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=title preserveAspectRatio="none">
                <line class="chart-axis" x1="0" y1=HEIGHT.to_string() x2=WIDTH.to_string() y2=HEIGHT.to_string()/>
                {rects}
            </svg>
            <figcaption>
                <span class="chart-range">{labels.first().cloned()}" – "{labels.last().cloned()}</span>
                {legend}
            </figcaption>
            <details class="chart-data">
                <summary>{t.dash.data_table}</summary>
                <table>
                    <caption>{title}</caption>
                    <thead><tr><th scope="col">{t.dash.date}</th>
                        {headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {labels.iter().enumerate().map(|(i, label)| view! {
                            <tr><th scope="row">{label.clone()}</th>
                                {series.iter().map(|(_, v)| view! {
                                    <td>{format_number(lang, v.get(i).copied().unwrap_or(0))}</td>
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// A weekday × hour grid whose cells darken with the count; the table has the counts.
#[component]
pub fn HeatMap(title: &'static str, cells: Vec<Vec<i64>>) -> impl IntoView {
    let t = use_texts();
    let lang = use_prefs().lang;
    let top = cells.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    let (cell_w, cell_h, left) = (22.0, 18.0, 72.0);
    let mut rects = Vec::new();
    for (d, hours) in cells.iter().enumerate() {
        for (h, n) in hours.iter().enumerate() {
            let tip = format!(
                "{} {h:02}:00 · {}",
                t.dash.weekdays[d],
                format_number(lang, *n)
            );
            rects.push(view! {
                <rect class="heat" x=format!("{:.0}", left + h as f64 * cell_w) y=format!("{:.0}", d as f64 * cell_h)
                    width=format!("{:.0}", cell_w - 2.0) height=format!("{:.0}", cell_h - 2.0)
                    fill-opacity=format!("{:.2}", 0.06 + 0.94 * *n as f64 / top)>
                    <title>{tip}</title>
                </rect>
            });
        }
    }
    let labels = t.dash.weekdays.iter().enumerate().map(|(d, name)| view! {
        <text class="chart-label" x="0" y=format!("{:.0}", d as f64 * cell_h + 13.0)>{*name}</text>
    }).collect_view();
    let hour_labels = (0..24).step_by(3).map(|h| view! {
        <text class="chart-label" x=format!("{:.0}", left + h as f64 * cell_w) y=format!("{:.0}", 7.0 * cell_h + 12.0)>{format!("{h:02}")}</text>
    }).collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {} {}", left + 24.0 * cell_w, 7.0 * cell_h + 16.0) role="img" aria-label=title>
                {labels}{rects}{hour_labels}
            </svg>
            <details class="chart-data">
                <summary>{t.dash.data_table}</summary>
                <table>
                    <caption>{title}</caption>
                    <thead><tr><th scope="col">{t.dash.weekday}</th>
                        {(0..24).map(|h| view! { <th scope="col">{format!("{h:02}")}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {cells.iter().enumerate().map(|(d, hours)| view! {
                            <tr><th scope="row">{t.dash.weekdays[d]}</th>
                                {hours.iter().map(|n| view! { <td>{format_number(lang, *n)}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// One bar split into shares (percent) that add up to 100.
#[component]
pub fn ShareBar(title: &'static str, shares: Vec<(&'static str, f64)>) -> impl IntoView {
    let mut x = 0.0;
    let parts = shares
        .iter()
        .enumerate()
        .map(|(s, (name, pct))| {
            let w = WIDTH * pct / 100.0;
            let part = view! {
                <rect class=format!("series-{s}") x=format!("{x:.1}") y="0" width=format!("{w:.1}") height="24">
                    <title>{format!("{name}: {pct} %")}</title>
                </rect>
            };
            x += w;
            part
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} 24") role="img" aria-label=title preserveAspectRatio="none">{parts}</svg>
        </figure>
    }
}
