//! Channel management on both backends: starting channels, joining and leaving, members
//! and channel admins, settings and the archive, each refused with its reason where it
//! must be, and private channels invisible to those outside them.

use app::domain::channels::{self, ChannelInput};
use app::error::{AppError, ChannelRule, Field, Invalid};
use app::model::{ChannelListing, PersonId, Role};
use app::policy::Viewer;
use app::store::Store;
use app::testing::{comment_on, post_in, CompanyBuilder, TestDb, NOW};

app::storage_stories!(
    members_start_channels_with_checked_names,
    private_channels_are_invisible_to_outsiders,
    joining_and_leaving,
    channel_admins_manage_members_and_settings,
    archived_channels_are_read_only_and_off_the_list,
    the_feeds_lists_of_choices_match_what_each_reader_may_read_and_post_in,
);

struct Company {
    owner: Viewer,
    ann: Viewer,
    binh: Viewer,
    chi: Viewer,
    guest: Viewer,
}

/// The owner, three members and a guest; `general` is the company-wide channel.
async fn company(store: &Store) -> Company {
    company_and_builder(store).await.0
}

async fn company_and_builder(store: &Store) -> (Company, CompanyBuilder<'_>) {
    let (company, owner) = CompanyBuilder::set_up(store, NOW).await;
    let people = Company {
        owner,
        ann: company.person("ann@saomai.vn", "Ann").await,
        binh: company.person("binh@saomai.vn", "Bình").await,
        chi: company.person("chi@saomai.vn", "Chi").await,
        guest: company
            .person("guest@agency.vn", "Guest")
            .role(Role::Guest)
            .await,
    };
    (people, company)
}

async fn start(store: &Store, viewer: &Viewer, name: &str, kind: &str) -> String {
    let input = ChannelInput {
        name,
        description: "About it",
        guidelines: "Only this",
    };
    channels::create(store, viewer, &input, kind, NOW)
        .await
        .unwrap()
}

async fn listed(store: &Store, viewer: &Viewer, archived: bool) -> Vec<ChannelListing> {
    channels::list(store, viewer, archived).await.unwrap()
}

fn slugs(list: &[ChannelListing]) -> Vec<&str> {
    list.iter().map(|l| l.channel.slug.as_str()).collect()
}

async fn members_start_channels_with_checked_names(db: &TestDb) {
    let c = company(&db.store).await;
    let slug = start(&db.store, &c.ann, "Dự án Mặt Trời", "public").await;
    assert_eq!(slug, "du-an-mat-troi");
    let roster = channels::members(&db.store, &c.ann, &slug).await.unwrap();
    assert_eq!(roster.channel.name, "Dự án Mặt Trời");
    assert_eq!(roster.guidelines, "Only this");
    assert!(roster.standing.channel_admin && roster.standing.may_manage);
    assert_eq!(roster.members.len(), 1, "the creator is its only member");
    assert!(roster.members[0].admin);

    let input = |name: &'static str| ChannelInput {
        name,
        description: "",
        guidelines: "",
    };
    let long = "x".repeat(channels::MAX_NAME + 1);
    let refusals: Vec<(ChannelInput, &str, AppError)> = vec![
        (
            input("  "),
            "public",
            Invalid::Required(Field::ChannelName).into(),
        ),
        (
            ChannelInput {
                name: &long,
                description: "",
                guidelines: "",
            },
            "public",
            Invalid::TooLong(Field::ChannelName, channels::MAX_NAME).into(),
        ),
        (input("!!!"), "public", Invalid::ChannelNameNoLetters.into()),
        // The same name, or one that makes the same address, is taken.
        (
            input("dự án mặt trời"),
            "private",
            Invalid::ChannelExists.into(),
        ),
        (
            input("Du an - Mat Troi"),
            "private",
            Invalid::ChannelExists.into(),
        ),
        (input("General"), "public", Invalid::ChannelExists.into()),
        (
            input("Secret"),
            "secret",
            Invalid::Unacceptable(Field::Kind).into(),
        ),
    ];
    for (input, kind, expected) in refusals {
        assert_eq!(
            channels::create(&db.store, &c.binh, &input, kind, NOW).await,
            Err(expected),
            "{} {kind}",
            input.name
        );
    }
    // Guests take part; they do not start channels.
    assert_eq!(
        channels::create(&db.store, &c.guest, &input("Guests"), "public", NOW).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        slugs(&listed(&db.store, &c.owner, false).await),
        ["general", "du-an-mat-troi"],
        "nothing refused was stored"
    );
}

