//! Reading the company's structure: its name, channels, people and headline activity.

use crate::error::AppError;
use crate::model::{ChannelSummary, Overview, PersonSummary, SiteInfo};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "site")]
pub async fn site_details() -> Result<SiteInfo, AppError> {
    let store = super::context::store()?;
    Ok(store
        .company()
        .await?
        .map(|(site, _)| site)
        .unwrap_or_else(|| SiteInfo {
            company_name: String::new(),
        }))
}

#[server(prefix = "/api", endpoint = "channels")]
pub async fn list_channels() -> Result<Vec<ChannelSummary>, AppError> {
    Ok(super::context::store()?.listed_channels().await?)
}

#[server(prefix = "/api", endpoint = "people")]
pub async fn list_people() -> Result<Vec<PersonSummary>, AppError> {
    Ok(super::context::store()?.people().await?)
}

/// Activity over the last seven days.
#[server(prefix = "/api", endpoint = "overview")]
pub async fn weekly_overview() -> Result<Overview, AppError> {
    const WEEK_MS: i64 = 7 * 24 * 60 * 60 * 1000;
    let since = crate::store::now_ms() - WEEK_MS;
    Ok(super::context::store()?.overview(since).await?)
}
