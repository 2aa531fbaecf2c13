//! The adoption dashboard: which period and filters were asked for, the figures for it
//! and for the period of the same length before it, the privacy rule (no figure about
//! fewer than five people), which groups lag, and what to do about it.

use crate::calendar::{day_to_date, weekday, Calendar};
use crate::error::{AppError, Field, Invalid};
use crate::model::{
    AnnouncementFigures, ChannelRef, ContentFigures, Dashboard, DashboardFilter, DepartmentId,
    DepartmentRef, Figures, GroupFigures, GroupNumbers, Guarded, JoinerFigures, KindFigures,
    LeaderFigures, Metric, OnboardingFigures, Period, PersonId, PostKind, Reached, Suggestion,
    Trend,
};
use crate::policy::{allows, Action, Viewer};
use crate::store::{
    AnnouncementActivity, GroupActivity, Participation, PeopleActivity, QuestionActivity, Reader,
    Scope, Store,
};

/// No figure is shown about a group of fewer people than this.
pub const MIN_GROUP: i64 = 5;
/// A group lags when its active share is below this fraction of the company's…
pub const LAG_RATIO: f64 = 0.75;
/// …or fell by at least this many percentage points since the previous period.
pub const LAG_DROP_POINTS: f64 = 10.0;
/// The longest custom period, in days.
pub const MAX_DAYS: i64 = 366;
/// New joiners count as contributing when they posted or commented this many days
/// after joining (the joining day is day 0).
pub const JOINER_DAYS: i64 = 14;
const DAY_MS: i64 = 86_400_000;

/// Reads the dashboard for `filter` as `viewer` at `now`.
pub async fn dashboard(
    store: &Store,
    viewer: &Viewer,
    filter: &DashboardFilter,
    now: i64,
) -> Result<Dashboard, AppError> {
    if !allows(Some(viewer), Action::ReadDashboard) {
        return Err(AppError::Forbidden);
    }
    let calendar = store.calendar().await?;
    let (from_day, to_day) = period(filter, calendar.day(now))?;
    let departments: Vec<DepartmentRef> = store
        .departments()
        .await?
        .into_iter()
        .map(|d| DepartmentRef {
            id: d.id,
            name: d.name,
        })
        .collect();
    let scope_now = scope(&calendar, from_day, to_day, filter);
    let channels: Vec<ChannelRef> = store.dashboard_channels().await?;
    if filter
        .department
        .is_some_and(|d| !departments.iter().any(|x| x.id == d))
        || filter
            .channel
            .is_some_and(|c| !channels.iter().any(|x| x.id == c))
    {
        return Err(AppError::NotFound);
    }
    // The people the figures are about: with both filters, those of the department who
    // are in the channel (not the smaller of the two groups).
    let population = match filter.channel {
        Some(channel) => store.channel_headcount(channel, filter.department).await?,
        None => store.headcount(filter.department).await?,
    };
    let figures = if population < MIN_GROUP {
        Guarded::FewerThanFive
    } else {
        let days = to_day - from_day + 1;
        let scope_before = scope(&calendar, from_day - days, from_day - 1, filter);
        let reader = Reader::of(viewer);
        // The reads about everyone are kept for a minute and shared by every leader who
        // asks for the same period and filters, the announcements' reach included; which
        // announcements a leader may read depends on who asks, and is read for each.
        let key = (
            store.instance(),
            from_day,
            to_day,
            filter.department,
            filter.channel,
        );
        let (kept, readable) = tokio::try_join!(
            kept().get_or_make(key, now, || Shared::read(
                store,
                &scope_now,
                &scope_before,
                &calendar,
                now
            )),
            async { Ok(store.readable_announcements(&scope_now, reader).await?) },
        )?;
        // Read afresh, so an announcement kept from a minute ago that the leader may no
        // longer read (or that was deleted) is left out; one published since is missing
        // for that minute, as every other figure is.
        let announcements: Vec<&AnnouncementActivity> = kept
            .announcements
            .iter()
            .filter(|a| readable.contains(&a.post_id))
            .collect();
        if kept.now.people_behind < MIN_GROUP {
            Guarded::FewerThanFive
        } else {
            // A previous period with too few people behind it is not compared with:
            // its figures read as if nobody had done anything.
            let nobody = PeriodActivity::default();
            let before_numbers = if kept.before.people_behind < MIN_GROUP {
                &nobody
            } else {
                &kept.before
            };
            let current = Current {
                numbers: &kept.now,
                announcements,
                questions: &kept.questions,
                onboarding: &kept.onboarding,
            };
            Guarded::Shown(figures(&current, before_numbers, &scope_now))
        }
    };
    Ok(Dashboard {
        from: day_to_date(from_day),
        to: day_to_date(to_day),
        days: to_day - from_day + 1,
        filter: filter.clone(),
        departments,
        channels,
        figures,
    })
}

