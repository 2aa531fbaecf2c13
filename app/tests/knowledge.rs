//! Knowledge pages on both backends: written, edited, diffed and restored; a private
//! channel's pages invisible to outsiders and guests everywhere; review states as time
//! moves, the reminder sent once per period; an owner's pages handed over on
//! deactivation or by hand; deleted pages gone for every reader; bad input refused with
//! nothing stored.

use app::domain::knowledge::{self, PageInput};
use app::error::{AppError, Field, Invalid};
use app::model::knowledge::{ReviewState, SpaceKey, DAY_MS};
use app::model::{ChannelId, ChannelKind, DepartmentId, NotificationKind, PageId, Role};
use app::policy::Viewer;
use app::store::{Reader, Store};
use app::testing::{CompanyBuilder, TestDb, NOW};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

app::storage_stories!(
    pages_are_written_edited_diffed_and_restored,
    a_private_channels_pages_are_invisible_to_outsiders_and_guests,
    review_states_follow_time_and_owners_are_reminded_once,
    the_reviewer_follows_its_clock,
    a_deactivated_owners_pages_pass_to_their_manager,
    without_a_manager_pages_pass_to_a_space_admin,
    bad_input_is_refused_and_nothing_is_stored,
    only_editors_edit_and_loops_are_refused,
    editors_hand_a_page_over_and_delete_it,
    a_guest_editor_is_offered_only_people_they_share_a_channel_with,
);

struct Company {
    owner: Viewer,
    /// HR's manager.
    lan: Viewer,
    /// In HR, reports to Lan.
    an: Viewer,
    /// A member in neither HR nor the vault.
    binh: Viewer,
    /// A guest in `partners` only.
    guest: Viewer,
    hr: DepartmentId,
    /// Private: An and Lan, its admins.
    vault: ChannelId,
    /// Public; the guest is in it.
    partners: ChannelId,
}

async fn company(store: &Store) -> Company {
    let (company, owner) = CompanyBuilder::set_up(store, NOW).await;
    let hr = company.department("Nhân sự").await;
    let lan = company
        .person("lan@saomai.vn", "Phạm Thị Lan")
        .department(hr)
        .await;
    let an = company
        .person("an@saomai.vn", "Nguyễn Văn An")
        .department(hr)
        .manager(&lan)
        .await;
    let binh = company.person("binh@saomai.vn", "Trần Bình").await;
    let guest = company
        .person("guest@partner.vn", "Khách")
        .role(Role::Guest)
        .await;
    let vault = company
        .channel("vault", ChannelKind::Private)
        .admin(&an)
        .admin(&lan)
        .await;
    let partners = company
        .channel("partners", ChannelKind::Public)
        .admin(&an)
        .member(&guest)
        .await;
    Company {
        owner,
        lan,
        an,
        binh,
        guest,
        hr,
        vault,
        partners,
    }
}

fn input<'a>(title: &'a str, body: &'a str) -> PageInput<'a> {
    PageInput {
        title,
        body,
        parent: None,
        review_days: 90,
        files: &[],
    }
}

/// One number from the database, on a connection of the test's own.
async fn scalar(db: &TestDb, sql: &str, bind: i64) -> i64 {
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    let value: i64 = sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    value
}

async fn page_count(db: &TestDb) -> i64 {
    scalar(db, "SELECT COUNT(*) FROM pages WHERE id > $1", 0).await
}

async fn pages_2_titles(store: &Store, who: &Viewer) -> Vec<String> {
    store
        .readable_pages(Reader::of(who))
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.title)
        .collect()
}

