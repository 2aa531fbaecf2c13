//! Scheduled posts on both backends: invisible until due, then published once with the
//! scheduled time, its mentions and notifications; edited, cancelled, refused in the
//! past, and refused by the policy at publish time (recorded for the author).

use app::domain::posts::PostInput;
use app::domain::scheduled::{self, Outcome, When};
use app::error::{AppError, Field, Invalid};
use app::model::{ChannelId, ChannelKind, NotificationKind, PostId};
use app::policy::Viewer;
use app::store::{FeedScope, ProfileUpdate, Reader, Store};
use app::testing::{CompanyBuilder, TestDb, NOW};

app::storage_stories!(
    a_scheduled_post_appears_once_when_due,
    times_follow_the_authors_time_zone,
    authors_edit_and_cancel_their_own,
    the_policy_is_asked_again_at_publish_time,
    two_instances_holding_the_same_due_posts_publish_each_once,
    its_author_publishes_it_now_dated_now,
    the_publisher_follows_its_clock,
);

/// 2027-01-15 08:00 UTC, 15:00 in Hồ Chí Minh City.
const MINUTE: i64 = 60_000;
/// 2027-01-16 09:30 in Hồ Chí Minh City (UTC+7).
const TOMORROW_0930: i64 = 1_800_066_600_000;

struct Company {
    owner: Viewer,
    an: Viewer,
    binh: Viewer,
    team: ChannelId,
}

/// `general` (everyone) and `team` (public; An is in it).
async fn company(store: &Store) -> Company {
    let (company, owner) = CompanyBuilder::set_up(store, NOW).await;
    let an = company.person("an@saomai.vn", "Nguyễn Văn An").await;
    let binh = company.person("binh@saomai.vn", "Trần Bình").await;
    let team = company
        .channel("team", ChannelKind::Public)
        .by(&owner)
        .member(&an)
        .await;
    Company {
        owner,
        an,
        binh,
        team,
    }
}

async fn schedule(
    store: &Store,
    who: &Viewer,
    channel: &str,
    body: &str,
    date: &str,
    time: &str,
) -> Result<i64, AppError> {
    let input = PostInput {
        channel,
        kind: "update",
        body,
        confirm_channel: false,
        files: &[],
    };
    scheduled::schedule(store, who, &input, &When { date, time }, NOW).await
}

async fn company_feed(store: &Store, who: &Viewer) -> Vec<(PostId, String, i64)> {
    store
        .feed(Reader::of(who), &FeedScope::Company, None, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.id, p.body, p.created_at))
        .collect()
}

async fn a_scheduled_post_appears_once_when_due(db: &TestDb) {
    let c = company(&db.store).await;
    let events_before = db.store.last_event_id().await.unwrap();
    let id = schedule(
        &db.store,
        &c.an,
        "general",
        "Launch day, @binh! #launch",
        "2027-01-16",
        "09:30",
    )
    .await
    .unwrap();
    let pending = scheduled::list(&db.store, &c.an).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].publish_at, TOMORROW_0930);

    // Nothing shows, notifies or streams before its time.
    assert!(company_feed(&db.store, &c.binh).await.is_empty());
    assert!(scheduled::publish_due(&db.store, TOMORROW_0930 - 1)
        .await
        .unwrap()
        .is_empty());
    assert!(company_feed(&db.store, &c.binh).await.is_empty());
    assert_eq!(
        db.store.unread_notifications(c.binh.user_id).await.unwrap(),
        0
    );
    assert_eq!(db.store.last_event_id().await.unwrap(), events_before);

    // A few seconds late, it is published as of its scheduled time.
    let done = scheduled::publish_due(&db.store, TOMORROW_0930 + 4_000)
        .await
        .unwrap();
    let post = db.store.scheduled_post_id(id).await.unwrap().unwrap();
    assert_eq!(done, [(id, Outcome::Published(post))]);
    assert_eq!(
        company_feed(&db.store, &c.binh).await,
        [(post, "Launch day, @binh! #launch".to_owned(), TOMORROW_0930)]
    );
    let mentions = db
        .store
        .feed(Reader::of(&c.binh), &FeedScope::Mentions, None, 50)
        .await
        .unwrap();
    assert_eq!(mentions.len(), 1);
    let tagged = db
        .store
        .feed(
            Reader::of(&c.binh),
            &FeedScope::Tag("launch".into()),
            None,
            50,
        )
        .await
        .unwrap();
    assert_eq!(tagged.len(), 1);
    let lines = db
        .store
        .notifications(c.binh.user_id, false, 50)
        .await
        .unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].kind, NotificationKind::Mention);
    assert_eq!(lines[0].post_id, Some(post));
    let events = db.store.events_after(events_before, 50).await.unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.kind == app::model::LiveKind::Post)
            .map(|e| e.post_id)
            .collect::<Vec<_>>(),
        [Some(post)]
    );

    // It is no longer pending, and later rounds publish nothing again.
    assert!(scheduled::list(&db.store, &c.an).await.unwrap().is_empty());
    assert!(
        scheduled::publish_due(&db.store, TOMORROW_0930 + 10 * MINUTE)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(company_feed(&db.store, &c.binh).await.len(), 1);
    // Once out, it can be neither edited nor cancelled as a scheduled post.
    assert_eq!(
        scheduled::cancel(&db.store, &c.an, id, NOW).await,
        Err(AppError::NotFound)
    );
}