/// The period's first and last day: the last 7, 30 or 90 days up to today, or the
/// custom dates (in order, at most [`MAX_DAYS`], not after today).
fn period(filter: &DashboardFilter, today: i64) -> Result<(i64, i64), AppError> {
    let bad = || AppError::from(Invalid::Unacceptable(Field::Period));
    match filter.period {
        Period::Last(days) if Period::LASTS.contains(&days) => Ok((today - days + 1, today)),
        Period::Last(_) => Err(bad()),
        Period::Custom { from, to } => {
            if from > to || to > today || to - from + 1 > MAX_DAYS {
                return Err(bad());
            }
            Ok((from, to))
        }
    }
}

fn scope(calendar: &Calendar, from_day: i64, to_day: i64, filter: &DashboardFilter) -> Scope {
    Scope {
        from_day,
        to_day,
        from_ms: calendar.start_of_day(from_day),
        to_ms: calendar.start_of_day(to_day + 1),
        department: filter.department,
        channel: filter.channel,
    }
}

/// Everything read for one period.
#[derive(Default)]
struct PeriodActivity {
    /// How many different people the period's figures are about, the fewest of any of
    /// them: see [`people_behind`].
    people_behind: i64,
    people: PeopleActivity,
    company_people: i64,
    content: Vec<(i64, Option<PostKind>, String, i64)>,
    hours: Vec<(i64, i64, i64)>,
    departments: Vec<GroupActivity>,
    channels: Vec<GroupActivity>,
    funnel: (i64, i64, i64),
    joiners: Vec<(i64, Option<i64>)>,
    leaders: (i64, i64, i64),
}

/// The current period, and what is read for it alone (it has no trend).
struct Current<'a> {
    numbers: &'a PeriodActivity,
    announcements: Vec<&'a AnnouncementActivity>,
    questions: &'a [QuestionActivity],
    onboarding: &'a [crate::store::Joiner],
}

/// How long the reads about everyone are kept: figures a minute old are what a leader
/// expects of a dashboard, and ten leaders opening it at once then cost one read, not
/// ten (the hot-paths issue: p99 ≤ 100 ms at ten). A new day is a new period, so it is
/// read afresh.
pub const KEPT_MS: i64 = 60_000;

/// The reads of one (period, filters) that do not depend on who asks.
struct Shared {
    now: PeriodActivity,
    before: PeriodActivity,
    questions: Vec<QuestionActivity>,
    onboarding: Vec<crate::store::Joiner>,
    /// Every announcement of the period with its reach, whoever may read it.
    announcements: Vec<AnnouncementActivity>,
}

/// Which store, the period's first and last day, and the filters.
type SharedKey = (
    u64,
    i64,
    i64,
    Option<DepartmentId>,
    Option<crate::model::ChannelId>,
);

fn kept() -> &'static crate::domain::kept::Kept<SharedKey, Shared> {
    // A few periods × departments × channels a leader is looking at, at most.
    static KEPT: std::sync::LazyLock<crate::domain::kept::Kept<SharedKey, Shared>> =
        std::sync::LazyLock::new(|| crate::domain::kept::Kept::new(KEPT_MS, 256));
    &KEPT
}

