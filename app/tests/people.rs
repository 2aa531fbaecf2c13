//! People on both backends: invitations, profiles, the organisation chart, deactivation
//! and what guests may see. Each story goes through the same functions the server
//! functions call, so the rules tested here are the rules users meet.

use app::domain::accounts::{self, session, SetUp};
use app::domain::invitations::{self, InvitationInput, JoinInput};
use app::domain::people::{self, ProfileInput};
use app::domain::people::{access, departments};
use app::error::{AppError, Field, Invalid, InvitationProblem};
use app::model::{ChannelId, ChannelKind, DepartmentId, PersonId, Role};
use app::policy::Viewer;
use app::store::{FeedScope, NewChannel, NewPost, PeopleFilter, Reader, Store};
use app::testing::{CompanyBuilder, TestDb, SAO_MAI};

app::storage_stories!(
    an_invitation_brings_someone_in_with_its_role_and_department,
    invitations_say_why_they_cannot_be_used,
    a_guest_sees_only_their_channel_and_its_people,
    profiles_are_checked_saved_and_found_without_diacritics,
    only_admins_change_the_organisation_and_never_into_a_loop,
    deactivation_signs_out_at_once_and_reactivation_restores,
    departments_are_unique_by_name,
    a_guest_meets_no_one_outside_their_channels,
    only_the_owner_edits_the_owner,
    guests_never_hold_the_leader_permission,
    invitations_name_only_channels_the_admin_may_manage,
    a_member_turned_guest_keeps_only_the_channel_named,
);

const NOW: i64 = 1_800_000_000_000;
const DAY: i64 = 86_400_000;
const PASSWORD: &str = "correct horse battery";

/// A company with its owner; returns the owner as a viewer.
async fn owner(store: &Store) -> Viewer {
    let setup = SetUp {
        name: "Trần Minh Quân",
        email: "quan@saomai.vn",
        password: PASSWORD,
        default_channel_name: "chung",
        ..SAO_MAI
    };
    CompanyBuilder::set_up_with(store, setup, NOW).await.1
}

async fn viewer(store: &Store, token: &str) -> Viewer {
    store
        .session_viewer(&session::token_hash(token), NOW + 1)
        .await
        .unwrap()
        .expect("a current session")
}

fn invite<'a>(role: &'a str, uses: &'a str) -> InvitationInput<'a> {
    InvitationInput {
        role,
        department: None,
        channel: None,
        valid_days: "7",
        uses,
    }
}

async fn join(store: &Store, token: &str, name: &str, email: &str) -> Result<String, AppError> {
    invitations::join(
        store,
        &JoinInput {
            token,
            name,
            email,
            password: PASSWORD,
        },
        NOW + 10,
    )
    .await
}

/// Joins through a fresh invitation for `role` and returns the new person.
async fn newcomer(store: &Store, by: &Viewer, role: &str, email: &str) -> Viewer {
    let link = invitations::create(store, by, &invite(role, "one"), NOW)
        .await
        .unwrap();
    let token = join(store, &link, email, email).await.unwrap();
    viewer(store, &token).await
}

async fn an_invitation_brings_someone_in_with_its_role_and_department(db: &TestDb) {
    let owner = owner(&db.store).await;
    departments::save_department(&db.store, &owner, None, "Kế toán")
        .await
        .unwrap();
    let accounting = db.store.departments().await.unwrap()[0].id;
    let accounting_text = accounting.to_string();
    let input = InvitationInput {
        department: Some(&accounting_text),
        ..invite("admin", "one")
    };
    let link = invitations::create(&db.store, &owner, &input, NOW)
        .await
        .unwrap();
    let pending = db.store.pending_invitations(NOW + 1).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (
            pending[0].role,
            pending[0].department.as_deref(),
            pending[0].uses
        ),
        (Role::Admin, Some("Kế toán"), 0)
    );
    assert_eq!(pending[0].expires_at, NOW + 7 * DAY);

    let details = invitations::details(&db.store, &link, NOW + 1)
        .await
        .unwrap();
    assert_eq!(
        (details.company_name.as_str(), details.role),
        ("Sao Mai", Role::Admin)
    );
    let token = join(&db.store, &link, "  Lê Thu Hà ", "ha@saomai.vn")
        .await
        .unwrap();
    let ha = viewer(&db.store, &token).await;
    assert_eq!((ha.name.as_str(), ha.role), ("Lê Thu Hà", Role::Admin));
    let record = db.store.person(ha.user_id).await.unwrap().unwrap();
    assert_eq!(
        record.department.map(|d| d.name).as_deref(),
        Some("Kế toán")
    );
    // Members and admins are in the company-wide channel from the start.
    let reader = Reader {
        user_id: ha.user_id,
        guest: false,
        staff: false,
    };
    let channels = db.store.listed_channels(reader).await.unwrap();
    assert_eq!(channels[0].member_count, 2);
    // A used single-use link is no longer pending.
    assert!(db
        .store
        .pending_invitations(NOW + 20)
        .await
        .unwrap()
        .is_empty());

    // Any number of people may use a multi-use link until it expires.
    let many = invitations::create(&db.store, &owner, &invite("member", "many"), NOW)
        .await
        .unwrap();
    for email in ["a@saomai.vn", "b@saomai.vn", "c@saomai.vn"] {
        join(&db.store, &many, "Someone", email).await.unwrap();
    }
    assert_eq!(
        db.store.pending_invitations(NOW + 20).await.unwrap()[0].uses,
        3
    );
    // An address already in use (whatever its case) is refused, and the link not spent.
    assert_eq!(
        join(&db.store, &many, "Again", "A@SaoMai.vn").await,
        Err(Invalid::EmailTaken.into())
    );
    assert_eq!(
        db.store.pending_invitations(NOW + 20).await.unwrap()[0].uses,
        3
    );
    // Members cannot invite.
    let member = newcomer(&db.store, &owner, "member", "m@saomai.vn").await;
    assert_eq!(
        invitations::create(&db.store, &member, &invite("member", "one"), NOW).await,
        Err(AppError::Forbidden)
    );
}

