//! The adoption dashboard on both backends: a small company with a known fortnight of
//! history, written through the same functions people use (posting, commenting,
//! reacting, announcing, acknowledging, seeing) plus the bulk roll-up writer for the
//! days before, and every figure checked against values worked out by hand below.

use app::calendar::{date_to_day, Calendar};
use app::domain::announcements::{self, AnnouncementInput};
use app::domain::dashboard::{dashboard, KEPT_MS};
use app::error::{AppError, Field, Invalid};
use app::model::{
    Audience, ChannelId, ChannelKind, DashboardFilter, DepartmentId, Figures, GroupNumbers,
    Guarded, Metric, Period, PostId, PostKind, Role, Suggestion, Trend, REACTIONS,
};
use app::policy::Viewer;
use app::store::{Activity, ActivityAction};
use app::store::{NewChannel, NewInvitation, NewUser, Scope, Store};
use app::testing::{comment_on, post_in, TestDb};

app::storage_stories!(
    every_figure_matches_the_hand_worked_history,
    small_groups_are_never_broken_down,
    only_staff_and_leaders_read_it_and_periods_are_checked,
    channel_people_are_counted_by_period_across_day_blocks,
    announcements_are_followed_up_only_by_those_who_may_read_them,
    figures_need_five_people_behind_them,
    leaders_share_figures_a_minute_old_and_a_new_minute_reads_afresh,
);

const ZONE: &str = "Asia/Ho_Chi_Minh";
const HOUR: i64 = 3_600_000;

/// The company and its history. `d` is today; every action happens at local noon of
/// its day unless said otherwise. People (14 active accounts):
/// - owner (no department, not a leader);
/// - Sales s1…s6, IT i1…i5, Tiny t1, t2; leaders: s1, s2, s3, i1, i2;
/// - joined in the period (day d-6): s2, s3, s4, t1, t2; everyone else on d-60.
///
/// This week (d-6…d):
/// - d-6 i2 signs in (a visit only);
/// - d-5 the owner announces a must-read to everyone (13 recipients); s1, s2, s3
///   acknowledge 1, 2 and 4 hours later;
/// - d-4 the owner asks a question in #it-help; nobody answers;
/// - d-3 s1 posts an update in #general; i1 sees the announcement;
/// - d-2 s3 reacts to s1's update; d-1 s2 comments on it;
/// - d   s4 sees s1's update; t1 posts an update in #general.
///
/// Last week (d-13…d-7), written in one bulk call: s5 posts (d-10), s6 visits (d-8),
/// i1 reacts (d-9), i2 and i3 see posts in #general (d-9), i4 too (d-8): five people
/// did something in a channel, enough to compare with.
///
/// Invitations: A (d-6, open, used by s4 and t1), B (d-2, single use, unused).
struct Company {
    owner: Viewer,
    s: Vec<Viewer>,
    i: Vec<Viewer>,
    sales: DepartmentId,
    it: DepartmentId,
    tiny: DepartmentId,
    general: ChannelId,
    it_help: ChannelId,
    announcement: PostId,
    d: i64,
    now: i64,
}

fn noon(calendar: &Calendar, day: i64) -> i64 {
    calendar.start_of_day(day) + 12 * HOUR
}

async fn person(
    store: &Store,
    email: &str,
    role: Role,
    department: Option<DepartmentId>,
    created_at: i64,
    leader: bool,
) -> Viewer {
    let mut tx = store.begin().await.unwrap();
    let id = tx
        .create_user(&NewUser {
            email,
            display_name: email,
            job_title: "",
            department_id: department,
            manager_id: None,
            role,
            location: "",
            start_date: None,
            created_at,
        })
        .await
        .unwrap();
    tx.join_default_channels(id, created_at).await.unwrap();
    tx.set_leader(id, leader).await.unwrap();
    tx.commit().await.unwrap();
    Viewer {
        user_id: id,
        name: email.into(),
        role,
        leader,
    }
}

