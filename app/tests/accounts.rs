//! Accounts on both backends: first run, signing in and out, throttling, sessions.

use app::domain::accounts::{self, session, SetUp, FAILURE_WINDOW_MS, MAX_FAILURES};
use app::error::{AppError, Field, Invalid};
use app::model::Role;
use app::store::Store;
use app::testing::{TestDb, ANY_MEMBER};
use std::net::IpAddr;

app::storage_stories!(
    first_run_creates_an_owner_who_is_signed_in,
    first_run_happens_once_even_when_raced,
    bad_first_run_input_stores_nothing,
    sign_in_checks_the_password_and_starts_a_session,
    sign_in_is_throttled_per_account_and_per_address,
    sessions_end_on_sign_out_everywhere_and_on_expiry,
);

const NOW: i64 = 1_800_000_000_000;
const PASSWORD: &str = "correct horse battery";

fn setup(email: &str) -> SetUp<'_> {
    SetUp {
        company_name: "Sao Mai",
        name: "Trần Minh Quân",
        email,
        password: PASSWORD,
        time_zone: "Asia/Ho_Chi_Minh",
        default_channel_name: "chung",
    }
}

async fn viewer_of(store: &Store, token: &str, at: i64) -> Option<app::policy::Viewer> {
    store
        .session_viewer(&session::token_hash(token), at)
        .await
        .unwrap()
}

async fn first_run_creates_an_owner_who_is_signed_in(db: &TestDb) {
    let token = accounts::set_up(&db.store, setup("quan@saomai.vn"), NOW)
        .await
        .unwrap();
    let viewer = viewer_of(&db.store, &token, NOW + 1).await.unwrap();
    assert_eq!(
        (viewer.name.as_str(), viewer.role),
        ("Trần Minh Quân", Role::Owner)
    );
    let (site, _) = db.store.company().await.unwrap().unwrap();
    assert_eq!(site.company_name, "Sao Mai");
    let channels = db.store.listed_channels(ANY_MEMBER).await.unwrap();
    assert_eq!(channels.len(), 1);
    assert!(channels[0].is_default && channels[0].name == "chung" && channels[0].member_count == 1);
}

async fn first_run_happens_once_even_when_raced(db: &TestDb) {
    let (a, b) = tokio::join!(
        accounts::set_up(&db.store, setup("a@saomai.vn"), NOW),
        accounts::set_up(&db.store, setup("b@saomai.vn"), NOW)
    );
    let outcomes = [a.is_ok(), b.is_ok()];
    assert_eq!(
        outcomes.iter().filter(|ok| **ok).count(),
        1,
        "exactly one first run wins"
    );
    let loser = if a.is_ok() { b } else { a };
    assert_eq!(loser.unwrap_err(), AppError::AlreadySetUp);
    assert_eq!(db.store.people(&Default::default()).await.unwrap().len(), 1);
    let again = accounts::set_up(&db.store, setup("c@saomai.vn"), NOW).await;
    assert_eq!(again.unwrap_err(), AppError::AlreadySetUp);
}

async fn bad_first_run_input_stores_nothing(db: &TestDb) {
    let cases = [
        (
            SetUp {
                company_name: "  ",
                ..setup("q@saomai.vn")
            },
            Invalid::Required(Field::CompanyName),
        ),
        (
            SetUp {
                name: &"x".repeat(101),
                ..setup("q@saomai.vn")
            },
            Invalid::TooLong(Field::Name, 100),
        ),
        (setup("not-an-email"), Invalid::BadEmail),
        (
            SetUp {
                password: "short",
                ..setup("q@saomai.vn")
            },
            Invalid::PasswordTooShort,
        ),
        (
            SetUp {
                password: "password123",
                ..setup("q@saomai.vn")
            },
            Invalid::PasswordTooCommon,
        ),
        (
            SetUp {
                password: "q@saomai.vn",
                ..setup("q@saomai.vn")
            },
            Invalid::PasswordIsEmail,
        ),
    ];
    for (input, problem) in cases {
        assert_eq!(
            accounts::set_up(&db.store, input, NOW).await.unwrap_err(),
            AppError::Invalid(problem)
        );
    }
    assert!(db.store.company().await.unwrap().is_none());
    assert!(db
        .store
        .people(&Default::default())
        .await
        .unwrap()
        .is_empty());
}