async fn invitations_say_why_they_cannot_be_used(db: &TestDb) {
    let owner = owner(&db.store).await;
    let once = invitations::create(&db.store, &owner, &invite("member", "one"), NOW)
        .await
        .unwrap();
    join(&db.store, &once, "First", "first@saomai.vn")
        .await
        .unwrap();
    let problem = |p| Some(AppError::Invitation(p));
    assert_eq!(
        join(&db.store, &once, "Second", "second@saomai.vn")
            .await
            .err(),
        problem(InvitationProblem::UsedUp)
    );
    let expired = invitations::create(&db.store, &owner, &invite("member", "many"), NOW - 8 * DAY)
        .await
        .unwrap();
    assert_eq!(
        invitations::details(&db.store, &expired, NOW).await.err(),
        problem(InvitationProblem::Expired)
    );
    let revoked = invitations::create(&db.store, &owner, &invite("member", "many"), NOW)
        .await
        .unwrap();
    let id = db.store.pending_invitations(NOW).await.unwrap()[0].id;
    invitations::revoke(&db.store, &owner, id, NOW)
        .await
        .unwrap();
    assert_eq!(
        join(&db.store, &revoked, "Late", "late@saomai.vn")
            .await
            .err(),
        problem(InvitationProblem::Revoked)
    );
    assert_eq!(
        invitations::details(&db.store, "no-such-link", NOW)
            .await
            .err(),
        problem(InvitationProblem::Unknown)
    );
    // Nobody got in through a refused link.
    assert_eq!(
        db.store
            .people(&PeopleFilter::default())
            .await
            .unwrap()
            .len(),
        2
    );

    // Bad invitation forms are refused with the field named, and store nothing.
    let bad = [
        (invite("owner", "one"), Invalid::Unacceptable(Field::Role)),
        (
            invite("member", "twice"),
            Invalid::Unacceptable(Field::Uses),
        ),
        (
            InvitationInput {
                valid_days: "91",
                ..invite("member", "one")
            },
            Invalid::Unacceptable(Field::ValidDays),
        ),
        (
            InvitationInput {
                department: Some("999"),
                ..invite("member", "one")
            },
            Invalid::Unacceptable(Field::Department),
        ),
        (invite("guest", "one"), Invalid::Required(Field::Channel)),
    ];
    for (input, problem) in bad {
        assert_eq!(
            invitations::create(&db.store, &owner, &input, NOW).await,
            Err(problem.into())
        );
    }
    assert!(db.store.pending_invitations(NOW).await.unwrap().is_empty());
}

async fn a_guest_sees_only_their_channel_and_its_people(db: &TestDb) {
    let owner = owner(&db.store).await;
    let mut tx = db.store.begin().await.unwrap();
    let channel = |slug| NewChannel {
        slug,
        name: slug,
        description: "",
        guidelines: "",
        kind: ChannelKind::Public,
        is_default: false,
        created_by: None,
        created_at: NOW,
    };
    let partners = tx.create_channel(&channel("partners")).await.unwrap();
    let internal = tx.create_channel(&channel("internal")).await.unwrap();
    tx.add_member(partners, owner.user_id, true).await.unwrap();
    for (channel, body) in [(partners, "for partners"), (internal, "internal only")] {
        tx.create_post(&NewPost {
            channel_id: channel,
            author_id: owner.user_id,
            kind: app::model::PostKind::Update,
            body,
            created_at: NOW,
        })
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let member = newcomer(&db.store, &owner, "member", "member@saomai.vn").await;
    let partners_text = partners.to_string();
    let input = InvitationInput {
        channel: Some(&partners_text),
        ..invite("guest", "one")
    };
    let link = invitations::create(&db.store, &owner, &input, NOW)
        .await
        .unwrap();
    let token = join(&db.store, &link, "Agency", "agency@partner.vn")
        .await
        .unwrap();
    let guest = viewer(&db.store, &token).await;
    assert_eq!(guest.role, Role::Guest);

    let as_guest = Reader {
        user_id: guest.user_id,
        guest: true,
        staff: false,
    };
    let listed: Vec<String> = db
        .store
        .listed_channels(as_guest)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.slug)
        .collect();
    assert_eq!(listed, ["partners"], "not even the company-wide channel");
    let feed = db
        .store
        .feed(as_guest, &FeedScope::Company, None, 10)
        .await
        .unwrap();
    let bodies: Vec<_> = feed.iter().map(|p| p.body.as_str()).collect();
    assert_eq!(bodies, ["for partners"]);
    // The directory, for a guest, is the people of their channels.
    let filter = PeopleFilter {
        seen_by: Some(guest.user_id),
        ..PeopleFilter::default()
    };
    let names: Vec<String> = db
        .store
        .people(&filter)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.person.name)
        .collect();
    assert_eq!(names, ["Agency", "Trần Minh Quân"]);
    // A profile outside their channels does not exist for them; inside, it is shown
    // without e-mail.
    assert_eq!(
        people::view(&db.store, &guest, member.user_id).await,
        Ok(None)
    );
    let shown = people::view(&db.store, &guest, owner.user_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((shown.email.as_str(), shown.may_edit), ("", false));
    // Members read every open channel, including ones they never joined.
    let as_member = Reader {
        user_id: member.user_id,
        guest: false,
        staff: false,
    };
    assert_eq!(
        db.store
            .feed(as_member, &FeedScope::Company, None, 10)
            .await
            .unwrap()
            .len(),
        2
    );
}

