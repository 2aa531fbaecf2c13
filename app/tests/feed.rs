//! The living feed on both backends: mentions and tags, notifications and their levels,
//! company announcements with their audience and reach, the home feed, and the event
//! log that live streams read, filtered by the same policy as reads.

use app::domain::announcements::{self, AnnouncementInput};
use app::domain::live::{Audience, Directory};
use app::domain::posts::{self, PostInput};
use app::error::{AppError, Field, Invalid};
use app::model::{
    Audience as To, ChannelId, ChannelKind, DepartmentId, LiveKind, NotificationKind, NotifyLevel,
    PersonId, PostId, Role,
};
use app::policy::Viewer;
use app::store::{FeedScope, LookedAt, Reader, Store};
use app::testing::{CompanyBuilder, TestDb, NOW};

app::storage_stories!(
    mentions_notify_those_who_can_read,
    private_channels_never_leak,
    comments_and_reactions_notify_their_authors,
    channel_mentions_need_an_admin_and_a_confirmation,
    notification_levels_are_respected,
    announcements_reach_their_audience,
    home_gathers_my_channels_announcements_and_mentions,
    home_pages_merge_every_list_in_order_however_far_back,
    home_feed_reads_index_ranges_not_the_whole_table,
    a_card_in_a_list_names_twenty_who_have_not_acknowledged,
    events_follow_the_read_policy,
    streams_follow_membership_changes,
    streams_sharing_a_directory_hear_of_channels_made_after_it_was_read,
    an_idle_stream_keeps_no_room_for_the_queries_it_is_not_making,
    a_stream_resumes_from_the_log_then_hears_the_hub_until_it_ends,
    a_burst_reaches_a_stream_complete_and_in_order_in_few_broadcasts,
    streams_follow_role_changes_and_end_on_deactivation,
    posts_are_edited_pinned_and_deleted,
    reactions_name_who_reacted,
    unread_counts_what_others_posted_since_i_looked,
);

const DAY: i64 = 24 * 60 * 60 * 1000;

struct Company {
    owner: Viewer,
    /// Sales, in `secret` and `partners`.
    an: Viewer,
    /// Sales.
    binh: Viewer,
    /// IT.
    chi: Viewer,
    /// A guest in `partners` only.
    guest: Viewer,
    sales: DepartmentId,
    secret: ChannelId,
}

/// `general` (everyone), `random` (public, nobody joined), `secret` (private: owner
/// and An), `partners` (public: An and the guest).
async fn company(store: &Store) -> Company {
    let (company, owner) = CompanyBuilder::set_up(store, NOW).await;
    let sales = company.department("Sales").await;
    let it = company.department("IT").await;
    let an = company
        .person("an.nguyen@saomai.vn", "Nguyễn Văn An")
        .department(sales)
        .await;
    let binh = company
        .person("binh@saomai.vn", "Trần Bình")
        .department(sales)
        .await;
    let chi = company
        .person("chi@saomai.vn", "Lê Chi")
        .department(it)
        .await;
    let guest = company
        .person("khach@agency.vn", "Khách")
        .role(Role::Guest)
        .await;
    company
        .channel("random", ChannelKind::Public)
        .by(&owner)
        .await;
    let secret = company
        .channel("secret", ChannelKind::Private)
        .by(&owner)
        .admin(&owner)
        .member(&an)
        .await;
    company
        .channel("partners", ChannelKind::Public)
        .by(&owner)
        .member(&an)
        .member(&guest)
        .await;
    Company {
        owner,
        an,
        binh,
        chi,
        guest,
        sales,
        secret,
    }
}

async fn post(
    store: &Store,
    who: &Viewer,
    channel: &str,
    body: &str,
) -> app::model::Posted<PostId> {
    let input = PostInput {
        channel,
        kind: "update",
        body,
        confirm_channel: false,
        files: &[],
    };
    posts::create_post(store, who, &input, NOW).await.unwrap()
}

/// The kinds of `who`'s notification lines, newest first.
async fn lines(store: &Store, who: &Viewer) -> Vec<(NotificationKind, i64)> {
    store
        .notifications(who.user_id, who.role == Role::Guest, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|n| (n.kind, n.others))
        .collect()
}

