//! Channel management: the list, starting a channel, joining and leaving, members and
//! channel admins, settings and the archive. Each change returns nothing but where to
//! go next; without JavaScript the server redirects there.

use crate::error::AppError;
use crate::model::{ChannelListing, ChannelRoster, PersonId};
use leptos::prelude::*;

/// The channels one may see listed; with `archived`, the archived ones one is in.
#[server(prefix = "/api", endpoint = "channels")]
pub async fn list_channels(archived: Option<bool>) -> Result<Vec<ChannelListing>, AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            crate::domain::channels::list(&store()?, &signed_in()?, archived.unwrap_or(false)).await
        }
        .await,
    )
}

/// Starts a channel and returns its address; the plain form lands on its page.
#[server(prefix = "/api", endpoint = "channels/create")]
pub async fn create_channel(
    name: String,
    description: String,
    guidelines: String,
    kind: String,
) -> Result<String, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let input = crate::domain::channels::ChannelInput {
                name: &name,
                description: &description,
                guidelines: &guidelines,
            };
            let now = crate::store::now_ms();
            let slug =
                crate::domain::channels::create(&store()?, &signed_in()?, &input, &kind, now)
                    .await?;
            let path = format!("/channels/{slug}");
            redirect_plain_form(&path);
            Ok(path)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "channels/join")]
pub async fn join_channel(slug: String, back: Option<String>) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::channels::join(&store()?, &signed_in()?, &slug, now).await?;
            redirect_plain_form(&super::accounts::local_path(back.as_deref()));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "channels/leave")]
pub async fn leave_channel(slug: String, back: Option<String>) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            crate::domain::channels::leave(&store()?, &signed_in()?, &slug).await?;
            redirect_plain_form(&super::accounts::local_path(back.as_deref()));
            Ok(())
        }
        .await,
    )
}

/// Who is in a channel and their role; for those who manage it, whom they may add.
#[server(prefix = "/api", endpoint = "channels/members")]
pub async fn channel_members(slug: String) -> Result<ChannelRoster, AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            crate::domain::channels::members(&store()?, &signed_in()?, &slug).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "channels/add-member")]
pub async fn add_channel_member(slug: String, person: String) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            use crate::error::{Field, Invalid};
            // A select's value: an empty or hand-made one is a person not chosen.
            let person = crate::input::optional_id(Some(&person), Field::Person)?
                .ok_or(Invalid::Required(Field::Person))?;
            let now = crate::store::now_ms();
            crate::domain::channels::add_member(&store()?, &signed_in()?, &slug, person, now)
                .await?;
            redirect_plain_form(&members_path(&slug));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "channels/remove-member")]
pub async fn remove_channel_member(slug: String, person: PersonId) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            crate::domain::channels::remove_member(&store()?, &signed_in()?, &slug, person).await?;
            redirect_plain_form(&members_path(&slug));
            Ok(())
        }
        .await,
    )
}

/// Makes a member a channel admin (`admin` true) or a plain member again.
#[server(prefix = "/api", endpoint = "channels/admin")]
pub async fn set_channel_admin(
    slug: String,
    person: PersonId,
    admin: bool,
) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            crate::domain::channels::set_admin(&store()?, &signed_in()?, &slug, person, admin)
                .await?;
            redirect_plain_form(&members_path(&slug));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "channels/edit")]
pub async fn edit_channel(
    slug: String,
    name: String,
    description: String,
    guidelines: String,
) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let input = crate::domain::channels::ChannelInput {
                name: &name,
                description: &description,
                guidelines: &guidelines,
            };
            crate::domain::channels::edit(&store()?, &signed_in()?, &slug, &input).await?;
            redirect_plain_form(&members_path(&slug));
            Ok(())
        }
        .await,
    )
}

/// Archives the channel (`archived` true) or brings it back.
#[server(prefix = "/api", endpoint = "channels/archive")]
pub async fn archive_channel(slug: String, archived: bool) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::channels::set_archived(&store()?, &signed_in()?, &slug, archived, now)
                .await?;
            redirect_plain_form(&members_path(&slug));
            Ok(())
        }
        .await,
    )
}

/// Where management forms come back to.
pub fn members_path(slug: &str) -> String {
    format!("/channels/{slug}/members")
}