async fn pages_are_written_edited_diffed_and_restored(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    let id = knowledge::create(
        s,
        &c.an,
        SpaceKey::Department(c.hr),
        &input(
            "Hoàn ứng công tác phí",
            "Bước 1: nộp hoá đơn.\nBước 2: ký duyệt.\n",
        ),
        NOW,
    )
    .await
    .unwrap();
    let child = knowledge::create(
        s,
        &c.lan,
        SpaceKey::Department(c.hr),
        &PageInput {
            parent: Some(id),
            ..input(
                "Mẫu đơn",
                "Xem [quy trình](/pages/ID)."
                    .replace("ID", &id.to_string())
                    .as_str(),
            )
        },
        NOW,
    )
    .await
    .unwrap();
    let page = knowledge::page(s, &c.binh, id, NOW).await.unwrap();
    assert_eq!(page.title, "Hoàn ứng công tác phí");
    assert_eq!(page.owner.id, c.an.user_id);
    assert_eq!(page.state, ReviewState::Verified);
    assert_eq!(page.verified_by.as_ref().map(|p| p.id), Some(c.an.user_id));
    assert!(page.body_html.contains("<p>Bước 1"), "{}", page.body_html);
    assert_eq!(page.children, [(child, "Mẫu đơn".to_owned())]);
    assert_eq!(page.linked_from, [(child, "Mẫu đơn".to_owned())]);
    assert!(!page.may_edit, "Bình is not in HR");
    let below = knowledge::page(s, &c.binh, child, NOW).await.unwrap();
    assert_eq!(
        below.breadcrumbs,
        [(id, "Hoàn ứng công tác phí".to_owned())]
    );

    // Lan (HR) edits; the edit verifies the page in her name.
    let later = NOW + 10 * DAY_MS;
    let version = knowledge::edit(
        s,
        &c.lan,
        id,
        &input(
            "Hoàn ứng công tác phí",
            "Bước 1: nộp hoá đơn gốc.\nBước 2: ký duyệt.\n",
        ),
        later,
    )
    .await
    .unwrap();
    assert_eq!(version, 2);
    let page = knowledge::page(s, &c.an, id, later).await.unwrap();
    assert_eq!(page.version, 2);
    assert_eq!(
        (page.verified_at, page.verified_by.map(|p| p.id)),
        (later, Some(c.lan.user_id))
    );
    assert_eq!(page.updated_by.map(|p| p.id), Some(c.lan.user_id));

    let history = knowledge::history(s, &c.binh, id).await.unwrap();
    assert_eq!(
        history
            .versions
            .iter()
            .map(|v| v.version)
            .collect::<Vec<_>>(),
        [2, 1]
    );
    let diff = &history.versions[0].diff_html;
    assert!(diff.contains("<del>Bước 1: nộp hoá đơn.</del>"), "{diff}");
    assert!(
        diff.contains("<ins>Bước 1: nộp hoá đơn gốc.</ins>"),
        "{diff}"
    );
    assert!(diff.contains("<span>Bước 2: ký duyệt.</span>"), "{diff}");
    assert_eq!(
        history.versions[1].edited_by.as_ref().map(|p| p.id),
        Some(c.an.user_id)
    );

    // Restoring version 1 is version 3 with version 1's text; nothing is lost.
    let restored = knowledge::restore(s, &c.an, id, 1, later + 1)
        .await
        .unwrap();
    assert_eq!(restored, 3);
    let page = knowledge::page(s, &c.an, id, later + 1).await.unwrap();
    assert_eq!(page.body, "Bước 1: nộp hoá đơn.\nBước 2: ký duyệt.");
    let history = knowledge::history(s, &c.an, id).await.unwrap();
    assert_eq!(history.versions.len(), 3);
    assert_eq!(history.versions[0].restored_from, Some(1));
    // Bình may read the history, not restore.
    assert_eq!(
        knowledge::restore(s, &c.binh, id, 2, later + 2).await,
        Err(AppError::Forbidden)
    );
}