async fn private_channels_are_invisible_to_outsiders(db: &TestDb) {
    let c = company(&db.store).await;
    let slug = start(&db.store, &c.ann, "Board", "private").await;
    channels::add_member(&db.store, &c.ann, &slug, c.binh.user_id, NOW)
        .await
        .unwrap();
    // Bình sees it listed and posts in it.
    assert!(slugs(&listed(&db.store, &c.binh, false).await).contains(&"board"));
    post_in(&db.store, &c.binh, &slug, "update", "Hi board", NOW)
        .await
        .unwrap();
    // Chi, and even the owner, do not know it exists.
    for outsider in [&c.chi, &c.owner, &c.guest] {
        assert!(!slugs(&listed(&db.store, outsider, false).await).contains(&"board"));
        assert_eq!(
            channels::members(&db.store, outsider, &slug).await,
            Err(AppError::NotFound)
        );
        assert_eq!(
            channels::join(&db.store, outsider, &slug, NOW).await,
            Err(AppError::NotFound)
        );
        assert_eq!(
            channels::add_member(&db.store, outsider, &slug, outsider.user_id, NOW).await,
            Err(AppError::NotFound)
        );
        assert_eq!(
            channels::set_archived(&db.store, outsider, &slug, true, NOW).await,
            Err(AppError::NotFound)
        );
    }
    // A member who is not its admin sees who is in it, and manages nothing.
    let roster = channels::members(&db.store, &c.binh, &slug).await.unwrap();
    assert_eq!(roster.members.len(), 2);
    assert!(!roster.standing.may_manage && roster.candidates.is_empty());
    assert_eq!(
        channels::add_member(&db.store, &c.binh, &slug, c.chi.user_id, NOW).await,
        Err(AppError::Forbidden)
    );
    // Her admin sees whom she may add: active people not in it yet.
    let roster = channels::members(&db.store, &c.ann, &slug).await.unwrap();
    let candidates: Vec<&str> = roster.candidates.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(candidates, ["Chi", "Guest", "Owner"]);
}

async fn joining_and_leaving(db: &TestDb) {
    let c = company(&db.store).await;
    let slug = start(&db.store, &c.ann, "Coffee", "public").await;
    let news = start(&db.store, &c.ann, "News", "announcement").await;
    let listing = |list: Vec<ChannelListing>, slug: &str| {
        list.into_iter()
            .find(|l| l.channel.slug == slug)
            .unwrap()
            .standing
    };
    let standing = listing(listed(&db.store, &c.binh, false).await, &slug);
    assert!(standing.may_join && !standing.member && !standing.may_leave);

    channels::join(&db.store, &c.binh, &slug, NOW)
        .await
        .unwrap();
    channels::join(&db.store, &c.binh, &slug, NOW)
        .await
        .unwrap();
    channels::join(&db.store, &c.binh, &news, NOW)
        .await
        .unwrap();
    let list = listed(&db.store, &c.binh, false).await;
    let coffee = list.iter().find(|l| l.channel.slug == slug).unwrap();
    assert_eq!(
        coffee.channel.member_count, 2,
        "joining twice is joining once"
    );
    assert!(coffee.standing.member && coffee.standing.may_leave);
    // Joining an announcement channel does not let one post there.
    assert_eq!(
        post_in(&db.store, &c.binh, &news, "update", "x", NOW).await,
        Err(AppError::AnnouncementsOnly)
    );

    channels::leave(&db.store, &c.binh, &slug).await.unwrap();
    assert!(!listing(listed(&db.store, &c.binh, false).await, &slug).member);
    assert_eq!(
        channels::leave(&db.store, &c.binh, &slug).await,
        Err(AppError::Forbidden),
        "one leaves only what one is in"
    );
    // Nobody leaves the company-wide channel; its last admin stays.
    assert_eq!(
        channels::leave(&db.store, &c.binh, "general").await,
        Err(AppError::ChannelRule(ChannelRule::DefaultChannel))
    );
    assert_eq!(
        channels::leave(&db.store, &c.ann, &slug).await,
        Err(AppError::ChannelRule(ChannelRule::LastAdmin))
    );
    // Guests join only by invitation.
    assert_eq!(
        channels::join(&db.store, &c.guest, &slug, NOW).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        channels::join(&db.store, &c.binh, "nowhere", NOW).await,
        Err(AppError::NotFound)
    );
}

