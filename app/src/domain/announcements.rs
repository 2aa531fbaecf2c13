//! Company announcements: publishing one to an audience (everyone, some departments, or
//! a channel's members), optionally must-read until an expiry date; acknowledging it;
//! noting who saw it; and its reach, with a reminder for those who have not
//! acknowledged. Seeing and acknowledging tell the author live.

use crate::domain::posts::{readable, MAX_POST};
use crate::error::{AppError, Field, Invalid};
use crate::input::required;
use crate::model::{
    Audience, LiveKind, NotificationKind, PersonId, PostId, PostKind, Posted, Reach, MAX_SEEN_BATCH,
};
use crate::policy::{allows, Action, Viewer};
use crate::store::{Activity, ActivityAction};
use crate::store::{NewAnnouncement, NewNotification, NewPost, Reader, Store, Tx};

pub struct AnnouncementInput<'a> {
    pub audience: Audience,
    pub body: &'a str,
    pub must_read: bool,
    /// `YYYY-MM-DD`: a must-read stops being pinned after this day (company time).
    pub expires_on: &'a str,
}

/// The end of `day` in the company's time zone, in unix milliseconds.
fn end_of_day(day: &str, time_zone: &str) -> Result<i64, AppError> {
    use chrono::TimeZone;
    let bad = || AppError::from(Invalid::Unacceptable(Field::ExpiresAt));
    let date = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| bad())?;
    let end = date.and_hms_opt(23, 59, 59).ok_or_else(bad)?;
    let zone: chrono_tz::Tz = time_zone.parse().unwrap_or(chrono_tz::UTC);
    let at = zone.from_local_datetime(&end).earliest().ok_or_else(bad)?;
    Ok(at.timestamp_millis() + 999)
}