async fn company(store: &Store) -> Company {
    let calendar = Calendar::of(ZONE);
    let d = date_to_day("2026-11-27").unwrap();
    let at = |day: i64| noon(&calendar, day);
    let mut tx = store.begin().await.unwrap();
    tx.create_company("Sao Mai", ZONE).await.unwrap();
    let sales = tx.create_department("Sales").await.unwrap();
    let it = tx.create_department("IT").await.unwrap();
    let tiny = tx.create_department("Tiny").await.unwrap();
    let channel = |slug, name, kind, is_default| NewChannel {
        slug,
        name,
        description: "",
        guidelines: "",
        kind,
        is_default,
        created_by: None,
        created_at: at(d - 90),
    };
    let general = tx
        .create_channel(&channel("general", "General", ChannelKind::Public, true))
        .await
        .unwrap();
    let it_help = tx
        .create_channel(&channel("it-help", "IT help", ChannelKind::Public, false))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let old = at(d - 60);
    let joined = at(d - 6);
    let owner = person(store, "owner@x.vn", Role::Owner, None, old, false).await;
    let mut s = Vec::new();
    for n in 1..=6 {
        let created = if (2..=4).contains(&n) { joined } else { old };
        let email = format!("s{n}@x.vn");
        s.push(person(store, &email, Role::Member, Some(sales), created, n <= 3).await);
    }
    let mut i = Vec::new();
    for n in 1..=5 {
        let email = format!("i{n}@x.vn");
        i.push(person(store, &email, Role::Member, Some(it), old, n <= 2).await);
    }
    let t1 = person(store, "t1@x.vn", Role::Member, Some(tiny), joined, false).await;
    person(store, "t2@x.vn", Role::Member, Some(tiny), joined, false).await;
    let mut tx = store.begin().await.unwrap();
    for who in std::iter::once(&owner).chain(&i) {
        tx.add_member(it_help, who.user_id, false).await.unwrap();
    }
    let invitation = |hash, max_uses, created_at| NewInvitation {
        token_hash: hash,
        role: Role::Member,
        department_id: None,
        channel_id: None,
        max_uses,
        expires_at: at(d + 30),
        created_by: owner.user_id,
        created_at,
        email: None,
        locale: None,
    };
    let a = tx
        .create_invitation(&invitation("a", None, at(d - 6) - 4 * HOUR))
        .await
        .unwrap();
    tx.create_invitation(&invitation("b", Some(1), at(d - 2)))
        .await
        .unwrap();
    for who in [&s[3], &t1] {
        assert!(tx.use_invitation(a, at(d - 6)).await.unwrap());
        tx.set_invitation_of(who.user_id, a).await.unwrap();
    }
    tx.commit().await.unwrap();

    // This week, through the product's own functions.
    let visit = Activity {
        user_id: i[1].user_id,
        at: at(d - 6),
        action: ActivityAction::Visited,
        post: None,
    };
    let mut tx = store.begin().await.unwrap();
    tx.record_activity(&calendar, &[visit]).await.unwrap();
    tx.commit().await.unwrap();
    let announcement = announcements::announce(
        store,
        &owner,
        &AnnouncementInput {
            audience: Audience::Everyone,
            body: "# New leave policy\nPlease read it.",
            must_read: true,
            expires_on: "",
        },
        at(d - 5),
    )
    .await
    .unwrap()
    .id;
    for (who, hours) in [(&s[0], 1), (&s[1], 2), (&s[2], 4)] {
        announcements::acknowledge(store, who, announcement, at(d - 5) + hours * HOUR)
            .await
            .unwrap();
    }
    post_in(
        store,
        &owner,
        "it-help",
        "question",
        "Who resets VPN tokens?",
        at(d - 4),
    )
    .await
    .unwrap();
    let update = post_in(store, &s[0], "general", "update", "Q4 numbers", at(d - 3))
        .await
        .unwrap();
    app::domain::announcements::saw_posts(store, &i[0], &[announcement], at(d - 3))
        .await
        .unwrap();
    app::domain::posts::toggle_reaction(store, &s[2], update, REACTIONS[0], at(d - 2))
        .await
        .unwrap();
    comment_on(store, &s[1], update, None, "Great!", at(d - 1))
        .await
        .unwrap();
    app::domain::announcements::saw_posts(store, &s[3], &[update], at(d))
        .await
        .unwrap();
    post_in(store, &t1, "general", "update", "Hello from Tiny", at(d))
        .await
        .unwrap();

    // Last week, in one bulk call.
    let on = |who: &Viewer, day, action| Activity {
        user_id: who.user_id,
        at: at(day),
        action,
        post: (action != ActivityAction::Visited).then_some((general, PostKind::Update)),
    };
    let before = [
        on(&s[4], d - 10, ActivityAction::Posted),
        on(&s[5], d - 8, ActivityAction::Visited),
        on(&i[0], d - 9, ActivityAction::Reacted),
        on(&i[1], d - 9, ActivityAction::Saw),
        on(&i[2], d - 9, ActivityAction::Saw),
        on(&i[3], d - 8, ActivityAction::Saw),
    ];
    let mut tx = store.begin().await.unwrap();
    tx.record_activity(&calendar, &before).await.unwrap();
    tx.commit().await.unwrap();
    Company {
        owner,
        s,
        i,
        sales,
        it,
        tiny,
        general,
        it_help,
        announcement,
        d,
        now: at(d),
    }
}

fn week() -> DashboardFilter {
    DashboardFilter {
        period: Period::Last(7),
        ..Default::default()
    }
}