fn profile_input(name: &str) -> ProfileInput {
    ProfileInput {
        name: name.into(),
        ..ProfileInput::default()
    }
}

async fn profiles_are_checked_saved_and_found_without_diacritics(db: &TestDb) {
    let owner = owner(&db.store).await;
    let an = newcomer(&db.store, &owner, "member", "an@saomai.vn").await;
    let input = ProfileInput {
        name: "Nguyễn Văn An".into(),
        job_title: "Kế toán trưởng".into(),
        location: "Hà Nội".into(),
        time_zone: "Asia/Ho_Chi_Minh".into(),
        start_date: "2021-03-01".into(),
        birthday_month: "2".into(),
        birthday_day: "29".into(),
        birthday_public: false,
        expertise: "Hóa đơn VAT, thuế TNCN, hóa đơn vat".into(),
        responsibilities: "Bảng lương hằng tháng\nHoàn ứng công tác phí\n".into(),
        department: Some("999".into()),
        manager: None,
    };
    people::save(&db.store, &an, an.user_id, &input)
        .await
        .unwrap();
    let mine = people::view(&db.store, &an, an.user_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mine.person.name, "Nguyễn Văn An");
    assert_eq!(mine.expertise, ["Hóa đơn VAT", "thuế TNCN"]);
    assert_eq!(
        mine.responsibilities,
        ["Bảng lương hằng tháng", "Hoàn ứng công tác phí"]
    );
    assert_eq!(
        (mine.birthday.as_deref(), mine.start_date.as_deref()),
        (Some("02-29"), Some("2021-03-01"))
    );
    assert_eq!(mine.utc_offset_minutes, Some(420));
    // A member's department field is ignored, not an error: it is not theirs to set.
    assert_eq!(mine.department, None);
    // A private birthday is hidden from colleagues.
    let seen = people::view(&db.store, &owner, an.user_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen.birthday.as_deref(), Some("02-29"), "admins see it");
    let colleague = newcomer(&db.store, &owner, "member", "b@saomai.vn").await;
    let seen = people::view(&db.store, &colleague, an.user_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen.birthday, None);

    // Found by name, title, expertise or responsibility, with or without diacritics.
    for query in [
        "nguyen van an",
        "ke toan",
        "hoa don vat",
        "hoan ung",
        "NGUYỄN",
    ] {
        let filter = PeopleFilter {
            text: query.into(),
            ..PeopleFilter::default()
        };
        let found = db.store.people(&filter).await.unwrap();
        assert_eq!(found.len(), 1, "{query}");
        assert_eq!(found[0].person.name, "Nguyễn Văn An");
    }

    // Every rule has its message, and a refused save changes nothing.
    let long = |n| "x".repeat(n);
    let refusals = [
        (profile_input(""), Invalid::Required(Field::Name)),
        (
            profile_input(&long(101)),
            Invalid::TooLong(Field::Name, 100),
        ),
        (
            ProfileInput {
                job_title: long(101),
                ..profile_input("An")
            },
            Invalid::TooLong(Field::JobTitle, 100),
        ),
        (
            ProfileInput {
                location: long(101),
                ..profile_input("An")
            },
            Invalid::TooLong(Field::Location, 100),
        ),
        (
            ProfileInput {
                time_zone: "Mars/Olympus".into(),
                ..profile_input("An")
            },
            Invalid::Unacceptable(Field::TimeZone),
        ),
        (
            ProfileInput {
                start_date: "2023-02-29".into(),
                ..profile_input("An")
            },
            Invalid::Unacceptable(Field::StartDate),
        ),
        (
            ProfileInput {
                birthday_month: "4".into(),
                birthday_day: "31".into(),
                ..profile_input("An")
            },
            Invalid::Unacceptable(Field::Birthday),
        ),
        (
            ProfileInput {
                expertise: (0..21)
                    .map(|i| format!("t{i}"))
                    .collect::<Vec<_>>()
                    .join(","),
                ..profile_input("An")
            },
            Invalid::TooMany(Field::Expertise, 20),
        ),
        (
            ProfileInput {
                responsibilities: long(201),
                ..profile_input("An")
            },
            Invalid::TooLong(Field::Responsibilities, 200),
        ),
    ];
    for (input, problem) in refusals {
        assert_eq!(
            people::save(&db.store, &an, an.user_id, &input).await,
            Err(problem.into())
        );
    }
    let after = people::view(&db.store, &an, an.user_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        after,
        Profile {
            now_ms: after.now_ms,
            ..mine
        }
    );
    // Nobody edits a colleague's profile but admins.
    assert_eq!(
        people::save(&db.store, &colleague, an.user_id, &profile_input("Hacked")).await,
        Err(AppError::Forbidden)
    );
}

