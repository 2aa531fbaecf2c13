//! Writing on both backends: posts (Markdown made safe), comments with one level of
//! replies, and reactions that toggle, each refused with its reason where it must be.

use app::domain::posts::{self, MAX_MENTIONS, MAX_POST, MAX_TAGS};
use app::error::{AppError, Field, Invalid};
use app::model::{ChannelKind, PostId, PostKind, Role};
use app::policy::Viewer;
use app::store::{FeedScope, Reader, Store};
use app::testing::{comment_on, post_in, CompanyBuilder, TestDb, NOW};

app::storage_stories!(
    posts_are_checked_and_shown_as_safe_html,
    channels_decide_who_may_post,
    comments_reply_one_level_deep,
    reactions_toggle,
    mentions_and_tags_are_capped_before_any_write,
    texts_that_would_render_too_large_are_refused,
    pictures_in_posts_only_come_from_avatars,
    a_guest_mentioning_a_stranger_learns_nothing,
    a_post_sent_again_with_its_id_is_written_once,
);

struct Company {
    owner: Viewer,
    member: Viewer,
    guest: Viewer,
}

/// A company with `general` (everyone), `news` (announcements, the owner administers
/// it), `board` (private, the owner only) and `partners` (the guest and the member).
async fn company(store: &Store) -> Company {
    let (company, owner) = CompanyBuilder::set_up(store, NOW).await;
    let member = company.person("member@saomai.vn", "Member").await;
    let guest = company
        .person("guest@agency.vn", "Guest")
        .role(Role::Guest)
        .await;
    company
        .channel("news", ChannelKind::Announcement)
        .by(&owner)
        .admin(&owner)
        .await;
    company
        .channel("board", ChannelKind::Private)
        .by(&owner)
        .admin(&owner)
        .await;
    company
        .channel("partners", ChannelKind::Public)
        .by(&owner)
        .member(&guest)
        .member(&member)
        .await;
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
    // As the reader gets it: through the feed's page, which renders.
    let page = app::domain::feed::post(&db.store, &c.owner, id, false, false)
        .await
        .unwrap();
    let card = &page.posts[0];
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
    let news = post(&c.owner, "news").await.unwrap();
    let card = db.store.post_card(reader(&c.member), news).await.unwrap();
    assert_eq!(
        card.map(|p| (p.channel_slug, p.body)),
        Some(("news".to_owned(), "hello".to_owned())),
        "the owner's post is in the announcement channel, for everyone"
    );
    // A private channel does not exist for outsiders.
    assert_eq!(post(&c.member, "board").await, Err(AppError::NotFound));
    // Guests post only in their channels.
    assert_eq!(post(&c.guest, "general").await, Err(AppError::Forbidden));
    let theirs = post(&c.guest, "partners").await.unwrap();
    let guest_feed = db
        .store
        .feed(reader(&c.guest), &FeedScope::Company, None, 10)
        .await
        .unwrap();
    assert_eq!(guest_feed.len(), 1);
    assert_eq!(
        (guest_feed[0].id, guest_feed[0].channel_slug.as_str()),
        (theirs, "partners")
    );
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
        comment_on(&db.store, &c.member, PostId(999_999), None, "hi", NOW).await,
        Err(AppError::NotFound)
    );
    // Everyone may comment in an announcement channel.
    let news = post_in(&db.store, &c.owner, "news", "announcement", "Tin", NOW)
        .await
        .unwrap();
    let said = comment_on(&db.store, &c.member, news, None, "Tuyệt", NOW)
        .await
        .unwrap();
    let card = db
        .store
        .post_card(reader(&c.owner), news)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        card.comments
            .iter()
            .map(|x| (x.id, x.body_html.as_str(), x.author.id))
            .collect::<Vec<_>>(),
        [(said, "Tuyệt", c.member.user_id)]
    );
}