fn shown<T: std::fmt::Debug>(g: &Guarded<T>) -> &T {
    match g {
        Guarded::Shown(value) => value,
        Guarded::FewerThanFive => panic!("expected figures, got 'fewer than five'"),
    }
}

fn t(now: f64, before: f64) -> Trend {
    Trend { now, before }
}

async fn figures(db: &TestDb, c: &Company, filter: &DashboardFilter) -> Figures {
    figures_at(db, c, filter, c.now).await
}

/// The figures at `now`: a reading is kept for a minute ([`KEPT_MS`]), so a story that
/// changes something and reads again reads a minute later, as a leader would see it.
async fn figures_at(db: &TestDb, c: &Company, filter: &DashboardFilter, now: i64) -> Figures {
    let board = dashboard(&db.store, &c.owner, filter, now).await.unwrap();
    match board.figures {
        Guarded::Shown(f) => f,
        Guarded::FewerThanFive => panic!("the company has 14 people"),
    }
}

async fn every_figure_matches_the_hand_worked_history(db: &TestDb) {
    let c = company(&db.store).await;
    let board = dashboard(&db.store, &c.owner, &week(), c.now)
        .await
        .unwrap();
    assert_eq!(
        (board.from.as_str(), board.to.as_str(), board.days),
        ("2026-11-21", "2026-11-27", 7)
    );
    let f = figures(db, &c, &week()).await;

    // Funnel: A offers its 2 uses, B its 1 seat; s4 and t1 joined through A, both active.
    assert_eq!(
        (f.invited, f.joined, f.joined_active),
        (t(3.0, 0.0), t(2.0, 0.0), t(2.0, 0.0))
    );
    // Active this week: owner, s1, s2, s3, s4, i1, i2, t1 (8); last week s5, s6, i1–i4 (6).
    assert_eq!(f.active, t(8.0, 6.0));
    // Person-days 1+4+1+2+1+1+2 = 12 over 7 days; last week 1+3+2 = 6.
    assert_eq!(f.dau, t(1.7, 0.9));
    assert_eq!(f.wau, t(8.0, 6.0));
    // The 30 days to today hold both weeks: 8 + s5, s6, i3, i4.
    assert_eq!(f.mau, t(12.0, 6.0));
    // (12/7)/12 and (6/7)/6.
    assert_eq!(f.stickiness, t(14.3, 14.3));
    // Creators owner, s1, t1; contributors s2, s3; readers s4, i1, i2. Last week: s5;
    // i1; s6, i2, i3, i4.
    assert_eq!(f.creators, t(37.5, 16.7));
    assert_eq!(f.contributors, t(25.0, 16.7));
    assert_eq!(f.readers, t(37.5, 66.7));
    let daily: Vec<i64> = f.daily_active.iter().map(|(_, n)| *n).collect();
    assert_eq!(daily, [1, 4, 1, 2, 1, 1, 2]);
    assert_eq!(f.daily_active[0].0, "2026-11-21");

    // Content: posts (announcement, question, two updates), 1 comment, 1 reaction,
    // 3 acknowledgements; last week 1 post and 1 reaction.
    let content = &f.content;
    assert_eq!(content.posts, t(4.0, 1.0));
    assert_eq!(content.comments, t(1.0, 0.0));
    assert_eq!(content.reactions, t(1.0, 1.0));
    assert_eq!(content.acknowledgements, t(3.0, 0.0));
    let per_day: Vec<[i64; 4]> = content.per_day.iter().map(|(_, n)| *n).collect();
    assert_eq!(
        per_day,
        [
            [0, 0, 0, 0],
            [1, 0, 0, 3],
            [1, 0, 0, 0],
            [1, 0, 0, 0],
            [0, 0, 1, 0],
            [0, 1, 0, 0],
            [1, 0, 0, 0]
        ]
    );
    let kind = |k| content.kinds.iter().find(|x| x.kind == k).unwrap();
    let update = kind(PostKind::Update);
    assert_eq!(
        (
            update.posts,
            update.comments,
            update.reactions,
            update.impressions
        ),
        (2, 1, 1, 1)
    );
    // (1 reaction + 1 comment) per 1 impression; last week 1 reaction per 3.
    assert_eq!(
        (update.engagement, update.engagement_before),
        (Some(200.0), Some(33.3))
    );
    let announced = kind(PostKind::Announcement);
    assert_eq!(
        (
            announced.posts,
            announced.acknowledgements,
            announced.impressions
        ),
        (1, 3, 1)
    );
    assert_eq!(announced.engagement, Some(0.0));
    assert_eq!(
        (
            kind(PostKind::Question).posts,
            kind(PostKind::Question).engagement
        ),
        (1, None)
    );

    // The announcement: 13 recipients; seen by s1–s3 (acknowledging) and i1. Three
    // acknowledgements are too few for their median to be shown; it is read as the
    // middle of 1, 2 and 4 hours.
    assert_eq!(f.announcements.len(), 1);
    let a = &f.announcements[0];
    assert_eq!(
        (a.post_id, a.title.as_str(), a.must_read),
        (c.announcement, "New leave policy", true)
    );
    let reach = shown(&a.reach);
    assert_eq!(
        (reach.recipients, reach.seen, reach.acknowledged),
        (13, 30.8, 23.1)
    );
    assert_eq!(reach.median_ack_ms, None);
    let read = db
        .store
        .announcement_activity(&week_scope(&c, None, None))
        .await
        .unwrap();
    assert_eq!(read[0].middle_ack_delays, [2 * HOUR]);

    // Departments, by name. Company: 8 of 14 active = 57.1 %; lagging below 42.8 %.
    let group = |list: &[app::model::GroupFigures], id| {
        list.iter().find(|g| g.id == id).unwrap().figures.clone()
    };
    let names: Vec<&str> = f.departments.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["IT", "Sales", "Tiny"]);
    // IT: i1, i2 of 5 (last week 4 of 5), no posts: below the company and dropping.
    assert_eq!(
        group(&f.departments, c.it.0),
        Guarded::Shown(GroupNumbers {
            people: 5,
            active: t(40.0, 80.0),
            posts_per_active: t(0.0, 0.0),
            lagging: true,
        })
    );
    // Sales: s1–s4 of 6, 1 post (last week s5, s6 and s5's post).
    assert_eq!(
        group(&f.departments, c.sales.0),
        Guarded::Shown(GroupNumbers {
            people: 6,
            active: t(66.7, 33.3),
            posts_per_active: t(0.3, 0.5),
            lagging: false,
        })
    );
    assert_eq!(group(&f.departments, c.tiny.0), Guarded::FewerThanFive);
    // Channels: #general (14 members): owner, s1–s4, i1, t1 did something there, 3 posts;
    // last week s5 and i1–i4, 1 post. #it-help (6 members): the owner's question.
    assert_eq!(
        group(&f.channels, c.general.0),
        Guarded::Shown(GroupNumbers {
            people: 14,
            active: t(50.0, 35.7),
            posts_per_active: t(0.4, 0.2),
            lagging: false,
        })
    );
    assert_eq!(
        group(&f.channels, c.it_help.0),
        Guarded::Shown(GroupNumbers {
            people: 6,
            active: t(16.7, 0.0),
            posts_per_active: t(1.0, 0.0),
            lagging: true,
        })
    );

    // New joiners s2, s3, s4, t1, t2: s2 commented and t1 posted within 14 days.
    let joiners = shown(&f.joiners);
    assert_eq!(
        (joiners.joined, joiners.contributed, joiners.share),
        (5, 2, 40.0)
    );
    // Leaders s1, s2, s3, i1, i2: s1's one post, with 1 reaction and 1 comment.
    let leaders = shown(&f.leaders);
    assert_eq!(
        (leaders.leaders, leaders.posts, leaders.engagement),
        (5, t(1.0, 0.0), t(2.0, 0.0))
    );

    // Busiest hours: one week covers each weekday once.
    let calendar = Calendar::of(ZONE);
    let cell = |day: i64, hour: usize| f.heat_map[app::calendar::weekday(day) as usize][hour];
    let d = c.d;
    assert_eq!(
        [
            cell(d - 5, 12),
            cell(d - 5, 13),
            cell(d - 5, 14),
            cell(d - 5, 16),
            cell(d - 4, 12)
        ],
        [1, 1, 1, 1, 1]
    );
    assert_eq!(
        [
            cell(d - 3, 12),
            cell(d - 2, 12),
            cell(d - 1, 12),
            cell(d, 12)
        ],
        [2, 1, 1, 2]
    );
    assert_eq!(f.heat_map.iter().flatten().sum::<i64>(), 11);
    assert_eq!(calendar.day(c.now), d);

    assert_eq!(
        f.suggestions,
        [
            Suggestion::LaggingDepartment {
                id: c.it,
                name: "IT".into(),
                active: 40.0,
                company: 57.1
            },
            Suggestion::Renotify {
                count: 1,
                post_id: c.announcement
            },
            Suggestion::UnansweredQuestions {
                slug: "it-help".into(),
                days: 4.0
            },
            Suggestion::LaggingChannel {
                slug: "it-help".into(),
                name: "IT help".into(),
                active: 16.7,
                company: 57.1
            },
            Suggestion::WelcomeJoiners { share: 40.0 },
        ]
    );

    // Filtered to IT: only i1 (saw the announcement) and i2 (visited) were active, too
    // few to show anything about; what the filter reads is checked in the store.
    let it = DashboardFilter {
        department: Some(c.it),
        ..week()
    };
    let board = dashboard(&db.store, &c.owner, &it, c.now).await.unwrap();
    assert_eq!(board.figures, Guarded::FewerThanFive);
    let people = db
        .store
        .people_activity(&week_scope(&c, Some(c.it), None))
        .await
        .unwrap();
    assert_eq!(people.participation.active, 2);
    // IT's 5 recipients: i1 saw it, nobody acknowledged.
    let read = db
        .store
        .announcement_activity(&week_scope(&c, Some(c.it), None))
        .await
        .unwrap();
    assert_eq!(
        (read[0].recipients, read[0].seen, read[0].acknowledged),
        (5, 1, 0)
    );
    // Filtered to #it-help: only the owner acted there (its one question).
    let help = DashboardFilter {
        channel: Some(c.it_help),
        ..week()
    };
    let board = dashboard(&db.store, &c.owner, &help, c.now).await.unwrap();
    assert_eq!(board.figures, Guarded::FewerThanFive);
    let content = db
        .store
        .content_activity(&week_scope(&c, None, Some(c.it_help)))
        .await
        .unwrap();
    let posts: Vec<_> = content.iter().filter(|r| r.2 == "post").collect();
    assert_eq!(
        posts,
        [&(c.d - 4, Some(PostKind::Question), "post".into(), 1)]
    );
}

