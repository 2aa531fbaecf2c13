//! Administration: invitations and departments.

use crate::error::AppError;
use crate::model::Administration;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "admin/overview")]
pub async fn admin_overview() -> Result<Administration, AppError> {
    super::context::respond(
        async move {
            use super::context::{require, store};
            use crate::domain::invitations::{invitable_channels, pending};
            let viewer = require(crate::policy::Action::ManagePeople)?;
            let store = store()?;
            let time_zone = store.company().await?.map(|(_, tz)| tz).unwrap_or_default();
            Ok(Administration {
                invitations: pending(&store, &viewer, crate::store::now_ms()).await?,
                departments: store.departments().await?,
                channels: invitable_channels(&store, &viewer).await?,
                utc_offset_minutes: crate::calendar::utc_offset_minutes(&time_zone),
                origin: super::context::origin(),
            })
        }
        .await,
    )
}

/// The channels a member turned guest may keep: those the admin may manage, but not
/// the company-wide one (for members only).
#[server(prefix = "/api", endpoint = "admin/guest-channels")]
pub async fn guest_channel_choices() -> Result<Vec<crate::model::ChannelRef>, AppError> {
    super::context::respond(
        async move {
            use super::context::{require, store};
            let viewer = require(crate::policy::Action::ManagePeople)?;
            let channels = crate::domain::channels::manageable_channels(&store()?, &viewer).await?;
            Ok(channels
                .into_iter()
                .filter(|c| !c.summary.is_default)
                .map(|c| crate::model::ChannelRef {
                    id: c.id,
                    slug: c.summary.slug,
                    name: c.summary.name,
                })
                .collect())
        }
        .await,
    )
}

/// Creates an invitation and returns its link, which is shown this once. Without
/// JavaScript the admin page is reloaded with the new link in its address.
#[server(prefix = "/api", endpoint = "admin/invite")]
pub async fn create_invitation(
    role: String,
    department: Option<String>,
    channel: Option<String>,
    valid_days: String,
    uses: String,
) -> Result<String, AppError> {
    super::context::respond(
        async move {
            use super::context::{origin, redirect_plain_form, signed_in, store};
            use crate::domain::invitations::{create, InvitationInput};
            let input = InvitationInput {
                role: &role,
                department: department.as_deref(),
                channel: channel.as_deref(),
                valid_days: &valid_days,
                uses: &uses,
            };
            let token = create(&store()?, &signed_in()?, &input, crate::store::now_ms()).await?;
            redirect_plain_form(&format!("/admin?invitation={token}"));
            Ok(format!("{}/join/{token}", origin()))
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "admin/revoke")]
pub async fn revoke_invitation(id: i64) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::invitations::revoke(&store()?, &signed_in()?, id, now).await?;
            redirect_plain_form("/admin");
            Ok(())
        }
        .await,
    )
}

/// Adds a department (no `id`) or renames one.
#[server(prefix = "/api", endpoint = "admin/department")]
pub async fn save_department(
    id: Option<crate::model::DepartmentId>,
    name: String,
) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            crate::domain::people::departments::save_department(
                &store()?,
                &signed_in()?,
                id,
                &name,
            )
            .await?;
            redirect_plain_form("/admin#departments");
            Ok(())
        }
        .await,
    )
}
