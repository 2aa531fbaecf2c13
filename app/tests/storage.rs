//! The storage suite: every story runs on SQLite and on PostgreSQL (see `storage_stories!`).

use app::model::{ChannelId, ChannelKind, Cursor, DepartmentId, PersonId, PostId, PostKind};
use app::store::{FeedScope, NewComment, NewPost, PeopleFilter, Store, StoreError};
use app::testing::{CompanyBuilder, TestDb, ANY_MEMBER};

/// Stories about SQLite's own machinery (its settings, its single writer): on PostgreSQL
/// they would pass without testing anything, so they run on SQLite only.
mod sqlite_only {
    use app::testing::TestDb;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_runs_in_wal_with_foreign_keys() {
        let db = TestDb::sqlite().await;
        super::sqlite_runs_in_wal_with_foreign_keys(&db).await;
        db.finish().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn waiting_writers_get_their_turn_in_arrival_order() {
        let db = TestDb::sqlite().await;
        super::waiting_writers_get_their_turn_in_arrival_order(&db).await;
        db.finish().await;
    }
}

app::storage_stories!(
    migrations_are_idempotent_and_safe_to_race,
    feed_is_newest_first_and_pages_by_keyset,
    feed_never_shows_private_channels,
    cards_carry_reaction_counts_and_latest_comments,
    reacting_twice_changes_nothing,
    pins_keep_their_order,
    channel_list_counts_members_and_posts,
    people_are_listed_by_name_with_their_department,
    directory_search_ignores_diacritics_and_filters_by_department,
    an_uncommitted_transaction_leaves_nothing,
    writers_that_read_first_wait_their_turn,
    bad_references_are_rejected,
);

/// A tiny company: two departments, three people, a public, a private and an
/// announcement channel.
struct Company {
    alice: PersonId,
    bao: PersonId,
    chi: PersonId,
    general: ChannelId,
    secret: ChannelId,
    news: ChannelId,
}

async fn company(store: &Store) -> Company {
    let company = CompanyBuilder::bare(store, "Acme", "Asia/Ho_Chi_Minh", 0).await;
    let sales = company.department("Kinh doanh").await;
    let eng = company.department("Kỹ thuật").await;
    let person = |email, name, department| {
        company
            .person(email, name)
            .department(department)
            .job_title("Engineer")
            .location("Hà Nội")
    };
    let alice = person("alice@x.vn", "Alice Smith", Some(eng)).await;
    let bao = person("bao@x.vn", "Trần Quốc Bảo", Some(sales)).await;
    let chi = person("chi@x.vn", "Chi Nguyễn", None).await;
    let general = company
        .channel("general", ChannelKind::Public)
        .company_wide()
        .by(&alice)
        .members(&[(&alice, false), (&bao, false), (&chi, false)])
        .await;
    let secret = company
        .channel("secret", ChannelKind::Private)
        .by(&alice)
        .admin(&alice)
        .await;
    let news = company
        .channel("news", ChannelKind::Announcement)
        .by(&alice)
        .admin(&alice)
        .await;
    Company {
        alice: alice.user_id,
        bao: bao.user_id,
        chi: chi.user_id,
        general,
        secret,
        news,
    }
}

async fn post(
    store: &Store,
    channel_id: ChannelId,
    author_id: PersonId,
    body: &str,
    created_at: i64,
) -> PostId {
    let mut tx = store.begin().await.unwrap();
    let id = tx
        .create_post(&NewPost {
            channel_id,
            author_id,
            kind: PostKind::Update,
            body,
            created_at,
        })
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn migrations_are_idempotent_and_safe_to_race(db: &TestDb) {
    db.store.migrate().await.unwrap();
    // Two more processes start at once against the same database.
    let (a, b) = tokio::join!(Store::connect(&db.url), Store::connect(&db.url));
    let (a, b) = (a.unwrap(), b.unwrap());
    let (ra, rb) = tokio::join!(a.migrate(), b.migrate());
    ra.unwrap();
    rb.unwrap();
    a.ping().await.unwrap();
    a.close().await;
    b.close().await;
}

async fn sqlite_runs_in_wal_with_foreign_keys(db: &TestDb) {
    assert_eq!(db.sqlite_pragma("journal_mode").await, "wal");
    assert_eq!(db.sqlite_pragma("foreign_keys").await, "1");
    assert_eq!(db.sqlite_pragma("busy_timeout").await, "5000");
}

async fn feed_is_newest_first_and_pages_by_keyset(db: &TestDb) {
    let c = company(&db.store).await;
    // Five posts; two share a timestamp, so only the id breaks the tie.
    let p1 = post(&db.store, c.general, c.alice, "one", 1_000).await;
    let p2 = post(&db.store, c.general, c.bao, "two", 2_000).await;
    let p3 = post(&db.store, c.news, c.alice, "three", 3_000).await;
    let p4 = post(&db.store, c.general, c.chi, "four", 3_000).await;
    let p5 = post(&db.store, c.general, c.bao, "five", 5_000).await;

    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = db
            .store
            .feed(ANY_MEMBER, &FeedScope::Company, cursor, 2)
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 2);
        cursor = page.last().map(|p| Cursor {
            created_at: p.created_at,
            id: p.id.0,
        });
        seen.extend(page.iter().map(|p| p.id));
    }
    assert_eq!(seen, vec![p5, p4, p3, p2, p1]);