use app::model::Profile;

async fn only_admins_change_the_organisation_and_never_into_a_loop(db: &TestDb) {
    let owner = owner(&db.store).await;
    departments::save_department(&db.store, &owner, None, "Kỹ thuật")
        .await
        .unwrap();
    let eng = db.store.departments().await.unwrap()[0].id.to_string();
    let lead = newcomer(&db.store, &owner, "member", "lead@saomai.vn").await;
    let dev = newcomer(&db.store, &owner, "member", "dev@saomai.vn").await;
    let org = |name: &str, manager: PersonId| ProfileInput {
        department: Some(eng.clone()),
        manager: Some(manager.to_string()),
        ..profile_input(name)
    };
    people::save(&db.store, &owner, lead.user_id, &org("Lead", owner.user_id))
        .await
        .unwrap();
    people::save(&db.store, &owner, dev.user_id, &org("Dev", lead.user_id))
        .await
        .unwrap();
    let dev_profile = people::view(&db.store, &dev, dev.user_id)
        .await
        .unwrap()
        .unwrap();
    let chain: Vec<_> = dev_profile
        .managers
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(chain, ["Lead", "Trần Minh Quân"]);
    assert_eq!(
        dev_profile.department.map(|d| d.name).as_deref(),
        Some("Kỹ thuật")
    );
    let lead_profile = people::view(&db.store, &dev, lead.user_id)
        .await
        .unwrap()
        .unwrap();
    let reports: Vec<_> = lead_profile
        .reports
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(reports, ["Dev"]);

    // The owner reporting to the developer would make a loop: refused.
    assert_eq!(
        people::save(
            &db.store,
            &owner,
            owner.user_id,
            &org("Trần Minh Quân", dev.user_id)
        )
        .await,
        Err(Invalid::ManagerLoop.into())
    );
    assert_eq!(
        people::save(&db.store, &owner, dev.user_id, &org("Dev", dev.user_id)).await,
        Err(Invalid::ManagerLoop.into())
    );
    // A member saving their own profile leaves department and manager alone.
    people::save(&db.store, &dev, dev.user_id, &profile_input("Dev"))
        .await
        .unwrap();
    let record = db.store.person(dev.user_id).await.unwrap().unwrap();
    assert_eq!(record.manager_id, Some(lead.user_id));
    assert!(record.department.is_some());
}

async fn deactivation_signs_out_at_once_and_reactivation_restores(db: &TestDb) {
    let owner = owner(&db.store).await;
    let admin = newcomer(&db.store, &owner, "admin", "admin@saomai.vn").await;
    let link = invitations::create(&db.store, &owner, &invite("member", "one"), NOW)
        .await
        .unwrap();
    let token = join(&db.store, &link, "Bảo", "bao@saomai.vn")
        .await
        .unwrap();
    let bao = viewer(&db.store, &token).await;

    access::set_active(&db.store, &admin, bao.user_id, false, NOW)
        .await
        .unwrap();
    assert_eq!(
        db.store
            .session_viewer(&session::token_hash(&token), NOW + 2)
            .await
            .unwrap(),
        None,
        "signed out on the next request"
    );
    assert_eq!(
        accounts::sign_in(&db.store, "bao@saomai.vn", PASSWORD, None, NOW + 3).await,
        Err(AppError::Deactivated)
    );
    // Still in the company's history, not in the directory.
    assert!(db.store.person(bao.user_id).await.unwrap().is_some());
    let deactivated = PeopleFilter {
        deactivated: true,
        ..PeopleFilter::default()
    };
    assert_eq!(db.store.people(&deactivated).await.unwrap().len(), 1);

    access::set_active(&db.store, &admin, bao.user_id, true, NOW)
        .await
        .unwrap();
    assert!(
        accounts::sign_in(&db.store, "bao@saomai.vn", PASSWORD, None, NOW + 4)
            .await
            .is_ok()
    );

    // Roles: admins change them, but never the owner's, their own, or to owner.
    access::change_role(&db.store, &admin, bao.user_id, "guest", None, NOW)
        .await
        .unwrap();
    assert_eq!(
        db.store.person(bao.user_id).await.unwrap().unwrap().role,
        Role::Guest
    );
    for (person, role) in [
        (owner.user_id, "member"),
        (admin.user_id, "member"),
        (bao.user_id, "owner"),
    ] {
        assert_eq!(
            access::change_role(&db.store, &admin, person, role, None, NOW).await,
            Err(AppError::Forbidden),
            "{person} {role}"
        );
    }
    assert_eq!(
        access::change_role(&db.store, &admin, bao.user_id, "emperor", None, NOW).await,
        Err(Invalid::Unacceptable(Field::Role).into())
    );
    assert_eq!(
        access::set_active(&db.store, &admin, owner.user_id, false, NOW).await,
        Err(AppError::Forbidden)
    );
    let member = newcomer(&db.store, &owner, "member", "m@saomai.vn").await;
    assert_eq!(
        access::set_active(&db.store, &member, admin.user_id, false, NOW).await,
        Err(AppError::Forbidden)
    );
}