async fn channel_admins_manage_members_and_settings(db: &TestDb) {
    let c = company(&db.store).await;
    let slug = start(&db.store, &c.ann, "Team", "private").await;
    for person in [&c.binh, &c.chi] {
        channels::add_member(&db.store, &c.ann, &slug, person.user_id, NOW)
            .await
            .unwrap();
    }
    assert_eq!(
        channels::add_member(&db.store, &c.ann, &slug, PersonId(999_999), NOW).await,
        Err(Invalid::Unacceptable(Field::Person).into())
    );
    // The last admin is not demoted; once Bình is an admin too, Ann may step down.
    assert_eq!(
        channels::set_admin(&db.store, &c.ann, &slug, c.ann.user_id, false).await,
        Err(AppError::ChannelRule(ChannelRule::LastAdmin))
    );
    channels::set_admin(&db.store, &c.ann, &slug, c.binh.user_id, true)
        .await
        .unwrap();
    channels::set_admin(&db.store, &c.ann, &slug, c.ann.user_id, false)
        .await
        .unwrap();
    assert_eq!(
        channels::remove_member(&db.store, &c.ann, &slug, c.chi.user_id).await,
        Err(AppError::Forbidden),
        "no longer an admin"
    );
    channels::remove_member(&db.store, &c.binh, &slug, c.chi.user_id)
        .await
        .unwrap();
    let roster = channels::members(&db.store, &c.binh, &slug).await.unwrap();
    let members: Vec<(&str, bool)> = roster
        .members
        .iter()
        .map(|m| (m.person.name.as_str(), m.admin))
        .collect();
    assert_eq!(members, [("Bình", true), ("Ann", false)]);
    assert_eq!(
        channels::members(&db.store, &c.chi, &slug).await,
        Err(AppError::NotFound),
        "removed from a private channel, it is gone for her"
    );
    assert_eq!(
        channels::set_admin(&db.store, &c.binh, &slug, c.chi.user_id, true).await,
        Err(Invalid::Unacceptable(Field::Person).into()),
        "only members become channel admins"
    );

    let edit = |name: &'static str| ChannelInput {
        name,
        description: "New description",
        guidelines: "New guidelines",
    };
    channels::edit(&db.store, &c.binh, &slug, &edit("Team Sao Mai"))
        .await
        .unwrap();
    let roster = channels::members(&db.store, &c.binh, &slug).await.unwrap();
    assert_eq!(
        (
            roster.channel.slug.as_str(),
            roster.channel.name.as_str(),
            roster.guidelines.as_str()
        ),
        ("team", "Team Sao Mai", "New guidelines"),
        "the address stays when the name changes"
    );
    assert_eq!(
        channels::edit(&db.store, &c.binh, &slug, &edit("GENERAL")).await,
        Err(Invalid::ChannelExists.into())
    );
    assert_eq!(
        channels::edit(&db.store, &c.ann, &slug, &edit("Mine")).await,
        Err(AppError::Forbidden)
    );

    // Company staff manage the channels they can see, even without being their admins;
    // nobody takes anyone out of the company-wide channel.
    let open = start(&db.store, &c.ann, "Open", "public").await;
    channels::add_member(&db.store, &c.owner, &open, c.chi.user_id, NOW)
        .await
        .unwrap();
    assert_eq!(
        channels::remove_member(&db.store, &c.owner, "general", c.chi.user_id).await,
        Err(AppError::ChannelRule(ChannelRule::DefaultChannel))
    );
}

