//! Scheduled posts: the asker's own list, editing and cancelling (scheduling itself goes
//! through `posts/create` with a date and time, so the composer stays one plain form).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One scheduled post, with its time in the author's zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledItem {
    pub id: i64,
    pub channel_slug: String,
    pub channel_name: String,
    pub body: String,
    /// `YYYY-MM-DD` and `HH:MM` in the author's time zone.
    pub date: String,
    pub time: String,
    /// Why the policy refused to publish it, if it did.
    pub failure: Option<AppError>,
}

/// The asker's scheduled posts and the time zone their times are in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledList {
    pub items: Vec<ScheduledItem>,
    pub time_zone: String,
}

#[server(prefix = "/api", endpoint = "scheduled/list")]
pub async fn scheduled_posts() -> Result<ScheduledList, AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            let (store, viewer) = (store()?, signed_in()?);
            let time_zone = store.time_zone_of(viewer.user_id).await?;
            let items = crate::domain::scheduled::list(&store, &viewer)
                .await?
                .into_iter()
                .map(|r| {
                    let (date, time) = crate::domain::scheduled::local(r.publish_at, &time_zone);
                    ScheduledItem {
                        id: r.id,
                        channel_slug: r.channel_slug,
                        channel_name: r.channel_name,
                        body: r.body,
                        date,
                        time,
                        failure: r
                            .failure
                            .as_deref()
                            .map(crate::domain::scheduled::failure_error),
                    }
                })
                .collect();
            Ok(ScheduledList { items, time_zone })
        }
        .await,
    )
}

/// Changes a scheduled post's text and time.
#[server(prefix = "/api", endpoint = "scheduled/edit")]
pub async fn edit_scheduled(
    id: i64,
    body: String,
    schedule_date: String,
    schedule_time: String,
) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let when = crate::domain::scheduled::When {
                date: &schedule_date,
                time: &schedule_time,
            };
            let now = crate::store::now_ms();
            crate::domain::scheduled::edit(&store()?, &signed_in()?, id, &body, &when, now).await?;
            redirect_plain_form("/scheduled");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "scheduled/cancel")]
pub async fn cancel_scheduled(id: i64) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::scheduled::cancel(&store()?, &signed_in()?, id, now).await?;
            redirect_plain_form("/scheduled");
            Ok(())
        }
        .await,
    )
}

/// Publishes a scheduled post now; answers its channel's slug and name. Without
/// JavaScript the browser goes to that channel, where the post now is.
#[server(prefix = "/api", endpoint = "scheduled/publish-now")]
pub async fn publish_scheduled_now(id: i64) -> Result<(String, String), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            let (_, slug, name) =
                crate::domain::scheduled::publish_now(&store()?, &signed_in()?, id, now).await?;
            redirect_plain_form(&format!("/channels/{slug}"));
            Ok((slug, name))
        }
        .await,
    )
}