/// The week to `c.d` as the store reads it.
fn week_scope(c: &Company, department: Option<DepartmentId>, channel: Option<ChannelId>) -> Scope {
    let calendar = Calendar::of(ZONE);
    Scope {
        from_day: c.d - 6,
        to_day: c.d,
        from_ms: calendar.start_of_day(c.d - 6),
        to_ms: calendar.start_of_day(c.d + 1),
        department,
        channel,
    }
}

async fn small_groups_are_never_broken_down(db: &TestDb) {
    let c = company(&db.store).await;
    // Tiny has two people: nothing about it is shown, not even its people's activity.
    let tiny = DashboardFilter {
        department: Some(c.tiny),
        ..week()
    };
    let board = dashboard(&db.store, &c.owner, &tiny, c.now).await.unwrap();
    assert_eq!(board.figures, Guarded::FewerThanFive);
    // A channel of four people is the same.
    let mut tx = db.store.begin().await.unwrap();
    let small = tx
        .create_channel(&NewChannel {
            slug: "four",
            name: "Four",
            description: "",
            guidelines: "",
            kind: ChannelKind::Public,
            is_default: false,
            created_by: None,
            created_at: c.now,
        })
        .await
        .unwrap();
    for who in &c.i[..4] {
        tx.add_member(small, who.user_id, false).await.unwrap();
    }
    tx.commit().await.unwrap();
    let four = DashboardFilter {
        channel: Some(small),
        ..week()
    };
    let board = dashboard(&db.store, &c.owner, &four, c.now).await.unwrap();
    assert_eq!(board.figures, Guarded::FewerThanFive);
    let f = figures(db, &c, &week()).await;
    let row = f.channels.iter().find(|g| g.id == small.0).unwrap();
    assert_eq!(row.figures, Guarded::FewerThanFive);
    // Both filters at once are about the people in both: Sales (five or more) and a
    // channel of six, three of them from Sales, is three people — too few.
    assert!(c.s.len() >= 5 && c.i.len() >= 3);
    let mut tx = db.store.begin().await.unwrap();
    let mixed = tx
        .create_channel(&NewChannel {
            slug: "mixed",
            name: "Mixed",
            description: "",
            guidelines: "",
            kind: ChannelKind::Public,
            is_default: false,
            created_by: None,
            created_at: c.now,
        })
        .await
        .unwrap();
    for who in c.s[..3].iter().chain(&c.i[..3]) {
        tx.add_member(mixed, who.user_id, false).await.unwrap();
    }
    tx.commit().await.unwrap();
    let sales_in_mixed = DashboardFilter {
        department: Some(c.sales),
        channel: Some(mixed),
        ..week()
    };
    let board = dashboard(&db.store, &c.owner, &sales_in_mixed, c.now)
        .await
        .unwrap();
    assert_eq!(board.figures, Guarded::FewerThanFive);
    // The head count the guard starts from is the overlap, not the smaller group (the
    // people-behind rule would hide these figures too, as nobody acted in the channel).
    assert_eq!(
        db.store
            .channel_headcount(mixed, Some(c.sales))
            .await
            .unwrap(),
        3
    );
    assert_eq!(db.store.channel_headcount(mixed, None).await.unwrap(), 6);
    // Four leaders are too few to report on: take one away.
    let mut tx = db.store.begin().await.unwrap();
    tx.set_leader(c.i[1].user_id, false).await.unwrap();
    tx.commit().await.unwrap();
    let f = figures_at(db, &c, &week(), c.now + KEPT_MS).await;
    assert_eq!(f.leaders, Guarded::FewerThanFive);
    // A week with fewer than five joiners (the one before) hides their share.
    let earlier = DashboardFilter {
        period: Period::parse("custom", "2026-11-14", "2026-11-20").unwrap(),
        ..Default::default()
    };
    let f = figures(db, &c, &earlier).await;
    assert_eq!(f.joiners, Guarded::FewerThanFive);
    assert_eq!(f.active, t(6.0, 0.0));
}

