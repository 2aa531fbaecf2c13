//! Onboarding journeys on both backends: written by HR and department leaders, given on
//! joining by department and role or by hand, ticked off by the new hire (a channel step
//! by joining), followed by those who look after them and nobody else; a step pointing
//! at something the reader may not see tells nothing about it; bad input refused with
//! nothing stored.

use app::domain::accounts::session;
use app::domain::invitations::{self, InvitationInput, JoinInput};
use app::domain::journeys::{self, JourneyInput, StepInput};
use app::domain::knowledge::{self, PageInput};
use app::error::{AppError, Field, Invalid};
use app::model::journeys::{JourneyId, StepKind, StepTarget};
use app::model::knowledge::SpaceKey;
use app::model::{ChannelId, ChannelKind, DepartmentId, NotificationKind, PageId, Role};
use app::policy::Viewer;
use app::store::Store;
use app::testing::{CompanyBuilder, TestDb, NOW};

app::storage_stories!(
    a_journey_is_given_on_joining_by_department_and_role,
    the_new_hire_ticks_steps_off_and_a_channel_step_by_joining,
    only_those_who_look_after_someone_follow_or_give_them_a_journey,
    a_step_hides_what_its_reader_may_not_see,
    bad_journeys_and_steps_are_refused_and_nothing_is_stored,
);

const DAY: i64 = 86_400_000;

struct Company {
    owner: Viewer,
    /// Leads HR (the leader permission).
    lan: Viewer,
    /// In HR, reports to Lan.
    an: Viewer,
    /// In Sales; leads it.
    binh: Viewer,
    hr: DepartmentId,
    sales: DepartmentId,
    /// An HR page anyone may read.
    expenses: PageId,
    /// A page in a private channel only An and Lan are in.
    vault_page: PageId,
    /// The public channel guests are invited into.
    news: ChannelId,
}

async fn company(store: &Store) -> Company {
    let (company, owner) = CompanyBuilder::set_up(store, NOW).await;
    let hr = company.department("Nhân sự").await;
    let sales = company.department("Kinh doanh").await;
    let lan = company
        .person("lan@saomai.vn", "Phạm Thị Lan")
        .department(hr)
        .leader(true)
        .await;
    let an = company
        .person("an@saomai.vn", "Nguyễn Văn An")
        .department(hr)
        .manager(&lan)
        .await;
    let binh = company
        .person("binh@saomai.vn", "Trần Bình")
        .department(sales)
        .leader(true)
        .await;
    let vault = company
        .channel("vault", ChannelKind::Private)
        .admin(&an)
        .admin(&lan)
        .await;
    let news = company.channel("tin-tuc", ChannelKind::Public).await;
    let page = |title: &'static str| PageInput {
        title,
        body: "Nộp hoá đơn trong 7 ngày.",
        parent: None,
        review_days: 90,
        files: &[],
    };
    let expenses = knowledge::create(
        store,
        &lan,
        SpaceKey::Department(hr),
        &page("Hoàn ứng công tác phí"),
        NOW,
    )
    .await
    .unwrap();
    let vault_page = knowledge::create(store, &lan, SpaceKey::Channel(vault), &page("Mã két"), NOW)
        .await
        .unwrap();
    Company {
        owner,
        lan,
        an,
        binh,
        hr,
        sales,
        expenses,
        vault_page,
        news,
    }
}

fn journey(name: &str, department: Option<DepartmentId>) -> JourneyInput<'_> {
    JourneyInput {
        name,
        description: "Hai tuần đầu",
        department,
        assign_on_join: true,
        join_role: None,
    }
}

fn step(day: i64, kind: StepKind) -> StepInput<'static> {
    StepInput {
        day,
        kind,
        page: None,
        channel: "",
        person: None,
        note: "",
    }
}

/// An HR journey by Lan: read the expenses page (day 1), join #tin-tuc (day 2), meet An
/// (day 3), set up the laptop (day 5).
async fn hr_journey(s: &Store, c: &Company) -> JourneyId {
    let id = journeys::create(s, &c.lan, &journey("Chào mừng đến HR", Some(c.hr)), NOW)
        .await
        .unwrap();
    let steps = [
        StepInput {
            page: Some(c.expenses),
            ..step(1, StepKind::Page)
        },
        StepInput {
            channel: "tin-tuc",
            ..step(2, StepKind::Channel)
        },
        StepInput {
            person: Some(c.an.user_id),
            note: "Hỏi về quy trình",
            ..step(3, StepKind::Person)
        },
        StepInput {
            note: "Cài đặt máy tính",
            ..step(5, StepKind::Task)
        },
    ];
    for input in &steps {
        journeys::add_step(s, &c.lan, id, input, NOW).await.unwrap();
    }
    id
}