impl Shared {
    async fn read(
        store: &Store,
        scope_now: &Scope,
        scope_before: &Scope,
        calendar: &Calendar,
        now: i64,
    ) -> Result<Shared, AppError> {
        // Two cores: the periods and the current one's questions are read side by side,
        // each on its own connection.
        let (numbers, before, questions, announcements) = tokio::try_join!(
            PeriodActivity::read(store, scope_now, calendar, true),
            PeriodActivity::read(store, scope_before, calendar, false),
            async { Ok(store.questions(scope_now, now).await?) },
            async { Ok(store.announcement_activity(scope_now).await?) },
        )?;
        let onboarding = store
            .joiners_onboarding(scope_now.from_ms, scope_now.to_ms, scope_now.department)
            .await?;
        Ok(Shared {
            now: numbers,
            before,
            questions,
            onboarding,
            announcements,
        })
    }
}

impl PeriodActivity {
    /// Reads a period; the heat map only for the `current` one (it has no trend).
    async fn read(
        store: &Store,
        s: &Scope,
        calendar: &Calendar,
        current: bool,
    ) -> Result<PeriodActivity, AppError> {
        let joiners = store
            .joiners(s)
            .await?
            .into_iter()
            .map(|(joined_at, first)| (calendar.day(joined_at), first))
            .collect();
        let people = store.people_activity(s).await?;
        let in_channels = store.people_in_channels(s).await?;
        Ok(PeriodActivity {
            people_behind: people_behind(&people, &in_channels),
            departments: store.department_activity(s, &people.by_department).await?,
            people,
            company_people: store.headcount(None).await?,
            content: store.content_activity(s).await?,
            hours: if current {
                store.hourly_activity(s).await?
            } else {
                Vec::new()
            },
            channels: store.channel_activity(s).await?,
            funnel: store.funnel(s).await?,
            joiners,
            leaders: store.leader_posts(s).await?,
        })
    }

    fn days(&self, s: &Scope) -> i64 {
        s.to_day - s.from_day + 1
    }

    /// Average people active per day.
    fn dau(&self, s: &Scope) -> f64 {
        let person_days: i64 = self.people.daily.iter().map(|(_, n)| n).sum();
        person_days as f64 / self.days(s) as f64
    }

    fn count(&self, action: &str, kind: Option<PostKind>) -> i64 {
        self.content
            .iter()
            .filter(|(_, k, a, _)| a == action && (kind.is_none() || *k == kind))
            .map(|(_, _, _, n)| n)
            .sum()
    }
}

/// The privacy rule counts the people behind a figure, not the size of the group it is
/// about: a department of ten where two people were active would otherwise show those
/// two's days and working hours. The people figures (active, daily, weekly, monthly,
/// participation) are about the people active in the department filter; the content
/// figures and the busiest hours, which leave visits out, are about those of them who
/// did something in a channel (in the channel filter, if any). The fewer of the two
/// counts for the whole period.
fn people_behind(people: &PeopleActivity, in_channels: &[PersonId]) -> i64 {
    let acting = in_channels
        .iter()
        .filter(|id| people.active_people.binary_search(*id).is_ok())
        .count();
    people
        .participation
        .active
        .min(i64::try_from(acting).unwrap_or(i64::MAX))
}

/// One decimal place: what the page, the CSV and the tests all see.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// `part` as a percentage of `whole` (0 when there is no whole).
pub fn percent(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round1(100.0 * part as f64 / whole as f64)
    }
}

fn ratio(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round1(part as f64 / whole as f64)
    }
}

fn trend(now: f64, before: f64) -> Trend {
    Trend { now, before }
}

fn count_trend(now: i64, before: i64) -> Trend {
    trend(now as f64, before as f64)
}