async fn a_private_channels_pages_are_invisible_to_outsiders_and_guests(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    let secret = knowledge::create(
        s,
        &c.an,
        SpaceKey::Channel(c.vault),
        &input("Zzsecret salaries", "Zzsecret figures"),
        NOW,
    )
    .await
    .unwrap();
    let open = knowledge::create(
        s,
        &c.an,
        SpaceKey::Channel(c.partners),
        &input("Partner handbook", "Welcome"),
        NOW,
    )
    .await
    .unwrap();
    let company_page = knowledge::create(
        s,
        &c.owner,
        SpaceKey::Company,
        &input("Company values", "Be kind"),
        NOW,
    )
    .await
    .unwrap();
    // The vault's members see it; the outsider and the guest do not, anywhere.
    assert!(pages_2_titles(s, &c.lan)
        .await
        .contains(&"Zzsecret salaries".to_owned()));
    for outsider in [&c.binh, &c.guest, &c.owner] {
        assert_eq!(
            knowledge::page(s, outsider, secret, NOW)
                .await
                .map(|p| p.title),
            Err(AppError::NotFound),
            "{}",
            outsider.name
        );
        assert_eq!(
            knowledge::history(s, outsider, secret)
                .await
                .map(|h| h.title),
            Err(AppError::NotFound)
        );
        assert_eq!(
            knowledge::verify(s, outsider, secret, NOW).await,
            Err(AppError::NotFound)
        );
        let home = knowledge::home(s, outsider, NOW).await.unwrap();
        let listed: Vec<&str> = home
            .spaces
            .iter()
            .flat_map(|t| t.pages.iter().map(|p| p.title.as_str()))
            .collect();
        assert!(!listed.contains(&"Zzsecret salaries"), "{listed:?}");
        assert!(home
            .spaces
            .iter()
            .all(|t| t.space.key != SpaceKey::Channel(c.vault)));
        // Nor as a parent to choose, nor as a link from another page.
        let form = knowledge::new_form(s, outsider, None, None, app::i18n::Lang::En.texts())
            .await
            .unwrap();
        assert!(form.parents.iter().all(|(id, _, _)| *id != secret));
        assert!(form
            .spaces
            .iter()
            .all(|sp| sp.key != SpaceKey::Channel(c.vault)));
    }
    // Nor may an outsider start a page in it: as unknown as a channel that does not exist.
    assert_eq!(
        knowledge::create(
            s,
            &c.binh,
            SpaceKey::Channel(c.vault),
            &input("x", "y"),
            NOW
        )
        .await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        knowledge::create(
            s,
            &c.binh,
            SpaceKey::Channel(ChannelId(999)),
            &input("x", "y"),
            NOW
        )
        .await,
        Err(AppError::NotFound)
    );
    // A page linking to the secret one names nothing of it to outsiders.
    let linking = knowledge::create(
        s,
        &c.an,
        SpaceKey::Channel(c.vault),
        &input("Zzsecret index", &format!("[a](/pages/{open})")),
        NOW,
    )
    .await
    .unwrap();
    let handbook = knowledge::page(s, &c.guest, open, NOW).await.unwrap();
    assert!(
        handbook.linked_from.is_empty(),
        "{:?}",
        handbook.linked_from
    );
    let handbook = knowledge::page(s, &c.lan, open, NOW).await.unwrap();
    assert_eq!(
        handbook.linked_from,
        [(linking, "Zzsecret index".to_owned())]
    );
    // The guest reads their channel's pages only: not the company's.
    assert_eq!(pages_2_titles(s, &c.guest).await, ["Partner handbook"]);
    assert_eq!(
        knowledge::page(s, &c.guest, company_page, NOW)
            .await
            .map(|p| p.id),
        Err(AppError::NotFound)
    );

    // A secret page's owner-to-be is reminded only while they may read it; a
    // notification naming it shows nothing of it to someone who may not.
    let due = NOW + 91 * DAY_MS;
    // An leaves the vault (removed by staff: simulated in SQL).
    let mut tx = s.begin().await.unwrap();
    assert!(tx.remove_member(c.vault, c.an.user_id).await.unwrap());
    tx.commit().await.unwrap();
    let reminded = knowledge::remind_due(s, due).await.unwrap();
    assert!(!reminded.contains(&secret), "{reminded:?}");
    assert!(reminded.contains(&open));
    assert!(s
        .review_queue(Reader::of(&c.an), due)
        .await
        .unwrap()
        .iter()
        .all(|p| p.id != secret));
    let lines = s.notifications(c.an.user_id, false, 50).await.unwrap();
    assert!(
        lines.iter().all(|l| !format!("{l:?}").contains("Zzsecret")),
        "{lines:?}"
    );
}