async fn only_staff_and_leaders_read_it_and_periods_are_checked(db: &TestDb) {
    let c = company(&db.store).await;
    let store = &db.store;
    // s4 is a member without the leader permission; s1 has it.
    assert_eq!(
        dashboard(store, &c.s[3], &week(), c.now).await.unwrap_err(),
        AppError::Forbidden
    );
    let read = dashboard(store, &c.s[0], &week(), c.now).await.unwrap();
    assert_eq!(read.days, 7, "the leader reads the week asked for");
    let bad = Invalid::Unacceptable(Field::Period);
    // Refused at the edge: not a period the page offers, or not a date.
    for (range, from, to) in [
        ("14", "", ""),
        ("custom", "yesterday", "2026-11-20"),
        ("custom", "2026-11-20", ""),
    ] {
        assert_eq!(
            Period::parse(range, from, to),
            Err(bad),
            "{range} {from} {to}"
        );
    }
    // Refused by the dashboard, which knows today: backwards, ahead, too long.
    for (from, to) in [
        ("2026-11-20", "2026-11-10"),
        ("2026-11-20", "2026-12-01"),
        ("2025-01-01", "2026-11-20"),
    ] {
        let filter = DashboardFilter {
            period: Period::parse("custom", from, to).unwrap(),
            ..Default::default()
        };
        assert_eq!(
            dashboard(store, &c.owner, &filter, c.now)
                .await
                .unwrap_err(),
            AppError::from(bad),
            "{filter:?}"
        );
    }
    // The last 30 days by default; an unknown department or a private channel is not found.
    let board = dashboard(store, &c.owner, &DashboardFilter::default(), c.now)
        .await
        .unwrap();
    assert_eq!((board.from.as_str(), board.days), ("2026-10-29", 30));
    let unknown = DashboardFilter {
        department: Some(DepartmentId(9999)),
        ..week()
    };
    assert_eq!(
        dashboard(store, &c.owner, &unknown, c.now)
            .await
            .unwrap_err(),
        AppError::NotFound
    );
}

