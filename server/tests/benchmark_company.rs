//! `townhall seed --posts N`: the benchmark company is the same for the same seed, on
//! SQLite and PostgreSQL alike, and the application reads it like any other.

use app::model::{ChannelId, Cursor, PersonId, PostId, PostKind};
use app::store::{FeedScope, NewPost, Reader};
use app::testing::TestDb;
use server::seed::company::{load, Shape};
use sqlx::Row;
use std::hash::{DefaultHasher, Hash, Hasher};

const END: i64 = 1_795_676_700_000;

fn shape(seed: u64) -> Shape {
    Shape {
        users: 60,
        departments: 4,
        channels: 12,
        posts: 3_000,
        days: 30,
        seed,
        end: END,
    }
}

/// Every generated row of every table, in a fixed order (password hashes are salted
/// at random, so they stay out).
const CONTENT: &[&str] = &[
    "SELECT id, email, display_name, handle, department_id, manager_id, role, is_active, created_at FROM users ORDER BY id",
    "SELECT id, slug, kind, is_default, archived_at, created_by, created_at FROM channels ORDER BY id",
    "SELECT channel_id, user_id, role, joined_at, notify FROM channel_members ORDER BY channel_id, user_id",
    "SELECT id, channel_id, author_id, kind, body, comment_count, reaction_count, created_at, audience_only FROM posts ORDER BY id",
    "SELECT id, post_id, parent_id, author_id, body, created_at FROM comments ORDER BY id",
    "SELECT post_id, user_id, emoji, created_at FROM reactions ORDER BY post_id, user_id, emoji",
    "SELECT post_id, user_id FROM post_mentions ORDER BY post_id, user_id",
    "SELECT post_id, tag FROM post_tags ORDER BY post_id, tag",
    "SELECT post_id, audience, must_read, expires_at FROM announcements ORDER BY post_id",
    "SELECT post_id, department_id FROM announcement_departments ORDER BY post_id, department_id",
    "SELECT post_id, user_id, seen_at, acknowledged_at, notified_at FROM announcement_recipients ORDER BY post_id, user_id",
    "SELECT user_id, kind, actor_id, post_id, comment_id, created_at, read_at FROM notifications ORDER BY id",
    "SELECT channel_id, post_id, position, pinned_by, pinned_at FROM pins ORDER BY channel_id, post_id",
    "SELECT day, user_id, department_id, actions FROM activity_people ORDER BY day, user_id",
    "SELECT block, user_id, department_id, active, posted, engaged FROM activity_people_days ORDER BY block, user_id, department_id",
    "SELECT block, channel_id, user_id, days FROM activity_channel_days ORDER BY block, channel_id, user_id",
    "SELECT day, department_id, channel_id, kind, action, n FROM activity_content ORDER BY day, department_id, channel_id, kind, action",
    "SELECT day, department_id, kind, action, n FROM activity_department_content ORDER BY day, department_id, kind, action",
    "SELECT day, channel_id, n FROM activity_channel_posts ORDER BY day, channel_id",
    "SELECT day, hour, department_id, n FROM activity_hours ORDER BY day, hour, department_id",
];

/// A fingerprint of the whole dataset.
async fn digest(url: &str) -> u64 {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let mut hasher = DefaultHasher::new();
    for select in CONTENT {
        let columns = select.split(" FROM ").next().unwrap().matches(',').count() + 1;
        let rows = sqlx::query(select).fetch_all(&pool).await.unwrap();
        assert!(!rows.is_empty(), "{select} found nothing");
        for row in rows {
            for i in 0..columns {
                let cell = row
                    .try_get::<Option<i64>, _>(i)
                    .map(|n| n.map(|n| n.to_string()))
                    .or_else(|_| row.try_get::<Option<String>, _>(i))
                    .unwrap();
                cell.hash(&mut hasher);
            }
        }
    }
    pool.close().await;
    hasher.finish()
}

app::storage_stories!(the_same_seed_gives_the_same_company_and_the_app_reads_it);