async fn times_follow_the_authors_time_zone(db: &TestDb) {
    let c = company(&db.store).await;
    // The company's zone for An; Bình lives in Paris (UTC+1 in January).
    let mut tx = db.store.begin().await.unwrap();
    tx.update_profile(
        c.binh.user_id,
        &ProfileUpdate {
            display_name: "Trần Bình",
            job_title: "",
            location: "",
            time_zone: Some("Europe/Paris"),
            start_date: None,
            birthday: None,
            birthday_public: false,
            expertise: "",
            responsibilities: "",
            organisation: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let paris = schedule(
        &db.store,
        &c.binh,
        "general",
        "Bonjour",
        "2027-01-16",
        "09:30",
    )
    .await
    .unwrap();
    let listed = scheduled::list(&db.store, &c.binh).await.unwrap();
    assert_eq!(listed[0].id, paris);
    assert_eq!(
        listed[0].publish_at,
        TOMORROW_0930 + 7 * 60 * MINUTE - 60 * MINUTE
    );
    assert_eq!(
        scheduled::local(listed[0].publish_at, "Europe/Paris"),
        ("2027-01-16".to_owned(), "09:30".to_owned())
    );

    // The past is refused, to the minute, and so are half-given or impossible times.
    let past = schedule(&db.store, &c.an, "general", "Late", "2027-01-15", "15:00").await;
    assert_eq!(past, Err(Invalid::ScheduledInPast.into()));
    let soon = schedule(&db.store, &c.an, "general", "Soon", "2027-01-15", "15:01")
        .await
        .unwrap();
    let pending = scheduled::list(&db.store, &c.an).await.unwrap();
    let item = pending.iter().find(|p| p.id == soon).expect("listed");
    assert_eq!(
        (
            item.body.as_str(),
            scheduled::local(item.publish_at, "Asia/Ho_Chi_Minh")
        ),
        ("Soon", ("2027-01-15".to_owned(), "15:01".to_owned()))
    );
    for (date, time) in [
        ("2027-01-16", ""),
        ("2027-02-30", "10:00"),
        ("soon", "10:00"),
    ] {
        let refused = schedule(&db.store, &c.an, "general", "X", date, time).await;
        assert!(
            matches!(
                refused,
                Err(AppError::Invalid(
                    Invalid::Required(Field::PublishAt) | Invalid::Unacceptable(Field::PublishAt)
                ))
            ),
            "{date} {time}: {refused:?}"
        );
    }
    // What posting refuses, scheduling refuses too, at once.
    assert_eq!(
        schedule(&db.store, &c.an, "general", "  ", "2027-01-16", "10:00").await,
        Err(Invalid::Required(Field::Post).into())
    );
    assert_eq!(
        schedule(&db.store, &c.an, "nowhere", "X", "2027-01-16", "10:00").await,
        Err(AppError::NotFound)
    );
}

async fn authors_edit_and_cancel_their_own(db: &TestDb) {
    let c = company(&db.store).await;
    let first = schedule(
        &db.store,
        &c.an,
        "general",
        "Draft one",
        "2027-01-16",
        "09:30",
    )
    .await
    .unwrap();
    let second = schedule(
        &db.store,
        &c.an,
        "general",
        "Draft two",
        "2027-01-17",
        "09:30",
    )
    .await
    .unwrap();
    let later = When {
        date: "2027-01-16",
        time: "11:00",
    };

    // Nobody else sees, edits or cancels them, not even the owner.
    assert!(scheduled::list(&db.store, &c.owner)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        scheduled::edit(&db.store, &c.owner, first, "Mine now", &later, NOW).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        scheduled::cancel(&db.store, &c.binh, first, NOW).await,
        Err(AppError::NotFound)
    );

    // The author moves the first and rewrites it; the past stays refused.
    let past = When {
        date: "2027-01-15",
        time: "08:00",
    };
    assert_eq!(
        scheduled::edit(&db.store, &c.an, first, "Better", &past, NOW).await,
        Err(Invalid::ScheduledInPast.into())
    );
    scheduled::edit(&db.store, &c.an, first, "Better draft", &later, NOW + 1)
        .await
        .unwrap();
    scheduled::cancel(&db.store, &c.an, second, NOW + 2)
        .await
        .unwrap();
    let listed = scheduled::list(&db.store, &c.an).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].id, listed[0].body.as_str(), listed[0].publish_at),
        (first, "Better draft", TOMORROW_0930 + 90 * MINUTE)
    );
    assert_eq!(
        scheduled::cancel(&db.store, &c.an, second, NOW + 3).await,
        Err(AppError::NotFound)
    );

    // At its old time nothing goes out; at the new one, the new text does, and the
    // cancelled one never does.
    assert!(scheduled::publish_due(&db.store, TOMORROW_0930)
        .await
        .unwrap()
        .is_empty());
    let done = scheduled::publish_due(&db.store, TOMORROW_0930 + 2 * 24 * 60 * MINUTE)
        .await
        .unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(
        company_feed(&db.store, &c.binh)
            .await
            .into_iter()
            .map(|(_, body, at)| (body, at))
            .collect::<Vec<_>>(),
        [("Better draft".to_owned(), TOMORROW_0930 + 90 * MINUTE)]
    );
}