/// A channel's active people are kept as a bit per day in blocks of 62 days: periods
/// that start, end or lie inside a block count exactly the people of their own days.
async fn channel_people_are_counted_by_period_across_day_blocks(db: &TestDb) {
    let c = company(&db.store).await;
    let calendar = Calendar::of(ZONE);
    // A block starts on day b (a multiple of 62), well after the company's history.
    let b = (c.d / 62 + 2) * 62;
    let people = [&c.s[0], &c.s[1], &c.s[2]];
    let done = [
        (people[0], b - 1),
        (people[1], b),
        (people[2], b + 61),
        (people[2], b + 62),
        (people[0], b + 62),
    ];
    let activity: Vec<Activity> = done
        .iter()
        .map(|(who, day)| {
            Activity::on_post(
                who.user_id,
                noon(&calendar, *day),
                ActivityAction::Saw,
                c.it_help,
                PostKind::Question,
            )
        })
        .collect();
    let mut tx = db.store.begin().await.unwrap();
    tx.record_activity(&calendar, &activity).await.unwrap();
    tx.commit().await.unwrap();
    let active = |from_day: i64, to_day: i64| {
        let store = db.store.clone();
        let channel = c.it_help;
        async move {
            let scope = Scope {
                from_day,
                to_day,
                from_ms: calendar.start_of_day(from_day),
                to_ms: calendar.start_of_day(to_day + 1),
                department: None,
                channel: None,
            };
            let rows = store.channel_activity(&scope).await.unwrap();
            rows.iter().find(|g| g.id == channel.0).unwrap().active
        }
    };
    assert_eq!(active(b - 1, b - 1).await, 1);
    assert_eq!(active(b - 1, b).await, 2);
    assert_eq!(active(b, b + 61).await, 2);
    assert_eq!(active(b + 1, b + 60).await, 0);
    assert_eq!(active(b + 61, b + 62).await, 2);
    assert_eq!(active(b + 62, b + 62).await, 2);
    assert_eq!(active(b - 30, b + 100).await, 3);
    // Forgetting the days before b + 61 keeps that day and the ones after it.
    let mut tx = db.store.begin().await.unwrap();
    tx.forget_people_before(b + 61).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(active(b - 30, b + 60).await, 0);
    assert_eq!(active(b - 30, b + 61).await, 1);
    assert_eq!(active(b + 62, b + 62).await, 2);
}