async fn reactions_toggle(db: &TestDb) {
    let c = company(&db.store).await;
    let post = post_in(&db.store, &c.owner, "general", "update", "🎉", NOW)
        .await
        .unwrap();
    let toggle = |viewer: &Viewer, emoji: &'static str| {
        let (store, viewer) = (db.store.clone(), viewer.clone());
        async move { posts::toggle_reaction(&store, &viewer, post, emoji, NOW).await }
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

/// `@p1 @p2 …` or `#t1 #t2 …`: `n` different handles or tags.
fn many(sign: char, n: usize) -> String {
    (1..=n).map(|i| format!("{sign}p{i} ")).collect()
}

async fn company_post_count(db: &TestDb, c: &Company) -> usize {
    db.store
        .feed(reader(&c.owner), &FeedScope::Company, None, 100)
        .await
        .unwrap()
        .len()
}

async fn mentions_and_tags_are_capped_before_any_write(db: &TestDb) {
    let c = company(&db.store).await;
    let before = company_post_count(db, &c).await;
    let too_many_people = many('@', MAX_MENTIONS + 1);
    let too_many_tags = many('#', MAX_TAGS + 1);
    assert_eq!(
        post_in(
            &db.store,
            &c.member,
            "general",
            "update",
            &too_many_people,
            NOW
        )
        .await,
        Err(Invalid::TooManyMentions(MAX_MENTIONS).into())
    );
    assert_eq!(
        post_in(
            &db.store,
            &c.member,
            "general",
            "update",
            &too_many_tags,
            NOW
        )
        .await,
        Err(Invalid::TooManyTags(MAX_TAGS).into())
    );
    assert_eq!(company_post_count(db, &c).await, before, "nothing stored");
    // The same handle many times is one mention; up to the limits is fine.
    let repeated = "@member ".repeat(500);
    let post = post_in(&db.store, &c.owner, "general", "update", &repeated, NOW)
        .await
        .unwrap();
    let at_limits = format!("{}{}", many('@', MAX_MENTIONS), many('#', MAX_TAGS));
    post_in(&db.store, &c.member, "general", "update", &at_limits, NOW)
        .await
        .unwrap();
    // Comments and edits follow the same rule.
    assert_eq!(
        comment_on(&db.store, &c.member, post, None, &too_many_people, NOW).await,
        Err(Invalid::TooManyMentions(MAX_MENTIONS).into())
    );
    assert_eq!(
        posts::edit_post(&db.store, &c.owner, post, &too_many_tags, NOW + 1).await,
        Err(Invalid::TooManyTags(MAX_TAGS).into())
    );
    let page = app::domain::feed::post(&db.store, &c.owner, post, false, false)
        .await
        .unwrap();
    let card = &page.posts[0];
    assert_eq!(
        (card.body.as_str(), card.comment_count),
        (repeated.trim(), 0)
    );
    // The message points those who want everyone to `@channel`.
    let message =
        AppError::from(Invalid::TooManyMentions(MAX_MENTIONS)).message(app::i18n::Lang::En.texts());
    assert!(
        message.contains("@channel") && message.contains("20"),
        "{message}"
    );
}

/// A wide header, its delimiter row and many one-cell rows: about 17 KB that
/// pulldown-cmark pads to hundreds of thousands of empty cells.
fn amplifying_table(columns: usize, rows: usize) -> String {
    format!(
        "{}|\n{}|\n{}",
        "|a".repeat(columns),
        "|-".repeat(columns),
        "a\n".repeat(rows)
    )
}

async fn texts_that_would_render_too_large_are_refused(db: &TestDb) {
    let c = company(&db.store).await;
    let before = company_post_count(db, &c).await;
    let table = amplifying_table(1_500, 5_500);
    assert!(table.chars().count() <= MAX_POST);
    assert_eq!(
        post_in(&db.store, &c.member, "general", "update", &table, NOW).await,
        Err(Invalid::TooComplex(Field::Post).into())
    );
    assert_eq!(company_post_count(db, &c).await, before, "nothing stored");
    let post = post_in(&db.store, &c.member, "general", "update", "ok", NOW)
        .await
        .unwrap();
    assert_eq!(
        comment_on(
            &db.store,
            &c.member,
            post,
            None,
            &amplifying_table(500, 1_400),
            NOW
        )
        .await,
        Err(Invalid::TooComplex(Field::Comment).into())
    );
    // One stored before the rule shows as plain text, not as megabytes of cells.
    let mut tx = db.store.begin().await.unwrap();
    let general = db
        .store
        .channel_access("general", c.owner.user_id)
        .await
        .unwrap()
        .unwrap();
    let old = tx
        .create_post(&app::store::NewPost {
            channel_id: general.id,
            author_id: c.member.user_id,
            kind: PostKind::Update,
            body: &table,
            created_at: NOW,
        })
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let page = app::domain::feed::post(&db.store, &c.owner, old, false, false)
        .await
        .unwrap();
    let card = &page.posts[0];
    assert!(!card.body_html.contains("<td"), "shown as text");
    assert!(
        card.body_html.len() < 4 * table.len(),
        "{} bytes",
        card.body_html.len()
    );
}

async fn pictures_in_posts_only_come_from_avatars(db: &TestDb) {
    let c = company(&db.store).await;
    let target = post_in(&db.store, &c.owner, "general", "update", "Đọc tôi", NOW)
        .await
        .unwrap();
    let body = format!("![](/posts/{target}) <img src=\"/posts/{target}\"> ![me](/avatars/1?v=1)");
    let id = post_in(&db.store, &c.member, "general", "update", &body, NOW + 1)
        .await
        .unwrap();
    let page = app::domain::feed::post(&db.store, &c.owner, id, false, false)
        .await
        .unwrap();
    let card = &page.posts[0];
    assert!(
        !card.body_html.contains("<img src=\"/posts/"),
        "{}",
        card.body_html
    );
    assert!(
        card.body_html
            .contains(&format!("<a href=\"/posts/{target}\"")),
        "a link the reader may follow: {}",
        card.body_html
    );
    assert!(
        card.body_html.contains("<img src=\"/avatars/1?v=1\""),
        "{}",
        card.body_html
    );
}

/// A guest who types the handle of someone outside their channels (the owner, who is in
/// no channel with them) is told nothing about that person: not their name among "not
/// notified", and no notification reaches them. A member's same words reach the owner.
async fn a_guest_mentioning_a_stranger_learns_nothing(db: &TestDb) {
    let c = company(&db.store).await;
    // The owner's handle comes from owner@saomai.vn.
    let input = posts::PostInput {
        channel: "partners",
        kind: "update",
        body: "Hello @owner",
        confirm_channel: false,
        files: &[],
    };
    let posted = posts::create_post(&db.store, &c.guest, &input, NOW)
        .await
        .unwrap();
    assert!(posted.not_notified.is_empty(), "{:?}", posted.not_notified);
    let heard = db
        .store
        .notifications(c.owner.user_id, false, 50)
        .await
        .unwrap();
    assert!(heard.is_empty(), "the stranger was notified: {heard:?}");
    // The same words from a member reach the owner, who may read the open channel.
    let posted = posts::create_post(&db.store, &c.member, &input, NOW + 1)
        .await
        .unwrap();
    assert!(posted.not_notified.is_empty());
    let heard = db
        .store
        .notifications(c.owner.user_id, false, 50)
        .await
        .unwrap();
    assert_eq!(heard.len(), 1, "{heard:?}");
}

/// The offline outbox sends a post again when its answer was lost, or twice at once
/// when a page opens while another still sends: with the form's id it is written once.
async fn a_post_sent_again_with_its_id_is_written_once(db: &TestDb) {
    use app::domain::once::once;
    let store = &db.store;
    let c = company(store).await;
    let reader = Reader::of(&c.member);
    let count = |words: &'static str| async move {
        store
            .feed(reader, &FeedScope::Company, None, 50)
            .await
            .unwrap()
            .iter()
            .filter(|card| card.body.contains(words))
            .count()
    };
    let write = |words: &'static str| {
        let member = c.member.clone();
        move || async move {
            post_in(store, &member, "general", "update", words, NOW)
                .await
                .map(|id| id.0)
        }
    };
    let id = "6f1c0a2e-5d1b-4c7e-9a36-2b8f1d0e4c55";
    let first = once(
        store,
        c.member.user_id,
        Some(id),
        NOW,
        write("Một lần thôi"),
    )
    .await
    .unwrap();
    let again = once(
        store,
        c.member.user_id,
        Some(id),
        NOW + 5_000,
        write("Một lần thôi"),
    )
    .await
    .unwrap();
    assert_eq!(first, again);
    assert_eq!(count("Một lần thôi").await, 1);
    // Two sends at once: one writes, the other waits for it and answers the same.
    let other = "0b7d2f64-1c3a-4e58-8f90-a1b2c3d4e5f6";
    let (a, b) = tokio::join!(
        once(store, c.member.user_id, Some(other), NOW, write("Cùng lúc")),
        once(store, c.member.user_id, Some(other), NOW, write("Cùng lúc")),
    );
    assert_eq!(a.unwrap(), b.unwrap());
    assert_eq!(count("Cùng lúc").await, 1);
    // The id is the person's: someone else's send with it is their own write.
    let owners = once(store, c.owner.user_id, Some(id), NOW, {
        let owner = c.owner.clone();
        move || async move {
            post_in(store, &owner, "general", "update", "Của chủ", NOW)
                .await
                .map(|id| id.0)
        }
    })
    .await
    .unwrap();
    assert_ne!(owners, first);
    // A refused write gives its id back: the same id may then succeed.
    let refused = "1d6e9b2a-7c4f-4b1e-8d3a-5f6a7b8c9d0e";
    assert!(
        once(store, c.member.user_id, Some(refused), NOW, write("   "))
            .await
            .is_err()
    );
    assert!(once(
        store,
        c.member.user_id,
        Some(refused),
        NOW,
        write("Lần sau được")
    )
    .await
    .is_ok());
    // An id that is not one is refused before anything is written.
    assert!(matches!(
        once(
            store,
            c.member.user_id,
            Some("<script>"),
            NOW,
            write("Không")
        )
        .await,
        Err(AppError::Invalid(Invalid::Unacceptable(Field::ClientId)))
    ));
    assert_eq!(count("Không").await, 0);
    // Ids are kept a month: forgetting removes those claimed before, and keeps a
    // newer one, which still answers with its first write.
    let later = NOW + app::domain::once::KEEP_MS;
    let newer = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    let kept = once(
        store,
        c.member.user_id,
        Some(newer),
        later,
        write("Mới đây"),
    )
    .await
    .unwrap();
    assert_eq!(
        store
            .forget_client_writes(later - app::domain::once::KEEP_MS + 1)
            .await
            .unwrap(),
        4,
        "the four ids claimed at NOW"
    );
    let resent = once(
        store,
        c.member.user_id,
        Some(newer),
        later,
        write("Mới đây"),
    )
    .await
    .unwrap();
    assert_eq!(kept, resent);
    assert_eq!(count("Mới đây").await, 1);
}
