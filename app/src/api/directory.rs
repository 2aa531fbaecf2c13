//! Reading the company's structure: its name, channels, people and headline activity.

use crate::error::AppError;
use crate::model::{ChannelSummary, Overview, PersonSummary, SiteInfo};
use leptos::prelude::*;

/// The company's name: shown on every page, the sign-in page included.
#[server(prefix = "/api", endpoint = "site")]
pub async fn site_details() -> Result<SiteInfo, AppError> {
    super::context::respond(
        async move {
            let store = super::context::store()?;
            Ok(store
                .company()
                .await?
                .map(|(site, _)| site)
                .unwrap_or_else(|| SiteInfo {
                    company_name: String::new(),
                }))
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "channels")]
pub async fn list_channels() -> Result<Vec<ChannelSummary>, AppError> {
    super::context::respond(
        async move {
            super::context::require(crate::policy::Action::ListChannels)?;
            Ok(super::context::store()?.listed_channels().await?)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "people")]
pub async fn list_people() -> Result<Vec<PersonSummary>, AppError> {
    super::context::respond(
        async move {
            super::context::require(crate::policy::Action::ReadDirectory)?;
            Ok(super::context::store()?.people().await?)
        }
        .await,
    )
}

/// Activity over the last seven days.
#[server(prefix = "/api", endpoint = "overview")]
pub async fn weekly_overview() -> Result<Overview, AppError> {
    super::context::respond(
        async move {
            super::context::require(crate::policy::Action::ReadDashboard)?;
            const WEEK_MS: i64 = 7 * 24 * 60 * 60 * 1000;
            let since = crate::store::now_ms() - WEEK_MS;
            Ok(super::context::store()?.overview(since).await?)
        }
        .await,
    )
}