async fn the_policy_is_asked_again_at_publish_time(db: &TestDb) {
    let c = company(&db.store).await;
    let archived = schedule(
        &db.store,
        &c.an,
        "team",
        "For the team",
        "2027-01-16",
        "09:30",
    )
    .await
    .unwrap();
    let kept = schedule(
        &db.store,
        &c.an,
        "general",
        "For everyone",
        "2027-01-16",
        "09:30",
    )
    .await
    .unwrap();
    let mut tx = db.store.begin().await.unwrap();
    tx.set_channel_archived(c.team, Some(NOW + MINUTE))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let done = scheduled::publish_due(&db.store, TOMORROW_0930)
        .await
        .unwrap();
    assert!(done.contains(&(archived, Outcome::Failed)), "{done:?}");
    assert!(matches!(
        done.iter().find(|(id, _)| *id == kept),
        Some((_, Outcome::Published(_)))
    ));
    assert_eq!(db.store.scheduled_post_id(archived).await.unwrap(), None);
    // The author sees why; the failure is not retried on its own.
    let listed = scheduled::list(&db.store, &c.an).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, archived);
    assert_eq!(
        listed[0].failure.as_deref().map(scheduled::failure_error),
        Some(AppError::ChannelArchived)
    );
    assert!(scheduled::publish_due(&db.store, TOMORROW_0930 + MINUTE)
        .await
        .unwrap()
        .is_empty());

    // Once the channel is open again, editing the post tries again.
    let mut tx = db.store.begin().await.unwrap();
    tx.set_channel_archived(c.team, None).await.unwrap();
    tx.commit().await.unwrap();
    let retry = When {
        date: "2027-01-16",
        time: "10:00",
    };
    scheduled::edit(
        &db.store,
        &c.an,
        archived,
        "For the team",
        &retry,
        TOMORROW_0930 + MINUTE,
    )
    .await
    .unwrap();
    let done = scheduled::publish_due(&db.store, TOMORROW_0930 + 30 * MINUTE)
        .await
        .unwrap();
    assert!(matches!(done.as_slice(), [(id, Outcome::Published(_))] if *id == archived));
}

/// Two instances' publishers read the same due rows and race for each: exactly one
/// publishes it, the other is told it lost, and every post appears once.
async fn two_instances_holding_the_same_due_posts_publish_each_once(db: &TestDb) {
    let c = company(&db.store).await;
    let other = Store::connect(&db.url).await.unwrap();
    for i in 0..4 {
        let body = format!("Race {i}");
        schedule(&db.store, &c.an, "general", &body, "2027-01-16", "09:30")
            .await
            .unwrap();
    }
    let now = TOMORROW_0930 + MINUTE;
    // Both have read the same rows before either claims one: the contention is forced.
    let here = db.store.due_scheduled(now, 10).await.unwrap();
    let there = other.due_scheduled(now, 10).await.unwrap();
    assert_eq!(here.len(), 4);
    assert_eq!(there.len(), 4);
    for (mine, theirs) in here.iter().zip(&there) {
        assert_eq!(mine.id, theirs.id);
        let (a, b) = tokio::join!(
            scheduled::publish(&db.store, mine, now),
            scheduled::publish(&other, theirs, now)
        );
        let mut outcomes = [a.unwrap(), b.unwrap()];
        outcomes.sort_by_key(|o| matches!(o, Outcome::Skipped));
        let Outcome::Published(post) = outcomes[0] else {
            panic!("neither instance published {}: {outcomes:?}", mine.id);
        };
        assert_eq!(outcomes[1], Outcome::Skipped, "the loser is told it lost");
        assert_eq!(
            db.store.scheduled_post_id(mine.id).await.unwrap(),
            Some(post)
        );
    }
    // Nothing is left due, and each post is in the feed exactly once.
    assert!(scheduled::publish_due(&other, now)
        .await
        .unwrap()
        .is_empty());
    let mut bodies: Vec<String> = company_feed(&db.store, &c.binh)
        .await
        .into_iter()
        .map(|(_, body, _)| body)
        .collect();
    bodies.sort();
    assert_eq!(bodies, ["Race 0", "Race 1", "Race 2", "Race 3"]);
    other.close().await;
}

