//! How events written by one instance reach another's live hub: on PostgreSQL by its
//! NOTIFY, at once; on any backend by the hub's poll of the event log. Each path is
//! proven with the other shut out: the NOTIFY story polls once an hour, the poll story
//! runs on SQLite, where nothing else wakes another instance.

use app::domain::live::LiveHub;
use app::model::{LiveKind, PersonId};
use app::store::Store;
use app::testing::TestDb;
use std::time::{Duration, Instant};

/// Two instances of one company: the test's store, and a second one with its own hub.
async fn second_instance(db: &TestDb, poll: Duration) -> (Store, std::sync::Arc<LiveHub>) {
    let store = Store::connect(&db.url).await.unwrap();
    let hub = LiveHub::start_polling(store.clone(), poll).await.unwrap();
    (store, hub)
}

/// Writes one event through `store` (the first instance) and returns its id.
async fn write_event(store: &Store, recipient: PersonId) -> i64 {
    let mut tx = store.begin().await.unwrap();
    tx.record_event(LiveKind::Notification, None, Some(recipient), None, None, 1)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    store.last_event_id().await.unwrap()
}

/// Waits up to `limit` for `hub` to have broadcast event `id`.
async fn reaches(hub: &LiveHub, id: i64, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if hub.latest() >= id {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_notify_wakes_another_instance_without_polling() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let (other, hub) = second_instance(&db, Duration::from_secs(3600)).await;
    // The hub's LISTEN connects in the background; an event committed before it listens
    // is only found by the (hourly) poll, so keep writing until one is heard. Each gets
    // well under a second, so success can only come from a NOTIFY.
    let mut heard = false;
    for _ in 0..20 {
        let id = write_event(&db.store, PersonId(1)).await;
        if reaches(&hub, id, Duration::from_millis(500)).await {
            heard = true;
            break;
        }
    }
    assert!(heard, "no NOTIFY reached the other instance's hub in 10 s");
    // Once listening, every commit is heard promptly: within the hub's pause after its
    // previous broadcast (`GATHER`), and a second for the NOTIFY and the read.
    for _ in 0..3 {
        let id = write_event(&db.store, PersonId(1)).await;
        assert!(
            reaches(&hub, id, app::domain::live::GATHER + Duration::from_secs(1)).await,
            "event {id} was not heard"
        );
    }
    hub.close();
    other.close().await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polling_alone_catches_another_instance_up() {
    let db = TestDb::sqlite().await;
    let (other, hub) = second_instance(&db, Duration::from_millis(200)).await;
    let first = write_event(&db.store, PersonId(1)).await;
    let second = write_event(&db.store, PersonId(2)).await;
    assert!(second > first);
    assert!(
        reaches(&hub, second, Duration::from_secs(5)).await,
        "the poll did not find the other instance's events"
    );
    hub.close();
    other.close().await;
    db.finish().await;
}