/// Reach, reminders and the dashboard's announcement rows follow the rule for reading
/// the post: staff and leaders who are not among an announcement's recipients, and not
/// in its private channel, learn nothing about it and remind no one.
async fn announcements_are_followed_up_only_by_those_who_may_read_them(db: &TestDb) {
    let c = company(&db.store).await;
    let store = &db.store;
    let calendar = Calendar::of(ZONE);
    let mut tx = store.begin().await.unwrap();
    let board = tx
        .create_channel(&NewChannel {
            slug: "board",
            name: "Board",
            description: "",
            guidelines: "",
            kind: ChannelKind::Private,
            is_default: false,
            created_by: None,
            created_at: c.now,
        })
        .await
        .unwrap();
    for who in [&c.owner, &c.s[0]] {
        tx.add_member(board, who.user_id, false).await.unwrap();
    }
    tx.commit().await.unwrap();
    let (owner, now) = (&c.owner, c.now);
    let announce = |audience, body: &'static str| async move {
        let input = AnnouncementInput {
            audience,
            body,
            must_read: true,
            expires_on: "",
        };
        announcements::announce(store, owner, &input, now - HOUR)
            .await
            .unwrap()
            .id
    };
    let tiny_only = announce(Audience::Departments(vec![c.tiny]), "Tiny-only news").await;
    let board_only = announce(Audience::Channel("board".into()), "Board-only news").await;
    // An admin and a leader (s2) in neither audience; s1 is a leader on the board.
    let admin = person(
        store,
        "a1@x.vn",
        Role::Admin,
        Some(c.sales),
        noon(&calendar, c.d - 60),
        false,
    )
    .await;
    let t1 = store.credentials("t1@x.vn").await.unwrap().unwrap().user_id;
    let unread_before = store.unread_notifications(t1).await.unwrap();
    for outsider in [&admin, &c.s[1]] {
        let board_rows = dashboard(store, outsider, &week(), c.now).await.unwrap();
        let f = shown(&board_rows.figures);
        let titles: Vec<&str> = f.announcements.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["New leave policy"], "{}", outsider.name);
        let csv = app::domain::dashboard::csv(Metric::Announcements, &board_rows);
        assert!(!csv.contains("only news"), "{csv}");
        for post in [tiny_only, board_only] {
            assert_eq!(
                announcements::reach(store, outsider, post)
                    .await
                    .unwrap_err(),
                AppError::NotFound
            );
            assert_eq!(
                announcements::renotify(store, outsider, post, c.now)
                    .await
                    .unwrap_err(),
                AppError::NotFound
            );
        }
    }
    // Nobody was reminded.
    assert_eq!(store.unread_notifications(t1).await.unwrap(), unread_before);
    // Those who may read them follow them up: s1 the board's, the owner both.
    let f = figures(db, &c, &week()).await;
    let titles: Vec<&str> = f.announcements.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Board-only news", "Tiny-only news", "New leave policy"]
    );
    let board_rows = dashboard(store, &c.s[0], &week(), c.now).await.unwrap();
    let titles: Vec<String> = shown(&board_rows.figures)
        .announcements
        .iter()
        .map(|a| a.title.clone())
        .collect();
    assert_eq!(titles, ["Board-only news", "New leave policy"]);
    let reach = announcements::reach(store, &c.s[0], board_only)
        .await
        .unwrap();
    assert_eq!(reach.recipients, 1);
    assert_eq!(
        announcements::reach(store, &c.s[0], tiny_only)
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    assert_eq!(
        announcements::renotify(store, &c.owner, tiny_only, c.now)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store.unread_notifications(t1).await.unwrap(),
        unread_before + 1
    );
    // The figures about everyone are kept and shared (see the story below), the reach
    // of every announcement included; which of them a leader may read never is: after
    // the owner's reading, an outsider still gets only the one they may read…
    let titles = |board: &app::model::Dashboard| -> Vec<String> {
        shown(&board.figures)
            .announcements
            .iter()
            .map(|a| a.title.clone())
            .collect()
    };
    let again = dashboard(store, &admin, &week(), c.now + 1).await.unwrap();
    assert_eq!(titles(&again), ["New leave policy"]);
    // …and one who joins the board within the same minute follows up its announcement
    // at once, from the reading kept before they joined.
    let mut tx = store.begin().await.unwrap();
    tx.add_member(board, admin.user_id, false).await.unwrap();
    tx.commit().await.unwrap();
    let joined = dashboard(store, &admin, &week(), c.now + 2).await.unwrap();
    assert_eq!(titles(&joined), ["Board-only news", "New leave policy"]);
    // The reach of one they may both read is the one kept reading's: 13 recipients.
    let reach = |board: &app::model::Dashboard| {
        let a = shown(&board.figures)
            .announcements
            .iter()
            .find(|a| a.title == "New leave policy")
            .unwrap();
        shown(&a.reach).clone()
    };
    let owners = dashboard(store, &c.owner, &week(), c.now + 2)
        .await
        .unwrap();
    assert_eq!(reach(&joined).recipients, 13);
    assert_eq!(reach(&joined), reach(&owners));
}