async fn departments_are_unique_by_name(db: &TestDb) {
    let owner = owner(&db.store).await;
    departments::save_department(&db.store, &owner, None, " Nhân sự ")
        .await
        .unwrap();
    departments::save_department(&db.store, &owner, None, "Kinh doanh")
        .await
        .unwrap();
    assert_eq!(
        departments::save_department(&db.store, &owner, None, "Nhân sự").await,
        Err(Invalid::DepartmentExists.into())
    );
    let list = db.store.departments().await.unwrap();
    let hr = list.iter().find(|d| d.name == "Nhân sự").unwrap().id;
    assert_eq!(
        departments::save_department(&db.store, &owner, Some(hr), "Kinh doanh").await,
        Err(Invalid::DepartmentExists.into())
    );
    departments::save_department(&db.store, &owner, Some(hr), "Nhân sự & Hành chính")
        .await
        .unwrap();
    assert_eq!(
        departments::save_department(&db.store, &owner, Some(DepartmentId(999)), "X").await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        departments::save_department(&db.store, &owner, None, &"x".repeat(81)).await,
        Err(Invalid::TooLong(Field::DepartmentName, 80).into())
    );
    let names: Vec<String> = db
        .store
        .departments()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(names, ["Kinh doanh", "Nhân sự & Hành chính"]);
}
async fn channel_with(
    store: &Store,
    slug: &str,
    kind: ChannelKind,
    members: &[(PersonId, bool)],
) -> ChannelId {
    let mut tx = store.begin().await.unwrap();
    let id = tx
        .create_channel(&NewChannel {
            slug,
            name: slug,
            description: "",
            guidelines: "",
            kind,
            is_default: false,
            created_by: None,
            created_at: NOW,
        })
        .await
        .unwrap();
    for (person, admin) in members {
        tx.add_member(id, *person, *admin).await.unwrap();
    }
    tx.commit().await.unwrap();
    id
}

fn names(channels: &[app::model::ChannelRef]) -> Vec<&str> {
    channels.iter().map(|c| c.name.as_str()).collect()
}

async fn invitations_name_only_channels_the_admin_may_manage(db: &TestDb) {
    let owner = owner(&db.store).await;
    let admin = newcomer(&db.store, &owner, "admin", "admin@saomai.vn").await;
    let boardroom = channel_with(
        &db.store,
        "boardroom",
        ChannelKind::Private,
        &[(owner.user_id, true)],
    )
    .await;
    let partners = channel_with(&db.store, "partners", ChannelKind::Public, &[]).await;
    let before = db.store.pending_invitations(NOW).await.unwrap().len();

    // The admin is not in `boardroom`: they cannot put anyone (themself included) in it,
    // and their choices do not even name it.
    let boardroom_text = boardroom.to_string();
    let into_boardroom = InvitationInput {
        channel: Some(&boardroom_text),
        ..invite("guest", "many")
    };
    assert_eq!(
        invitations::create(&db.store, &admin, &into_boardroom, NOW).await,
        Err(Invalid::Unacceptable(Field::Channel).into())
    );
    assert_eq!(
        db.store.pending_invitations(NOW).await.unwrap().len(),
        before
    );
    let choices = invitations::invitable_channels(&db.store, &admin)
        .await
        .unwrap();
    assert_eq!(names(&choices), ["chung", "partners"]);
    let choices = invitations::invitable_channels(&db.store, &owner)
        .await
        .unwrap();
    assert_eq!(names(&choices), ["chung", "boardroom", "partners"]);

    // Public channels are the admin's to invite into.
    let partners_text = partners.to_string();
    let into_partners = InvitationInput {
        channel: Some(&partners_text),
        ..invite("guest", "many")
    };
    invitations::create(&db.store, &admin, &into_partners, NOW)
        .await
        .unwrap();

    // The owner may; the admin's list of pending invitations does not name `boardroom`.
    let link = invitations::create(&db.store, &owner, &into_boardroom, NOW)
        .await
        .unwrap();
    let channels = |list: Vec<app::model::InvitationSummary>| {
        list.into_iter()
            .filter_map(|i| i.channel)
            .collect::<Vec<_>>()
    };
    let seen = invitations::pending(&db.store, &admin, NOW).await.unwrap();
    assert_eq!(channels(seen), ["partners"]);
    let seen = invitations::pending(&db.store, &owner, NOW).await.unwrap();
    assert_eq!(channels(seen), ["boardroom", "partners"]);

    // Checked again on use: once the channel is archived the link leads nowhere.
    let mut tx = db.store.begin().await.unwrap();
    tx.set_channel_archived(boardroom, Some(NOW)).await.unwrap();
    tx.commit().await.unwrap();
    let closed = Err(AppError::Invitation(InvitationProblem::ChannelClosed));
    assert_eq!(
        invitations::details(&db.store, &link, NOW + 1)
            .await
            .map(|_| ()),
        closed
    );
    assert_eq!(
        join(&db.store, &link, "Khách", "khach@partner.vn")
            .await
            .map(|_| ()),
        closed
    );
    assert!(db
        .store
        .credentials("khach@partner.vn")
        .await
        .unwrap()
        .is_none());
}