async fn feed_ids(store: &Store, who: &Viewer, scope: FeedScope) -> Vec<PostId> {
    store
        .feed(Reader::of(who), &scope, None, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect()
}

async fn mentions_notify_those_who_can_read(db: &TestDb) {
    let c = company(&db.store).await;
    // Handles come from e-mail addresses; the guest cannot read `general`.
    let posted = post(
        &db.store,
        &c.an,
        "general",
        "Xin chào @binh and @KHACH, see #Launch-Q3 `@chi`",
    )
    .await;
    assert_eq!(posted.not_notified, ["Khách"]);
    assert_eq!(
        lines(&db.store, &c.binh).await,
        [(NotificationKind::Mention, 0)]
    );
    assert_eq!(lines(&db.store, &c.guest).await, []);
    assert_eq!(
        lines(&db.store, &c.chi).await,
        [],
        "a mention in code is no mention"
    );
    assert_eq!(
        lines(&db.store, &c.an).await,
        [],
        "nobody is notified of their own post"
    );
    assert_eq!(
        feed_ids(&db.store, &c.binh, FeedScope::Mentions).await,
        [posted.id]
    );
    assert_eq!(
        feed_ids(&db.store, &c.chi, FeedScope::Tag("launch-q3".into())).await,
        [posted.id]
    );
    let page = app::domain::feed::post(&db.store, &c.binh, posted.id, false, false)
        .await
        .unwrap();
    let card = &page.posts[0];
    assert!(
        card.body_html.contains(r#"href="/u/binh""#),
        "{}",
        card.body_html
    );
    assert_eq!(
        db.store
            .person_by_handle("an.nguyen", c.binh.user_id)
            .await
            .unwrap(),
        Some(c.an.user_id)
    );

    // Marked read one by one, or all at once.
    assert_eq!(
        db.store.unread_notifications(c.binh.user_id).await.unwrap(),
        1
    );
    let id = db
        .store
        .notifications(c.binh.user_id, false, 5)
        .await
        .unwrap()[0]
        .id;
    let mut tx = db.store.begin().await.unwrap();
    assert!(
        !tx.mark_notification_read(c.chi.user_id, id, NOW)
            .await
            .unwrap(),
        "not Chi's"
    );
    assert!(tx
        .mark_notification_read(c.binh.user_id, id, NOW)
        .await
        .unwrap());
    tx.commit().await.unwrap();
    assert_eq!(
        db.store.unread_notifications(c.binh.user_id).await.unwrap(),
        0
    );
}

async fn private_channels_never_leak(db: &TestDb) {
    let c = company(&db.store).await;
    let posted = post(&db.store, &c.an, "secret", "@binh look at #plans").await;
    assert_eq!(posted.not_notified, ["Trần Bình"]);
    assert_eq!(lines(&db.store, &c.binh).await, []);
    for scope in [
        FeedScope::Company,
        FeedScope::Home,
        FeedScope::Mentions,
        FeedScope::Tag("plans".into()),
        FeedScope::Author(c.an.user_id),
    ] {
        assert_eq!(
            feed_ids(&db.store, &c.binh, scope.clone()).await,
            Vec::<PostId>::new(),
            "{scope:?}"
        );
    }
    assert_eq!(
        feed_ids(&db.store, &c.owner, FeedScope::Tag("plans".into())).await,
        [posted.id]
    );
    // Responding needs reading: a stranger cannot even tell the post exists.
    assert_eq!(
        posts::toggle_reaction(&db.store, &c.binh, posted.id, "👍", NOW).await,
        Err(AppError::NotFound)
    );
}

async fn comments_and_reactions_notify_their_authors(db: &TestDb) {
    let c = company(&db.store).await;
    let p = post(&db.store, &c.an, "general", "Lunch?").await.id;
    let first = posts::comment(&db.store, &c.binh, p, None, "Yes", &[], NOW)
        .await
        .unwrap()
        .id;
    posts::comment(
        &db.store,
        &c.chi,
        p,
        Some(first),
        "Me too @an.nguyen",
        &[],
        NOW + 1,
    )
    .await
    .unwrap();
    assert_eq!(
        lines(&db.store, &c.binh).await,
        [(NotificationKind::Reply, 0)]
    );
    assert_eq!(
        lines(&db.store, &c.an).await,
        [
            (NotificationKind::Mention, 0),
            (NotificationKind::Comment, 0)
        ],
        "a mention beats 'commented on your post'"
    );
    // Reactions to one post are one line: "Bình and 1 other reacted".
    posts::toggle_reaction(&db.store, &c.binh, p, "🎉", NOW + 2)
        .await
        .unwrap();
    posts::toggle_reaction(&db.store, &c.chi, p, "👍", NOW + 3)
        .await
        .unwrap();
    posts::toggle_reaction(&db.store, &c.an, p, "👍", NOW + 4)
        .await
        .unwrap();
    let an = lines(&db.store, &c.an).await;
    assert_eq!(an[0], (NotificationKind::Reaction, 1));
    assert_eq!(an.len(), 3);
    assert_eq!(
        db.store.unread_notifications(c.an.user_id).await.unwrap(),
        3
    );
}

async fn channel_mentions_need_an_admin_and_a_confirmation(db: &TestDb) {
    let c = company(&db.store).await;
    let input = |confirm_channel| PostInput {
        channel: "general",
        kind: "update",
        body: "Town hall at 3pm @channel",
        confirm_channel,
        files: &[],
    };
    assert_eq!(
        posts::create_post(&db.store, &c.an, &input(true), NOW).await,
        Err(AppError::ChannelMentionAdminsOnly)
    );
    // Owner, An, Bình and Chi are in `general`: three others would be notified.
    assert_eq!(
        posts::create_post(&db.store, &c.owner, &input(false), NOW).await,
        Err(Invalid::ConfirmChannelMention(3).into())
    );
    assert_eq!(
        db.store
            .feed(Reader::of(&c.owner), &FeedScope::Company, None, 5)
            .await
            .unwrap()
            .len(),
        0,
        "refused posts store nothing"
    );
    posts::create_post(&db.store, &c.owner, &input(true), NOW)
        .await
        .unwrap();
    for person in [&c.an, &c.binh, &c.chi] {
        assert_eq!(
            lines(&db.store, person).await,
            [(NotificationKind::ChannelMention, 0)]
        );
    }
}

async fn notification_levels_are_respected(db: &TestDb) {
    let c = company(&db.store).await;
    let general = db
        .store
        .channel_access("general", c.binh.user_id)
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut tx = db.store.begin().await.unwrap();
    assert!(tx
        .set_notify_level(general, c.binh.user_id, NotifyLevel::All)
        .await
        .unwrap());
    assert!(tx
        .set_notify_level(general, c.chi.user_id, NotifyLevel::Nothing)
        .await
        .unwrap());
    assert!(
        !tx.set_notify_level(c.secret, c.binh.user_id, NotifyLevel::All)
            .await
            .unwrap(),
        "not a member"
    );
    tx.commit().await.unwrap();
    assert_eq!(
        db.store
            .notify_level(general, c.binh.user_id)
            .await
            .unwrap(),
        Some(NotifyLevel::All)
    );
    post(&db.store, &c.an, "general", "Plain news").await;
    post(&db.store, &c.an, "general", "@chi and @binh, news").await;
    assert_eq!(
        lines(&db.store, &c.binh).await,
        [(NotificationKind::Mention, 0), (NotificationKind::Post, 0)]
    );
    assert_eq!(lines(&db.store, &c.chi).await, [], "nothing means nothing");
}

async fn announcements_reach_their_audience(db: &TestDb) {
    let c = company(&db.store).await;
    let input = |audience, expires_on| AnnouncementInput {
        audience,
        body: "New price list #pricing",
        must_read: true,
        expires_on,
    };
    assert_eq!(
        announcements::announce(&db.store, &c.an, &input(To::Everyone, ""), NOW).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        announcements::announce(
            &db.store,
            &c.owner,
            &input(To::Departments(vec![]), ""),
            NOW
        )
        .await,
        Err(Invalid::Required(Field::Audience).into())
    );
    assert_eq!(
        announcements::announce(
            &db.store,
            &c.owner,
            &input(To::Departments(vec![c.sales]), "2020-01-01"),
            NOW
        )
        .await,
        Err(Invalid::Unacceptable(Field::ExpiresAt).into())
    );
    let real_now = app::store::now_ms();
    let id = announcements::announce(
        &db.store,
        &c.owner,
        &input(To::Departments(vec![c.sales]), "2999-12-31"),
        real_now,
    )
    .await
    .unwrap()
    .id;
    // Sales (An, Bình) have it on top of home; Chi (IT) cannot see it at all.
    for who in [&c.an, &c.binh] {
        let pinned = db
            .store
            .must_reads(Reader::of(who), real_now)
            .await
            .unwrap();
        assert_eq!(pinned.iter().map(|p| p.id).collect::<Vec<_>>(), [id]);
        assert_eq!(
            lines(&db.store, who).await,
            [(NotificationKind::Announcement, 0)]
        );
    }
    assert_eq!(
        db.store
            .must_reads(Reader::of(&c.chi), real_now)
            .await
            .unwrap(),
        []
    );
    assert_eq!(
        feed_ids(&db.store, &c.chi, FeedScope::Company).await,
        Vec::<PostId>::new()
    );
    assert_eq!(
        feed_ids(&db.store, &c.chi, FeedScope::Tag("pricing".into())).await,
        Vec::<PostId>::new()
    );
    assert_eq!(
        announcements::acknowledge(&db.store, &c.chi, id, real_now).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        announcements::reach(&db.store, &c.binh, id).await,
        Err(AppError::Forbidden)
    );

    announcements::mark_seen(&db.store, &c.binh, &[id], real_now)
        .await
        .unwrap();
    let reach = announcements::reach(&db.store, &c.owner, id).await.unwrap();
    assert_eq!(
        (reach.recipients, reach.seen, reach.acknowledged),
        (2, 1, 0)
    );
    announcements::acknowledge(&db.store, &c.an, id, real_now)
        .await
        .unwrap();
    announcements::acknowledge(&db.store, &c.an, id, real_now)
        .await
        .unwrap();
    let reach = announcements::reach(&db.store, &c.owner, id).await.unwrap();
    assert_eq!(
        (reach.recipients, reach.seen, reach.acknowledged),
        (2, 2, 1)
    );
    assert_eq!(
        reach
            .pending
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["Trần Bình"]
    );
    assert_eq!(
        db.store
            .must_reads(Reader::of(&c.an), real_now)
            .await
            .unwrap(),
        []
    );

    // The reminder reaches only those who have not acknowledged.
    assert_eq!(
        announcements::renotify(&db.store, &c.owner, id, real_now).await,
        Ok(1)
    );
    assert_eq!(
        lines(&db.store, &c.binh).await,
        [
            (NotificationKind::Reminder, 0),
            (NotificationKind::Announcement, 0)
        ]
    );
    assert_eq!(
        lines(&db.store, &c.an).await,
        [(NotificationKind::Announcement, 0)]
    );
    // After its expiry a must-read is no longer pinned.
    let after = 32_503_680_000_000 + DAY;
    assert_eq!(
        db.store
            .must_reads(Reader::of(&c.binh), after)
            .await
            .unwrap(),
        []
    );
}

async fn home_gathers_my_channels_announcements_and_mentions(db: &TestDb) {
    let c = company(&db.store).await;
    let general = post(&db.store, &c.an, "general", "In general").await.id;
    post(&db.store, &c.an, "random", "In random, not for Bình").await;
    let mention = post(&db.store, &c.an, "random", "@binh in random").await.id;
    let everyone = announcements::announce(
        &db.store,
        &c.owner,
        &AnnouncementInput {
            audience: To::Channel("partners".into()),
            body: "For partners",
            must_read: false,
            expires_on: "",
        },
        NOW,
    )
    .await
    .unwrap()
    .id;
    let mut home = feed_ids(&db.store, &c.binh, FeedScope::Home).await;
    home.sort();
    assert_eq!(home, [general, mention]);
    // The channel's members received the announcement; the guest reads it at home.
    assert_eq!(
        feed_ids(&db.store, &c.guest, FeedScope::Home).await,
        [everyone]
    );
}

/// The home feed is merged from short lists (each channel, one's own posts, the
/// announcements and mentions addressed to one): every page, at every size, must be
/// exactly the posts the home rule admits, newest first, however quiet a reader's
/// channels are and whatever other channels hold in between.
async fn home_pages_merge_every_list_in_order_however_far_back(db: &TestDb) {
    let c = company(&db.store).await;
    let at = |i: i64| NOW + i * 1000;
    let put = |who: &Viewer, channel: &'static str, body: String, i: i64| {
        let (store, who) = (db.store.clone(), who.clone());
        async move {
            let input = PostInput {
                channel,
                kind: "update",
                body: &body,
                confirm_channel: false,
                files: &[],
            };
            let id = posts::create_post(&store, &who, &input, at(i))
                .await
                .unwrap()
                .id;
            (i, id)
        }
    };
    // The guest's channel is quiet: its posts are the oldest and the newest.
    let old_partners = put(&c.an, "partners", "partners, early".into(), 0).await;
    let mut general = Vec::new();
    let mut secret = Vec::new();
    for i in 1..=40 {
        general.push(put(&c.chi, "general", format!("general {i}"), i * 10).await);
        if i % 8 == 0 {
            secret.push(put(&c.an, "secret", format!("secret {i}"), i * 10 + 1).await);
        }
    }
    let mention = put(&c.owner, "random", "@binh in random".into(), 55).await;
    let own = put(&c.binh, "random", "Bình in random".into(), 155).await;
    let deleted = put(&c.chi, "general", "gone".into(), 255).await;
    posts::delete_post(&db.store, &c.chi, deleted.1, at(256))
        .await
        .unwrap();
    let sales_only = announcements::announce(
        &db.store,
        &c.owner,
        &AnnouncementInput {
            audience: To::Departments(vec![c.sales]),
            body: "Sales only",
            must_read: false,
            expires_on: "",
        },
        at(305),
    )
    .await
    .unwrap()
    .id;
    let sales_only = (305, sales_only);
    let new_partners = put(&c.an, "partners", "partners, late".into(), 500).await;

    let newest_first = |mut posts: Vec<(i64, PostId)>| {
        posts.sort_by_key(|(i, _)| std::cmp::Reverse(*i));
        posts.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
    };
    let expected = [
        (&c.guest, newest_first(vec![old_partners, new_partners])),
        (
            &c.binh,
            newest_first([general.clone(), vec![mention, own, sales_only]].concat()),
        ),
        (&c.chi, newest_first(general.clone())),
        (
            &c.an,
            newest_first(
                [
                    general.clone(),
                    secret.clone(),
                    vec![old_partners, new_partners, sales_only],
                ]
                .concat(),
            ),
        ),
    ];
    // The feed walks a window of the newest posts, then merges per-list pages from
    // before it: a window larger than the company (the walk alone), of one post (the
    // merge alone) and in between.
    for window in [400, 1, 5, 13] {
        let store = db.store.with_home_window(window);
        for (who, want) in &expected {
            for size in [1, 3, 7, 100] {
                assert_eq!(
                    &home_pages(&store, who, size).await,
                    want,
                    "{} in pages of {size}, window {window}",
                    who.name
                );
            }
        }
    }
    // An archived channel leaves the home feed: Bình's own post and the mention go.
    app::domain::channels::set_archived(&db.store, &c.owner, "random", true, at(600))
        .await
        .unwrap();
    assert_eq!(
        home_pages(&db.store, &c.binh, 5).await,
        newest_first([general, vec![sales_only]].concat())
    );
}

/// Every home page of `who`, `size` posts at a time, followed through their cursors.
async fn home_pages(store: &Store, who: &Viewer, size: i64) -> Vec<PostId> {
    let mut all = Vec::new();
    let mut before = None;
    loop {
        let page = store
            .feed(Reader::of(who), &FeedScope::Home, before, size)
            .await
            .unwrap();
        all.extend(page.iter().map(|p| p.id));
        match page.last() {
            Some(last) if page.len() as i64 == size => {
                before = Some(app::model::Cursor {
                    created_at: last.created_at,
                    id: last.id.0,
                })
            }
            _ => return all,
        }
    }
}

/// What makes the home feed cost the same for every reader: its plan walks only a
/// window of the newest posts (`posts_recent` bounded on both sides), then reads each
/// list through an index range (a channel's, an author's, the reader's announcements and
/// mentions) and never walks `posts` newest first without a floor, which is what made a
/// guest in one quiet channel 26 times slower than an admin.
async fn home_feed_reads_index_ranges_not_the_whole_table(db: &TestDb) {
    let c = company(&db.store).await;
    for who in [&c.guest, &c.binh, &c.an] {
        let [window, merged] = db.store.home_feed_plans(Reader::of(who)).await.unwrap();
        let (window, merged) = (window.join("\n"), merged.join("\n"));
        // The window's floor bounds the index range read, whichever index the planner
        // takes: SQLite walks `posts_recent (created_at>? AND created_at<?)`; PostgreSQL
        // may start from the few channels on a test's rows, with the floor in its index
        // condition all the same.
        assert!(
            window.contains("posts_recent (created_at>? AND created_at<?)")
                || window.contains("Index Cond: ((channel_id = c.id) AND (created_at >= ")
                || window.contains("Index Cond: ((created_at >= "),
            "{window}"
        );
        assert!(merged.contains("posts_channel_recent"), "{merged}");
        assert!(merged.contains("posts_author_recent"), "{merged}");
        assert!(!merged.contains("posts_recent"), "{merged}");
        // Neither reads the posts table without an index (SQLite: `SCAN p`).
        for line in window.lines().chain(merged.lines()) {
            assert!(
                line.trim() != "SCAN p" && !line.contains("Seq Scan on posts"),
                "{window}\n{merged}"
            );
        }
    }
}

/// An owner's home page read the names of everyone who had not acknowledged each
/// must-read (about 700 each on the benchmark company); a card in a list names the first
/// twenty, in name order, and its count stays whole; the post's own page and the reach
/// server function name them all.
async fn a_card_in_a_list_names_twenty_who_have_not_acknowledged(db: &TestDb) {
    let (company, owner) = CompanyBuilder::set_up(&db.store, NOW).await;
    let mut staff = Vec::new();
    for k in 0..25 {
        staff.push(
            company
                .person(&format!("nv{k:02}@saomai.vn"), &format!("Nhân viên {k:02}"))
                .await,
        );
    }
    let must_read = |body: &'static str| {
        let (store, owner) = (db.store.clone(), owner.clone());
        async move {
            let input = AnnouncementInput {
                audience: To::Everyone,
                body,
                must_read: true,
                expires_on: "",
            };
            announcements::announce(&store, &owner, &input, NOW)
                .await
                .unwrap()
                .id
        }
    };
    let id = must_read("Read this").await;
    let other = must_read("And this").await;
    let now = NOW + 1000;
    announcements::acknowledge(&db.store, &staff[0], id, now)
        .await
        .unwrap();
    announcements::acknowledge(&db.store, &staff[1], other, now)
        .await
        .unwrap();
    let reach_in = |cards: &[app::model::PostCard], id: PostId| {
        cards
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| p.announcement.clone())
            .and_then(|a| a.reach)
            .expect("the owner sees the reach")
    };
    let reach_of = |cards: Vec<app::model::PostCard>| {
        cards
            .into_iter()
            .find(|p| p.id == id)
            .and_then(|p| p.announcement)
            .and_then(|a| a.reach)
            .expect("the owner sees the reach")
    };
    let names = |reach: &app::model::Reach| {
        reach
            .pending
            .iter()
            .map(|p| p.name.clone())
            .collect::<Vec<_>>()
    };
    let cards = db
        .store
        .feed(Reader::of(&owner), &FeedScope::Company, None, 20)
        .await
        .unwrap();
    // Each card names its own pending people (read for both in one query).
    let second = reach_in(&cards, other);
    assert_eq!(second.pending_count(), 24);
    assert_eq!(second.pending[0].name, "Nhân viên 00");
    assert!(!second.pending.iter().any(|p| p.name == "Nhân viên 01"));
    let listed = reach_of(cards);
    // Everyone but the owner (the author) and the one who acknowledged.
    assert_eq!(listed.pending_count(), 24);
    let expected: Vec<String> = (1..=20).map(|k| format!("Nhân viên {k:02}")).collect();
    assert_eq!(names(&listed), expected);
    let own_page = reach_of(vec![db
        .store
        .post_card(Reader::of(&owner), id)
        .await
        .unwrap()
        .unwrap()]);
    assert_eq!(own_page.pending.len(), 24);
    let served = announcements::reach(&db.store, &owner, id).await.unwrap();
    assert_eq!(names(&served), names(&own_page));
}

