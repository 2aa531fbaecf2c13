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
                mail: store.mail().is_some(),
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

/// Creates an invitation and returns its link, which is shown this once; or, given
/// addresses (`emails`), mails each its own invitation and says to whom. Without
/// JavaScript the admin page is reloaded with the answer in its address.
#[server(prefix = "/api", endpoint = "admin/invite")]
pub async fn create_invitation(
    role: String,
    department: Option<String>,
    channel: Option<String>,
    valid_days: String,
    uses: String,
    emails: Option<String>,
) -> Result<crate::model::Invited, AppError> {
    super::context::respond(
        async move {
            use super::context::{origin, redirect_plain_form, request, signed_in, store};
            use crate::domain::invitations::{create, mail, InvitationInput};
            use crate::model::Invited;
            let lang = request()
                .map(|parts| crate::prefs::Prefs::from_headers(&parts.headers).lang)
                .unwrap_or_default();
            let input = InvitationInput {
                role: &role,
                department: department.as_deref(),
                channel: channel.as_deref(),
                valid_days: &valid_days,
                uses: &uses,
            };
            let (store, viewer, now) = (store()?, signed_in()?, crate::store::now_ms());
            let emails = emails.as_deref().unwrap_or_default();
            let invited = if emails.trim().is_empty() {
                Invited::Link(create(&store, &viewer, &input, now).await?)
            } else {
                mail(&store, &viewer, &input, emails, lang.tag(), now).await?
            };
            match invited {
                Invited::Link(token) => {
                    redirect_plain_form(&format!("/admin?invitation={token}"));
                    Ok(Invited::Link(format!("{}/join/{token}", origin())))
                }
                Invited::Mailed { to, already_here } => {
                    let list = |addresses: &[String]| {
                        let joined = addresses.join(", ");
                        percent_encoding::utf8_percent_encode(
                            &joined,
                            percent_encoding::NON_ALPHANUMERIC,
                        )
                        .to_string()
                    };
                    redirect_plain_form(&format!(
                        "/admin?mailed={}&already={}",
                        list(&to),
                        list(&already_here)
                    ));
                    Ok(Invited::Mailed { to, already_here })
                }
            }
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