async fn the_same_seed_gives_the_same_company_and_the_app_reads_it(db: &TestDb) {
    let summary = load(&db.store, &shape(7)).await.unwrap();
    assert_eq!(
        (summary.users, summary.channels, summary.posts),
        (60, 12, 3_000)
    );
    assert!(
        summary.comments > 2_000 && summary.reactions > 4_000,
        "{summary}"
    );
    assert!(
        summary.mentions > 0 && summary.tags > 0 && summary.pins > 0,
        "{summary}"
    );
    assert!(
        summary.announcements >= 2 && summary.recipients > 50,
        "{summary}"
    );
    // About five events per post (fewer when a drawn actor has left the company).
    assert!(
        summary.activity > 13_000 && summary.activity <= 15_000,
        "{summary}"
    );
    assert!(summary.activity_rows > 1_000, "{summary}");
    // Questions: some answered and accepted.
    assert!(summary.accepted > 50, "{summary}");

    // The planner has statistics for what was loaded (on PostgreSQL; SQLite's plans are
    // measured without them, see `Store::refresh_statistics`). A table never analysed
    // reports -1 tuples.
    if db.store.backend() == app::store::Backend::Postgres {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        let estimated: f64 = sqlx::query_scalar(
            "SELECT CAST(reltuples AS DOUBLE PRECISION) FROM pg_class \
             WHERE relname = 'posts' AND relkind = 'r'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        pool.close().await;
        assert!(estimated >= 2_900.0, "posts has no statistics: {estimated}");
    }

    // The same seed in a fresh SQLite file (whatever this backend is): the same rows.
    let again = TestDb::sqlite().await;
    assert_eq!(load(&again.store, &shape(7)).await.unwrap(), summary);
    let fingerprint = digest(&db.url).await;
    assert_eq!(fingerprint, digest(&again.url).await);
    again.finish().await;
    let other = TestDb::sqlite().await;
    load(&other.store, &shape(8)).await.unwrap();
    assert_ne!(fingerprint, digest(&other.url).await);
    other.finish().await;

    // A member's home feed: newest first, never after the end, and deep pages work.
    let people = db.store.people(&Default::default()).await.unwrap();
    let member = people
        .iter()
        .find(|p| p.person.name.contains(' ') && p.department.is_some())
        .unwrap();
    let reader = Reader {
        user_id: member.person.id,
        guest: false,
        staff: false,
    };
    let first = db
        .store
        .feed(reader, &FeedScope::Home, None, 21)
        .await
        .unwrap();
    assert_eq!(first.len(), 21);
    assert!(first.windows(2).all(|w| w[0].created_at >= w[1].created_at));
    assert!(first.iter().all(|p| p.created_at <= END));
    assert!(END - first[0].created_at < 3 * 24 * 60 * 60 * 1000);
    let middle = Cursor {
        created_at: END - 15 * 24 * 60 * 60 * 1000,
        id: i64::MAX,
    };
    let deep = db
        .store
        .feed(reader, &FeedScope::Home, Some(middle), 21)
        .await
        .unwrap();
    assert_eq!(deep.len(), 21);
    assert!(deep.iter().all(|p| p.created_at < middle.created_at));
    assert!(deep.iter().any(|p| !p.reactions.is_empty()));
    assert!(deep.iter().any(|p| !p.comments.is_empty()));
    // The unanswered list holds open questions only, and accepted ones show answered.
    let open = db
        .store
        .feed(reader, &FeedScope::OpenQuestions(None), None, 50)
        .await
        .unwrap();
    assert_eq!(open.len(), 50);
    assert!(open
        .iter()
        .all(|p| p.kind == app::model::PostKind::Question && p.accepted_answer.is_none()));
    // Every pin the seed made shows on its channel's page, to a member of the channel.
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    let pinned = sqlx::query(
        "SELECT channel_id AS channel, COUNT(*) AS n, \
           (SELECT MIN(m.user_id) FROM channel_members m WHERE m.channel_id = pins.channel_id) \
             AS member \
         FROM pins GROUP BY channel_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    let mut shown = 0;
    for row in &pinned {
        let (channel, n, member): (ChannelId, i64, PersonId) =
            (row.get("channel"), row.get("n"), row.get("member"));
        let reader = Reader {
            user_id: member,
            guest: false,
            staff: false,
        };
        let pins = db.store.channel_pins(reader, channel).await.unwrap();
        assert_eq!(pins.len() as i64, n, "channel {channel}");
        shown += pins.len();
    }
    assert_eq!(shown, summary.pins);

    // New rows continue after the generated ids.
    let mut tx = db.store.begin().await.unwrap();
    let id = tx
        .create_post(&NewPost {
            channel_id: ChannelId(1),
            author_id: member.person.id,
            kind: PostKind::Update,
            body: "after the benchmark company",
            created_at: END + 1,
        })
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(id, PostId(3_001));
}