/// Someone joining through an invitation for `role` in `department`.
async fn newcomer(
    s: &Store,
    c: &Company,
    role: &str,
    department: Option<DepartmentId>,
    email: &str,
    at: i64,
) -> Viewer {
    let department = department.map(|d| d.to_string());
    let news = c.news.to_string();
    let input = InvitationInput {
        role,
        department: department.as_deref(),
        // A guest is invited into one channel.
        channel: (role == "guest").then_some(news.as_str()),
        valid_days: "7",
        uses: "one",
    };
    let link = invitations::create(s, &c.owner, &input, at).await.unwrap();
    let token = invitations::join(
        s,
        &JoinInput {
            token: &link,
            name: email,
            email,
            password: "correct horse battery",
        },
        at,
    )
    .await
    .unwrap();
    s.session_viewer(&session::token_hash(&token), at + 1)
        .await
        .unwrap()
        .expect("a current session")
}

async fn told_of_journey(s: &Store, who: &Viewer) -> usize {
    s.notifications(who.user_id, false, 50)
        .await
        .unwrap()
        .iter()
        .filter(|n| n.kind == NotificationKind::Journey)
        .count()
}

async fn a_journey_is_given_on_joining_by_department_and_role(db: &TestDb) {
    let s = &db.store;
    let c = company(s).await;
    let hr_journey = hr_journey(s, &c).await;
    // A company-wide journey for admins only, and one given by hand only.
    let admins = journeys::create(
        s,
        &c.owner,
        &JourneyInput {
            join_role: Some(Role::Admin),
            ..journey("Quản trị viên", None)
        },
        NOW,
    )
    .await
    .unwrap();
    journeys::create(
        s,
        &c.owner,
        &JourneyInput {
            assign_on_join: false,
            ..journey("Tuỳ chọn", None)
        },
        NOW,
    )
    .await
    .unwrap();

    let later = NOW + DAY;
    let hr_member = newcomer(s, &c, "member", Some(c.hr), "mai@saomai.vn", later).await;
    let sales_admin = newcomer(s, &c, "admin", Some(c.sales), "hoa@saomai.vn", later).await;
    let hr_guest = newcomer(s, &c, "guest", Some(c.hr), "khach@doitac.vn", later).await;

    let names = |v: &Viewer| {
        let v = v.clone();
        async move {
            journeys::mine(s, &v, later)
                .await
                .unwrap()
                .journeys
                .into_iter()
                .map(|j| (j.id, j.started_at, j.total, j.assigned_by.is_none()))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(names(&hr_member).await, [(hr_journey, later, 4, true)]);
    assert_eq!(names(&sales_admin).await, [(admins, later, 0, true)]);
    assert_eq!(
        names(&hr_guest).await,
        [],
        "guests get no journey meant for all"
    );
    assert_eq!(told_of_journey(s, &hr_member).await, 1);
    assert_eq!(told_of_journey(s, &sales_admin).await, 1);
    assert_eq!(told_of_journey(s, &hr_guest).await, 0);
    // People already here are not put on a journey written after they joined.
    assert_eq!(names(&c.an).await, []);

    // The list shows who is on each.
    let home = journeys::home(s, &c.owner).await.unwrap();
    let people: Vec<(String, i64, i64)> = home
        .journeys
        .iter()
        .map(|j| (j.name.clone(), j.steps, j.people))
        .collect();
    assert_eq!(
        people,
        [
            ("Chào mừng đến HR".to_owned(), 4, 1),
            ("Quản trị viên".to_owned(), 0, 1),
            ("Tuỳ chọn".to_owned(), 0, 0),
        ]
    );
}

async fn the_new_hire_ticks_steps_off_and_a_channel_step_by_joining(db: &TestDb) {
    let s = &db.store;
    let c = company(s).await;
    let id = hr_journey(s, &c).await;
    let mai = newcomer(s, &c, "member", Some(c.hr), "mai@saomai.vn", NOW).await;
    let today = NOW + 2 * DAY;
    let progress = journeys::mine(s, &mai, today).await.unwrap();
    assert!(progress.mine);
    let journey = &progress.journeys[0];
    assert_eq!((journey.today, journey.done, journey.total), (3, 0, 4));
    let kinds: Vec<(i64, StepKind)> = journey.steps.iter().map(|s| (s.day, s.kind)).collect();
    assert_eq!(
        kinds,
        [
            (1, StepKind::Page),
            (2, StepKind::Channel),
            (3, StepKind::Person),
            (5, StepKind::Task),
        ]
    );
    assert_eq!(
        journey.steps[0].target,
        StepTarget::Page {
            id: c.expenses,
            title: "Hoàn ứng công tác phí".to_owned()
        }
    );
    let step_ids: Vec<_> = journey.steps.iter().map(|s| s.id).collect();

    // The page itself offers its step: not yet read, then read (twice is once).
    let page = knowledge::page(s, &mai, c.expenses, today).await.unwrap();
    assert_eq!(page.journey_steps, [(step_ids[0], false)]);
    let others = knowledge::page(s, &c.an, c.expenses, today).await.unwrap();
    assert_eq!(others.journey_steps, [], "An is on no journey");

    // The page step ticked; the channel step by joining the channel; the task ticked.
    journeys::tick(s, &mai, step_ids[0], today).await.unwrap();
    journeys::tick(s, &mai, step_ids[0], today).await.unwrap();
    let page = knowledge::page(s, &mai, c.expenses, today).await.unwrap();
    assert_eq!(page.journey_steps, [(step_ids[0], true)]);
    // A second journey asking for the same page, given later: already read there too
    // once she reads it again — reading a page counts for every journey asking for it.
    let costs = self::journey("Chi phí", Some(c.hr));
    let second = journeys::create(s, &c.lan, &costs, NOW).await.unwrap();
    let again = StepInput {
        page: Some(c.expenses),
        ..step(2, StepKind::Page)
    };
    let again = journeys::add_step(s, &c.lan, second, &again, NOW)
        .await
        .unwrap();
    journeys::assign(s, &c.lan, second, mai.user_id, today)
        .await
        .unwrap();
    journeys::tick(s, &mai, step_ids[0], today).await.unwrap();
    let page = knowledge::page(s, &mai, c.expenses, today).await.unwrap();
    assert_eq!(page.journey_steps, [(step_ids[0], true), (again, true)]);
    journeys::unassign(s, &c.lan, second, mai.user_id)
        .await
        .unwrap();
    journeys::tick(s, &mai, step_ids[1], today).await.unwrap();
    journeys::tick(s, &mai, step_ids[3], today).await.unwrap();
    let journey = journeys::mine(s, &mai, today).await.unwrap().journeys[0].clone();
    let done: Vec<bool> = journey.steps.iter().map(|s| s.done).collect();
    assert_eq!(done, [true, true, false, true]);
    assert_eq!((journey.done, journey.percent()), (3, 75));
    assert!(!journey.complete());
    let access = s.channel_access("tin-tuc", mai.user_id).await.unwrap();
    assert_eq!(
        access.map(|a| a.membership),
        Some(Some(false)),
        "the channel step joined the channel"
    );

    // A tick taken back; the manager sees the same progress on the journey's page.
    journeys::untick(s, &mai, step_ids[3]).await.unwrap();
    let editor = journeys::editor(s, &c.lan, id).await.unwrap();
    let travellers: Vec<_> = editor
        .travellers
        .iter()
        .map(|t| (t.person.id, t.done, t.total))
        .collect();
    assert_eq!(travellers, [(mai.user_id, 2, 4)]);

    // Someone else's step cannot be ticked: An is on no journey.
    assert!(matches!(
        journeys::tick(s, &c.an, step_ids[2], today).await,
        Err(AppError::NotFound)
    ));
    // Finishing every step completes it.
    journeys::tick(s, &mai, step_ids[2], today).await.unwrap();
    journeys::tick(s, &mai, step_ids[3], today).await.unwrap();
    let journey = journeys::mine(s, &mai, today).await.unwrap().journeys[0].clone();
    assert!(journey.complete());
    assert_eq!(journey.percent(), 100);
}

async fn only_those_who_look_after_someone_follow_or_give_them_a_journey(db: &TestDb) {
    let s = &db.store;
    let c = company(s).await;
    let id = hr_journey(s, &c).await;
    let company = CompanyBuilder::existing(s, NOW);
    // Mai joins HR and reports to An; Bình leads Sales; Cúc is a plain member in Sales.
    let mai = company
        .person("mai@saomai.vn", "Lê Mai")
        .department(c.hr)
        .manager(&c.an)
        .await;
    let cuc = company
        .person("cuc@saomai.vn", "Đỗ Cúc")
        .department(c.sales)
        .await;

    // Her manager gives her the journey by hand; she is told who gave it.
    journeys::assign(s, &c.an, id, mai.user_id, NOW)
        .await
        .unwrap();
    journeys::assign(s, &c.an, id, mai.user_id, NOW)
        .await
        .unwrap();
    assert_eq!(told_of_journey(s, &mai).await, 1, "given twice, told once");
    let hers = journeys::mine(s, &mai, NOW).await.unwrap();
    assert_eq!(hers.journeys.len(), 1);
    assert_eq!(
        hers.journeys[0].assigned_by.as_ref().map(|p| p.id),
        Some(c.an.user_id)
    );

    // Her manager, HR's leader and the owner follow her; each may give more.
    for who in [&c.an, &c.lan, &c.owner] {
        let seen = journeys::of_person(s, who, mai.user_id, NOW).await.unwrap();
        assert_eq!(seen.journeys.len(), 1, "{}", who.name);
        assert!(seen.may_assign && !seen.mine, "{}", who.name);
        assert!(seen.assignable.is_empty(), "she is on the only journey");
    }
    // A colleague of another department, another department's leader: nothing.
    for who in [&cuc, &c.binh] {
        assert!(
            matches!(
                journeys::of_person(s, who, mai.user_id, NOW).await,
                Err(AppError::Forbidden)
            ),
            "{}",
            who.name
        );
        assert!(matches!(
            journeys::assign(s, who, id, mai.user_id, NOW).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            journeys::unassign(s, who, id, mai.user_id).await,
            Err(AppError::Forbidden)
        ));
    }
    // Journeys themselves are listed to staff and leaders only; Bình may not change
    // HR's, Cúc may not even list them.
    let listed = journeys::home(s, &c.binh).await.unwrap();
    assert_eq!(listed.journeys.len(), 1);
    assert!(!listed.journeys[0].may_edit);
    assert!(matches!(
        journeys::home(s, &cuc).await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        journeys::editor(s, &cuc, id).await,
        Err(AppError::Forbidden)
    ));
    let theirs = journeys::editor(s, &c.binh, id).await.unwrap();
    assert!(theirs.choices.pages.is_empty() && theirs.choices.people.is_empty());
    assert!(matches!(
        journeys::add_step(
            s,
            &c.binh,
            id,
            &StepInput {
                note: "x",
                ..step(1, StepKind::Task)
            },
            NOW
        )
        .await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        journeys::delete(s, &c.binh, id).await,
        Err(AppError::Forbidden)
    ));

    // Taken back, with her ticks.
    journeys::unassign(s, &c.lan, id, mai.user_id)
        .await
        .unwrap();
    assert!(journeys::mine(s, &mai, NOW)
        .await
        .unwrap()
        .journeys
        .is_empty());
    assert!(matches!(
        journeys::unassign(s, &c.lan, id, mai.user_id).await,
        Err(AppError::NotFound)
    ));
}

async fn a_step_hides_what_its_reader_may_not_see(db: &TestDb) {
    let s = &db.store;
    let c = company(s).await;
    // Lan (in the vault) points a step at the vault's page; Mai, not in it, is given it.
    let id = journeys::create(s, &c.lan, &journey("Két", Some(c.hr)), NOW)
        .await
        .unwrap();
    journeys::add_step(
        s,
        &c.lan,
        id,
        &StepInput {
            page: Some(c.vault_page),
            ..step(1, StepKind::Page)
        },
        NOW,
    )
    .await
    .unwrap();
    let mai = newcomer(s, &c, "member", Some(c.hr), "mai@saomai.vn", NOW).await;
    let hers = journeys::mine(s, &mai, NOW).await.unwrap();
    let step = &hers.journeys[0].steps[0];
    assert_eq!(step.target, StepTarget::Hidden);
    let wire = format!("{hers:?}");
    assert!(!wire.contains("Mã két"), "{wire}");
    // Lan, in the vault, sees it on the same journey.
    let lans = journeys::editor(s, &c.lan, id).await.unwrap();
    assert!(matches!(lans.steps[0].target, StepTarget::Page { .. }));
    // Bình (a leader, not in the vault) neither sees it nor may offer it.
    let binhs = journeys::editor(s, &c.binh, id).await.unwrap();
    assert_eq!(binhs.steps[0].target, StepTarget::Hidden);
    assert!(!format!("{binhs:?}").contains("Mã két"));
}

fn invalid<T: std::fmt::Debug>(r: Result<T, AppError>) -> Invalid {
    match r {
        Err(AppError::Invalid(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn journey_rows(db: &TestDb) -> (i64, i64) {
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    let journeys: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM journeys")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let steps: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM journey_steps")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    (journeys, steps)
}

async fn bad_journeys_and_steps_are_refused_and_nothing_is_stored(db: &TestDb) {
    let s = &db.store;
    let c = company(s).await;
    let id = journeys::create(s, &c.lan, &journey("HR", Some(c.hr)), NOW)
        .await
        .unwrap();
    // Journeys: no name, too long a name, owners as a join rule, a department Lan does
    // not lead, the whole company (staff only), a department that is not there.
    assert_eq!(
        invalid(journeys::create(s, &c.lan, &journey("  ", Some(c.hr)), NOW).await),
        Invalid::Required(Field::JourneyName)
    );
    let long = "x".repeat(101);
    assert!(matches!(
        invalid(journeys::create(s, &c.lan, &journey(&long, Some(c.hr)), NOW).await),
        Invalid::TooLong(Field::JourneyName, 100)
    ));
    assert_eq!(
        invalid(
            journeys::create(
                s,
                &c.owner,
                &JourneyInput {
                    join_role: Some(Role::Owner),
                    ..journey("Chủ", None)
                },
                NOW
            )
            .await
        ),
        Invalid::Unacceptable(Field::JoinRule)
    );
    for department in [Some(c.sales), None] {
        assert!(matches!(
            journeys::create(s, &c.lan, &journey("Khác", department), NOW).await,
            Err(AppError::Forbidden)
        ));
    }
    assert_eq!(
        invalid(
            journeys::create(s, &c.owner, &journey("Ma", Some(DepartmentId(9_999))), NOW).await
        ),
        Invalid::Unacceptable(Field::Department)
    );
    assert!(matches!(
        journeys::create(s, &c.an, &journey("An", Some(c.hr)), NOW).await,
        Err(AppError::Forbidden)
    ));

    // Steps: a day out of range, a task without words, a page Lan may not read (none),
    // a private channel, a missing channel, a deactivated person, a guest.
    let lan = &c.lan;
    let add = |input: StepInput<'static>| async move {
        journeys::add_step(s, lan, id, &input, NOW).await
    };
    for day in [0, 91] {
        assert_eq!(
            invalid(
                add(StepInput {
                    note: "x",
                    ..step(day, StepKind::Task)
                })
                .await
            ),
            Invalid::OutOfRange(Field::StepDay, 1, 90)
        );
    }
    assert_eq!(
        invalid(add(step(1, StepKind::Task)).await),
        Invalid::Required(Field::StepNote)
    );
    assert_eq!(
        invalid(
            add(StepInput {
                page: Some(PageId(9_999)),
                ..step(1, StepKind::Page)
            })
            .await
        ),
        Invalid::Unacceptable(Field::StepTarget)
    );
    for channel in ["vault", "khong-co"] {
        assert_eq!(
            invalid(
                add(StepInput {
                    channel,
                    ..step(1, StepKind::Channel)
                })
                .await
            ),
            Invalid::Unacceptable(Field::StepTarget)
        );
    }
    app::domain::people::access::set_active(s, &c.owner, c.an.user_id, false, NOW)
        .await
        .unwrap();
    assert_eq!(
        invalid(
            add(StepInput {
                person: Some(c.an.user_id),
                ..step(1, StepKind::Person)
            })
            .await
        ),
        Invalid::Unacceptable(Field::StepTarget)
    );
    assert_eq!(journey_rows(db).await, (1, 0));

    // A step pointing at a page Bình may not read is refused to him even as staff-less
    // leader of nothing here: he may not change HR's journey at all.
    assert!(matches!(
        journeys::add_step(
            s,
            &c.binh,
            id,
            &StepInput {
                page: Some(c.expenses),
                ..step(1, StepKind::Page)
            },
            NOW
        )
        .await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(journey_rows(db).await, (1, 0));
}
