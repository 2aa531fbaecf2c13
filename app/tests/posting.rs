//! Writing on both backends: posts (Markdown made safe), comments with one level of
//! replies, and reactions that toggle, each refused with its reason where it must be.

mod common;

use app::auth::{self, session, SetUp};
use app::error::{AppError, Field, Invalid};
use app::model::{ChannelKind, PostKind, Role};
use app::policy::Viewer;
use app::posting::{self, MAX_POST};
use app::store::testing::TestDb;
use app::store::{FeedScope, NewChannel, NewUser, Reader, Store};
use common::{comment_on, post_in};

app::storage_stories!(
    posts_are_checked_and_shown_as_safe_html,
    channels_decide_who_may_post,
    comments_reply_one_level_deep,
    reactions_toggle,
);

const NOW: i64 = 1_800_000_000_000;

struct Company {
    owner: Viewer,
    member: Viewer,
    guest: Viewer,
}

async fn someone(store: &Store, email: &str, name: &str, role: Role) -> Viewer {
    let mut tx = store.begin().await.unwrap();
    let id = tx
        .create_user(&NewUser {
            email,
            display_name: name,
            job_title: "",
            department_id: None,
            manager_id: None,
            role,
            location: "",
            start_date: None,
            created_at: NOW,
        })
        .await
        .unwrap();
    if role != Role::Guest {
        tx.join_default_channels(id, NOW).await.unwrap();
    }
    tx.commit().await.unwrap();
    Viewer {
        user_id: id,
        name: name.into(),
        role,
        leader: false,
    }
}

/// A company with `general` (everyone), `news` (announcements, the owner administers
/// it), `board` (private, the owner only) and `partners` (the guest and the member).
async fn company(store: &Store) -> Company {
    let token = auth::set_up(
        store,
        SetUp {
            company_name: "Sao Mai",
            name: "Owner",
            email: "owner@saomai.vn",
            password: "correct horse battery",
            time_zone: "Asia/Ho_Chi_Minh",
            default_channel_name: "general",
        },
        NOW,
    )
    .await
    .unwrap();
    let owner = store
        .session_viewer(&session::token_hash(&token), NOW)
        .await
        .unwrap()
        .unwrap();
    let member = someone(store, "member@saomai.vn", "Member", Role::Member).await;
    let guest = someone(store, "guest@agency.vn", "Guest", Role::Guest).await;
    let mut tx = store.begin().await.unwrap();
    for (slug, kind) in [
        ("news", ChannelKind::Announcement),
        ("board", ChannelKind::Private),
        ("partners", ChannelKind::Public),
    ] {
        let id = tx
            .create_channel(&NewChannel {
                slug,
                name: slug,
                description: "",
                guidelines: "",
                kind,
                is_default: false,
                created_by: Some(owner.user_id),
                created_at: NOW,
            })
            .await
            .unwrap();
        match slug {
            "partners" => {
                tx.add_member(id, guest.user_id, false).await.unwrap();
                tx.add_member(id, member.user_id, false).await.unwrap();
            }
            _ => tx.add_member(id, owner.user_id, true).await.unwrap(),
        }
    }
    tx.commit().await.unwrap();
    Company {
        owner,
        member,
        guest,
    }
}

fn reader(viewer: &Viewer) -> Reader {
    Reader::of(viewer)
}