/// "Publish now" puts a pending post out at once, dated now rather than at its time; for
/// anyone else it does not exist, and a post refused at its time stays refused.
async fn its_author_publishes_it_now_dated_now(db: &TestDb) {
    let c = company(&db.store).await;
    let id = schedule(
        &db.store,
        &c.an,
        "team",
        "Ahead of time",
        "2027-01-16",
        "09:30",
    )
    .await
    .unwrap();
    for other in [&c.binh, &c.owner] {
        assert_eq!(
            scheduled::publish_now(&db.store, other, id, NOW + MINUTE).await,
            Err(AppError::NotFound)
        );
    }
    assert!(company_feed(&db.store, &c.an).await.is_empty());

    let (post, slug, name) = scheduled::publish_now(&db.store, &c.an, id, NOW + MINUTE)
        .await
        .unwrap();
    assert_eq!((slug.as_str(), name.as_str()), ("team", "team"));
    assert_eq!(
        company_feed(&db.store, &c.an).await,
        [(post, "Ahead of time".to_owned(), NOW + MINUTE)]
    );
    assert_eq!(db.store.scheduled_post_id(id).await.unwrap(), Some(post));
    assert!(scheduled::list(&db.store, &c.an).await.unwrap().is_empty());
    // Neither again, nor later by the publisher.
    assert_eq!(
        scheduled::publish_now(&db.store, &c.an, id, NOW + 2 * MINUTE).await,
        Err(AppError::NotFound)
    );
    assert!(scheduled::publish_due(&db.store, TOMORROW_0930)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(company_feed(&db.store, &c.an).await.len(), 1);

    // Into an archived channel: refused with the reason, recorded, and not retried.
    let refused = schedule(&db.store, &c.an, "team", "Too late", "2027-01-16", "09:30")
        .await
        .unwrap();
    let mut tx = db.store.begin().await.unwrap();
    tx.set_channel_archived(c.team, Some(NOW + MINUTE))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    for _ in 0..2 {
        assert_eq!(
            scheduled::publish_now(&db.store, &c.an, refused, NOW + 2 * MINUTE).await,
            Err(AppError::ChannelArchived)
        );
    }
    let listed = scheduled::list(&db.store, &c.an).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].failure.as_deref(), Some("archived"));
    assert_eq!(db.store.scheduled_post_id(refused).await.unwrap(), None);
}

/// The running publisher reads the time from the clock it is given: nothing goes out
/// before the post's time, and it goes out once the clock passes it, without a test
/// waiting for a real minute.
async fn the_publisher_follows_its_clock(db: &TestDb) {
    use std::sync::atomic::{AtomicI64, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    let c = company(&db.store).await;
    let id = schedule(
        &db.store,
        &c.an,
        "general",
        "On the dot",
        "2027-01-16",
        "09:30",
    )
    .await
    .unwrap();
    let time = Arc::new(AtomicI64::new(TOMORROW_0930 - 1));
    let clock = {
        let time = time.clone();
        Arc::new(move || time.load(Ordering::SeqCst))
    };
    let publisher =
        scheduled::Scheduler::start_with(db.store.clone(), clock, Duration::from_millis(10));
    // Many rounds run before its time, and publish nothing.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(db.store.scheduled_post_id(id).await.unwrap(), None);
    assert!(company_feed(&db.store, &c.binh).await.is_empty());

    time.store(TOMORROW_0930, Ordering::SeqCst);
    let mut post = None;
    for _ in 0..500 {
        post = db.store.scheduled_post_id(id).await.unwrap();
        if post.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    publisher.stop().await;
    let post = post.expect("the publisher never published the due post");
    assert_eq!(
        company_feed(&db.store, &c.binh).await,
        [(post, "On the dot".to_owned(), TOMORROW_0930)]
    );
}