fn figures(current: &Current, before: &PeriodActivity, s: &Scope) -> Figures {
    let now = current.numbers;
    let before_scope = Scope {
        from_day: s.from_day - (s.to_day - s.from_day + 1),
        to_day: s.from_day - 1,
        ..*s
    };
    let shares = |p: &PeriodActivity| {
        let Participation {
            active,
            creators,
            contributors,
        } = p.people.participation;
        (
            percent(active - creators - contributors, active),
            percent(contributors, active),
            percent(creators, active),
        )
    };
    let (readers, contributors, creators) = shares(now);
    let (readers_b, contributors_b, creators_b) = shares(before);
    let stickiness = |p: &PeriodActivity, s: &Scope| {
        if p.people.month_active == 0 {
            0.0
        } else {
            round1(100.0 * p.dau(s) / p.people.month_active as f64)
        }
    };
    let company = percent(now.people.company_active, now.company_people);
    let departments = groups(&now.departments, &before.departments, company);
    let channels = groups(&now.channels, &before.channels, company);
    let joiners = joiner_figures(&now.joiners);
    let onboarding = onboarding_figures(current.onboarding);
    let announcements: Vec<AnnouncementFigures> = current
        .announcements
        .iter()
        .copied()
        .map(announcement_figures)
        .collect();
    let mut figures = Figures {
        invited: count_trend(now.funnel.0, before.funnel.0),
        joined: count_trend(now.funnel.1, before.funnel.1),
        joined_active: count_trend(now.funnel.2, before.funnel.2),
        dau: trend(round1(now.dau(s)), round1(before.dau(&before_scope))),
        wau: count_trend(now.people.week_active, before.people.week_active),
        mau: count_trend(now.people.month_active, before.people.month_active),
        stickiness: trend(stickiness(now, s), stickiness(before, &before_scope)),
        active: count_trend(
            now.people.participation.active,
            before.people.participation.active,
        ),
        readers: trend(readers, readers_b),
        contributors: trend(contributors, contributors_b),
        creators: trend(creators, creators_b),
        daily_active: (s.from_day..=s.to_day)
            .map(|day| {
                let n = now
                    .people
                    .daily
                    .iter()
                    .find(|(d, _)| *d == day)
                    .map_or(0, |(_, n)| *n);
                (day_to_date(day), n)
            })
            .collect(),
        content: content_figures(now, before, s),
        announcements,
        departments,
        channels,
        joiners,
        onboarding,
        leaders: leader_figures(now.leaders, before.leaders),
        heat_map: heat_map(&now.hours),
        suggestions: Vec::new(),
    };
    figures.suggestions = suggestions(&figures, company, current.questions);
    figures
}

fn content_figures(now: &PeriodActivity, before: &PeriodActivity, s: &Scope) -> ContentFigures {
    let kinds = [PostKind::Update, PostKind::Announcement, PostKind::Question]
        .into_iter()
        .map(|kind| {
            let engagement = |p: &PeriodActivity| {
                let impressions = p.count("seen", Some(kind));
                (impressions > 0).then(|| {
                    round1(
                        100.0
                            * (p.count("reaction", Some(kind)) + p.count("comment", Some(kind)))
                                as f64
                            / impressions as f64,
                    )
                })
            };
            KindFigures {
                kind,
                posts: now.count("post", Some(kind)),
                comments: now.count("comment", Some(kind)),
                reactions: now.count("reaction", Some(kind)),
                acknowledgements: now.count("ack", Some(kind)),
                impressions: now.count("seen", Some(kind)),
                engagement: engagement(now),
                engagement_before: engagement(before),
            }
        })
        .collect();
    let per_day = (s.from_day..=s.to_day)
        .map(|day| {
            let on = |action: &str| {
                now.content
                    .iter()
                    .filter(|(d, _, a, _)| *d == day && a == action)
                    .map(|(_, _, _, n)| n)
                    .sum()
            };
            (
                day_to_date(day),
                [on("post"), on("comment"), on("reaction"), on("ack")],
            )
        })
        .collect();
    let both = |action| count_trend(now.count(action, None), before.count(action, None));
    ContentFigures {
        posts: both("post"),
        comments: both("comment"),
        reactions: both("reaction"),
        acknowledgements: both("ack"),
        per_day,
        kinds,
    }
}