async fn posts_are_checked_and_shown_as_safe_html(db: &TestDb) {
    let c = company(&db.store).await;
    let body =
        "**Chào** mọi người <script>alert(1)</script>\n\n- [x] xong\n\n[x](javascript:alert(1))";
    let id = post_in(&db.store, &c.member, "general", "update", body, NOW)
        .await
        .unwrap();
    let feed = db
        .store
        .feed(reader(&c.owner), &FeedScope::Company, None, 10)
        .await
        .unwrap();
    let card = feed.iter().find(|p| p.id == id).unwrap();
    assert_eq!(card.body, body, "the Markdown is kept as written");
    assert!(
        card.body_html.contains("<strong>Chào</strong>"),
        "{}",
        card.body_html
    );
    assert!(card.body_html.contains(r#"type="checkbox""#));
    for bad in ["<script", "javascript:"] {
        assert!(!card.body_html.contains(bad), "{}", card.body_html);
    }
    assert_eq!(
        (card.kind, card.author.name.as_str()),
        (PostKind::Update, "Member")
    );

    let refusals = [
        (
            "general",
            "update",
            "   ".to_owned(),
            AppError::from(Invalid::Required(Field::Post)),
        ),
        (
            "general",
            "update",
            "x".repeat(MAX_POST + 1),
            Invalid::TooLong(Field::Post, MAX_POST).into(),
        ),
        (
            "general",
            "poll",
            "x".into(),
            Invalid::Unacceptable(Field::Kind).into(),
        ),
        // Only a channel's admins mark a post as an announcement.
        (
            "general",
            "announcement",
            "x".into(),
            Invalid::Unacceptable(Field::Kind).into(),
        ),
        ("nowhere", "update", "x".into(), AppError::NotFound),
    ];
    for (slug, kind, body, expected) in refusals {
        assert_eq!(
            post_in(&db.store, &c.member, slug, kind, &body, NOW).await,
            Err(expected),
            "{slug} {kind}"
        );
    }
    assert_eq!(
        db.store
            .feed(reader(&c.owner), &FeedScope::Company, None, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn channels_decide_who_may_post(db: &TestDb) {
    let c = company(&db.store).await;
    let post = |viewer: &Viewer, slug: &'static str| {
        let (store, viewer) = (db.store.clone(), viewer.clone());
        async move { post_in(&store, &viewer, slug, "update", "hello", NOW).await }
    };
    // Announcement channels: only their admins post.
    assert_eq!(
        post(&c.member, "news").await,
        Err(AppError::AnnouncementsOnly)
    );
    assert!(post(&c.owner, "news").await.is_ok());
    // A private channel does not exist for outsiders.
    assert_eq!(post(&c.member, "board").await, Err(AppError::NotFound));
    // Guests post only in their channels.
    assert_eq!(post(&c.guest, "general").await, Err(AppError::Forbidden));
    assert!(post(&c.guest, "partners").await.is_ok());
    let guest_feed = db
        .store
        .feed(reader(&c.guest), &FeedScope::Company, None, 10)
        .await
        .unwrap();
    assert_eq!(guest_feed.len(), 1);
    assert_eq!(guest_feed[0].channel_slug, "partners");
}

async fn comments_reply_one_level_deep(db: &TestDb) {
    let c = company(&db.store).await;
    let post = post_in(&db.store, &c.owner, "general", "question", "Ai biết?", NOW)
        .await
        .unwrap();
    let first = comment_on(&db.store, &c.member, post, None, "Tôi biết", NOW + 1)
        .await
        .unwrap();
    let reply = comment_on(&db.store, &c.owner, post, Some(first), "Cảm ơn", NOW + 2)
        .await
        .unwrap();
    // A reply to a reply joins the same thread.
    comment_on(
        &db.store,
        &c.member,
        post,
        Some(reply),
        "Không có gì",
        NOW + 3,
    )
    .await
    .unwrap();
    let feed = db
        .store
        .feed(reader(&c.owner), &FeedScope::Company, None, 10)
        .await
        .unwrap();
    let card = &feed[0];
    assert_eq!(card.comment_count, 3);
    let parents: Vec<_> = card.comments.iter().map(|c| c.parent_id).collect();
    assert_eq!(parents, [None, Some(first), Some(first)]);

    let other = post_in(&db.store, &c.owner, "general", "update", "x", NOW)
        .await
        .unwrap();
    assert_eq!(
        comment_on(
            &db.store,
            &c.member,
            other,
            Some(first),
            "wrong thread",
            NOW
        )
        .await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        comment_on(&db.store, &c.member, post, None, " ", NOW).await,
        Err(Invalid::Required(Field::Comment).into())
    );
    assert_eq!(
        comment_on(&db.store, &c.guest, post, None, "hi", NOW).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        comment_on(&db.store, &c.member, 999_999, None, "hi", NOW).await,
        Err(AppError::NotFound)
    );
    // Everyone may comment in an announcement channel.
    let news = post_in(&db.store, &c.owner, "news", "announcement", "Tin", NOW)
        .await
        .unwrap();
    assert!(comment_on(&db.store, &c.member, news, None, "Tuyệt", NOW)
        .await
        .is_ok());
}

async fn reactions_toggle(db: &TestDb) {
    let c = company(&db.store).await;
    let post = post_in(&db.store, &c.owner, "general", "update", "🎉", NOW)
        .await
        .unwrap();
    let toggle = |viewer: &Viewer, emoji: &'static str| {
        let (store, viewer) = (db.store.clone(), viewer.clone());
        async move { posting::toggle_reaction(&store, &viewer, post, emoji, NOW).await }
    };
    assert_eq!(toggle(&c.member, "👍").await, Ok(true));
    assert_eq!(toggle(&c.owner, "👍").await, Ok(true));
    assert_eq!(toggle(&c.owner, "🎉").await, Ok(true));
    let card = db
        .store
        .feed(reader(&c.member), &FeedScope::Company, None, 1)
        .await
        .unwrap()[0]
        .clone();
    let seen: Vec<_> = card
        .reactions
        .iter()
        .map(|r| (r.emoji.as_str(), r.count, r.mine))
        .collect();
    assert_eq!(seen, [("👍", 2, true), ("🎉", 1, false)]);
    // Pressing again takes it back.
    assert_eq!(toggle(&c.member, "👍").await, Ok(false));
    let card = db
        .store
        .feed(reader(&c.member), &FeedScope::Company, None, 1)
        .await
        .unwrap()[0]
        .clone();
    assert_eq!(
        (card.reactions[0].count, card.reactions[0].mine),
        (1, false)
    );
    assert_eq!(
        toggle(&c.member, "💩").await,
        Err(Invalid::Unacceptable(Field::Reaction).into())
    );
    assert_eq!(toggle(&c.guest, "👍").await, Err(AppError::Forbidden));
}