async fn events_follow_the_read_policy(db: &TestDb) {
    let c = company(&db.store).await;
    let before = db.store.last_event_id().await.unwrap();
    let open = post(&db.store, &c.an, "general", "hello").await.id;
    let hidden = post(&db.store, &c.an, "secret", "psst").await.id;
    posts::toggle_reaction(&db.store, &c.owner, hidden, "👍", NOW)
        .await
        .unwrap();
    let events = db.store.events_after(before, 100).await.unwrap();
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");

    let seen = |who: &Viewer| {
        let who = who.clone();
        let store = db.store.clone();
        let events = events.clone();
        async move {
            let mut audience = Audience::load(&store, who).await.unwrap();
            let mut told = Vec::new();
            for e in &events {
                if let Some(t) = audience.admit(&store, e).await.unwrap() {
                    told.push((t.kind, t.post));
                }
            }
            told
        }
    };
    assert_eq!(
        seen(&c.binh).await,
        [(LiveKind::Post, Some(open))],
        "nothing about `secret`"
    );
    assert_eq!(
        seen(&c.owner).await,
        [(LiveKind::Post, Some(open)), (LiveKind::Post, Some(hidden))],
        "the owner's own reaction is not echoed; An's notification is An's"
    );
    assert_eq!(seen(&c.guest).await, [], "a guest reads neither channel");
    assert_eq!(
        seen(&c.an).await,
        [
            (LiveKind::Notification, Some(hidden)),
            (LiveKind::Reaction, Some(hidden))
        ],
    );
}

