//! Getting back in, on both backends: an admin's one-time reset link sets a new
//! password once, ends every session of the person's and signs this browser in; links
//! expire, are replaced by newer ones, say nothing about why they fail, and a refused
//! password leaves the link usable with nothing changed. Who may make one.

use app::domain::accounts::{self, reset, session};
use app::error::{AppError, Invalid};
use app::model::Role;
use app::store::Store;
use app::testing::{CompanyBuilder, TestDb, NOW, OWNER_EMAIL, PASSWORD};

app::storage_stories!(
    a_reset_link_sets_a_password_once_and_signs_out_everywhere,
    links_expire_are_replaced_and_fail_alike,
    only_staff_make_links_and_admins_only_for_members_and_guests,
);

const HOUR: i64 = 60 * 60 * 1000;
const NEW_PASSWORD: &str = "một mật khẩu mới đủ dài";

async fn signed_in(store: &Store, token: &str, at: i64) -> bool {
    store
        .session_viewer(&session::token_hash(token), at)
        .await
        .unwrap()
        .is_some()
}

async fn a_reset_link_sets_a_password_once_and_signs_out_everywhere(db: &TestDb) {
    let s = &db.store;
    let (company, owner) = CompanyBuilder::set_up(s, NOW).await;
    let an = company.person("an@saomai.vn", "Nguyễn Văn An").await;
    // An is signed in on two devices, and someone guessed at his password until the
    // account was held back.
    let phone = company.session(&an).await;
    let laptop = company.session(&an).await;
    for _ in 0..accounts::MAX_FAILURES {
        let _ = accounts::sign_in(s, "an@saomai.vn", "wrong guess!!", None, NOW).await;
    }
    assert!(matches!(
        accounts::sign_in(s, "an@saomai.vn", "wrong guess!!", None, NOW).await,
        Err(AppError::TooManyAttempts { .. })
    ));

    let token = reset::create(s, &owner, an.user_id, NOW).await.unwrap();
    let details = reset::details(s, &token, NOW + 1).await.unwrap();
    assert_eq!(
        (details.name.as_str(), details.company_name.as_str()),
        ("Nguyễn Văn An", "Sao Mai")
    );

    // A password the rules refuse: refused before anything changes; the link still works.
    assert_eq!(
        reset::set_password(s, &token, "short", NOW + 2).await,
        Err(Invalid::PasswordTooShort.into())
    );
    assert_eq!(
        reset::set_password(s, &token, "an@saomai.vn", NOW + 2).await,
        Err(Invalid::PasswordIsEmail.into())
    );
    assert!(signed_in(s, &phone, NOW + 2).await && signed_in(s, &laptop, NOW + 2).await);
    assert!(reset::details(s, &token, NOW + 2).await.is_ok());

    let here = reset::set_password(s, &token, NEW_PASSWORD, NOW + 3)
        .await
        .unwrap();
    // Every other session ended; this browser is signed in as An.
    assert!(!signed_in(s, &phone, NOW + 4).await);
    assert!(!signed_in(s, &laptop, NOW + 4).await);
    let viewer = s
        .session_viewer(&session::token_hash(&here), NOW + 4)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(viewer.user_id, an.user_id);
    // The new password signs in at once: the guesses no longer hold the account back.
    accounts::sign_in(s, "an@saomai.vn", NEW_PASSWORD, None, NOW + 5)
        .await
        .unwrap();
    // The link worked once.
    assert_eq!(
        reset::set_password(s, &token, "yet another long password", NOW + 6).await,
        Err(AppError::ResetLink)
    );
    assert_eq!(
        reset::details(s, &token, NOW + 6).await.map(|d| d.name),
        Err(AppError::ResetLink)
    );
    accounts::sign_in(s, "an@saomai.vn", NEW_PASSWORD, None, NOW + 7)
        .await
        .unwrap();
    // The owner's own password did not move.
    accounts::sign_in(s, OWNER_EMAIL, PASSWORD, None, NOW + 7)
        .await
        .unwrap();
}