/// Each group's figures, or "fewer than five"; lagging when clearly below the
/// company's active share or dropping against the previous period.
fn groups(now: &[GroupActivity], before: &[GroupActivity], company: f64) -> Vec<GroupFigures> {
    now.iter()
        .map(|g| {
            let figures = if g.people < MIN_GROUP {
                Guarded::FewerThanFive
            } else {
                let earlier = before.iter().find(|b| b.id == g.id);
                let active = percent(g.active, g.people);
                let active_before = earlier.map_or(0.0, |b| percent(b.active, b.people));
                let dropped = earlier.is_some_and(|b| b.active > 0)
                    && active_before - active >= LAG_DROP_POINTS;
                Guarded::Shown(GroupNumbers {
                    people: g.people,
                    active: trend(active, active_before),
                    posts_per_active: trend(
                        ratio(g.posts, g.active),
                        earlier.map_or(0.0, |b| ratio(b.posts, b.active)),
                    ),
                    lagging: active < company * LAG_RATIO || dropped,
                })
            };
            GroupFigures {
                id: g.id,
                name: g.name.clone(),
                slug: g.slug.clone(),
                figures,
            }
        })
        .collect()
}

fn joiner_figures(joiners: &[(i64, Option<i64>)]) -> Guarded<JoinerFigures> {
    let joined = joiners.len() as i64;
    if joined < MIN_GROUP {
        return Guarded::FewerThanFive;
    }
    let contributed = joiners
        .iter()
        .filter(|(day, first)| first.is_some_and(|f| f >= *day && f - day < JOINER_DAYS))
        .count() as i64;
    Guarded::Shown(JoinerFigures {
        joined,
        contributed,
        share: percent(contributed, joined),
    })
}

/// Journey completion and days to the first post and answer, for the period's joiners;
/// nothing about fewer than five of them (the figures would name people).
fn onboarding_figures(joiners: &[crate::store::Joiner]) -> Guarded<OnboardingFigures> {
    if (joiners.len() as i64) < MIN_GROUP {
        return Guarded::FewerThanFive;
    }
    let on_journey = joiners.iter().filter(|j| j.total > 0).count() as i64;
    let completed = joiners
        .iter()
        .filter(|j| j.total > 0 && j.done >= j.total)
        .count() as i64;
    let median_days = |first: fn(&crate::store::Joiner) -> Option<i64>| {
        let days: Vec<i64> = joiners
            .iter()
            .filter_map(|j| first(j).map(|at| (at - j.joined_at).max(0) / DAY_MS))
            .collect();
        median(&days)
    };
    Guarded::Shown(OnboardingFigures {
        on_journey,
        completed,
        completion: percent(completed, on_journey),
        days_to_first_post: median_days(|j| j.first_post_at),
        days_to_first_answer: median_days(|j| j.first_answer_at),
    })
}

fn leader_figures(now: (i64, i64, i64), before: (i64, i64, i64)) -> Guarded<LeaderFigures> {
    if now.0 < MIN_GROUP {
        return Guarded::FewerThanFive;
    }
    Guarded::Shown(LeaderFigures {
        leaders: now.0,
        posts: count_trend(now.1, before.1),
        engagement: trend(ratio(now.2, now.1), ratio(before.2, before.1)),
    })
}