async fn streams_follow_membership_changes(db: &TestDb) {
    let c = company(&db.store).await;
    // Bình's stream is open before she is added to `secret`.
    let mut audience = Audience::load(&db.store, c.binh.clone()).await.unwrap();
    let from = db.store.last_event_id().await.unwrap();
    app::domain::channels::add_member(&db.store, &c.owner, "secret", c.binh.user_id, NOW)
        .await
        .unwrap();
    let post = post(&db.store, &c.an, "secret", "Welcome, Bình").await.id;
    let mut told = Vec::new();
    for event in db.store.events_after(from, 100).await.unwrap() {
        if let Some(t) = audience.admit(&db.store, &event).await.unwrap() {
            told.push((t.kind, t.post, t.home));
        }
    }
    assert_eq!(told, [(LiveKind::Post, Some(post), true)]);
}

/// A hub's streams share one directory of what every channel is, read before the
/// channels below existed: a new channel's events still reach those who may read it,
/// at once (its id is newer than any the directory knows), and only them.
async fn streams_sharing_a_directory_hear_of_channels_made_after_it_was_read(db: &TestDb) {
    let c = company(&db.store).await;
    let directory = std::sync::Arc::new(Directory::load(&db.store).await.unwrap());
    let open = |who: &Viewer| Audience::joining(&db.store, who.clone(), directory.clone());
    let (mut owner, mut binh, mut guest) = (
        open(&c.owner).await.unwrap(),
        open(&c.binh).await.unwrap(),
        open(&c.guest).await.unwrap(),
    );
    let from = db.store.last_event_id().await.unwrap();
    let input = |name| app::domain::channels::ChannelInput {
        name,
        description: "",
        guidelines: "",
    };
    // The owner makes both (and so is in both) and brings An onto the board.
    for (name, kind) in [("Launch", "public"), ("Board", "private")] {
        app::domain::channels::create(&db.store, &c.owner, &input(name), kind, NOW)
            .await
            .unwrap();
    }
    app::domain::channels::add_member(&db.store, &c.owner, "board", c.an.user_id, NOW)
        .await
        .unwrap();
    let launch = post(&db.store, &c.an, "launch", "We launch on Monday")
        .await
        .id;
    let minutes = post(&db.store, &c.an, "board", "Board minutes").await.id;
    let events = db.store.events_after(from, 100).await.unwrap();
    let mut heard = Vec::new();
    for audience in [&mut owner, &mut binh, &mut guest] {
        let mut told = Vec::new();
        for event in &events {
            if let Some(t) = audience.admit(&db.store, event).await.unwrap() {
                told.push((t.kind, t.post, t.home));
            }
        }
        heard.push(told);
    }
    assert_eq!(
        heard[0],
        [
            (LiveKind::Post, Some(launch), true),
            (LiveKind::Post, Some(minutes), true)
        ],
        "the creator is in both, though their stream opened before"
    );
    assert_eq!(
        heard[1],
        [(LiveKind::Post, Some(launch), false)],
        "nothing from `board`"
    );
    assert_eq!(heard[2], [], "a guest reads neither");
}