async fn links_expire_are_replaced_and_fail_alike(db: &TestDb) {
    let s = &db.store;
    let (company, owner) = CompanyBuilder::set_up(s, NOW).await;
    let an = company.person("an@saomai.vn", "Nguyễn Văn An").await;
    let binh = company.person("binh@saomai.vn", "Trần Bình").await;

    // Expired after a day.
    let old = reset::create(s, &owner, an.user_id, NOW).await.unwrap();
    assert!(reset::details(s, &old, NOW + 23 * HOUR).await.is_ok());
    assert_eq!(
        reset::set_password(s, &old, NEW_PASSWORD, NOW + 24 * HOUR).await,
        Err(AppError::ResetLink)
    );
    // A newer link replaces an older one that has not expired yet.
    let first = reset::create(s, &owner, an.user_id, NOW + 25 * HOUR)
        .await
        .unwrap();
    let second = reset::create(s, &owner, an.user_id, NOW + 26 * HOUR)
        .await
        .unwrap();
    assert_eq!(
        reset::set_password(s, &first, NEW_PASSWORD, NOW + 27 * HOUR).await,
        Err(AppError::ResetLink)
    );
    // A link for someone else is unaffected; a made-up one fails the same way.
    let binhs = reset::create(s, &owner, binh.user_id, NOW + 26 * HOUR)
        .await
        .unwrap();
    assert_eq!(
        reset::details(s, "not-a-real-token", NOW + 27 * HOUR)
            .await
            .map(|d| d.name),
        Err(AppError::ResetLink)
    );
    // Deactivated meanwhile: the link no longer works either, and none is made.
    app::domain::people::access::set_active(s, &owner, an.user_id, false, NOW + 27 * HOUR)
        .await
        .unwrap();
    assert_eq!(
        reset::set_password(s, &second, NEW_PASSWORD, NOW + 28 * HOUR).await,
        Err(AppError::ResetLink)
    );
    assert_eq!(
        reset::create(s, &owner, an.user_id, NOW + 28 * HOUR).await,
        Err(AppError::Deactivated)
    );
    reset::set_password(s, &binhs, NEW_PASSWORD, NOW + 28 * HOUR)
        .await
        .unwrap();
    // Nothing set An's password: the refused links changed nothing.
    let an_hash: Option<String> = {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&db.url).await.unwrap();
        let hash = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(an.user_id.0)
            .fetch_one(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        hash
    };
    assert_eq!(an_hash, None);
}

async fn only_staff_make_links_and_admins_only_for_members_and_guests(db: &TestDb) {
    let s = &db.store;
    let (company, owner) = CompanyBuilder::set_up(s, NOW).await;
    let admin = company
        .person("admin@saomai.vn", "Lê Quản Trị")
        .role(Role::Admin)
        .await;
    let other_admin = company
        .person("admin2@saomai.vn", "Phạm Quản Trị")
        .role(Role::Admin)
        .await;
    let member = company.person("an@saomai.vn", "Nguyễn Văn An").await;
    let guest = company
        .person("khach@partner.vn", "Khách")
        .role(Role::Guest)
        .await;
    let count = || async {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&db.url).await.unwrap();
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM password_resets")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        n
    };
    for (who, whom) in [
        (&member, &guest),
        (&member, &owner),
        (&guest, &member),
        (&admin, &owner),
        (&admin, &other_admin),
        (&admin, &admin),
        (&owner, &owner),
    ] {
        assert_eq!(
            reset::create(s, who, whom.user_id, NOW).await,
            Err(AppError::Forbidden),
            "{} for {}",
            who.name,
            whom.name
        );
    }
    assert_eq!(count().await, 0);
    for (who, whom) in [(&admin, &member), (&admin, &guest), (&owner, &admin)] {
        reset::create(s, who, whom.user_id, NOW).await.unwrap();
    }
    assert_eq!(count().await, 3);
    // The operator's way: any active account by its address.
    let token = reset::create_for_operator(s, OWNER_EMAIL, NOW)
        .await
        .unwrap();
    reset::set_password(s, &token, NEW_PASSWORD, NOW + 1)
        .await
        .unwrap();
    accounts::sign_in(s, OWNER_EMAIL, NEW_PASSWORD, None, NOW + 2)
        .await
        .unwrap();
    assert_eq!(
        reset::create_for_operator(s, "nobody@saomai.vn", NOW).await,
        Err(AppError::NotFound)
    );
}
