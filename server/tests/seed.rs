//! `townhall seed --demo` on both backends.

use app::model::ChannelKind;
use app::store::FeedScope;
use app::testing::{TestDb, ANY_MEMBER};
use server::seed::demo::{seed, Outcome, COMPANY};

app::storage_stories!(demo_company_is_complete_and_seeded_once);

async fn demo_company_is_complete_and_seeded_once(db: &TestDb) {
    let Outcome::Seeded(summary) = seed(&db.store).await.unwrap() else {
        panic!("an empty database must be seeded")
    };
    assert!(
        summary.starts_with("60 people in 6 departments, 8 channels"),
        "{summary}"
    );

    let (site, time_zone) = db.store.company().await.unwrap().unwrap();
    assert_eq!(
        (site.company_name.as_str(), time_zone.as_str()),
        (COMPANY, "Asia/Ho_Chi_Minh")
    );

    let people = db.store.people(&Default::default()).await.unwrap();
    assert_eq!(people.len(), 60);
    assert!(people.iter().all(|p| p.department.is_some()));
    assert!(people.iter().any(|p| p.person.name == "Sarah Johnson"));
    assert!(
        people
            .iter()
            .filter(|p| p.person.name.contains('ễ')
                || p.person.name.contains('ầ')
                || p.person.name.contains('ư'))
            .count()
            > 5
    );

    // Profiles say what to ask whom: HR's head is found by what she is responsible for.
    let filter = app::store::PeopleFilter {
        text: "bang luong hang thang".into(),
        ..Default::default()
    };
    let found = db.store.people(&filter).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].person.name, "Đặng Thị Hương");
    let hr_head = db.store.person(found[0].person.id).await.unwrap().unwrap();
    assert_eq!(hr_head.expertise.lines().count(), 2);
    assert_eq!(
        db.store.manager_chain(found[0].person.id).await.unwrap()[0].name,
        "Trần Minh Quân"
    );

    let channels = db.store.listed_channels(ANY_MEMBER).await.unwrap();
    assert_eq!(channels.len(), 7, "the private channel is not listed");
    let general = &channels[0];
    assert!(general.is_default && general.member_count == 60);
    assert!(channels.iter().any(|c| c.kind == ChannelKind::Announcement));

    let pins = db.store.company_pins(ANY_MEMBER).await.unwrap();
    assert_eq!(pins.len(), 1);
    let feed = db
        .store
        .feed(ANY_MEMBER, &FeedScope::Company, None, 100)
        .await
        .unwrap();
    assert!(feed.len() > 25);
    // A living company: the newest post is from the last day, the oldest within the week.
    let now = app::store::now_ms();
    let day = 24 * 60 * 60 * 1000;
    assert!(now - feed[0].created_at < day + 10 * 60 * 60 * 1000);
    assert!(feed
        .iter()
        .all(|p| p.created_at <= now && now - p.created_at < 8 * day));
    assert!(
        feed.iter().any(|p| !p.reactions.is_empty()) && feed.iter().any(|p| !p.comments.is_empty())
    );

    // The dashboard is alive: a department head (a leader, not staff) reads it, most
    // people were active this month, and customer care lags.
    let nam = db
        .store
        .people(&app::store::PeopleFilter {
            text: "le hoang nam".into(),
            ..Default::default()
        })
        .await
        .unwrap()[0]
        .person
        .id;
    let leader = app::policy::Viewer {
        user_id: nam,
        name: "Lê Hoàng Nam".into(),
        role: app::model::Role::Member,
        leader: true,
    };
    let month = app::model::DashboardFilter::default();
    let board = app::domain::dashboard::dashboard(&db.store, &leader, &month, now)
        .await
        .unwrap();
    let app::model::Guarded::Shown(figures) = board.figures else {
        panic!("sixty people are enough to show figures")
    };
    assert!(figures.active.now >= 50.0, "{:?}", figures.active);
    assert!(figures.content.posts.now > 0.0 && figures.content.reactions.now > 0.0);
    assert!(matches!(figures.leaders, app::model::Guarded::Shown(_)));
    let care = figures
        .departments
        .iter()
        .find(|d| d.name == "Chăm sóc khách hàng")
        .unwrap();
    assert!(matches!(&care.figures, app::model::Guarded::Shown(n) if n.lagging));

    // Knowledge pages: HR's travel-expense process (read by everyone in the company),
    // and its onboarding page overdue for review, in its head's queue.
    let home = app::domain::knowledge::home(&db.store, &leader, now)
        .await
        .unwrap();
    let pages: Vec<&app::model::knowledge::PageSummary> =
        home.spaces.iter().flat_map(|s| &s.pages).collect();
    assert!(pages
        .iter()
        .any(|p| p.title == "Quy trình hoàn ứng công tác phí"
            && p.state == app::model::knowledge::ReviewState::Verified));
    assert!(pages.iter().any(|p| p.title.starts_with("Hội nhập")
        && p.state != app::model::knowledge::ReviewState::Verified
        && p.owner.id == found[0].person.id));
    assert!(home.spaces.len() >= 3, "HR, Engineering, the company");

    // A second run leaves everything as it was.
    assert!(matches!(
        seed(&db.store).await.unwrap(),
        Outcome::AlreadyHasData
    ));
    assert_eq!(
        db.store.people(&Default::default()).await.unwrap().len(),
        60
    );
}