/// Ten thousand open tabs are ten thousand streams, each as large as the largest state
/// of its future: the reads a stream makes now and then (its catch-up, a membership
/// change) are boxed, so an idle stream holds pointers, not room for a query, and its
/// channels are a few ids beside the shared directory (the hot-paths issue: memory per
/// idle stream).
async fn an_idle_stream_keeps_no_room_for_the_queries_it_is_not_making(db: &TestDb) {
    let c = company(&db.store).await;
    let hub = app::domain::live::LiveHub::start(db.store.clone())
        .await
        .unwrap();
    let stream = app::domain::live::follow(db.store.clone(), hub, c.binh.clone(), 0);
    // 680 bytes in a debug build, with no task or queue beside it (a task of 1,088
    // bytes and a queue before); a buffer or a query held across an await would show
    // here first.
    let size = std::mem::size_of_val(&stream);
    assert!(size <= 1024, "an idle stream holds {size} bytes");
}

/// The next post a live stream tells of, or None when it ends.
async fn next_post(
    stream: &mut (impl futures_util::Stream<Item = Result<app::model::LiveEvent, app::store::StoreError>>
              + Unpin),
) -> Option<PostId> {
    use futures_util::StreamExt;
    loop {
        let told = tokio::time::timeout(std::time::Duration::from_secs(10), stream.next())
            .await
            .expect("the stream neither told nor ended")?
            .unwrap();
        if told.kind == LiveKind::Post {
            return told.post;
        }
    }
}

