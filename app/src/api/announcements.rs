//! Company announcements: publishing, acknowledging and reach.

use crate::error::AppError;
use crate::model::{AnnouncementOptions, DepartmentId, PostId, Posted, Reach};
use leptos::prelude::*;

/// What the announcement form offers; `None` for people who may not announce.
#[server(prefix = "/api", endpoint = "announcements/options")]
pub async fn announcement_choices() -> Result<Option<AnnouncementOptions>, AppError> {
    super::context::respond(
        async move {
            use crate::policy::{allows, Action};
            let viewer = super::context::signed_in()?;
            if !allows(Some(&viewer), Action::Announce) {
                return Ok(None);
            }
            let store = super::context::store()?;
            Ok(Some(AnnouncementOptions {
                departments: store.department_refs().await?,
                channels: store
                    .channel_choices(crate::store::Reader::of(&viewer))
                    .await?
                    .into_iter()
                    .map(|c| crate::model::ChannelRef {
                        id: c.id,
                        slug: c.slug,
                        name: c.name,
                    })
                    .collect(),
            }))
        }
        .await,
    )
}

/// Publishes a company announcement. `audience` is `everyone`, `departments` (those
/// ticked) or `channel` (that channel's members).
#[server(prefix = "/api", endpoint = "announcements/publish")]
pub async fn announce(
    audience: String,
    departments: Option<Vec<DepartmentId>>,
    channel: Option<String>,
    body: String,
    must_read: Option<String>,
    expires_on: Option<String>,
    back: Option<String>,
) -> Result<Posted<PostId>, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            use crate::domain::announcements::{announce, AnnouncementInput};
            use crate::error::{Field, Invalid};
            use crate::model::Audience;
            let audience = match audience.as_str() {
                "everyone" => Audience::Everyone,
                "departments" => Audience::Departments(departments.unwrap_or_default()),
                "channel" => Audience::Channel(channel.unwrap_or_default()),
                _ => return Err(Invalid::Unacceptable(Field::Audience).into()),
            };
            let input = AnnouncementInput {
                audience,
                body: &body,
                must_read: must_read.is_some(),
                expires_on: expires_on.as_deref().unwrap_or_default(),
            };
            let now = crate::store::now_ms();
            let posted = announce(&store()?, &signed_in()?, &input, now).await?;
            redirect_plain_form(&super::accounts::local_path(back.as_deref()));
            Ok(posted)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "announcements/acknowledge")]
pub async fn acknowledge(post: PostId, back: Option<String>) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::announcements::acknowledge(&store()?, &signed_in()?, post, now).await?;
            redirect_plain_form(&super::accounts::local_path(back.as_deref()));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "announcements/reach")]
pub async fn announcement_reach(post: PostId) -> Result<Reach, AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            crate::domain::announcements::reach(&store()?, &signed_in()?, post).await
        }
        .await,
    )
}

/// Reminds those who have not acknowledged; answers how many were reminded.
#[server(prefix = "/api", endpoint = "announcements/renotify")]
pub async fn renotify(post: PostId, back: Option<String>) -> Result<i64, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            let n =
                crate::domain::announcements::renotify(&store()?, &signed_in()?, post, now).await?;
            redirect_plain_form(&super::accounts::local_path(back.as_deref()));
            Ok(n)
        }
        .await,
    )
}
