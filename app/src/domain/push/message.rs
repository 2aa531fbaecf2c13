//! What a push message says: the notification centre's sentence as its title, the
//! start of the post as its body, and where a tap leads, in the person's language and
//! as they may read it when it is sent. The service worker shows it as it comes.

use crate::domain::mail::links::viewer_of;
use crate::i18n::Lang;
use crate::model::PushGroup;
use crate::store::{ClaimedPush, PushWhat, Reader, Recipient, Store, StoreError};
use serde::Serialize;

/// The JSON the service worker receives (decrypted by the browser).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Message {
    pub title: String,
    pub body: String,
    /// Where a tap on it leads (a path on this site).
    pub url: String,
    /// Messages with one tag replace each other on the device (one per post).
    pub tag: String,
}

/// Characters of a post a message shows.
const BODY_CHARS: usize = 140;

/// The message for `row`, to `person`; `None` when there is nothing they may read or
/// the kind is one they do not let through.
pub async fn write(
    store: &Store,
    person: &Recipient,
    groups: &[PushGroup],
    row: &ClaimedPush,
) -> Result<Option<Message>, StoreError> {
    let texts = person
        .locale
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or_default()
        .texts();
    let kind = match row.what {
        PushWhat::Test => {
            return Ok(Some(Message {
                title: texts.push.test_title.to_owned(),
                body: texts.push.test_body.to_owned(),
                url: "/account".to_owned(),
                tag: "test".to_owned(),
            }))
        }
        PushWhat::Notification(kind) => kind,
    };
    if !PushGroup::of(kind).is_some_and(|group| groups.contains(&group)) {
        return Ok(None);
    }
    let viewer = viewer_of(person);
    // A message about a post says nothing unless they may read it now.
    let card = match row.post_id {
        Some(post) => match store.post_card(Reader::of(&viewer), post).await? {
            Some(card) => Some(card),
            None => return Ok(None),
        },
        None => None,
    };
    let actor = match row.actor_id {
        Some(actor) if store.may_see_person(person.user_id, actor).await? => store
            .recipient(actor)
            .await?
            .map(|actor| actor.name)
            .unwrap_or_default(),
        _ => String::new(),
    };
    let title = (texts.notification_text)(kind, &actor, 0);
    Ok(Some(match card {
        Some(card) => Message {
            title: format!("{title} · #{}", card.channel_name),
            body: crate::domain::mail::compose::excerpt_of(&card.body, BODY_CHARS),
            url: format!("/posts/{}", card.id),
            tag: format!("post-{}", card.id),
        },
        None => Message {
            title,
            body: String::new(),
            url: "/notifications".to_owned(),
            tag: kind.as_str().to_owned(),
        },
    }))
}