/// Under load the hub gathers: an event after a quiet moment is broadcast at once, and
/// whatever is committed in the pause after a broadcast goes out together. A burst of
/// posts reaches a tab complete and in order, in a broadcast or two per pause rather
/// than one per post (the hot-paths issue: the open-loop mix's fan-out, where each
/// broadcast is a write to every tab).
async fn a_burst_reaches_a_stream_complete_and_in_order_in_few_broadcasts(db: &TestDb) {
    use app::domain::live::GATHER;
    let c = company(&db.store).await;
    let hub = app::domain::live::LiveHub::start(db.store.clone())
        .await
        .unwrap();
    let mut owner = Box::pin(app::domain::live::follow(
        db.store.clone(),
        hub.clone(),
        c.owner.clone(),
        db.store.last_event_id().await.unwrap(),
    ));
    let first = post(&db.store, &c.an, "general", "after a quiet moment")
        .await
        .id;
    assert_eq!(next_post(&mut owner).await, Some(first));
    let before = hub.broadcasts();
    let started = std::time::Instant::now();
    let mut posted = Vec::new();
    for n in 0..20 {
        posted.push(
            post(&db.store, &c.an, "general", &format!("burst {n}"))
                .await
                .id,
        );
    }
    let took = started.elapsed();
    let mut heard = Vec::new();
    while heard.len() < posted.len() {
        heard.push(next_post(&mut owner).await.expect("the stream ended"));
    }
    assert_eq!(heard, posted, "every post, in order");
    // One broadcast per pause the burst spanned, and the one after it.
    let broadcasts = hub.broadcasts() - before;
    let pauses = (took.as_millis() / GATHER.as_millis()) as u64;
    assert!(
        broadcasts <= pauses + 2 && broadcasts < posted.len() as u64,
        "{broadcasts} broadcasts for 20 posts in {took:?}"
    );
}