    let first = &db
        .store
        .feed(ANY_MEMBER, &FeedScope::Company, None, 1)
        .await
        .unwrap()[0];
    assert_eq!(
        (
            first.body.as_str(),
            first.author.name.as_str(),
            first.channel_slug.as_str()
        ),
        ("five", "Trần Quốc Bảo", "general")
    );
    assert_eq!(first.kind, PostKind::Update);
    assert!(!first.edited);
}

async fn feed_never_shows_private_channels(db: &TestDb) {
    let c = company(&db.store).await;
    post(&db.store, c.secret, c.alice, "budget draft", 2_000).await;
    let visible = post(&db.store, c.general, c.alice, "hello", 1_000).await;
    let feed = db
        .store
        .feed(ANY_MEMBER, &FeedScope::Company, None, 10)
        .await
        .unwrap();
    assert_eq!(feed.iter().map(|p| p.id).collect::<Vec<_>>(), vec![visible]);
}

async fn cards_carry_reaction_counts_and_latest_comments(db: &TestDb) {
    let c = company(&db.store).await;
    let p = post(&db.store, c.general, c.alice, "news", 1_000).await;
    let quiet = post(&db.store, c.general, c.bao, "quiet", 500).await;
    let mut tx = db.store.begin().await.unwrap();
    // The last one replies to the one before, in Vietnamese with what a list packed as
    // JSON must escape.
    let last_body = "Chào \"mọi người\"\n\\ <b>đ</b>";
    let mut ids = Vec::new();
    for (i, author) in [c.bao, c.chi, c.alice, c.bao, c.chi]
        .into_iter()
        .enumerate()
    {
        let body = if i == 4 {
            last_body.to_owned()
        } else {
            format!("comment {i}")
        };
        let id = tx
            .create_comment(&NewComment {
                post_id: p,
                parent_id: (i == 4).then(|| ids[3]),
                author_id: author,
                body: &body,
                created_at: 2_000 + i as i64,
            })
            .await
            .unwrap();
        ids.push(id);
    }
    for (user, emoji) in [
        (c.alice, "👍"),
        (c.bao, "👍"),
        (c.chi, "🎉"),
        (c.bao, "❤️"),
        (c.chi, "👍"),
    ] {
        assert!(tx.add_reaction(p, user, emoji, 3_000).await.unwrap());
    }
    tx.commit().await.unwrap();

    let feed = db
        .store
        .feed(ANY_MEMBER, &FeedScope::Company, None, 10)
        .await
        .unwrap();
    let card = feed.iter().find(|x| x.id == p).unwrap();
    assert_eq!(card.comment_count, 5);
    // The latest three, oldest of them first.
    // The store hands out the Markdown; rendering is the domain's (`domain::feed`).
    let bodies: Vec<_> = card.comments.iter().map(|c| c.body_html.as_str()).collect();
    assert_eq!(bodies, ["comment 2", "comment 3", last_body]);
    assert_eq!(card.comments[0].author.name, "Alice Smith");
    let shown: Vec<_> = card
        .comments
        .iter()
        .map(|cm| (cm.id, cm.parent_id, cm.author.id, cm.created_at))
        .collect();
    assert_eq!(
        shown,
        [
            (ids[2], None, c.alice, 2_002),
            (ids[3], None, c.bao, 2_003),
            (ids[4], Some(ids[3]), c.chi, 2_004)
        ]
    );
    // Most used first, then by emoji.
    let reactions: Vec<_> = card
        .reactions
        .iter()
        .map(|r| (r.emoji.as_str(), r.count))
        .collect();
    let mut tail = reactions[1..].to_vec();
    tail.sort();
    assert_eq!(reactions[0], ("👍", 3));
    assert_eq!(tail, [("❤️", 1), ("🎉", 1)]);
    let quiet_card = feed.iter().find(|x| x.id == quiet).unwrap();
    assert!(quiet_card.comments.is_empty() && quiet_card.reactions.is_empty());
}

