//! The adoption dashboard. The period and filters are a plain GET form, so the page,
//! its charts (server-drawn SVG) and their data tables work the same without
//! JavaScript; every section links to its figures as CSV for the same query.

use crate::api::dashboard::adoption_dashboard;
use crate::components::charts::{BarChart, HeatMap, ShareBar};
use crate::components::notice::{ErrorNotice, Loading};
use crate::i18n::{format_date, format_decimal, format_number, Lang, Texts};
use crate::model::{
    Dashboard, Figures, GroupFigures, Guarded, Metric, PostKind, Suggestion, Trend,
};
use crate::prefs::use_prefs;
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        ["range", "from", "to", "department", "channel"].map(|k| q.get(k).unwrap_or_default())
    };
    let board = Resource::new(params, |[range, from, to, department, channel]| {
        adoption_dashboard(
            Some(range),
            Some(from),
            Some(to),
            Some(department),
            Some(channel),
        )
    });
    view! {
        <Title text=t.dashboard_title/>
        <section class="page dashboard" aria-labelledby="dashboard-heading">
            <h1 id="dashboard-heading">{t.dashboard_title}</h1>
            <p class="page-intro">{t.dash.intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(board) => view! { <DashboardView board/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// How a figure is written.
#[derive(Clone, Copy)]
enum Unit {
    Count,
    Decimal,
    Percent,
}

fn show(lang: Lang, x: f64, unit: Unit) -> String {
    match unit {
        Unit::Count => format_number(lang, x.round() as i64),
        Unit::Decimal => format_decimal(lang, x),
        Unit::Percent => format!("{} %", format_decimal(lang, x)),
    }
}

/// One figure with its trend; `metric` names it as in the CSV.
#[component]
fn Stat(label: &'static str, metric: &'static str, trend: Trend, unit: Unit) -> impl IntoView {
    let t = use_texts();
    let lang = use_prefs().lang;
    let (arrow, class) = if trend.now > trend.before {
        ("▲", "trend up")
    } else if trend.now < trend.before {
        ("▼", "trend down")
    } else {
        ("=", "trend same")
    };
    view! {
        <div class="stat" data-metric=metric>
            <dt>{label}</dt>
            <dd>
                <span class="stat-value">{show(lang, trend.now, unit)}</span>
                <span class=class>{arrow}" "{(t.dash.vs_before)(&show(lang, trend.before, unit))}</span>
            </dd>
        </div>
    }
}

#[component]
fn Csv(metric: Metric, query: String) -> impl IntoView {
    let t = use_texts();
    view! {
        <a class="csv-link" rel="external" download href=format!("/dashboard/export/{}.csv?{query}", metric.name())>
            {t.dash.download_csv}
        </a>
    }
}

#[component]
fn DashboardView(board: Dashboard) -> impl IntoView {
    let t = use_texts();
    let lang = use_prefs().lang;
    let f = &board.filter;
    let range = f.period.range();
    let query = format!(
        "range={range}&from={}&to={}&department={}&channel={}",
        board.from,
        board.to,
        f.department.map(|d| d.to_string()).unwrap_or_default(),
        f.channel.map(|c| c.to_string()).unwrap_or_default()
    );
    let note = (t.dash.range_note)(
        &format_date(lang, &board.from),
        &format_date(lang, &board.to),
        board.days,
    );
    let (from, to) = (board.from.clone(), board.to.clone());
    let (department, channel) = (f.department, f.channel);
    view! {
        <Form method="GET" action="" attr:class="dashboard-filters" attr:role="search">
            <label class="field">
                <span>{t.dash.period}</span>
                <select name="range">
                    {[("7", t.dash.last_7), ("30", t.dash.last_30), ("90", t.dash.last_90), ("custom", t.dash.custom)]
                        .into_iter()
                        .map(|(value, label)| view! { <option value=value selected=range == value>{label}</option> })
                        .collect_view()}
                </select>
            </label>
            <label class="field"><span>{t.dash.from}</span><input type="date" name="from" value=from/></label>
            <label class="field"><span>{t.dash.to}</span><input type="date" name="to" value=to/></label>
            <label class="field">
                <span>{t.department_label}</span>
                <select name="department">
                    <option value="">{t.all_departments}</option>
                    {board.departments.iter().map(|d| view! {
                        <option value=d.id.to_string() selected=department == Some(d.id)>{d.name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t.dash.channel}</span>
                <select name="channel">
                    <option value="">{t.dash.all_channels}</option>
                    {board.channels.iter().map(|c| view! {
                        <option value=c.id.to_string() selected=channel == Some(c.id)>{format!("#{}", c.name)}</option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit">{t.dash.show}</button>
        </Form>
        <p class="page-intro" data-period=format!("{}/{}", board.from, board.to)>{note}" "{t.dash.filters_note}</p>
        {match board.figures {
            Guarded::Shown(figures) => view! { <FiguresView figures query/> }.into_any(),
            Guarded::FewerThanFive => view! {
                <p class="notice" role="status">{t.dash.too_small}</p>
            }.into_any(),
        }}
    }
}

#[component]
fn FiguresView(figures: Figures, query: String) -> impl IntoView {
    let t = use_texts();
    let d = t.dash;
    let lang = use_prefs().lang;
    let f = figures;
    let days: Vec<String> = f
        .daily_active
        .iter()
        .map(|(date, _)| format_date(lang, date))
        .collect();
    let content_series = vec![
        (
            d.posts,
            f.content.per_day.iter().map(|(_, n)| n[0]).collect(),
        ),
        (
            d.comments,
            f.content.per_day.iter().map(|(_, n)| n[1]).collect(),
        ),
        (
            d.reactions,
            f.content.per_day.iter().map(|(_, n)| n[2]).collect(),
        ),
        (
            d.acknowledgements,
            f.content.per_day.iter().map(|(_, n)| n[3]).collect(),
        ),
    ];
    let q = move || query.clone();
    let part0 = view! {
        <section class="dash-section" aria-labelledby="dash-suggestions">
            <h2 id="dash-suggestions">{d.suggestions}</h2>
            <Suggestions list=f.suggestions.clone()/>
        </section>
    }
    .into_any();
    let part1 = view! {
        <section class="dash-section" aria-labelledby="dash-people">
            <h2 id="dash-people">{d.people}</h2>
            <dl class="stats">
                <Stat label=d.invited metric="invited" trend=f.invited unit=Unit::Count/>
                <Stat label=d.joined metric="joined" trend=f.joined unit=Unit::Count/>
                <Stat label=d.joined_active metric="joined_and_active" trend=f.joined_active unit=Unit::Count/>
                <Stat label=d.active_people metric="active_people" trend=f.active unit=Unit::Count/>
                <Stat label=d.dau metric="daily_active" trend=f.dau unit=Unit::Decimal/>
                <Stat label=d.wau metric="weekly_active" trend=f.wau unit=Unit::Count/>
                <Stat label=d.mau metric="monthly_active" trend=f.mau unit=Unit::Count/>
                <Stat label=d.stickiness metric="stickiness_pct" trend=f.stickiness unit=Unit::Percent/>
            </dl>
            <Csv metric=Metric::People query=q()/>
            <h3>{d.daily_active_chart}</h3>
            <BarChart title=d.daily_active_chart labels=days.clone()
                series=vec![(d.active_people, f.daily_active.iter().map(|(_, n)| *n).collect())]/>
            <Csv metric=Metric::DailyActive query=q()/>
        </section>
    }
    .into_any();
    let part2 = view! {
        <section class="dash-section" aria-labelledby="dash-participation">
            <h2 id="dash-participation">{d.participation}</h2>
            <ShareBar title=d.participation shares=vec![(d.readers, f.readers.now), (d.contributors, f.contributors.now), (d.creators, f.creators.now)]/>
            <dl class="stats">
                <Stat label=d.readers metric="readers_pct" trend=f.readers unit=Unit::Percent/>
                <Stat label=d.contributors metric="contributors_pct" trend=f.contributors unit=Unit::Percent/>
                <Stat label=d.creators metric="creators_pct" trend=f.creators unit=Unit::Percent/>
            </dl>
            <Csv metric=Metric::Participation query=q()/>
        </section>
    }
    .into_any();
    let part3 = view! {
        <section class="dash-section" aria-labelledby="dash-content">
            <h2 id="dash-content">{d.content}</h2>
            <dl class="stats">
                <Stat label=d.posts metric="posts" trend=f.content.posts unit=Unit::Count/>
                <Stat label=d.comments metric="comments" trend=f.content.comments unit=Unit::Count/>
                <Stat label=d.reactions metric="reactions" trend=f.content.reactions unit=Unit::Count/>
                <Stat label=d.acknowledgements metric="acknowledgements" trend=f.content.acknowledgements unit=Unit::Count/>
            </dl>
            <h3>{d.content_chart}</h3>
            <BarChart title=d.content_chart labels=days series=content_series/>
            <Csv metric=Metric::Content query=q()/>
            <table class="dash-table" data-table="kinds">
                <thead><tr>
                    <th scope="col">{d.kind}</th><th scope="col">{d.posts}</th><th scope="col">{d.comments}</th>
                    <th scope="col">{d.reactions}</th><th scope="col">{d.acknowledgements}</th>
                    <th scope="col">{d.impressions}</th><th scope="col">{d.engagement}</th>
                </tr></thead>
                <tbody>
                    {f.content.kinds.iter().map(|k| view! {
                        <tr data-kind=k.kind.as_str()>
                            <th scope="row">{kind_name(t, k.kind)}</th>
                            <td>{format_number(lang, k.posts)}</td><td>{format_number(lang, k.comments)}</td>
                            <td>{format_number(lang, k.reactions)}</td><td>{format_number(lang, k.acknowledgements)}</td>
                            <td>{format_number(lang, k.impressions)}</td>
                            <td>{k.engagement.map_or(d.no_impressions.to_owned(), |e| show(lang, e, Unit::Decimal))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <Csv metric=Metric::Kinds query=q()/>
        </section>
    }
    .into_any();
    let part4 = view! {
        <section class="dash-section" aria-labelledby="dash-announcements">
            <h2 id="dash-announcements">{d.announcements}</h2>
            {if f.announcements.is_empty() {
                view! { <p>{d.no_announcements}</p> }.into_any()
            } else {
                view! {
                    <table class="dash-table" data-table="announcements">
                        <thead><tr>
                            <th scope="col">{d.announcements}</th><th scope="col">{d.recipients}</th>
                            <th scope="col">{d.seen}</th><th scope="col">{d.acknowledged}</th>
                            <th scope="col">{d.median_ack}</th><th scope="col">{d.not_acknowledged_list}</th>
                        </tr></thead>
                        <tbody>
                            {f.announcements.iter().map(|a| {
                                let link = format!("/posts/{}", a.post_id);
                                let cells = match &a.reach {
                                    Guarded::Shown(r) => view! {
                                        <td>{format_number(lang, r.recipients)}</td>
                                        <td>{show(lang, r.seen, Unit::Percent)}</td>
                                        <td>{show(lang, r.acknowledged, Unit::Percent)}</td>
                                        <td>{r.median_ack_ms.map(|ms| (d.hours)(&format_decimal(lang, ms as f64 / 3_600_000.0)))}</td>
                                    }.into_any(),
                                    Guarded::FewerThanFive => view! { <td colspan="4">{d.fewer_than_five}</td> }.into_any(),
                                };
                                view! {
                                    <tr>
                                        <th scope="row">
                                            {a.must_read.then(|| view! { <span class="badge">{t.must_read}</span>" " })}
                                            {a.title.clone()}
                                        </th>
                                        {cells}
                                        <td><a href=link>{d.not_acknowledged_list}</a></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <Csv metric=Metric::Announcements query=q()/>
        </section>
    }
    .into_any();
    let part5 = view! {
        <section class="dash-section" aria-labelledby="dash-departments">
            <h2 id="dash-departments">{d.departments}</h2>
            <GroupTable groups=f.departments.clone() name="departments"/>
            <Csv metric=Metric::Departments query=q()/>
            <h2 id="dash-channels">{d.channels}</h2>
            <GroupTable groups=f.channels.clone() name="channels"/>
            <p class="card-meta">{d.lagging_note}</p>
            <Csv metric=Metric::Channels query=q()/>
        </section>
    }
    .into_any();
    let part6 = view! {
        <section class="dash-section" aria-labelledby="dash-joiners">
            <h2 id="dash-joiners">{d.joiners}</h2>
            {match &f.joiners {
                Guarded::Shown(j) => view! {
                    <p data-metric="joiners">{(d.joiners_text)(&format_number(lang, j.contributed), &format_number(lang, j.joined), &format_decimal(lang, j.share))}</p>
                }.into_any(),
                Guarded::FewerThanFive => view! { <p data-metric="joiners">{d.fewer_than_five}</p> }.into_any(),
            }}
            <Csv metric=Metric::Joiners query=q()/>
            <h2 id="dash-onboarding">{d.onboarding}</h2>
            {match &f.onboarding {
                Guarded::Shown(o) => view! {
                    <p data-metric="onboarding">{(d.onboarding_text)(&format_number(lang, o.completed), &format_number(lang, o.on_journey), &format_decimal(lang, o.completion))}</p>
                    <p data-metric="first-post">{(d.first_post_days)(o.days_to_first_post)}</p>
                    <p data-metric="first-answer">{(d.first_answer_days)(o.days_to_first_answer)}</p>
                }.into_any(),
                Guarded::FewerThanFive => view! { <p data-metric="onboarding">{d.fewer_than_five}</p> }.into_any(),
            }}
            <h2 id="dash-leaders">{d.leaders}</h2>
            {match &f.leaders {
                Guarded::Shown(l) => view! {
                    <dl class="stats">
                        <Stat label=d.leader_count metric="leaders" trend=Trend { now: l.leaders as f64, before: l.leaders as f64 } unit=Unit::Count/>
                        <Stat label=d.leader_posts metric="leader_posts" trend=l.posts unit=Unit::Count/>
                        <Stat label=d.leader_engagement metric="leader_engagement" trend=l.engagement unit=Unit::Decimal/>
                    </dl>
                }.into_any(),
                Guarded::FewerThanFive => view! { <p data-metric="leaders">{d.fewer_than_five}</p> }.into_any(),
            }}
            <Csv metric=Metric::Leaders query=q()/>
        </section>
    }
    .into_any();
    let part7 = view! {
        <section class="dash-section" aria-labelledby="dash-hours">
            <h2 id="dash-hours">{d.busiest_hours}</h2>
            <p class="card-meta">{d.hours_note}</p>
            <HeatMap title=d.busiest_hours cells=f.heat_map.clone()/>
            <Csv metric=Metric::Hours query=q()/>
        </section>
    }
    .into_any();
    view! { {part0}{part1}{part2}{part3}{part4}{part5}{part6}{part7} }
}

fn kind_name(t: &'static Texts, kind: PostKind) -> &'static str {
    match kind {
        PostKind::Update => t.kind_update,
        PostKind::Announcement => t.kind_announcement,
        PostKind::Question => t.kind_question,
    }
}

#[component]
fn GroupTable(groups: Vec<GroupFigures>, name: &'static str) -> impl IntoView {
    let t = use_texts();
    let d = t.dash;
    let lang = use_prefs().lang;
    view! {
        <table class="dash-table" data-table=name>
            <thead><tr>
                <th scope="col">{d.name}</th><th scope="col">{d.headcount}</th><th scope="col">{d.active_share}</th>
                <th scope="col">{d.previous_period}</th><th scope="col">{d.posts_per_active}</th><th scope="col">{d.lagging}</th>
            </tr></thead>
            <tbody>
                {groups.into_iter().map(|g| {
                    let cells = match g.figures {
                        Guarded::Shown(n) => view! {
                            <td>{format_number(lang, n.people)}</td>
                            <td data-active=n.active.now.to_string()>{show(lang, n.active.now, Unit::Percent)}</td>
                            <td>{show(lang, n.active.before, Unit::Percent)}</td>
                            <td>{show(lang, n.posts_per_active.now, Unit::Decimal)}</td>
                            <td>{n.lagging.then(|| view! { <span class="badge badge-warn">{d.lagging}</span> })}</td>
                        }.into_any(),
                        Guarded::FewerThanFive => view! { <td colspan="5">{d.fewer_than_five}</td> }.into_any(),
                    };
                    view! { <tr data-group=g.id.to_string()><th scope="row">{g.name}</th>{cells}</tr> }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Suggestions(list: Vec<Suggestion>) -> impl IntoView {
    let t = use_texts();
    let d = t.dash;
    let lang = use_prefs().lang;
    let pct = move |x: f64| format_decimal(lang, x);
    if list.is_empty() {
        return view! { <p>{d.no_suggestions}</p> }.into_any();
    }
    view! {
        <ul class="suggestions">
            {list.into_iter().map(|s| {
                let (text, href, action) = match s {
                    Suggestion::LaggingDepartment { id, name, active, company } => (
                        (d.suggest_department)(&name, &pct(active), &pct(company)),
                        format!("/people?department={id}"),
                        d.see_people,
                    ),
                    Suggestion::LaggingChannel { slug, name, active, company } => (
                        (d.suggest_channel)(&name, &pct(active), &pct(company)),
                        format!("/channels/{slug}"),
                        d.open_channel,
                    ),
                    Suggestion::Renotify { count, post_id } => (
                        (d.suggest_renotify)(count),
                        format!("/posts/{post_id}"),
                        d.open_announcement,
                    ),
                    Suggestion::UnansweredQuestions { slug, days } => (
                        (d.suggest_questions)(&slug, &pct(days)),
                        format!("/channels/{slug}"),
                        d.open_channel,
                    ),
                    Suggestion::WelcomeJoiners { share } => (
                        (d.suggest_joiners)(&pct(share)),
                        "/people".to_owned(),
                        d.see_directory,
                    ),
                };
                view! { <li><span>{text}</span>" "<a href=href>{action}</a></li> }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