async fn review_states_follow_time_and_owners_are_reminded_once(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    let id = knowledge::create(
        s,
        &c.an,
        SpaceKey::Department(c.hr),
        &PageInput {
            review_days: 30,
            files: &[],
            ..input("Onboarding", "Ngày đầu tiên")
        },
        NOW,
    )
    .await
    .unwrap();
    let binh = &c.binh;
    let state = |at| async move { knowledge::page(s, binh, id, at).await.unwrap().state };
    assert_eq!(state(NOW + 30 * DAY_MS - 1).await, ReviewState::Verified);
    assert_eq!(state(NOW + 30 * DAY_MS).await, ReviewState::Due);
    assert_eq!(state(NOW + 60 * DAY_MS).await, ReviewState::Stale);

    // Not due yet: nothing is sent, nothing queued.
    assert!(knowledge::remind_due(s, NOW + 29 * DAY_MS)
        .await
        .unwrap()
        .is_empty());
    assert!(s
        .review_queue(Reader::of(&c.an), NOW + 29 * DAY_MS)
        .await
        .unwrap()
        .is_empty());
    // Due: one reminder, however often the pass runs.
    let due = NOW + 31 * DAY_MS;
    assert_eq!(knowledge::remind_due(s, due).await.unwrap(), [id]);
    assert!(knowledge::remind_due(s, due + DAY_MS)
        .await
        .unwrap()
        .is_empty());
    assert!(knowledge::remind_due(s, due + 40 * DAY_MS)
        .await
        .unwrap()
        .is_empty());
    let queue = s.review_queue(Reader::of(&c.an), due).await.unwrap();
    assert_eq!(queue.iter().map(|p| p.id).collect::<Vec<_>>(), [id]);
    let lines = s.notifications(c.an.user_id, false, 50).await.unwrap();
    let reviews: Vec<_> = lines
        .iter()
        .filter(|l| l.kind == NotificationKind::PageReview)
        .collect();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].page, Some((id, "Onboarding".to_owned())));
    // Others' queues stay empty.
    assert!(s
        .review_queue(Reader::of(&c.lan), due)
        .await
        .unwrap()
        .is_empty());

    // "Still true" by the owner: verified again, out of the queue, and the next period
    // gets its own reminder.
    knowledge::verify(s, &c.an, id, due).await.unwrap();
    let page = knowledge::page(s, &c.binh, id, due).await.unwrap();
    assert_eq!((page.state, page.verified_at), (ReviewState::Verified, due));
    assert!(s
        .review_queue(Reader::of(&c.an), due)
        .await
        .unwrap()
        .is_empty());
    assert!(knowledge::remind_due(s, due + 29 * DAY_MS)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        knowledge::remind_due(s, due + 30 * DAY_MS).await.unwrap(),
        [id]
    );
    // A reader who may not edit may not verify.
    assert_eq!(
        knowledge::verify(s, &c.binh, id, due).await,
        Err(AppError::Forbidden)
    );
}

