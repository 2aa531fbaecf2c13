//! The adoption dashboard, and who may read it.

use crate::error::AppError;
use crate::model::Dashboard;
#[cfg(feature = "ssr")]
use crate::model::{DashboardFilter, Period};
use leptos::prelude::*;

/// The dashboard for a period (`range`: 7, 30, 90 or `custom` with `from`/`to`) and
/// optionally one department and one channel. Empty values mean "not filtered", so
/// the page's GET form can send every field.
#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn adoption_dashboard(
    range: Option<String>,
    from: Option<String>,
    to: Option<String>,
    department: Option<String>,
    channel: Option<String>,
) -> Result<Dashboard, AppError> {
    super::context::respond(
        async move {
            use super::context::{require, store};
            let viewer = require(crate::policy::Action::ReadDashboard)?;
            let filter = dashboard_filter(range, from, to, department, channel)?;
            let now = crate::store::now_ms();
            crate::domain::dashboard::dashboard(&store()?, &viewer, &filter, now).await
        }
        .await,
    )
}

/// The filter from the page's query values, parsed here at the edge: a period that is
/// not one of the offered ones or has no real dates is unacceptable, a department or
/// channel that is not a number is a bad request.
#[cfg(feature = "ssr")]
pub fn dashboard_filter(
    range: Option<String>,
    from: Option<String>,
    to: Option<String>,
    department: Option<String>,
    channel: Option<String>,
) -> Result<DashboardFilter, AppError> {
    fn id<Id: std::str::FromStr>(value: Option<String>) -> Result<Option<Id>, AppError> {
        match value.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => text.parse().map(Some).map_err(|_| AppError::BadRequest),
        }
    }
    let text = |value: Option<String>| value.unwrap_or_default();
    Ok(DashboardFilter {
        period: Period::parse(&text(range), &text(from), &text(to))?,
        department: id(department)?,
        channel: id(channel)?,
    })
}
