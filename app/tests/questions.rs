//! Questions and answers on both backends: a question routed to the people whose
//! profile says they know its topic (and to no one who may not read it), answers
//! accepted by the asker or a channel admin and listed best first, "helpful", similar
//! questions while typing (never from a channel one may not read), the open-question
//! lists, and reminders sent once when due.

use app::domain::people::ProfileInput;
use app::domain::questions;
use app::error::{AppError, Field, Invalid, QuestionRule};
use app::model::{ChannelKind, NotificationKind, PostId, Role};
use app::policy::Viewer;
use app::store::{FeedScope, Reader, Store};
use app::testing::{comment_on, post_in, CompanyBuilder, TestDb, NOW};

app::storage_stories!(
    a_question_reaches_the_people_who_know_its_topic,
    answers_are_accepted_by_the_asker_or_a_channel_admin,
    similar_questions_are_found_as_people_type_and_only_where_they_may_read,
    reminders_go_once_when_due,
    reminder_settings_are_checked,
    an_accepted_answer_becomes_a_page_and_both_link,
);

const DAY: i64 = 86_400_000;

struct Company {
    owner: Viewer,
    /// Responsible for travel expense claims.
    hr: Viewer,
    /// Can be asked about the VPN.
    it: Viewer,
    newcomer: Viewer,
    member: Viewer,
    /// In `partners` only, and says they know about expense claims too.
    guest: Viewer,
}

/// A company with `general` (everyone), `board` (private: the owner) and `partners`
/// (the guest and the member; the member administers it).
async fn company(store: &Store) -> Company {
    let (company, owner) = CompanyBuilder::set_up(store, NOW - 30 * DAY).await;
    let hr = company.person("hr@saomai.vn", "Trần Thị Hạnh").await;
    let it = company.person("it@saomai.vn", "Lê Văn Tùng").await;
    let newcomer = company.person("moi@saomai.vn", "Phạm Minh Khoa").await;
    let member = company.person("member@saomai.vn", "Member").await;
    let guest = company
        .person("guest@agency.vn", "Guest")
        .role(Role::Guest)
        .await;
    company
        .channel("board", ChannelKind::Private)
        .by(&owner)
        .admin(&owner)
        .await;
    company
        .channel("partners", ChannelKind::Public)
        .by(&member)
        .admin(&member)
        .member(&guest)
        .await;
    profile(store, &hr, "", "Hoàn ứng công tác phí\nBảo hiểm xã hội").await;
    profile(store, &it, "VPN\nMáy in", "").await;
    profile(store, &guest, "Hoàn ứng công tác phí", "").await;
    Company {
        owner,
        hr,
        it,
        newcomer,
        member,
        guest,
    }
}

async fn profile(store: &Store, who: &Viewer, expertise: &str, responsibilities: &str) {
    let input = ProfileInput {
        name: who.name.clone(),
        job_title: String::new(),
        location: String::new(),
        time_zone: String::new(),
        start_date: String::new(),
        birthday_month: String::new(),
        birthday_day: String::new(),
        birthday_public: false,
        expertise: expertise.to_owned(),
        responsibilities: responsibilities.to_owned(),
        department: None,
        manager: None,
    };
    app::domain::people::save(store, who, who.user_id, &input)
        .await
        .expect("save a profile");
}

/// The kinds of `who`'s notifications about `post`.
async fn notified(store: &Store, who: &Viewer, post: PostId) -> Vec<NotificationKind> {
    store
        .notifications(who.user_id, who.is_guest(), 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.post_id == Some(post))
        .map(|n| n.kind)
        .collect()
}