/// Ten leaders opening the dashboard at once cost one reading of the figures about
/// everyone (the hot-paths issue: p99 ≤ 100 ms at ten), because a reading is kept for a
/// minute and shared by all who ask for the same period and filters. A post made within
/// that minute shows from the next.
async fn leaders_share_figures_a_minute_old_and_a_new_minute_reads_afresh(db: &TestDb) {
    let c = company(&db.store).await;
    let store = &db.store;
    let posts = |board: &app::model::Dashboard| shown(&board.figures).content.posts.now;
    let first = dashboard(store, &c.owner, &week(), c.now).await.unwrap();
    assert_eq!(posts(&first), 4.0);
    post_in(
        store,
        &c.s[0],
        "general",
        "update",
        "Made within the minute",
        c.now,
    )
    .await
    .unwrap();
    // Another leader, within the minute: the same reading, the new post not yet in it.
    let shared = dashboard(store, &c.s[0], &week(), c.now + KEPT_MS - 1)
        .await
        .unwrap();
    assert_eq!(posts(&shared), 4.0);
    // A minute on, the week is read afresh.
    let later = dashboard(store, &c.owner, &week(), c.now + KEPT_MS)
        .await
        .unwrap();
    assert_eq!(posts(&later), 5.0);
}

/// "Fewer than five" counts the people behind the figures, not the group's size: a
/// department of ten where two people did something shows nothing about them, neither
/// their days nor their hours, until five are behind every figure.
async fn figures_need_five_people_behind_them(db: &TestDb) {
    let c = company(&db.store).await;
    let store = &db.store;
    let calendar = Calendar::of(ZONE);
    let at = |day: i64| noon(&calendar, day);
    let mut tx = store.begin().await.unwrap();
    let ten = tx.create_department("Ten").await.unwrap();
    tx.commit().await.unwrap();
    let mut people = Vec::new();
    for n in 1..=10 {
        let email = format!("ten{n}@x.vn");
        people.push(person(store, &email, Role::Member, Some(ten), at(c.d - 60), false).await);
    }
    let hello = post_in(
        store,
        &people[0],
        "general",
        "update",
        "Ten here",
        at(c.d - 2),
    )
    .await
    .unwrap();
    app::domain::posts::toggle_reaction(store, &people[1], hello, REACTIONS[0], at(c.d - 1))
        .await
        .unwrap();
    let filter = DashboardFilter {
        department: Some(ten),
        ..week()
    };
    let hidden = |board: &app::model::Dashboard| {
        assert_eq!(board.figures, Guarded::FewerThanFive);
        for metric in [
            Metric::DailyActive,
            Metric::Hours,
            Metric::Content,
            Metric::People,
        ] {
            assert_eq!(
                app::domain::dashboard::csv(metric, board),
                "note\nfewer than 5 people\n"
            );
        }
    };
    hidden(&dashboard(store, &c.owner, &filter, c.now).await.unwrap());
    // Three more only visit: five were active, but the content and the busiest hours
    // are still about two.
    let visits: Vec<Activity> = people[2..5]
        .iter()
        .map(|who| Activity {
            user_id: who.user_id,
            at: at(c.d - 1),
            action: ActivityAction::Visited,
            post: None,
        })
        .collect();
    let mut tx = store.begin().await.unwrap();
    tx.record_activity(&calendar, &visits).await.unwrap();
    tx.commit().await.unwrap();
    // Each reading a minute after the last: one is kept for a minute (`KEPT_MS`).
    let later = |minutes: i64| c.now + minutes * KEPT_MS;
    hidden(&dashboard(store, &c.owner, &filter, later(1)).await.unwrap());
    // Once they see the post, five people are behind every figure.
    for who in &people[2..5] {
        app::domain::announcements::saw_posts(store, who, &[hello], at(c.d))
            .await
            .unwrap();
    }
    let board = dashboard(store, &c.owner, &filter, later(2)).await.unwrap();
    let f = shown(&board.figures);
    assert_eq!(f.active.now, 5.0);
    assert_eq!(f.heat_map.iter().flatten().sum::<i64>(), 5);
    // The week before, nobody in Ten did anything: it is not compared with.
    assert_eq!(f.active.before, 0.0);
}