async fn a_member_turned_guest_keeps_only_the_channel_named(db: &TestDb) {
    let owner = owner(&db.store).await;
    let admin = newcomer(&db.store, &owner, "admin", "admin@saomai.vn").await;
    let bao = newcomer(&db.store, &owner, "member", "bao@saomai.vn").await;
    let chau = newcomer(&db.store, &owner, "member", "chau@saomai.vn").await;
    let boardroom = channel_with(
        &db.store,
        "boardroom",
        ChannelKind::Private,
        &[(owner.user_id, true), (bao.user_id, false)],
    )
    .await;
    let partners = channel_with(
        &db.store,
        "partners",
        ChannelKind::Public,
        &[(bao.user_id, false)],
    )
    .await;
    channel_with(
        &db.store,
        "sales",
        ChannelKind::Public,
        &[(bao.user_id, false), (chau.user_id, false)],
    )
    .await;
    let general = db
        .store
        .readable_channels(Reader::of(&owner))
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.summary.is_default)
        .unwrap()
        .id;
    let channels_of = |person: PersonId| {
        let store = db.store.clone();
        async move {
            let reader = Reader {
                user_id: person,
                guest: true,
                staff: false,
            };
            store
                .readable_channels(reader)
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.summary.name)
                .collect::<Vec<_>>()
        }
    };

    // A channel the admin may not manage, or the company-wide one, cannot be kept; the
    // refusal changes nothing.
    for keep in [boardroom, general] {
        assert_eq!(
            access::change_role(
                &db.store,
                &admin,
                bao.user_id,
                "guest",
                Some(&keep.to_string()),
                NOW
            )
            .await,
            Err(Invalid::Unacceptable(Field::Channel).into())
        );
    }
    let bao_now = db.store.person(bao.user_id).await.unwrap().unwrap();
    assert_eq!(bao_now.role, Role::Member);
    assert_eq!(
        channels_of(bao.user_id).await,
        ["chung", "boardroom", "partners", "sales"]
    );

    // Bảo keeps `partners` only; Châu, with no channel named, keeps none.
    access::change_role(
        &db.store,
        &admin,
        bao.user_id,
        "guest",
        Some(&partners.to_string()),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(channels_of(bao.user_id).await, ["partners"]);
    access::change_role(&db.store, &admin, chau.user_id, "guest", None, NOW)
        .await
        .unwrap();
    assert_eq!(channels_of(chau.user_id).await, Vec::<String>::new());
    let bao_as_guest = Viewer {
        role: Role::Guest,
        ..bao.clone()
    };
    let listed = db
        .store
        .listed_channels(Reader::of(&bao_as_guest))
        .await
        .unwrap();
    assert_eq!(
        listed.into_iter().map(|c| c.name).collect::<Vec<_>>(),
        ["partners"]
    );

    // Back to member: they join nothing by that alone, and lose nothing more.
    access::change_role(&db.store, &admin, bao.user_id, "member", None, NOW)
        .await
        .unwrap();
    let reader = Reader::of(&bao);
    let mine: Vec<_> = db
        .store
        .readable_channels(reader)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.membership.is_some())
        .map(|c| c.summary.name)
        .collect();
    assert_eq!(mine, ["partners"]);
}