async fn archived_channels_are_read_only_and_off_the_list(db: &TestDb) {
    let c = company(&db.store).await;
    let slug = start(&db.store, &c.ann, "Old project", "public").await;
    let post = post_in(&db.store, &c.ann, &slug, "update", "Done", NOW)
        .await
        .unwrap();
    assert_eq!(
        channels::set_archived(&db.store, &c.binh, &slug, true, NOW).await,
        Err(AppError::Forbidden)
    );
    channels::set_archived(&db.store, &c.ann, &slug, true, NOW)
        .await
        .unwrap();

    assert!(!slugs(&listed(&db.store, &c.ann, false).await).contains(&"old-project"));
    assert_eq!(
        slugs(&listed(&db.store, &c.ann, true).await),
        ["old-project"]
    );
    assert!(
        listed(&db.store, &c.binh, true).await.is_empty(),
        "the archive lists one's own channels"
    );
    let roster = channels::members(&db.store, &c.ann, &slug).await.unwrap();
    assert!(roster.standing.archived);
    assert_eq!(
        post_in(&db.store, &c.ann, &slug, "update", "More", NOW).await,
        Err(AppError::ChannelArchived)
    );
    assert_eq!(
        comment_on(&db.store, &c.ann, post, None, "Late", NOW).await,
        Err(AppError::ChannelArchived)
    );
    assert_eq!(
        channels::join(&db.store, &c.binh, &slug, NOW).await,
        Err(AppError::ChannelArchived)
    );
    assert_eq!(
        channels::set_archived(&db.store, &c.owner, "general", true, NOW).await,
        Err(AppError::ChannelRule(ChannelRule::DefaultChannel))
    );

    channels::set_archived(&db.store, &c.ann, &slug, false, NOW)
        .await
        .unwrap();
    assert!(slugs(&listed(&db.store, &c.binh, false).await).contains(&"old-project"));
    post_in(&db.store, &c.ann, &slug, "update", "Back", NOW)
        .await
        .unwrap();
}

/// The composer's channels and the announcement form's audiences are read on every feed
/// page by a lean query (`channel_choices`, `department_refs`) instead of the full
/// channel and department reads: it must offer exactly what those would, to every kind
/// of reader.
async fn the_feeds_lists_of_choices_match_what_each_reader_may_read_and_post_in(db: &TestDb) {
    use app::domain::posts::{may_post, may_post_in_choice};
    use app::store::Reader;
    let (c, builder) = company_and_builder(&db.store).await;
    let board = start(&db.store, &c.ann, "Board", "private").await;
    channels::add_member(&db.store, &c.ann, &board, c.binh.user_id, NOW)
        .await
        .unwrap();
    start(&db.store, &c.owner, "News", "announcement").await;
    let old = start(&db.store, &c.ann, "Old", "public").await;
    channels::set_archived(&db.store, &c.ann, &old, true, NOW)
        .await
        .unwrap();
    builder.department("Sales").await;
    builder.department("Kế toán").await;

    let mut offered = Vec::new();
    for viewer in [&c.owner, &c.ann, &c.binh, &c.chi, &c.guest] {
        let reader = Reader::of(viewer);
        let full = db.store.readable_channels(reader).await.unwrap();
        let lean = db.store.channel_choices(reader).await.unwrap();
        let as_full: Vec<_> = full
            .iter()
            .map(|a| {
                let postable = may_post(viewer, a).is_ok();
                (
                    a.id,
                    a.summary.slug.clone(),
                    a.summary.name.clone(),
                    a.summary.kind,
                    a.membership,
                    postable,
                )
            })
            .collect();
        let as_lean: Vec<_> = lean
            .iter()
            .map(|a| {
                let postable = may_post_in_choice(viewer, a).is_ok();
                (
                    a.id,
                    a.slug.clone(),
                    a.name.clone(),
                    a.kind,
                    a.membership,
                    postable,
                )
            })
            .collect();
        assert_eq!(as_lean, as_full, "{}", viewer.name);
        offered.push(
            lean.iter()
                .filter(|a| may_post_in_choice(viewer, a).is_ok())
                .map(|a| a.slug.clone())
                .collect::<Vec<_>>(),
        );
    }
    // What that means, spelled out: the board for its members only, the announcement
    // channel for the owner only, nothing archived.
    assert_eq!(offered[0], ["general", "news"]);
    assert_eq!(offered[1], ["general", "board"]);
    assert_eq!(offered[2], ["general", "board"]);
    assert_eq!(offered[3], ["general"]);
    let departments: Vec<_> = db
        .store
        .departments()
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let refs: Vec<_> = db
        .store
        .department_refs()
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    assert_eq!(refs, departments);
    assert_eq!(refs.len(), 2);
}