async fn reacting_twice_changes_nothing(db: &TestDb) {
    let c = company(&db.store).await;
    let p = post(&db.store, c.general, c.alice, "news", 1_000).await;
    let mut tx = db.store.begin().await.unwrap();
    assert!(tx.add_reaction(p, c.bao, "👍", 1).await.unwrap());
    assert!(!tx.add_reaction(p, c.bao, "👍", 2).await.unwrap());
    tx.commit().await.unwrap();
    let card = &db
        .store
        .feed(ANY_MEMBER, &FeedScope::Company, None, 1)
        .await
        .unwrap()[0];
    assert_eq!(card.reactions.len(), 1);
    assert_eq!(card.reactions[0].count, 1);
}

async fn pins_keep_their_order(db: &TestDb) {
    let c = company(&db.store).await;
    let older = post(&db.store, c.general, c.alice, "rules", 1_000).await;
    let newer = post(&db.store, c.general, c.alice, "welcome", 2_000).await;
    post(&db.store, c.general, c.alice, "not pinned", 3_000).await;
    let elsewhere = post(
        &db.store,
        c.news,
        c.alice,
        "pinned in another channel",
        4_000,
    )
    .await;
    let mut tx = db.store.begin().await.unwrap();
    tx.pin_post(newer, c.alice, 10).await.unwrap();
    tx.pin_post(older, c.alice, 11).await.unwrap();
    tx.pin_post(elsewhere, c.alice, 12).await.unwrap();
    tx.commit().await.unwrap();
    let pins: Vec<_> = db
        .store
        .company_pins(ANY_MEMBER)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(pins, vec![newer, older]);
}

async fn channel_list_counts_members_and_posts(db: &TestDb) {
    let c = company(&db.store).await;
    post(&db.store, c.general, c.alice, "a", 1).await;
    post(&db.store, c.general, c.bao, "b", 2).await;
    post(&db.store, c.secret, c.alice, "c", 3).await;
    let list = db.store.listed_channels(ANY_MEMBER).await.unwrap();
    let summary: Vec<_> = list
        .iter()
        .map(|ch| {
            (
                ch.slug.as_str(),
                ch.kind,
                ch.is_default,
                ch.member_count,
                ch.post_count,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("general", ChannelKind::Public, true, 3, 2),
            ("news", ChannelKind::Announcement, false, 1, 0)
        ]
    );
}

async fn people_are_listed_by_name_with_their_department(db: &TestDb) {
    company(&db.store).await;
    let people = db.store.people(&PeopleFilter::default()).await.unwrap();
    let rows: Vec<_> = people
        .iter()
        .map(|p| (p.person.name.as_str(), p.department.as_deref()))
        .collect();
    assert_eq!(
        rows,
        [
            ("Alice Smith", Some("Kỹ thuật")),
            ("Chi Nguyễn", None),
            ("Trần Quốc Bảo", Some("Kinh doanh"))
        ]
    );
}

async fn an_uncommitted_transaction_leaves_nothing(db: &TestDb) {
    let c = company(&db.store).await;
    {
        let mut tx = db.store.begin().await.unwrap();
        let p = tx
            .create_post(&NewPost {
                channel_id: c.general,
                author_id: c.alice,
                kind: PostKind::Question,
                body: "?",
                created_at: 1,
            })
            .await
            .unwrap();
        tx.create_comment(&NewComment {
            post_id: p,
            parent_id: None,
            author_id: c.bao,
            body: "!",
            created_at: 2,
        })
        .await
        .unwrap();
        // Dropped without commit.
    }
    assert!(db
        .store
        .feed(ANY_MEMBER, &FeedScope::Company, None, 10)
        .await
        .unwrap()
        .is_empty());
}

async fn bad_references_are_rejected(db: &TestDb) {
    let c = company(&db.store).await;
    let mut tx = db.store.begin().await.unwrap();
    let err = tx
        .create_post(&NewPost {
            channel_id: ChannelId(999_999),
            author_id: c.alice,
            kind: PostKind::Update,
            body: "x",
            created_at: 1,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Database(_)), "{err:?}");
    drop(tx);
    let mut tx = db.store.begin().await.unwrap();
    let err = tx.create_department("Kinh doanh").await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict), "{err:?}");
}