async fn listed(store: &Store, who: &Viewer, scope: FeedScope) -> Vec<PostId> {
    store
        .feed(Reader::of(who), &scope, None, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect()
}

async fn a_question_reaches_the_people_who_know_its_topic(db: &TestDb) {
    let store = &db.store;
    let c = company(store).await;
    // In other words than the profile's, and typed without diacritics.
    let asked = post_in(
        store,
        &c.newcomer,
        "general",
        "question",
        "Cho minh hoi, hoan ung chi phi di cong tac thi lam the nao a?",
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(
        notified(store, &c.hr, asked).await,
        [NotificationKind::Question]
    );
    assert!(
        notified(store, &c.it, asked).await.is_empty(),
        "not their topic"
    );
    // The guest's profile matches, but they cannot read `general`.
    assert!(notified(store, &c.guest, asked).await.is_empty());
    assert!(
        notified(store, &c.newcomer, asked).await.is_empty(),
        "not the asker"
    );
    assert_eq!(
        listed(store, &c.hr, FeedScope::QuestionsForReader).await,
        [asked]
    );
    assert!(listed(store, &c.it, FeedScope::QuestionsForReader)
        .await
        .is_empty());

    // Mentioned as well: one notification, the mention.
    let mentioned = post_in(
        store,
        &c.member,
        "general",
        "question",
        "@hr hoàn ứng công tác phí có cần hoá đơn đỏ không?",
        NOW + 1,
    )
    .await
    .unwrap();
    assert_eq!(
        notified(store, &c.hr, mentioned).await,
        [NotificationKind::Mention]
    );

    // A private channel's question goes to no one outside it, and lists nowhere for them.
    let private = post_in(
        store,
        &c.owner,
        "board",
        "question",
        "Hoàn ứng công tác phí cho chuyến đi Singapore của ban giám đốc?",
        NOW + 2,
    )
    .await
    .unwrap();
    assert!(notified(store, &c.hr, private).await.is_empty());
    assert!(!listed(store, &c.hr, FeedScope::QuestionsForReader)
        .await
        .contains(&private));
    assert!(!listed(store, &c.hr, FeedScope::OpenQuestions(None))
        .await
        .contains(&private));

    // An update is not routed, whatever it says.
    let update = post_in(
        store,
        &c.member,
        "general",
        "update",
        "Đã nộp hồ sơ hoàn ứng công tác phí tháng này.",
        NOW + 3,
    )
    .await
    .unwrap();
    assert!(notified(store, &c.hr, update).await.is_empty());

    // Once answered and accepted, it leaves "for you".
    let answer = comment_on(store, &c.hr, asked, None, "Điền mẫu HR-07 nhé.", NOW + 10)
        .await
        .unwrap();
    questions::accept(store, &c.newcomer, asked, answer, true, NOW + 11)
        .await
        .unwrap();
    assert!(!listed(store, &c.hr, FeedScope::QuestionsForReader)
        .await
        .contains(&asked));
}

async fn answers_are_accepted_by_the_asker_or_a_channel_admin(db: &TestDb) {
    let store = &db.store;
    let c = company(store).await;
    let q = post_in(
        store,
        &c.guest,
        "partners",
        "question",
        "Where do we send invoices?",
        NOW,
    )
    .await
    .unwrap();
    let first = comment_on(store, &c.owner, q, None, "To accounts@.", NOW + 1)
        .await
        .unwrap();
    let second = comment_on(store, &c.hr, q, None, "To the finance portal.", NOW + 2)
        .await
        .unwrap();
    let reply = comment_on(store, &c.owner, q, Some(first), "(or the portal)", NOW + 3)
        .await
        .unwrap();
    // The asker hears of each answer as an answer (newest first), of a reply as a comment.
    assert_eq!(
        notified(store, &c.guest, q).await,
        [
            NotificationKind::Comment,
            NotificationKind::Answer,
            NotificationKind::Answer
        ]
    );

    // Someone else's question, a reply, a post that is not a question: refused, and
    // nothing changes.
    assert_eq!(
        questions::accept(store, &c.hr, q, second, true, NOW + 4).await,
        Err(AppError::Question(QuestionRule::NotYourQuestion))
    );
    assert_eq!(
        questions::accept(store, &c.guest, q, reply, true, NOW + 4).await,
        Err(AppError::Question(QuestionRule::NotAnAnswer))
    );
    let update = post_in(store, &c.guest, "partners", "update", "Hello", NOW + 4)
        .await
        .unwrap();
    let on_update = comment_on(store, &c.member, update, None, "Hi", NOW + 4)
        .await
        .unwrap();
    assert_eq!(
        questions::accept(store, &c.guest, update, on_update, true, NOW + 4).await,
        Err(AppError::Question(QuestionRule::NotAQuestion))
    );
    // Another question's answer.
    assert_eq!(
        questions::accept(store, &c.guest, q, on_update, true, NOW + 4).await,
        Err(AppError::Question(QuestionRule::NotAnAnswer))
    );
    let card = store
        .post_card(Reader::of(&c.guest), q)
        .await
        .unwrap()
        .unwrap();
    assert!(!card.answered());
    assert!(listed(store, &c.member, FeedScope::OpenQuestions(None))
        .await
        .contains(&q));

    // "Helpful": not on one's own answer; the most helpful first while none is accepted.
    assert_eq!(
        questions::helpful(store, &c.hr, second, true, NOW + 5).await,
        Err(AppError::Question(QuestionRule::OwnAnswer))
    );
    questions::helpful(store, &c.member, second, true, NOW + 5)
        .await
        .unwrap();
    questions::helpful(store, &c.guest, second, true, NOW + 5)
        .await
        .unwrap();
    // Twice is once.
    questions::helpful(store, &c.guest, second, true, NOW + 5)
        .await
        .unwrap();
    let page = app::domain::feed::post(store, &c.member, q, true, true)
        .await
        .unwrap();
    let thread: Vec<_> = page.posts[0]
        .comments
        .iter()
        .map(|c| (c.id, c.helpful, c.helpful_mine))
        .collect();
    assert_eq!(
        thread,
        [(second, 2, true), (first, 0, false), (reply, 0, false)],
        "most helpful first, each reply after its answer"
    );

    // The asker accepts the first answer: it comes first, and its author is told.
    questions::accept(store, &c.guest, q, first, true, NOW + 6)
        .await
        .unwrap();
    assert_eq!(
        notified(store, &c.owner, q).await,
        [NotificationKind::Accepted]
    );
    let page = app::domain::feed::post(store, &c.guest, q, true, true)
        .await
        .unwrap();
    let card = &page.posts[0];
    assert!(card.answered());
    assert!(card.actions.accept, "the asker may change it");
    let order: Vec<_> = card.comments.iter().map(|c| (c.id, c.accepted)).collect();
    assert_eq!(order, [(first, true), (reply, false), (second, false)]);
    assert!(!listed(store, &c.member, FeedScope::OpenQuestions(None))
        .await
        .contains(&q));
    assert!(!listed(
        store,
        &c.member,
        FeedScope::OpenQuestions(Some(channel_id(store, &c.member, "partners").await))
    )
    .await
    .contains(&q));

    // The channel's admin changes it; a member who is neither may not.
    let as_member = store
        .post_card(Reader::of(&c.hr), q)
        .await
        .unwrap()
        .unwrap();
    assert!(!app::domain::posts::post_actions(&c.hr, &as_member).accept);
    questions::accept(store, &c.member, q, second, true, NOW + 7)
        .await
        .unwrap();
    let card = store
        .post_card(Reader::of(&c.guest), q)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(card.accepted_answer, Some(second));
    // Taken back: open again.
    questions::accept(store, &c.guest, q, second, false, NOW + 8)
        .await
        .unwrap();
    let card = store
        .post_card(Reader::of(&c.guest), q)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(card.accepted_answer, None);

    // Someone who may not read the channel learns nothing: it does not exist for them.
    let board = post_in(store, &c.owner, "board", "question", "Budget?", NOW + 9)
        .await
        .unwrap();
    let own = comment_on(store, &c.owner, board, None, "Later.", NOW + 9)
        .await
        .unwrap();
    assert_eq!(
        questions::accept(store, &c.member, board, own, true, NOW + 9).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        questions::helpful(store, &c.member, own, true, NOW + 9).await,
        Err(AppError::NotFound)
    );
    let card = store
        .post_card(Reader::of(&c.owner), board)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(card.accepted_answer, None);
    assert_eq!(card.comments[0].helpful, 0);
}

async fn channel_id(store: &Store, who: &Viewer, slug: &str) -> app::model::ChannelId {
    store
        .channel_access(slug, who.user_id)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn similar_questions_are_found_as_people_type_and_only_where_they_may_read(db: &TestDb) {
    let store = &db.store;
    let c = company(store).await;
    let answered = post_in(
        store,
        &c.member,
        "general",
        "question",
        "**Làm thế nào** để hoàn ứng công tác phí sau chuyến đi Đà Nẵng?\n\nChi tiết…",
        NOW,
    )
    .await
    .unwrap();
    let answer = comment_on(store, &c.hr, answered, None, "Mẫu HR-07.", NOW + 1)
        .await
        .unwrap();
    questions::accept(store, &c.member, answered, answer, true, NOW + 2)
        .await
        .unwrap();
    let open = post_in(
        store,
        &c.it,
        "general",
        "question",
        "Hoàn ứng công tác phí cần những giấy tờ gì?",
        NOW + 3,
    )
    .await
    .unwrap();
    let private = post_in(
        store,
        &c.owner,
        "board",
        "question",
        "Hoàn ứng công tác phí cho ban giám đốc?",
        NOW + 4,
    )
    .await
    .unwrap();
    post_in(
        store,
        &c.member,
        "general",
        "question",
        "Máy in tầng 5 bị kẹt giấy?",
        NOW + 5,
    )
    .await
    .unwrap();

    let found = questions::similar(store, &c.newcomer, "cach hoan ung cong tac phi")
        .await
        .unwrap();
    let ids: Vec<_> = found.iter().map(|q| q.id).collect();
    assert_eq!(
        ids,
        [answered, open],
        "answered first; nothing from the board"
    );
    assert!(found[0].answered && !found[1].answered);
    assert_eq!(
        found[0].title,
        "Làm thế nào để hoàn ứng công tác phí sau chuyến đi Đà Nẵng?"
    );
    assert_eq!(found[0].channel_name, "general");

    // The board's own member sees it too.
    let theirs = questions::similar(store, &c.owner, "Hoàn ứng công tác phí thế nào?")
        .await
        .unwrap();
    assert!(theirs.iter().any(|q| q.id == private));
    // A guest outside `general` and `board` finds nothing there.
    assert!(questions::similar(store, &c.guest, "hoan ung cong tac phi")
        .await
        .unwrap()
        .is_empty());
    // Too little to go on.
    assert!(questions::similar(store, &c.newcomer, "phí")
        .await
        .unwrap()
        .is_empty());
}

async fn reminders_go_once_when_due(db: &TestDb) {
    let store = &db.store;
    let c = company(store).await;
    // NOW is a Friday. The defaults: 3 days to accept, 2 working days to an answer.
    let answered = post_in(
        store,
        &c.member,
        "partners",
        "question",
        "Where is the key?",
        NOW,
    )
    .await
    .unwrap();
    comment_on(store, &c.guest, answered, None, "Reception.", NOW + DAY)
        .await
        .unwrap();
    let unanswered = post_in(store, &c.guest, "partners", "question", "Parking?", NOW)
        .await
        .unwrap();

    // Monday: three days have not passed since the answer, two working days not since
    // the question.
    assert_eq!(questions::remind(store, NOW + 3 * DAY).await.unwrap(), 0);
    // Tuesday: both are due; each goes once.
    assert_eq!(
        questions::remind(store, NOW + 4 * DAY + 1).await.unwrap(),
        2
    );
    assert_eq!(questions::remind(store, NOW + 5 * DAY).await.unwrap(), 0);
    assert_eq!(
        notified(store, &c.member, answered).await,
        [NotificationKind::AcceptReminder, NotificationKind::Answer]
    );
    // The channel's admin (the member) is told about the guest's question.
    assert_eq!(
        notified(store, &c.member, unanswered).await,
        [NotificationKind::Unanswered]
    );
    assert!(notified(store, &c.guest, unanswered).await.is_empty());

    // An accepted question is not reminded about; nor is anything when turned off.
    let later = post_in(
        store,
        &c.member,
        "partners",
        "question",
        "Wifi?",
        NOW + 5 * DAY,
    )
    .await
    .unwrap();
    questions::set_settings(store, &c.owner, "0", "0")
        .await
        .unwrap();
    assert_eq!(questions::remind(store, NOW + 30 * DAY).await.unwrap(), 0);
    assert!(notified(store, &c.member, later).await.is_empty());
}

async fn reminder_settings_are_checked(db: &TestDb) {
    let store = &db.store;
    let c = company(store).await;
    for bad in ["91", "-1", "x", ""] {
        assert_eq!(
            questions::set_settings(store, &c.owner, bad, "2").await,
            Err(Invalid::Unacceptable(Field::ReminderDays).into()),
            "{bad:?}"
        );
    }
    assert_eq!(
        questions::set_settings(store, &c.member, "5", "5").await,
        Err(AppError::Forbidden)
    );
    let kept = store.question_settings().await.unwrap();
    assert_eq!(
        (kept.accept_reminder_days, kept.unanswered_reminder_days),
        (3, 2)
    );
    questions::set_settings(store, &c.owner, " 7 ", "0")
        .await
        .unwrap();
    let saved = questions::settings(store, &c.owner).await.unwrap();
    assert_eq!(
        (saved.accept_reminder_days, saved.unanswered_reminder_days),
        (7, 0)
    );
}

async fn an_accepted_answer_becomes_a_page_and_both_link(db: &TestDb) {
    use app::domain::knowledge;
    use app::model::knowledge::SpaceKey;
    let store = &db.store;
    let c = company(store).await;
    let en = app::i18n::Lang::En.texts();
    let q = post_in(
        store,
        &c.newcomer,
        "general",
        "question",
        "How do I claim travel expenses?\n\nAfter a trip to Đà Nẵng.",
        NOW,
    )
    .await
    .unwrap();
    // Not before an answer is accepted.
    assert_eq!(
        knowledge::new_form(store, &c.owner, None, Some(q), en).await,
        Err(AppError::Question(QuestionRule::NotAnAnswer))
    );
    let answer = comment_on(
        store,
        &c.hr,
        q,
        None,
        "Form **HR-07**, by the 25th.",
        NOW + 1,
    )
    .await
    .unwrap();
    questions::accept(store, &c.newcomer, q, answer, true, NOW + 2)
        .await
        .unwrap();

    // The form starts from the question and its accepted answer, in its channel.
    let general = channel_id(store, &c.owner, "general").await;
    let form = knowledge::new_form(store, &c.owner, None, Some(q), en)
        .await
        .unwrap();
    assert_eq!(form.title, "How do I claim travel expenses?");
    assert!(
        form.body.contains("After a trip to Đà Nẵng."),
        "{}",
        form.body
    );
    assert!(
        form.body.contains("Form **HR-07**, by the 25th."),
        "{}",
        form.body
    );
    assert!(form.body.contains("Trần Thị Hạnh"), "{}", form.body);
    assert_eq!(form.space, Some(SpaceKey::Channel(general)));
    assert_eq!(form.spaces[0].key, SpaceKey::Channel(general));
    assert_eq!(form.from_question, Some(q));

    // Someone who may not read the question links nothing, and stores no page.
    let input = knowledge::PageInput {
        title: "Travel expenses",
        body: &form.body,
        parent: None,
        review_days: 90,
        files: &[],
    };
    let board = post_in(store, &c.owner, "board", "question", "Budget?", NOW + 3)
        .await
        .unwrap();
    assert_eq!(
        knowledge::create_from(
            store,
            &c.hr,
            SpaceKey::Company,
            &input,
            Some(board),
            NOW + 3
        )
        .await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        knowledge::new_form(store, &c.hr, None, Some(board), en).await,
        Err(AppError::NotFound)
    );

    // Created: the question says it is now part of the page, the page lists it.
    let page = knowledge::create_from(
        store,
        &c.owner,
        SpaceKey::Channel(general),
        &input,
        Some(q),
        NOW + 4,
    )
    .await
    .unwrap();
    let card = store
        .post_card(Reader::of(&c.newcomer), q)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(card.part_of, [(page, "Travel expenses".to_owned())]);
    let view = knowledge::page(store, &c.member, page, NOW + 5)
        .await
        .unwrap();
    assert_eq!(
        view.questions,
        [(q, "How do I claim travel expenses?".to_owned())]
    );
    // The guest reads neither (general is not theirs), so neither names the other.
    assert!(store
        .post_card(Reader::of(&c.guest), q)
        .await
        .unwrap()
        .is_none());
}