/// A tab's stream is read by its response, with no task of its own: it reads the log
/// from where the tab resumed, then hears each event as the hub broadcasts it, through
/// the same rule as reads, and ends when its person is deactivated or the hub closes.
async fn a_stream_resumes_from_the_log_then_hears_the_hub_until_it_ends(db: &TestDb) {
    let c = company(&db.store).await;
    let hub = app::domain::live::LiveHub::start(db.store.clone())
        .await
        .unwrap();
    let resumed_at = db.store.last_event_id().await.unwrap();
    let missed = post(&db.store, &c.an, "general", "while the tab was away")
        .await
        .id;
    let follow = |who: &Viewer, after| {
        Box::pin(app::domain::live::follow(
            db.store.clone(),
            hub.clone(),
            who.clone(),
            after,
        ))
    };
    let mut binh = follow(&c.binh, resumed_at);
    let mut owner = follow(&c.owner, db.store.last_event_id().await.unwrap());
    assert_eq!(next_post(&mut binh).await, Some(missed), "from the log");
    post(&db.store, &c.an, "secret", "not for Bình").await;
    let live = post(&db.store, &c.an, "general", "from the hub").await.id;
    assert_eq!(
        next_post(&mut binh).await,
        Some(live),
        "nothing from `secret`"
    );
    app::domain::people::access::set_active(&db.store, &c.owner, c.binh.user_id, false, NOW)
        .await
        .unwrap();
    let last = post(&db.store, &c.an, "general", "after she left").await.id;
    assert_eq!(next_post(&mut binh).await, None, "deactivated: it ends");
    // The owner's stream, opened after the first post, heard the others from the hub,
    // and ends when the hub closes.
    let mut heard = Vec::new();
    while heard.last() != Some(&last) {
        heard.push(
            next_post(&mut owner)
                .await
                .expect("the owner's stream ended"),
        );
    }
    assert!(
        !heard.contains(&missed) && heard.contains(&live),
        "{heard:?}"
    );
    hub.close();
    assert_eq!(next_post(&mut owner).await, None, "the server is closing");
}

async fn streams_follow_role_changes_and_end_on_deactivation(db: &TestDb) {
    let c = company(&db.store).await;
    // Bình's stream is open while she is a member; then the owner makes her a guest
    // who keeps `partners`.
    let mut audience = Audience::load(&db.store, c.binh.clone()).await.unwrap();
    let from = db.store.last_event_id().await.unwrap();
    let partners = db
        .store
        .channel_access("partners", c.owner.user_id)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    app::domain::people::access::change_role(
        &db.store,
        &c.owner,
        c.binh.user_id,
        "guest",
        Some(&partners),
        NOW,
    )
    .await
    .unwrap();
    post(&db.store, &c.an, "general", "company news").await;
    post(&db.store, &c.chi, "random", "open to members").await;
    let kept = post(&db.store, &c.an, "partners", "for partners").await.id;
    let mut told = Vec::new();
    for event in db.store.events_after(from, 100).await.unwrap() {
        if let Some(t) = audience.admit(&db.store, &event).await.unwrap() {
            told.push((t.kind, t.post));
        }
    }
    assert_eq!(
        told,
        [(LiveKind::Post, Some(kept))],
        "as a guest, nothing from `general` or `random`"
    );
    assert!(!audience.ended());

    // Deactivated: the stream ends and tells nothing more.
    let from = db.store.last_event_id().await.unwrap();
    app::domain::people::access::set_active(&db.store, &c.owner, c.binh.user_id, false, NOW)
        .await
        .unwrap();
    post(&db.store, &c.an, "partners", "after").await;
    let mut told = Vec::new();
    for event in db.store.events_after(from, 100).await.unwrap() {
        if let Some(t) = audience.admit(&db.store, &event).await.unwrap() {
            told.push(t.post);
        }
    }
    assert_eq!(told, []);
    assert!(audience.ended());
}