fn announcement_figures(a: &AnnouncementActivity) -> AnnouncementFigures {
    let title: String = a
        .body
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .trim_start_matches(['#', ' '])
        .chars()
        .take(80)
        .collect();
    let reach = if a.recipients < MIN_GROUP {
        Guarded::FewerThanFive
    } else {
        Guarded::Shown(Reached {
            recipients: a.recipients,
            seen: percent(a.seen, a.recipients),
            acknowledged: percent(a.acknowledged, a.recipients),
            // The median is about those who acknowledged, not all recipients.
            median_ack_ms: (a.acknowledged >= MIN_GROUP)
                .then(|| median(&a.middle_ack_delays))
                .flatten(),
        })
    };
    AnnouncementFigures {
        post_id: a.post_id,
        title,
        published_at: a.created_at,
        must_read: a.must_read,
        reach,
    }
}

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(values: &[i64]) -> Option<i64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2),
    }
}

fn heat_map(hours: &[(i64, i64, i64)]) -> Vec<Vec<i64>> {
    let mut cells = vec![vec![0; 24]; 7];
    for (day, hour, n) in hours {
        if let Some(cell) = cells[weekday(*day) as usize].get_mut(*hour as usize) {
            *cell += n;
        }
    }
    cells
}

/// How long a question may wait for an answer, on average, before it is worth saying.
const SLOW_ANSWER_DAYS: f64 = 1.0;
/// Must-read announcements under this acknowledged share are worth a reminder.
const RENOTIFY_BELOW: f64 = 50.0;

/// What the figures suggest doing, most pressing first.
fn suggestions(f: &Figures, company: f64, questions: &[QuestionActivity]) -> Vec<Suggestion> {
    let mut list = Vec::new();
    for g in &f.departments {
        if let Guarded::Shown(n) = &g.figures {
            if n.lagging {
                list.push(Suggestion::LaggingDepartment {
                    id: DepartmentId(g.id),
                    name: g.name.clone(),
                    active: n.active.now,
                    company,
                });
            }
        }
    }
    let behind: Vec<_> = f
        .announcements
        .iter()
        .filter(|a| {
            a.must_read && matches!(&a.reach, Guarded::Shown(r) if r.acknowledged < RENOTIFY_BELOW)
        })
        .collect();
    if let Some(first) = behind.first() {
        list.push(Suggestion::Renotify {
            count: behind.len() as i64,
            post_id: first.post_id,
        });
    }
    let mut waits: Vec<(String, f64)> = Vec::new();
    for q in questions {
        let days = round1(q.waited_ms as f64 / q.asked as f64 / DAY_MS as f64);
        if days >= SLOW_ANSWER_DAYS {
            waits.push((q.channel_slug.clone(), days));
        }
    }
    waits.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (slug, days) in waits.into_iter().take(2) {
        list.push(Suggestion::UnansweredQuestions { slug, days });
    }
    for g in &f.channels {
        if let Guarded::Shown(n) = &g.figures {
            if n.lagging {
                list.push(Suggestion::LaggingChannel {
                    slug: g.slug.clone(),
                    name: g.name.clone(),
                    active: n.active.now,
                    company,
                });
            }
        }
    }
    if let Guarded::Shown(j) = &f.joiners {
        if j.share < 50.0 {
            list.push(Suggestion::WelcomeJoiners { share: j.share });
        }
    }
    list
}

/// Said instead of a figure about fewer than five people.
const FEWER_THAN_FIVE: &str = "fewer than 5 people";