async fn directory_search_ignores_diacritics_and_filters_by_department(db: &TestDb) {
    company(&db.store).await;
    let departments = db.store.departments().await.unwrap();
    let names: Vec<_> = departments
        .iter()
        .map(|d| (d.name.as_str(), d.people))
        .collect();
    assert_eq!(names, [("Kinh doanh", 1), ("Kỹ thuật", 1)]);
    let (sales, eng) = (departments[0].id, departments[1].id);

    let search = |text: &str, department_id: Option<DepartmentId>| {
        let filter = PeopleFilter {
            text: text.to_owned(),
            department_id,
            ..PeopleFilter::default()
        };
        let store = db.store.clone();
        async move {
            let found = store.people(&filter).await.unwrap();
            found.into_iter().map(|p| p.person.name).collect::<Vec<_>>()
        }
    };
    assert_eq!(search("tran bao", None).await, ["Trần Quốc Bảo"]);
    assert_eq!(search("TRẦN  quốc", None).await, ["Trần Quốc Bảo"]);
    assert_eq!(search("nguyen", None).await, ["Chi Nguyễn"]);
    assert_eq!(
        search("x.vn engineer", None).await.len(),
        3,
        "e-mail and title are searched too"
    );
    assert!(
        search("bao alice", None).await.is_empty(),
        "every word must match"
    );
    assert!(
        search("%", None).await.is_empty(),
        "LIKE wildcards are literal"
    );
    assert!(search("_", None).await.is_empty());
    assert_eq!(search("", Some(eng)).await, ["Alice Smith"]);
    assert!(search("bao", Some(eng)).await.is_empty());
    assert_eq!(search("bao", Some(sales)).await, ["Trần Quốc Bảo"]);
}

/// Transactions that read before they write, overlapping: each waits for the write lock
/// instead of failing with "database is locked" (SQLite's deferred transactions would).
async fn writers_that_read_first_wait_their_turn(db: &TestDb) {
    use app::calendar::Calendar;
    use app::store::{Activity, ActivityAction};
    let c = company(&db.store).await;
    let people = [c.alice, c.bao, c.chi];
    let writers: Vec<_> = (0..8i64)
        .map(|i| {
            let store = db.store.clone();
            let user_id = people[i as usize % people.len()];
            tokio::spawn(async move {
                let calendar = Calendar::of("Asia/Ho_Chi_Minh");
                let mut tx = store.begin().await?;
                // Reads the person's department, then upserts the day's roll-up.
                let visit = Activity {
                    user_id,
                    at: 1_800_000_000_000 + i * 86_400_000,
                    action: ActivityAction::Visited,
                    post: None,
                };
                tx.record_activity(&calendar, &[visit]).await?;
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                tx.commit().await
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap().expect("every writer commits");
    }
}

/// While one transaction writes, six more arrive 15 ms apart: they must get the database
/// in the order they asked (SQLite's own busy handler let them race, and under ten
/// writers the unlucky one waited over a second). On PostgreSQL these writers do not
/// block each other, so the story is SQLite's only.
async fn waiting_writers_get_their_turn_in_arrival_order(db: &TestDb) {
    company(&db.store).await;
    let first = db.store.begin().await.unwrap();
    let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut writers = Vec::new();
    for i in 0..6i64 {
        let (store, order) = (db.store.clone(), order.clone());
        writers.push(tokio::spawn(async move {
            let mut tx = store.begin().await?;
            order.lock().unwrap().push(i);
            tx.create_department(&format!("Queue {i}")).await?;
            tx.commit().await
        }));
        tokio::time::sleep(std::time::Duration::from_millis(15)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    first.commit().await.unwrap();
    for writer in writers {
        writer.await.unwrap().expect("every writer commits");
    }
    assert_eq!(*order.lock().unwrap(), vec![0, 1, 2, 3, 4, 5]);
}