async fn posts_are_edited_pinned_and_deleted(db: &TestDb) {
    let c = company(&db.store).await;
    let id = post(&db.store, &c.an, "general", "Họp lúc 3 giờ #old")
        .await
        .id;
    let tagged = |tag: &str| FeedScope::Tag(tag.into());

    // Only the author edits; the old text stays for admins; new mentions are notified.
    assert_eq!(
        posts::edit_post(&db.store, &c.binh, id, "Hacked", NOW).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        posts::edit_post(&db.store, &c.an, id, "  ", NOW).await,
        Err(Invalid::Required(Field::Post).into())
    );
    posts::edit_post(&db.store, &c.an, id, "Họp lúc 4 giờ #new @binh", NOW + 1)
        .await
        .unwrap();
    posts::edit_post(&db.store, &c.an, id, "Họp lúc 4 giờ #new @binh!", NOW + 2)
        .await
        .unwrap();
    assert_eq!(
        lines(&db.store, &c.binh).await,
        [(NotificationKind::Mention, 0)],
        "once"
    );
    assert_eq!(
        feed_ids(&db.store, &c.chi, tagged("old")).await,
        Vec::<PostId>::new()
    );
    assert_eq!(feed_ids(&db.store, &c.chi, tagged("new")).await, [id]);
    let card = db
        .store
        .post_card(Reader::of(&c.chi), id)
        .await
        .unwrap()
        .unwrap();
    assert!(card.edited && card.body.ends_with("@binh!"));
    assert_eq!(
        posts::history(&db.store, &c.binh, id).await,
        Err(AppError::Forbidden)
    );
    let versions = posts::history(&db.store, &c.owner, id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert!(versions[1].body_html.contains("3 giờ"), "oldest last");
    assert_eq!(
        versions[0].replaced_by.as_ref().map(|p| p.id),
        Some(c.an.user_id)
    );

    // Channel and company admins pin, once; others may not.
    assert_eq!(
        posts::set_pinned(&db.store, &c.binh, id, true, NOW).await,
        Err(AppError::Forbidden)
    );
    posts::set_pinned(&db.store, &c.owner, id, true, NOW)
        .await
        .unwrap();
    posts::set_pinned(&db.store, &c.owner, id, true, NOW)
        .await
        .unwrap();
    let pins = db.store.company_pins(Reader::of(&c.chi)).await.unwrap();
    assert_eq!(pins.iter().map(|p| p.id).collect::<Vec<_>>(), [id]);
    assert!(pins[0].pinned);
    posts::set_pinned(&db.store, &c.owner, id, false, NOW)
        .await
        .unwrap();
    assert_eq!(db.store.company_pins(Reader::of(&c.chi)).await.unwrap(), []);

    // Deleting: not by a bystander; by the author it leaves every feed.
    assert_eq!(
        posts::delete_post(&db.store, &c.chi, id, NOW).await,
        Err(AppError::Forbidden)
    );
    posts::delete_post(&db.store, &c.an, id, NOW).await.unwrap();
    assert_eq!(
        feed_ids(&db.store, &c.chi, FeedScope::Company).await,
        Vec::<PostId>::new()
    );
    assert_eq!(
        posts::comment(&db.store, &c.binh, id, None, "Still there?", &[], NOW).await,
        Err(AppError::NotFound)
    );
}

async fn reactions_name_who_reacted(db: &TestDb) {
    let c = company(&db.store).await;
    let p = post(&db.store, &c.an, "general", "Ship it").await.id;
    for (who, emoji, at) in [(&c.chi, "👍", 1), (&c.binh, "🎉", 2), (&c.an, "👍", 3)] {
        posts::toggle_reaction(&db.store, who, p, emoji, NOW + at)
            .await
            .unwrap();
    }
    let card = db
        .store
        .post_card(Reader::of(&c.binh), p)
        .await
        .unwrap()
        .unwrap();
    let named: Vec<(&str, i64, bool, Vec<String>)> = card
        .reactions
        .iter()
        .map(|r| (r.emoji.as_str(), r.count, r.mine, r.people.clone()))
        .collect();
    assert_eq!(
        named,
        [
            (
                "👍",
                2,
                false,
                vec!["Lê Chi".to_owned(), "Nguyễn Văn An".to_owned()]
            ),
            ("🎉", 1, true, vec!["Trần Bình".to_owned()]),
        ],
        "names in the order people reacted"
    );
}

async fn unread_counts_what_others_posted_since_i_looked(db: &TestDb) {
    let c = company(&db.store).await;
    let general = db
        .store
        .channel_access("general", c.an.user_id)
        .await
        .unwrap()
        .unwrap()
        .id;
    // Opening a place: when one looked before, and the mark moves to now.
    let look = |who: PersonId, place: LookedAt, at: i64| {
        let store = db.store.clone();
        async move {
            let before = store.looked_at(who, place).await.unwrap();
            let mut tx = store.begin().await.unwrap();
            tx.mark_looked(who, place, at).await.unwrap();
            tx.commit().await.unwrap();
            before
        }
    };
    assert_eq!(
        look(c.an.user_id, LookedAt::Feed("home"), NOW + 5).await,
        None
    );
    posts::create_post(
        &db.store,
        &c.binh,
        &PostInput {
            channel: "general",
            kind: "update",
            body: "From Bình",
            confirm_channel: false,
            files: &[],
        },
        NOW + 10,
    )
    .await
    .unwrap();
    posts::create_post(
        &db.store,
        &c.an,
        &PostInput {
            channel: "general",
            kind: "update",
            body: "My own",
            confirm_channel: false,
            files: &[],
        },
        NOW + 11,
    )
    .await
    .unwrap();
    posts::create_post(
        &db.store,
        &c.owner,
        &PostInput {
            channel: "secret",
            kind: "update",
            body: "Psst",
            confirm_channel: false,
            files: &[],
        },
        NOW + 12,
    )
    .await
    .unwrap();
    let deleted = posts::create_post(
        &db.store,
        &c.binh,
        &PostInput {
            channel: "general",
            kind: "update",
            body: "Oops",
            confirm_channel: false,
            files: &[],
        },
        NOW + 13,
    )
    .await
    .unwrap()
    .id;
    posts::delete_post(&db.store, &c.binh, deleted, NOW + 14)
        .await
        .unwrap();

    let unread = db
        .store
        .unread_by_channel(Reader::of(&c.an), 100)
        .await
        .unwrap();
    assert_eq!(
        unread.get(&general),
        Some(&1),
        "Bình's post; not my own, not the deleted one"
    );
    let chi = db
        .store
        .unread_by_channel(Reader::of(&c.chi), 100)
        .await
        .unwrap();
    assert_eq!(
        chi.get(&c.secret),
        None,
        "nothing about a private channel Chi is not in"
    );
    assert_eq!(
        chi.get(&general),
        Some(&2),
        "An's and Bình's, not the deleted one"
    );
    // Counting stops where the list stops showing numbers ("99+").
    let capped = db
        .store
        .unread_by_channel(Reader::of(&c.chi), 1)
        .await
        .unwrap();
    assert_eq!(capped.get(&general), Some(&1));

    // Opening the channel the first time measures from joining; then it is read.
    assert_eq!(
        look(c.an.user_id, LookedAt::Channel(general), NOW + 20).await,
        Some(NOW)
    );
    let unread = db
        .store
        .unread_by_channel(Reader::of(&c.an), 100)
        .await
        .unwrap();
    assert_eq!(unread.get(&general), None);
    assert_eq!(
        look(c.an.user_id, LookedAt::Channel(general), NOW + 30).await,
        Some(NOW + 20)
    );
    assert_eq!(
        look(c.an.user_id, LookedAt::Feed("home"), NOW + 40).await,
        Some(NOW + 5)
    );
    // Someone outside a channel keeps no mark in it.
    assert_eq!(
        look(c.chi.user_id, LookedAt::Channel(c.secret), NOW + 50).await,
        None
    );
    assert_eq!(
        look(c.chi.user_id, LookedAt::Channel(c.secret), NOW + 60).await,
        None
    );
}