/// One metric of `dashboard` as CSV (plain numbers, a dot for decimals). The numbers
/// are exactly those on the page.
pub fn csv(metric: Metric, dashboard: &Dashboard) -> String {
    let Guarded::Shown(f) = &dashboard.figures else {
        return format!("note\n{FEWER_THAN_FIVE}\n");
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    let trends = |rows: &mut Vec<Vec<String>>, list: &[(&str, Trend)]| {
        rows.push(vec!["metric".into(), "now".into(), "before".into()]);
        for (name, t) in list {
            rows.push(vec![(*name).into(), num(t.now), num(t.before)]);
        }
    };
    match metric {
        Metric::People => trends(
            &mut rows,
            &[
                ("invited", f.invited),
                ("joined", f.joined),
                ("joined_and_active", f.joined_active),
                ("daily_active", f.dau),
                ("weekly_active", f.wau),
                ("monthly_active", f.mau),
                ("stickiness_pct", f.stickiness),
                ("active_people", f.active),
            ],
        ),
        Metric::Participation => trends(
            &mut rows,
            &[
                ("readers_pct", f.readers),
                ("contributors_pct", f.contributors),
                ("creators_pct", f.creators),
            ],
        ),
        Metric::DailyActive => {
            rows.push(vec!["date".into(), "active_people".into()]);
            for (date, n) in &f.daily_active {
                rows.push(vec![date.clone(), n.to_string()]);
            }
        }
        Metric::Content => {
            rows.push(
                ["date", "posts", "comments", "reactions", "acknowledgements"]
                    .map(String::from)
                    .to_vec(),
            );
            for (date, n) in &f.content.per_day {
                let mut row = vec![date.clone()];
                row.extend(n.iter().map(i64::to_string));
                rows.push(row);
            }
        }
        Metric::Kinds => {
            rows.push(
                [
                    "kind",
                    "posts",
                    "comments",
                    "reactions",
                    "acknowledgements",
                    "impressions",
                    "engagement_per_100",
                    "engagement_per_100_before",
                ]
                .map(String::from)
                .to_vec(),
            );
            for k in &f.content.kinds {
                rows.push(vec![
                    k.kind.as_str().into(),
                    k.posts.to_string(),
                    k.comments.to_string(),
                    k.reactions.to_string(),
                    k.acknowledgements.to_string(),
                    k.impressions.to_string(),
                    k.engagement.map(num).unwrap_or_default(),
                    k.engagement_before.map(num).unwrap_or_default(),
                ]);
            }
        }
        Metric::Announcements => {
            rows.push(
                [
                    "post",
                    "title",
                    "must_read",
                    "recipients",
                    "seen_pct",
                    "acknowledged_pct",
                    "median_hours_to_acknowledge",
                ]
                .map(String::from)
                .to_vec(),
            );
            for a in &f.announcements {
                let mut row = vec![
                    a.post_id.to_string(),
                    a.title.clone(),
                    a.must_read.to_string(),
                ];
                match &a.reach {
                    Guarded::Shown(r) => row.extend([
                        r.recipients.to_string(),
                        num(r.seen),
                        num(r.acknowledged),
                        r.median_ack_ms
                            .map(|ms| num(round1(ms as f64 / 3_600_000.0)))
                            .unwrap_or_default(),
                    ]),
                    Guarded::FewerThanFive => row.push(FEWER_THAN_FIVE.into()),
                }
                rows.push(row);
            }
        }
        Metric::Departments | Metric::Channels => {
            rows.push(
                [
                    "name",
                    "people",
                    "active_pct",
                    "active_pct_before",
                    "posts_per_active_person",
                    "posts_per_active_person_before",
                    "lagging",
                ]
                .map(String::from)
                .to_vec(),
            );
            let list = if metric == Metric::Departments {
                &f.departments
            } else {
                &f.channels
            };
            for g in list {
                let mut row = vec![g.name.clone()];
                match &g.figures {
                    Guarded::Shown(n) => row.extend([
                        n.people.to_string(),
                        num(n.active.now),
                        num(n.active.before),
                        num(n.posts_per_active.now),
                        num(n.posts_per_active.before),
                        n.lagging.to_string(),
                    ]),
                    Guarded::FewerThanFive => row.push(FEWER_THAN_FIVE.into()),
                }
                rows.push(row);
            }
        }
        Metric::Joiners => {
            rows.push(vec!["metric".into(), "value".into()]);
            match &f.joiners {
                Guarded::Shown(j) => {
                    rows.push(vec!["joined".into(), j.joined.to_string()]);
                    rows.push(vec![
                        "contributed_within_14_days".into(),
                        j.contributed.to_string(),
                    ]);
                    rows.push(vec!["share_pct".into(), num(j.share)]);
                }
                Guarded::FewerThanFive => rows.push(vec!["joined".into(), FEWER_THAN_FIVE.into()]),
            }
        }
        Metric::Leaders => match &f.leaders {
            Guarded::Shown(l) => trends(
                &mut rows,
                &[
                    ("leaders", trend(l.leaders as f64, l.leaders as f64)),
                    ("posts", l.posts),
                    ("reactions_and_comments_per_post", l.engagement),
                ],
            ),
            Guarded::FewerThanFive => {
                rows.push(vec!["leaders".into()]);
                rows.push(vec![FEWER_THAN_FIVE.into()]);
            }
        },
        Metric::Hours => {
            let mut header = vec!["weekday".to_owned()];
            header.extend((0..24).map(|h| format!("{h:02}:00")));
            rows.push(header);
            for (day, hours) in WEEKDAYS.iter().zip(&f.heat_map) {
                let mut row = vec![(*day).to_owned()];
                row.extend(hours.iter().map(i64::to_string));
                rows.push(row);
            }
        }
    }
    rows.iter()
        .map(|r| r.iter().map(|v| field(v)).collect::<Vec<_>>().join(","))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A number as the CSV writes it: no trailing `.0` on whole numbers.
fn num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x:.1}")
    }
}