async fn sign_in_checks_the_password_and_starts_a_session(db: &TestDb) {
    accounts::set_up(&db.store, setup("quan@saomai.vn"), NOW)
        .await
        .unwrap();
    let wrong = accounts::sign_in(&db.store, "quan@saomai.vn", "wrong password!", None, NOW).await;
    assert_eq!(wrong.unwrap_err(), AppError::WrongCredentials);
    let unknown = accounts::sign_in(&db.store, "nobody@saomai.vn", PASSWORD, None, NOW).await;
    assert_eq!(unknown.unwrap_err(), AppError::WrongCredentials);
    // E-mail case and surrounding spaces do not matter.
    let token = accounts::sign_in(&db.store, " Quan@SaoMai.vn ", PASSWORD, None, NOW)
        .await
        .unwrap();
    assert_eq!(
        viewer_of(&db.store, &token, NOW).await.unwrap().role,
        Role::Owner
    );
    let second = accounts::sign_in(&db.store, "quan@saomai.vn", PASSWORD, None, NOW)
        .await
        .unwrap();
    assert_ne!(token, second, "each sign-in gets its own session");
    // Over-long input is refused before any hashing.
    let huge = "x".repeat(201);
    assert_eq!(
        accounts::sign_in(&db.store, "quan@saomai.vn", &huge, None, NOW).await,
        Err(Invalid::TooLong(Field::Password, 200).into())
    );
    let long_email = format!("{}@saomai.vn", "a".repeat(250));
    assert_eq!(
        accounts::sign_in(&db.store, &long_email, PASSWORD, None, NOW).await,
        Err(Invalid::TooLong(Field::Email, 254).into())
    );
}

async fn sign_in_is_throttled_per_account_and_per_address(db: &TestDb) {
    accounts::set_up(&db.store, setup("quan@saomai.vn"), NOW)
        .await
        .unwrap();
    let here: IpAddr = "10.1.2.3".parse().unwrap();
    let elsewhere: IpAddr = "10.9.9.9".parse().unwrap();
    for _ in 0..MAX_FAILURES {
        let e = accounts::sign_in(
            &db.store,
            "quan@saomai.vn",
            "wrong password!",
            Some(here),
            NOW,
        )
        .await;
        assert_eq!(e.unwrap_err(), AppError::WrongCredentials);
    }
    let throttled = AppError::TooManyAttempts { minutes: 15 };
    // Even the right password waits, from any address.
    let e = accounts::sign_in(
        &db.store,
        "quan@saomai.vn",
        PASSWORD,
        Some(elsewhere),
        NOW + 1,
    )
    .await;
    assert_eq!(e.unwrap_err(), throttled);
    // The address is throttled for other accounts too.
    let e = accounts::sign_in(&db.store, "other@saomai.vn", PASSWORD, Some(here), NOW + 1).await;
    assert_eq!(e.unwrap_err(), throttled);
    // After the window the right password works again, and success clears the count.
    let later = NOW + FAILURE_WINDOW_MS + 1;
    accounts::sign_in(
        &db.store,
        "quan@saomai.vn",
        PASSWORD,
        Some(elsewhere),
        later,
    )
    .await
    .unwrap();
    assert_eq!(
        db.store
            .sign_in_failures_since("account:quan@saomai.vn", NOW)
            .await
            .unwrap(),
        0
    );
}

async fn sessions_end_on_sign_out_everywhere_and_on_expiry(db: &TestDb) {
    let first = accounts::set_up(&db.store, setup("quan@saomai.vn"), NOW)
        .await
        .unwrap();
    let second = accounts::sign_in(&db.store, "quan@saomai.vn", PASSWORD, None, NOW)
        .await
        .unwrap();
    // Expiry.
    assert!(
        viewer_of(&db.store, &second, NOW + session::LIFETIME_MS - 1)
            .await
            .is_some()
    );
    assert!(viewer_of(&db.store, &second, NOW + session::LIFETIME_MS)
        .await
        .is_none());
    // Signing out ends only that session.
    accounts::end_session(&db.store, &first).await.unwrap();
    assert!(viewer_of(&db.store, &first, NOW).await.is_none());
    let owner = viewer_of(&db.store, &second, NOW).await.unwrap();
    // Everywhere.
    accounts::sign_in(&db.store, "quan@saomai.vn", PASSWORD, None, NOW)
        .await
        .unwrap();
    assert_eq!(
        accounts::end_all_sessions(&db.store, owner.user_id)
            .await
            .unwrap(),
        2
    );
    assert!(viewer_of(&db.store, &second, NOW).await.is_none());
}