/// Publishes a company announcement and notifies its recipients.
pub async fn announce(
    store: &Store,
    viewer: &Viewer,
    input: &AnnouncementInput<'_>,
    now: i64,
) -> Result<Posted<PostId>, AppError> {
    if !allows(Some(viewer), Action::Announce) {
        return Err(AppError::Forbidden);
    }
    let body = required(input.body, Field::Post, MAX_POST)?;
    let tags = crate::domain::posts::checked_text(body, Field::Post)
        .await?
        .tags;
    let channel = match &input.audience {
        Audience::Channel(slug) => readable(store, viewer, slug).await?,
        Audience::Everyone | Audience::Departments(_) => {
            let slug = store
                .announcement_channel()
                .await?
                .ok_or(AppError::NotFound)?;
            readable(store, viewer, &slug).await?
        }
    };
    if channel.archived {
        return Err(AppError::ChannelArchived);
    }
    if let Audience::Departments(ids) = &input.audience {
        if ids.is_empty() {
            return Err(Invalid::Required(Field::Audience).into());
        }
        for id in ids {
            if !store.department_exists(*id).await? {
                return Err(Invalid::Unacceptable(Field::Audience).into());
            }
        }
    }
    let expires_at = match input.expires_on.trim() {
        "" => None,
        day => {
            let time_zone = store.company().await?.map(|(_, tz)| tz).unwrap_or_default();
            let at = end_of_day(day, &time_zone)?;
            if at <= now {
                return Err(Invalid::Unacceptable(Field::ExpiresAt).into());
            }
            Some(at)
        }
    };
    let calendar = store.calendar().await?;
    let mut tx = store.begin().await?;
    let id = tx
        .create_post(&NewPost {
            channel_id: channel.id,
            author_id: viewer.user_id,
            kind: PostKind::Announcement,
            body,
            created_at: now,
        })
        .await?;
    let recipients = tx
        .create_announcement(&NewAnnouncement {
            post_id: id,
            audience: &input.audience,
            channel_id: channel.id,
            must_read: input.must_read,
            expires_at,
            author_id: viewer.user_id,
            at: now,
        })
        .await?;
    tx.add_tags(id, &tags).await?;
    let posted = Activity::on_post(
        viewer.user_id,
        now,
        ActivityAction::Posted,
        channel.id,
        PostKind::Announcement,
    );
    tx.record_activity(&calendar, &[posted]).await?;
    notify_all(
        &mut tx,
        &recipients,
        NotificationKind::Announcement,
        viewer.user_id,
        id,
        now,
    )
    .await?;
    if !matches!(input.audience, Audience::Departments(_)) {
        tx.record_event(
            LiveKind::Post,
            Some(channel.id),
            None,
            Some(id),
            Some(viewer.user_id),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Posted {
        id,
        not_notified: Vec::new(),
    })
}

async fn notify_all(
    tx: &mut Tx,
    people: &[PersonId],
    kind: NotificationKind,
    actor: PersonId,
    post_id: PostId,
    now: i64,
) -> Result<(), AppError> {
    let list: Vec<NewNotification> = people
        .iter()
        .map(|user_id| NewNotification {
            user_id: *user_id,
            kind,
            actor_id: Some(actor),
            post_id: Some(post_id),
            comment_id: None,
        })
        .collect();
    Ok(tx.notify(&list, now).await?)
}

/// Tells the authors of these announcements that their reach changed.
async fn reach_changed(
    store: &Store,
    tx: &mut Tx,
    post_ids: &[PostId],
    now: i64,
) -> Result<(), AppError> {
    for (post_id, author) in store.authors_of(post_ids).await? {
        tx.record_event(
            LiveKind::Reach,
            None,
            Some(author),
            Some(post_id),
            None,
            now,
        )
        .await?;
    }
    Ok(())
}

/// "Mark as read": the viewer acknowledges an announcement addressed to them. Doing it
/// twice changes nothing.
pub async fn acknowledge(
    store: &Store,
    viewer: &Viewer,
    post_id: PostId,
    now: i64,
) -> Result<(), AppError> {
    let card = store
        .post_card(Reader::of(viewer), post_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !card.announcement.is_some_and(|a| a.addressed_to_me) {
        return Err(AppError::Forbidden);
    }
    let place = store.post_place(post_id).await?.ok_or(AppError::NotFound)?;
    let calendar = store.calendar().await?;
    let mut tx = store.begin().await?;
    if tx.acknowledge(post_id, viewer.user_id, now).await? {
        reach_changed(store, &mut tx, &[post_id], now).await?;
        let acknowledged =
            crate::domain::posts::on_place(viewer, now, ActivityAction::Acknowledged, &place);
        tx.record_activity(&calendar, &[acknowledged]).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Notes that announcements were on the viewer's screen (or opened). Only their own
/// recipient rows change, so naming posts they cannot read does nothing.
pub async fn mark_seen(
    store: &Store,
    viewer: &Viewer,
    post_ids: &[PostId],
    now: i64,
) -> Result<(), AppError> {
    if post_ids.len() > MAX_SEEN_BATCH {
        return Err(AppError::BadRequest);
    }
    let mut tx = store.begin().await?;
    note_seen(store, &mut tx, viewer, post_ids, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Notes that these posts were on `viewer`'s screen: an impression of each post they
/// may read, and "seen" for the announcements among them addressed to them. The tab
/// sends these in batches, so one call is one transaction for many cards.
pub async fn saw_posts(
    store: &Store,
    viewer: &Viewer,
    post_ids: &[PostId],
    now: i64,
) -> Result<(), AppError> {
    if post_ids.len() > crate::model::MAX_SEEN_BATCH {
        return Err(AppError::BadRequest);
    }
    let impressions: Vec<Activity> = store
        .seen_targets(Reader::of(viewer), post_ids)
        .await?
        .into_iter()
        .map(|(channel, kind)| {
            Activity::on_post(viewer.user_id, now, ActivityAction::Saw, channel, kind)
        })
        .collect();
    let calendar = store.calendar().await?;
    let mut tx = store.begin().await?;
    note_seen(store, &mut tx, viewer, post_ids, now).await?;
    tx.record_activity(&calendar, &impressions).await?;
    tx.commit().await?;
    Ok(())
}

/// [`mark_seen`] inside a transaction that records more.
pub(crate) async fn note_seen(
    store: &Store,
    tx: &mut Tx,
    viewer: &Viewer,
    post_ids: &[PostId],
    now: i64,
) -> Result<(), AppError> {
    let first_time = tx.mark_seen(viewer.user_id, post_ids, now).await?;
    reach_changed(store, tx, &first_time, now).await
}

/// An announcement's reach, if `viewer` may see it: only someone who may read the post
/// itself (the same rule as feeds and the post page; for anyone else it does not
/// exist), and of them its author, staff and leaders.
pub async fn reach(store: &Store, viewer: &Viewer, post_id: PostId) -> Result<Reach, AppError> {
    if !store.may_read_post(Reader::of(viewer), post_id).await? {
        return Err(AppError::NotFound);
    }
    let (reach, author) = store
        .reach(post_id, i64::MAX)
        .await?
        .ok_or(AppError::NotFound)?;
    if allows(Some(viewer), Action::SeeReach { author }) {
        Ok(reach)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Reminds only the recipients who have not acknowledged; returns how many. Asked by
/// the same people, under the same rule, as [`reach`].
pub async fn renotify(
    store: &Store,
    viewer: &Viewer,
    post_id: PostId,
    now: i64,
) -> Result<i64, AppError> {
    reach(store, viewer, post_id).await?;
    let mut tx = store.begin().await?;
    let pending = tx.renotify(post_id, now).await?;
    notify_all(
        &mut tx,
        &pending,
        NotificationKind::Reminder,
        viewer.user_id,
        post_id,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(pending.len() as i64)
}

#[cfg(test)]
mod tests {
    #[test]
    fn expiry_is_the_end_of_the_day_where_the_company_is() {
        // 2026-12-01 23:59:59.999 in Ho Chi Minh City (UTC+7) is 16:59:59.999 UTC.
        assert_eq!(
            super::end_of_day("2026-12-01", "Asia/Ho_Chi_Minh").unwrap(),
            1_796_144_399_999
        );
        assert!(super::end_of_day("2026-02-30", "UTC").is_err());
        assert!(super::end_of_day("soon", "UTC").is_err());
    }
}
