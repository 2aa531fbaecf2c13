//! The notification centre, its badge, and how much one hears about a channel.

use crate::error::AppError;
use crate::model::Notifications;
use leptos::prelude::*;

/// How many lines the centre shows.
pub const CENTRE_SIZE: i64 = 50;

#[server(prefix = "/api", endpoint = "notifications/list")]
pub async fn notification_centre() -> Result<Notifications, AppError> {
    super::context::respond(
        async move {
            use super::context::{require, store};
            let viewer = require(crate::policy::Action::ManageOwnNotifications)?;
            let store = store()?;
            let time_zone = store.company().await?.map(|(_, tz)| tz).unwrap_or_default();
            Ok(Notifications {
                items: store
                    .notifications(viewer.user_id, viewer.is_guest(), CENTRE_SIZE)
                    .await?,
                unread: store.unread_notifications(viewer.user_id).await?,
                utc_offset_minutes: crate::calendar::utc_offset_minutes(&time_zone),
            })
        }
        .await,
    )
}

/// The badge's number.
#[server(prefix = "/api", endpoint = "notifications/unread")]
pub async fn unread_notifications() -> Result<i64, AppError> {
    super::context::respond(
        async move {
            let viewer = super::context::require(crate::policy::Action::ManageOwnNotifications)?;
            Ok(super::context::store()?
                .unread_notifications(viewer.user_id)
                .await?)
        }
        .await,
    )
}

/// Marks one notification read (no `id`: all of them).
#[server(prefix = "/api", endpoint = "notifications/read")]
pub async fn mark_read(id: Option<i64>) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, require, store};
            let viewer = require(crate::policy::Action::ManageOwnNotifications)?;
            let now = crate::store::now_ms();
            let mut tx = store()?.begin().await?;
            match id {
                Some(id) => {
                    if !tx.mark_notification_read(viewer.user_id, id, now).await? {
                        return Err(AppError::NotFound);
                    }
                }
                None => {
                    tx.mark_all_notifications_read(viewer.user_id, now).await?;
                }
            }
            tx.commit().await?;
            redirect_plain_form("/notifications");
            Ok(())
        }
        .await,
    )
}

/// Sets how much the asker hears about a channel they are in.
#[server(prefix = "/api", endpoint = "notifications/level")]
pub async fn set_notify_level(channel: String, level: String) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, require, store};
            use crate::error::{Field, Invalid};
            let viewer = require(crate::policy::Action::ManageOwnNotifications)?;
            let level = crate::model::NotifyLevel::parse(&level)
                .ok_or(Invalid::Unacceptable(Field::NotifyLevel))?;
            let store = store()?;
            let access = crate::domain::posts::readable(&store, &viewer, &channel).await?;
            if access.membership.is_none() {
                return Err(AppError::Forbidden);
            }
            let mut tx = store.begin().await?;
            tx.set_notify_level(access.id, viewer.user_id, level)
                .await?;
            tx.commit().await?;
            redirect_plain_form(&format!("/channels/{}", access.summary.slug));
            Ok(())
        }
        .await,
    )
}