/// The one rule for people, wherever a guest could meet a name, a handle or a photo:
/// mention autocomplete, the directory, profiles with their manager chain and direct
/// reports, reaction names, @handles, avatars, whom a channel admin may add and who a
/// notification is from. Outside their channels, nobody exists for a guest.
async fn a_guest_meets_no_one_outside_their_channels(db: &TestDb) {
    let owner = owner(&db.store).await;
    // Hùng manages Lan, who manages Mai; only Lan is in the guest's channel.
    let hung = newcomer(&db.store, &owner, "member", "hung@saomai.vn").await;
    let lan = newcomer(&db.store, &owner, "member", "lan@saomai.vn").await;
    let mai = newcomer(&db.store, &owner, "member", "mai@saomai.vn").await;
    for (person, name, manager) in [(&lan, "Lan", hung.user_id), (&mai, "Mai", lan.user_id)] {
        let input = ProfileInput {
            manager: Some(manager.to_string()),
            ..profile_input(name)
        };
        people::save(&db.store, &owner, person.user_id, &input)
            .await
            .unwrap();
    }
    people::save(&db.store, &hung, hung.user_id, &profile_input("Hùng"))
        .await
        .unwrap();
    let mut tx = db.store.begin().await.unwrap();
    let partners = tx
        .create_channel(&NewChannel {
            slug: "partners",
            name: "partners",
            description: "",
            guidelines: "",
            kind: ChannelKind::Public,
            is_default: false,
            created_by: None,
            created_at: NOW,
        })
        .await
        .unwrap();
    tx.add_member(partners, lan.user_id, true).await.unwrap();
    for person in [&hung, &lan] {
        tx.set_avatar(person.user_id, "image/jpeg", b"photo", NOW)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let partners_text = partners.to_string();
    let input = InvitationInput {
        channel: Some(&partners_text),
        ..invite("guest", "one")
    };
    let link = invitations::create(&db.store, &owner, &input, NOW)
        .await
        .unwrap();
    let token = join(&db.store, &link, "Agency", "agency@partner.vn")
        .await
        .unwrap();
    let guest = viewer(&db.store, &token).await;
    // Lan posts in the partners channel; the guest posts there too. Hùng, not in it,
    // reacts to both (any member may react in a public channel).
    let mut tx = db.store.begin().await.unwrap();
    let mut posts = Vec::new();
    for author in [lan.user_id, guest.user_id] {
        let id = tx
            .create_post(&NewPost {
                channel_id: partners,
                author_id: author,
                kind: app::model::PostKind::Update,
                body: "hello",
                created_at: NOW,
            })
            .await
            .unwrap();
        posts.push(id);
    }
    tx.commit().await.unwrap();
    for post in &posts {
        for who in [&hung, &lan] {
            app::domain::posts::toggle_reaction(&db.store, who, *post, "👍", NOW + 5)
                .await
                .unwrap();
        }
    }

    // Mention autocomplete: everyone whose name or handle matches anything at all.
    let mut handles: Vec<String> = db
        .store
        .handles_like("", 50, guest.user_id)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, handle)| handle)
        .collect();
    handles.sort();
    assert_eq!(handles, ["agency", "lan"]);
    assert!(db
        .store
        .handles_like("hung", 8, guest.user_id)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        db.store
            .handles_like("hung", 8, lan.user_id)
            .await
            .unwrap()
            .len(),
        1
    );
    // The directory.
    let names: Vec<String> = db
        .store
        .people(&PeopleFilter {
            seen_by: Some(guest.user_id),
            ..PeopleFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.person.name)
        .collect();
    assert_eq!(names, ["Agency", "Lan"]);
    // Profiles, and the chain and reports on the one they may see.
    for stranger in [&owner, &hung, &mai] {
        assert_eq!(
            people::view(&db.store, &guest, stranger.user_id).await,
            Ok(None)
        );
    }
    let seen = people::view(&db.store, &guest, lan.user_id)
        .await
        .unwrap()
        .unwrap();
    assert!(seen.managers.is_empty(), "{:?}", seen.managers);
    assert!(seen.reports.is_empty(), "{:?}", seen.reports);
    let full = people::view(&db.store, &owner, lan.user_id)
        .await
        .unwrap()
        .unwrap();
    let chain: Vec<_> = full.managers.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(chain, ["Hùng"]);
    let reports: Vec<_> = full.reports.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(reports, ["Mai"]);
    // Reactions are counted, but only the people the reader may see are named.
    let reader = |v: &Viewer| Reader::of(v);
    let card = db
        .store
        .post_card(reader(&guest), posts[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(card.reactions[0].count, 2);
    assert_eq!(card.reactions[0].people, ["Lan"]);
    let card = db
        .store
        .post_card(reader(&owner), posts[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(card.reactions[0].people, ["Hùng", "Lan"]);
    // Handles and photos of strangers are as unknown as ones nobody has.
    assert_eq!(
        db.store
            .person_by_handle("hung", guest.user_id)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        db.store
            .person_by_handle("lan", guest.user_id)
            .await
            .unwrap(),
        Some(lan.user_id)
    );
    assert_eq!(
        db.store
            .person_by_handle("hung", lan.user_id)
            .await
            .unwrap(),
        Some(hung.user_id)
    );
    assert_eq!(
        db.store.avatar(hung.user_id, guest.user_id).await.unwrap(),
        None
    );
    assert!(db
        .store
        .avatar(lan.user_id, guest.user_id)
        .await
        .unwrap()
        .is_some());
    assert!(db
        .store
        .avatar(hung.user_id, lan.user_id)
        .await
        .unwrap()
        .is_some());
    // A guest who administers the channel is offered no strangers to add, and cannot
    // add one by id either.
    assert!(db
        .store
        .channel_candidates(partners, guest.user_id)
        .await
        .unwrap()
        .is_empty());
    let mut tx = db.store.begin().await.unwrap();
    tx.add_member(partners, guest.user_id, true).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        app::domain::channels::add_member(&db.store, &guest, "partners", hung.user_id, NOW).await,
        Err(Invalid::Unacceptable(Field::Person).into())
    );
    assert!(db
        .store
        .channel_candidates(partners, owner.user_id)
        .await
        .unwrap()
        .iter()
        .any(|p| p.name == "Hùng"));
    // The reactions to the guest's post notify them; Hùng's comes without his name.
    let lines = db
        .store
        .notifications(guest.user_id, true, 10)
        .await
        .unwrap();
    let named: Vec<_> = lines
        .iter()
        .filter_map(|l| l.actor.as_ref().map(|a| a.name.as_str()))
        .collect();
    assert!(!named.contains(&"Hùng"), "{named:?}");
}

/// Admins edit everyone's profile but the owner's: name, fields and photo are the
/// owner's own. The owner edits anyone's.
async fn only_the_owner_edits_the_owner(db: &TestDb) {
    let owner = owner(&db.store).await;
    let admin = newcomer(&db.store, &owner, "admin", "admin@saomai.vn").await;
    assert_eq!(
        people::save(&db.store, &admin, owner.user_id, &profile_input("Hijacked")).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        people::may_edit(&db.store, &admin, owner.user_id).await,
        Ok(false)
    );
    let record = db.store.person(owner.user_id).await.unwrap().unwrap();
    assert_eq!(record.person.name, "Trần Minh Quân");
    let seen = people::view(&db.store, &admin, owner.user_id)
        .await
        .unwrap()
        .unwrap();
    assert!(!seen.may_edit);
    people::save(&db.store, &owner, admin.user_id, &profile_input("Quản trị"))
        .await
        .unwrap();
    people::save(&db.store, &owner, owner.user_id, &profile_input("Quân"))
        .await
        .unwrap();
    let member = newcomer(&db.store, &owner, "member", "member@saomai.vn").await;
    people::save(
        &db.store,
        &admin,
        member.user_id,
        &profile_input("Thành viên"),
    )
    .await
    .unwrap();
    let mut names = Vec::new();
    for id in [owner.user_id, admin.user_id, member.user_id] {
        names.push(db.store.person(id).await.unwrap().unwrap().person.name);
    }
    assert_eq!(names, ["Quân", "Quản trị", "Thành viên"]);
}

/// The leader permission is never a guest's: the store will not give it, and becoming
/// a guest ends it (with the dashboard it opened).
async fn guests_never_hold_the_leader_permission(db: &TestDb) {
    let owner = owner(&db.store).await;
    let guest_link = {
        let mut tx = db.store.begin().await.unwrap();
        let id = tx
            .create_channel(&NewChannel {
                slug: "partners",
                name: "partners",
                description: "",
                guidelines: "",
                kind: ChannelKind::Public,
                is_default: false,
                created_by: None,
                created_at: NOW,
            })
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let channel = id.to_string();
        invitations::create(
            &db.store,
            &owner,
            &InvitationInput {
                channel: Some(&channel),
                ..invite("guest", "one")
            },
            NOW,
        )
        .await
        .unwrap()
    };
    let token = join(&db.store, &guest_link, "Agency", "agency@partner.vn")
        .await
        .unwrap();
    let guest = viewer(&db.store, &token).await;
    let mut tx = db.store.begin().await.unwrap();
    tx.set_leader(guest.user_id, true).await.unwrap();
    tx.commit().await.unwrap();
    assert!(
        !db.store
            .person(guest.user_id)
            .await
            .unwrap()
            .unwrap()
            .leader
    );

    // A leader demoted to guest stops being one, and their session with them.
    let link = invitations::create(&db.store, &owner, &invite("member", "one"), NOW)
        .await
        .unwrap();
    let token = join(&db.store, &link, "Lead", "lead@saomai.vn")
        .await
        .unwrap();
    let lead = viewer(&db.store, &token).await;
    let mut tx = db.store.begin().await.unwrap();
    tx.set_leader(lead.user_id, true).await.unwrap();
    tx.commit().await.unwrap();
    assert!(viewer(&db.store, &token).await.leader);
    access::change_role(&db.store, &owner, lead.user_id, "guest", None, NOW)
        .await
        .unwrap();
    assert!(!db.store.person(lead.user_id).await.unwrap().unwrap().leader);
    let demoted = viewer(&db.store, &token).await;
    assert_eq!((demoted.role, demoted.leader), (Role::Guest, false));
    assert!(!app::policy::allows(
        Some(&demoted),
        app::policy::Action::ReadDashboard
    ));
    // Back to member, the permission does not come back by itself.
    access::change_role(&db.store, &owner, lead.user_id, "member", None, NOW)
        .await
        .unwrap();
    assert!(!viewer(&db.store, &token).await.leader);
}
