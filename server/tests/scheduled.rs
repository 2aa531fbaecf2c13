//! Scheduled posts across instances: two `townhall serve` processes on one PostgreSQL
//! database, both running their scheduler; every due post is published exactly once,
//! with exactly one live event, including those that fell due before either started.

mod common;

use app::model::{LiveKind, PostKind};
use app::store::{FeedScope, NewScheduledPost, Reader};
use app::testing::{CompanyBuilder, TestDb};
use common::{fake_site, free_addr, spawn_serve, wait_until_healthy};
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// How many posts the two schedulers compete for.
const POSTS: i64 = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_publish_each_due_post_exactly_once() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let now = app::store::now_ms();
    let (_, owner) = CompanyBuilder::set_up(&db.store, now).await;
    let owner = owner.user_id;
    let general = db
        .store
        .channel_access("general", owner)
        .await
        .unwrap()
        .unwrap()
        .id;
    // A few already due (as if they fell due while no instance ran), the rest in a
    // second or two, when both instances are up.
    let mut tx = db.store.begin().await.unwrap();
    for n in 0..POSTS {
        let publish_at = if n < 5 { now - 60_000 } else { now + 1_500 };
        tx.schedule_post(&NewScheduledPost {
            channel_id: general,
            author_id: owner,
            kind: PostKind::Update,
            body: &format!("Scheduled {n}"),
            confirm_channel: false,
            publish_at,
            created_at: now,
        })
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let events_before = db.store.last_event_id().await.unwrap();

    let site = fake_site("scheduled");
    let (first, second) = (free_addr(), free_addr());
    let mut one = spawn_serve(first, &db.url, &site);
    let mut two = spawn_serve(second, &db.url, &site);
    wait_until_healthy(first, &mut one);
    wait_until_healthy(second, &mut two);

    let reader = Reader {
        user_id: owner,
        guest: false,
        staff: true,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let published = db
            .store
            .feed(reader, &FeedScope::Company, None, 100)
            .await
            .unwrap()
            .len() as i64;
        if published >= POSTS {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "only {published} of {POSTS} were published"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Both schedulers get at least one more round to publish something twice.
    tokio::time::sleep(app::domain::scheduled::EVERY + Duration::from_secs(1)).await;

    let posts = db
        .store
        .feed(reader, &FeedScope::Company, None, 100)
        .await
        .unwrap();
    let bodies: HashSet<String> = posts.iter().map(|p| p.body.clone()).collect();
    assert_eq!(posts.len() as i64, POSTS, "each post exactly once");
    assert_eq!(bodies.len() as i64, POSTS);
    let events = db.store.events_after(events_before, 1000).await.unwrap();
    let post_events: Vec<_> = events.iter().filter(|e| e.kind == LiveKind::Post).collect();
    assert_eq!(post_events.len() as i64, POSTS, "one live event per post");
    let ids: HashSet<_> = post_events.iter().map(|e| e.post_id).collect();
    assert_eq!(ids.len() as i64, POSTS);
    assert!(db.store.scheduled_by(owner).await.unwrap().is_empty());

    for mut server in [one, two] {
        let _ = server.kill();
        let _ = server.wait();
    }
    db.finish().await;
}
