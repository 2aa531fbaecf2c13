//! Links in a mail that act without signing in: "unsubscribe" (the digest's, one click
//! as RFC 8058 asks, which mail programs POST to themselves) and "acknowledge" (a
//! must-read in the digest). The link's random token is the credential, kept only as
//! its SHA-256, and does exactly one thing for one person until it expires. A GET shows
//! a page with one button: link scanners in mail systems open every link, and must not
//! acknowledge an announcement or unsubscribe anyone by doing so.

use crate::domain::accounts::session;
use crate::error::AppError;
use crate::model::{MailLinkDetails, PostId};
use crate::policy::Viewer;
use crate::store::{DigestEvery, LinkAction, Reader, Store, Tx};

/// How long the links of one digest work.
pub const VALID_MS: i64 = 60 * 24 * 60 * 60 * 1000;

/// Makes a link for `user_id` that does `action`; answers its token.
pub async fn create(
    tx: &mut Tx,
    user_id: crate::model::PersonId,
    action: LinkAction,
    now: i64,
) -> Result<String, AppError> {
    let token = session::new_token().map_err(|_| AppError::Internal)?;
    tx.create_mail_link(
        &session::token_hash(&token),
        user_id,
        action,
        now + VALID_MS,
    )
    .await?;
    Ok(token)
}

/// What a link does, for its page; the same answer for every link that does not work.
pub async fn details(store: &Store, token: &str, now: i64) -> Result<MailLinkDetails, AppError> {
    let (person, action) = holder(store, token, now).await?;
    Ok(match action {
        LinkAction::UnsubscribeDigest => MailLinkDetails::Unsubscribe {
            email: person.email,
        },
        LinkAction::Acknowledge(post) => {
            let viewer = viewer_of(&person);
            // Read as that person now: a must-read they may no longer read is gone.
            let card = store
                .post_card(Reader::of(&viewer), post)
                .await?
                .ok_or(AppError::MailLink)?;
            let announcement = card.announcement.as_ref().ok_or(AppError::MailLink)?;
            MailLinkDetails::Acknowledge {
                post,
                author: card.author.name.clone(),
                excerpt: super::compose::excerpt(&card.body),
                acknowledged: announcement.acknowledged,
            }
        }
    })
}

/// Does what the link says: turns the digest off, or acknowledges the announcement as
/// the person the link was made for (the policy is asked as for a signed-in click).
pub async fn act(store: &Store, token: &str, now: i64) -> Result<(), AppError> {
    let (person, action) = holder(store, token, now).await?;
    let user_id = person.user_id;
    match action {
        LinkAction::UnsubscribeDigest => {
            let mut tx = store.begin().await?;
            tx.set_digest(user_id, DigestEvery::Never).await?;
            tx.commit().await?;
            Ok(())
        }
        LinkAction::Acknowledge(post) => acknowledge(store, &viewer_of(&person), post, now).await,
    }
}

async fn acknowledge(
    store: &Store,
    viewer: &Viewer,
    post: PostId,
    now: i64,
) -> Result<(), AppError> {
    match crate::domain::announcements::acknowledge(store, viewer, post, now).await {
        Err(AppError::NotFound | AppError::Forbidden) => Err(AppError::MailLink),
        other => other,
    }
}

/// Whose working link `token` is, and what it does; one error for every link that
/// does not work (unknown, expired, or its person gone).
async fn holder(
    store: &Store,
    token: &str,
    now: i64,
) -> Result<(crate::store::Recipient, LinkAction), AppError> {
    let hash = session::link_hash(token).ok_or(AppError::MailLink)?;
    let (user_id, action) = store
        .mail_link(&hash, now)
        .await?
        .ok_or(AppError::MailLink)?;
    match store.recipient(user_id).await? {
        Some(person) if person.active => Ok((person, action)),
        _ => Err(AppError::MailLink),
    }
}

/// The person a mail was sent to, as the policy sees them.
pub fn viewer_of(person: &crate::store::Recipient) -> Viewer {
    Viewer {
        user_id: person.user_id,
        name: person.name.clone(),
        role: person.role,
        leader: person.leader,
    }
}