/// What a spreadsheet may read as the start of a formula (OWASP's list: a tab or
/// carriage return can hide the `=` that follows from a first glance, and some
/// spreadsheets skip them).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One CSV field, quoted when it holds a comma, quote or line break; a leading `=`,
/// `+`, `-`, `@`, tab or carriage return is defused with a `'` so a spreadsheet does
/// not run it as a formula (plain numbers such as `-2.5` stay numbers).
fn field(value: &str) -> String {
    let value = if value.starts_with(FORMULA_STARTS) && value.parse::<f64>().is_err() {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_take_the_middle() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[4, 1, 2]), Some(2));
        assert_eq!(median(&[4, 1, 2, 3]), Some(2));
    }

    #[test]
    fn onboarding_figures_count_finished_journeys_and_median_days() {
        let joiner = |total, done, post: Option<i64>| crate::store::Joiner {
            joined_at: 10 * DAY_MS,
            total,
            done,
            first_post_at: post.map(|d| (10 + d) * DAY_MS),
            first_answer_at: None,
        };
        let four = [
            joiner(3, 3, Some(1)),
            joiner(3, 1, Some(3)),
            joiner(0, 0, None),
            joiner(2, 2, Some(9)),
        ];
        assert_eq!(onboarding_figures(&four), Guarded::FewerThanFive);
        let five = [four.as_slice(), &[joiner(2, 0, None)]].concat();
        assert_eq!(
            onboarding_figures(&five),
            Guarded::Shown(OnboardingFigures {
                on_journey: 4,
                completed: 2,
                completion: 50.0,
                days_to_first_post: Some(3),
                days_to_first_answer: None,
            })
        );
    }

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(field("Sales, North"), "\"Sales, North\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(field("-2.5"), "-2.5");
        // OWASP's list: a leading tab or carriage return is defused too.
        assert_eq!(field("\t=1+2"), "'\t=1+2");
        assert_eq!(field("\r=1+2"), "\"'\r=1+2\"");
        assert_eq!(field("+1"), "+1");
        assert_eq!(field("@cmd"), "'@cmd");
        assert_eq!(field("\t"), "'\t");
        assert_eq!(num(3.0), "3");
        assert_eq!(num(37.5), "37.5");
    }

    #[test]
    fn periods_end_today() {
        let f = |range: &str| DashboardFilter {
            period: Period::parse(range, "", "").unwrap(),
            ..Default::default()
        };
        assert_eq!(period(&f("7"), 100).unwrap(), (94, 100));
        assert_eq!(period(&f(""), 100).unwrap(), (71, 100));
        assert!(Period::parse("8", "", "").is_err());
        let made_up = DashboardFilter {
            period: Period::Last(8),
            ..Default::default()
        };
        assert!(period(&made_up, 100).is_err());
    }
}
