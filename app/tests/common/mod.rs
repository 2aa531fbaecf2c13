//! Shortcuts the storage stories share. Each story file uses some of them, so the rest
//! are unused there.
#![allow(dead_code)]

use app::domain::accounts::{self, session, SetUp};
use app::domain::posts::{self, PostInput};
use app::error::AppError;
use app::model::{ChannelKind, Role};
use app::policy::Viewer;
use app::store::{NewChannel, NewUser, Store};

/// The stories' "now": fixed, so that expected times can be written down.
pub const NOW: i64 = 1_800_000_000_000;

/// Sets up the company Sao Mai (`general` is its channel for everyone, its clock is
/// Ho Chi Minh City's) and returns its owner.
pub async fn owner(store: &Store) -> Viewer {
    let token = accounts::set_up(
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
    store
        .session_viewer(&session::token_hash(&token), NOW)
        .await
        .unwrap()
        .unwrap()
}

/// A person joining at [`NOW`]: guests join no channel, everyone else the default ones.
pub async fn someone(
    store: &Store,
    email: &str,
    name: &str,
    role: Role,
    department_id: Option<i64>,
) -> Viewer {
    let mut tx = store.begin().await.unwrap();
    let id = tx
        .create_user(&NewUser {
            email,
            display_name: name,
            job_title: "",
            department_id,
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

/// A channel `creator` makes (not company-wide), with `members` in it (`true`: as its
/// admin); its id.
pub async fn channel(
    store: &Store,
    creator: &Viewer,
    slug: &str,
    kind: ChannelKind,
    members: &[(&Viewer, bool)],
) -> i64 {
    let mut tx = store.begin().await.unwrap();
    let id = tx
        .create_channel(&NewChannel {
            slug,
            name: slug,
            description: "",
            guidelines: "",
            kind,
            is_default: false,
            created_by: Some(creator.user_id),
            created_at: NOW,
        })
        .await
        .unwrap();
    for (who, admin) in members {
        tx.add_member(id, who.user_id, *admin).await.unwrap();
    }
    tx.commit().await.unwrap();
    id
}

/// Posts without `@channel` confirmation; the new post's id.
pub async fn post_in(
    store: &Store,
    viewer: &Viewer,
    channel: &str,
    kind: &str,
    body: &str,
    now: i64,
) -> Result<i64, AppError> {
    let input = PostInput {
        channel,
        kind,
        body,
        confirm_channel: false,
    };
    Ok(posts::create_post(store, viewer, &input, now).await?.id)
}

/// Comments (or replies); the new comment's id.
pub async fn comment_on(
    store: &Store,
    viewer: &Viewer,
    post: i64,
    parent: Option<i64>,
    body: &str,
    now: i64,
) -> Result<i64, AppError> {
    Ok(posts::comment(store, viewer, post, parent, body, now)
        .await?
        .id)
}