async fn the_reviewer_follows_its_clock(db: &TestDb) {
    let c = company(&db.store).await;
    let id = knowledge::create(
        &db.store,
        &c.an,
        SpaceKey::Department(c.hr),
        &input("Quy trình", "Nội dung"),
        NOW,
    )
    .await
    .unwrap();
    let time = Arc::new(AtomicI64::new(NOW));
    let clock = {
        let time = time.clone();
        Arc::new(move || time.load(Ordering::SeqCst))
    };
    let reviewer =
        knowledge::Reviewer::start_with(db.store.clone(), clock, Duration::from_millis(20));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let reviews = |store: Store| async move {
        store
            .notifications(c.an.user_id, false, 50)
            .await
            .unwrap()
            .into_iter()
            .filter(|l| l.kind == NotificationKind::PageReview)
            .count()
    };
    assert_eq!(reviews(db.store.clone()).await, 0);
    time.store(NOW + 95 * DAY_MS, Ordering::SeqCst);
    let mut sent = 0;
    for _ in 0..100 {
        sent = reviews(db.store.clone()).await;
        if sent > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    reviewer.stop().await;
    assert_eq!(
        reviews(db.store.clone()).await,
        1,
        "one reminder for page {id}"
    );
    assert_eq!(sent, 1);
}

async fn a_deactivated_owners_pages_pass_to_their_manager(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    let hr_page = knowledge::create(
        s,
        &c.an,
        SpaceKey::Department(c.hr),
        &input("Nghỉ phép", "12 ngày"),
        NOW,
    )
    .await
    .unwrap();
    let vault_page = knowledge::create(
        s,
        &c.an,
        SpaceKey::Channel(c.vault),
        &input("Két sắt", "Mã số"),
        NOW,
    )
    .await
    .unwrap();
    app::domain::people::access::set_active(s, &c.owner, c.an.user_id, false, NOW + 1)
        .await
        .unwrap();
    for page in [hr_page, vault_page] {
        let view = knowledge::page(s, &c.lan, page, NOW + 1).await.unwrap();
        assert_eq!(view.owner.id, c.lan.user_id, "page {page}");
        assert!(view.may_edit);
    }
    let lines = s.notifications(c.lan.user_id, false, 50).await.unwrap();
    let mut handed: Vec<PageId> = lines
        .iter()
        .filter(|l| l.kind == NotificationKind::PageOwner)
        .filter_map(|l| l.page.as_ref().map(|(id, _)| *id))
        .collect();
    handed.sort();
    assert_eq!(handed, [hr_page, vault_page]);
    // Nobody else heard of it; An owns nothing any more.
    assert!(s
        .notifications(c.owner.user_id, false, 50)
        .await
        .unwrap()
        .iter()
        .all(|l| l.kind != NotificationKind::PageOwner));
    let owned = scalar(
        db,
        "SELECT COUNT(*) FROM pages WHERE owner_id = $1",
        c.an.user_id.0,
    )
    .await;
    assert_eq!(owned, 0);
}

async fn without_a_manager_pages_pass_to_a_space_admin(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    // Lan has no manager. Her vault page goes to the vault's other admin (An); her
    // department page to the company's owner.
    let vault_page = knowledge::create(
        s,
        &c.lan,
        SpaceKey::Channel(c.vault),
        &input("Két", "x"),
        NOW,
    )
    .await
    .unwrap();
    let hr_page = knowledge::create(
        s,
        &c.lan,
        SpaceKey::Department(c.hr),
        &input("Lương", "y"),
        NOW,
    )
    .await
    .unwrap();
    app::domain::people::access::set_active(s, &c.owner, c.lan.user_id, false, NOW + 1)
        .await
        .unwrap();
    let owner_of = |page: PageId| scalar(db, "SELECT owner_id FROM pages WHERE id = $1", page.0);
    assert_eq!(owner_of(vault_page).await, c.an.user_id.0);
    assert_eq!(owner_of(hr_page).await, c.owner.user_id.0);
    let told = |who: &Viewer| {
        let id = who.user_id;
        async move {
            s.notifications(id, false, 50)
                .await
                .unwrap()
                .into_iter()
                .filter(|l| l.kind == NotificationKind::PageOwner)
                .filter_map(|l| l.page.map(|(id, _)| id))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(told(&c.an).await, [vault_page]);
    assert_eq!(told(&c.owner).await, [hr_page]);
}

async fn bad_input_is_refused_and_nothing_is_stored(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    let hr = SpaceKey::Department(c.hr);
    let long_title = "t".repeat(201);
    let long_body = "b".repeat(50_001);
    for (input, error) in [
        (input("  ", "body"), Invalid::Required(Field::PageTitle)),
        (input("Title", ""), Invalid::Required(Field::PageBody)),
        (
            input(&long_title, "body"),
            Invalid::TooLong(Field::PageTitle, 200),
        ),
        (
            input("Title", &long_body),
            Invalid::TooLong(Field::PageBody, 50_000),
        ),
        (
            PageInput {
                review_days: 6,
                files: &[],
                ..input("Title", "body")
            },
            Invalid::OutOfRange(Field::ReviewDays, 7, 365),
        ),
        (
            PageInput {
                review_days: 366,
                files: &[],
                ..input("Title", "body")
            },
            Invalid::OutOfRange(Field::ReviewDays, 7, 365),
        ),
        (
            PageInput {
                parent: Some(PageId(999_999)),
                ..input("Title", "body")
            },
            Invalid::Unacceptable(Field::ParentPage),
        ),
    ] {
        assert_eq!(
            knowledge::create(s, &c.an, hr, &input, NOW).await,
            Err(error.into())
        );
    }
    // A space that does not exist; a company page by a member who is not staff.
    assert_eq!(
        knowledge::create(
            s,
            &c.an,
            SpaceKey::Department(DepartmentId(999)),
            &input("T", "b"),
            NOW
        )
        .await,
        Err(Invalid::Unacceptable(Field::Space).into())
    );
    assert_eq!(
        knowledge::create(s, &c.an, SpaceKey::Company, &input("T", "b"), NOW).await,
        Err(AppError::Forbidden)
    );
    // A Markdown table too large to render.
    // 200 columns and 101 rows: more cells than rendering allows, in fewer characters
    // than a page may have.
    let row = format!("{}|\n", "|x".repeat(200));
    let table = format!("{row}{}|\n{}", "|-".repeat(200), row.repeat(100));
    assert!(table.chars().count() < 50_000);
    assert_eq!(
        knowledge::create(s, &c.an, hr, &input("T", &table), NOW).await,
        Err(Invalid::TooComplex(Field::PageBody).into())
    );
    assert_eq!(page_count(db).await, 0);
    // An edit out of range stores no version.
    let id = knowledge::create(s, &c.an, hr, &input("T", "b"), NOW)
        .await
        .unwrap();
    assert_eq!(
        knowledge::edit(
            s,
            &c.an,
            id,
            &PageInput {
                review_days: 0,
                files: &[],
                ..input("T", "c")
            },
            NOW
        )
        .await,
        Err(Invalid::OutOfRange(Field::ReviewDays, 7, 365).into())
    );
    assert_eq!(s.page_versions(id).await.unwrap().len(), 1);
}

async fn only_editors_edit_and_loops_are_refused(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    let hr = SpaceKey::Department(c.hr);
    let top = knowledge::create(s, &c.an, hr, &input("Top", "a"), NOW)
        .await
        .unwrap();
    let middle = knowledge::create(
        s,
        &c.an,
        hr,
        &PageInput {
            parent: Some(top),
            ..input("Middle", "b")
        },
        NOW,
    )
    .await
    .unwrap();
    let bottom = knowledge::create(
        s,
        &c.an,
        hr,
        &PageInput {
            parent: Some(middle),
            ..input("Bottom", "c")
        },
        NOW,
    )
    .await
    .unwrap();
    // Moving a page under itself or its own descendant.
    for parent in [top, middle, bottom] {
        assert_eq!(
            knowledge::edit(
                s,
                &c.an,
                top,
                &PageInput {
                    parent: Some(parent),
                    ..input("Top", "a2")
                },
                NOW
            )
            .await,
            Err(Invalid::PageLoop.into()),
            "under {parent}"
        );
    }
    // Moving under a page of another space.
    let other = knowledge::create(
        s,
        &c.an,
        SpaceKey::Channel(c.partners),
        &input("Other", "x"),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(
        knowledge::edit(
            s,
            &c.an,
            bottom,
            &PageInput {
                parent: Some(other),
                ..input("Bottom", "c")
            },
            NOW
        )
        .await,
        Err(Invalid::Unacceptable(Field::ParentPage).into())
    );
    // Bình may read but not edit; the guest may not even read.
    assert_eq!(
        knowledge::edit(s, &c.binh, top, &input("Hacked", "x"), NOW).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        knowledge::edit(s, &c.guest, top, &input("Hacked", "x"), NOW).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        knowledge::edit_form(s, &c.binh, top, NOW)
            .await
            .map(|f| f.page.id),
        Err(AppError::Forbidden)
    );
    for id in [top, middle, bottom] {
        assert_eq!(s.page_versions(id).await.unwrap().len(), 1, "page {id}");
    }
    assert_eq!(
        knowledge::page(s, &c.an, top, NOW).await.unwrap().title,
        "Top"
    );
    // Moving the bottom page to the top is fine, and the edit form offers no loop.
    knowledge::edit(s, &c.lan, bottom, &input("Bottom", "c"), NOW)
        .await
        .unwrap();
    let form = knowledge::edit_form(s, &c.an, top, NOW).await.unwrap();
    let offered: Vec<PageId> = form.parents.iter().map(|(id, _)| *id).collect();
    assert_eq!(offered, [bottom]);
}

async fn editors_hand_a_page_over_and_delete_it(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    let vault_page = knowledge::create(
        s,
        &c.an,
        SpaceKey::Channel(c.vault),
        &input("Két sắt", "Mã số"),
        NOW,
    )
    .await
    .unwrap();
    let child = knowledge::create(
        s,
        &c.an,
        SpaceKey::Channel(c.vault),
        &PageInput {
            parent: Some(vault_page),
            ..input("Chìa khoá dự phòng", "Ngăn kéo")
        },
        NOW,
    )
    .await
    .unwrap();
    let hr_page = knowledge::create(
        s,
        &c.an,
        SpaceKey::Department(c.hr),
        &input("Nghỉ phép", "12 ngày"),
        NOW,
    )
    .await
    .unwrap();

    // The vault page may go only to people who may read it: its members, not Bình
    // (outside the vault) nor the guest.
    let form = knowledge::edit_form(s, &c.an, vault_page, NOW)
        .await
        .unwrap();
    let offered: Vec<_> = form.owners.iter().map(|(id, _)| *id).collect();
    assert!(offered.contains(&c.an.user_id) && offered.contains(&c.lan.user_id));
    assert!(!offered.contains(&c.binh.user_id) && !offered.contains(&c.guest.user_id));
    let hr_form = knowledge::edit_form(s, &c.an, hr_page, NOW).await.unwrap();
    assert!(hr_form.owners.iter().any(|(id, _)| *id == c.binh.user_id));
    assert!(hr_form.owners.iter().all(|(id, _)| *id != c.guest.user_id));

    // Refused: someone who may not read it, someone who may not edit, a non-editor.
    assert_eq!(
        knowledge::hand_to(s, &c.an, vault_page, c.binh.user_id, NOW).await,
        Err(Invalid::Unacceptable(Field::PageOwner).into())
    );
    assert_eq!(
        knowledge::hand_to(s, &c.binh, hr_page, c.binh.user_id, NOW).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        knowledge::hand_to(s, &c.binh, vault_page, c.binh.user_id, NOW).await,
        Err(AppError::NotFound)
    );
    let owner_of = |page: PageId| scalar(db, "SELECT owner_id FROM pages WHERE id = $1", page.0);
    assert_eq!(owner_of(vault_page).await, c.an.user_id.0);
    assert_eq!(owner_of(hr_page).await, c.an.user_id.0);
    let page_owner_notes = |who: &Viewer| {
        let id = who.user_id;
        async move {
            s.notifications(id, false, 50)
                .await
                .unwrap()
                .into_iter()
                .filter(|l| l.kind == NotificationKind::PageOwner)
                .map(|l| (l.page.map(|(id, _)| id), l.actor.map(|a| a.id)))
                .collect::<Vec<_>>()
        }
    };
    assert!(page_owner_notes(&c.binh).await.is_empty());

    // An hands the vault page to Lan, who is told by An; the page says so.
    knowledge::hand_to(s, &c.an, vault_page, c.lan.user_id, NOW + 1)
        .await
        .unwrap();
    assert_eq!(owner_of(vault_page).await, c.lan.user_id.0);
    assert_eq!(
        knowledge::page(s, &c.an, vault_page, NOW + 1)
            .await
            .unwrap()
            .owner
            .id,
        c.lan.user_id
    );
    assert_eq!(
        page_owner_notes(&c.lan).await,
        [(Some(vault_page), Some(c.an.user_id))]
    );
    // Handing it to its owner changes nothing and tells nobody.
    knowledge::hand_to(s, &c.lan, vault_page, c.lan.user_id, NOW + 2)
        .await
        .unwrap();
    assert_eq!(page_owner_notes(&c.lan).await.len(), 1);

    // Deleting: not by someone who may not edit it; nothing changes.
    assert_eq!(
        knowledge::delete(s, &c.binh, hr_page, NOW + 3).await,
        Err(AppError::Forbidden)
    );
    assert!(knowledge::page(s, &c.binh, hr_page, NOW + 3).await.is_ok());
    // Lan deletes the vault page: nobody opens, lists or finds it; its child moves up.
    let found = |who: &Viewer, words: &str| {
        let (who, words) = (who.clone(), words.to_owned());
        async move {
            app::domain::search::search(s, &who, words, Default::default(), 0, NOW + 5)
                .await
                .unwrap()
                .hits
                .len()
        }
    };
    assert_eq!(found(&c.lan, "ket sat").await, 1);
    knowledge::delete(s, &c.lan, vault_page, NOW + 4)
        .await
        .unwrap();
    for who in [&c.lan, &c.an] {
        assert_eq!(
            knowledge::page(s, who, vault_page, NOW + 5)
                .await
                .map(|p| p.id),
            Err(AppError::NotFound)
        );
        assert!(!pages_2_titles(s, who).await.contains(&"Két sắt".to_owned()));
    }
    assert_eq!(found(&c.lan, "ket sat").await, 0);
    let moved = knowledge::page(s, &c.lan, child, NOW + 5).await.unwrap();
    assert_eq!(moved.parent_id, None);
    assert!(moved.breadcrumbs.is_empty());
    // Gone: a second delete, a hand-over or an edit finds nothing.
    assert_eq!(
        knowledge::delete(s, &c.lan, vault_page, NOW + 6).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        knowledge::hand_to(s, &c.lan, vault_page, c.an.user_id, NOW + 6).await,
        Err(AppError::NotFound)
    );
    // The notification that named it no longer names it.
    assert_eq!(page_owner_notes(&c.lan).await, [(None, Some(c.an.user_id))]);
}

async fn a_guest_editor_is_offered_only_people_they_share_a_channel_with(db: &TestDb) {
    let s = &db.store;
    let (company, _owner) = CompanyBuilder::set_up(s, NOW).await;
    let guest = company
        .person("khach@partner.vn", "Khách Đối Tác")
        .role(Role::Guest)
        .await;
    let mai = company.person("mai@saomai.vn", "Lê Mai").await;
    let binh = company.person("binh@saomai.vn", "Trần Bình").await;
    // A public channel the guest administers: its pages are readable by every member.
    let lounge = company
        .channel("lounge", ChannelKind::Public)
        .admin(&guest)
        .member(&mai)
        .await;
    let page = knowledge::create(
        s,
        &guest,
        SpaceKey::Channel(lounge),
        &input("Quy trình đối tác", "Bước 1"),
        NOW,
    )
    .await
    .unwrap();
    let offered: Vec<_> = knowledge::edit_form(s, &guest, page, NOW)
        .await
        .unwrap()
        .owners
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    // Mai, whom the guest shares the channel with; not Bình nor the company's owner.
    assert_eq!(offered, [mai.user_id]);
    assert_eq!(
        knowledge::hand_to(s, &guest, page, binh.user_id, NOW).await,
        Err(Invalid::Unacceptable(Field::PageOwner).into())
    );
    knowledge::hand_to(s, &guest, page, mai.user_id, NOW)
        .await
        .unwrap();
    assert_eq!(
        knowledge::page(s, &mai, page, NOW).await.unwrap().owner.id,
        mai.user_id
    );
}
