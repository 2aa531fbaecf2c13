//! Reading the company's structure: its name and people.

use crate::error::AppError;
use crate::model::{Directory, SiteInfo};
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

/// The longest directory search accepted.
pub const MAX_SEARCH: usize = 100;

/// People matching `query` (any words, diacritics optional), optionally in one department.
/// `status` "deactivated" lists the people who can no longer sign in (admins only).
#[server(prefix = "/api", endpoint = "people")]
pub async fn people_directory(
    query: Option<String>,
    department: Option<String>,
    status: Option<String>,
) -> Result<Directory, AppError> {
    super::context::respond(
        async move {
            use crate::error::{Field, Invalid};
            use crate::policy::Action;
            let viewer = super::context::require(Action::ReadDirectory)?;
            let deactivated = status.as_deref() == Some("deactivated");
            if deactivated && !crate::policy::allows(Some(&viewer), Action::ListDeactivated) {
                return Err(AppError::Forbidden);
            }
            let text = query.unwrap_or_default();
            if text.chars().count() > MAX_SEARCH {
                return Err(Invalid::TooLong(Field::Search, MAX_SEARCH).into());
            }
            let department_id = match department.as_deref().filter(|d| !d.is_empty()) {
                Some(id) => Some(id.parse().map_err(|_| AppError::BadRequest)?),
                None => None,
            };
            let store = super::context::store()?;
            let filter = crate::store::PeopleFilter {
                text,
                department_id,
                deactivated,
                // Guests find only the people they share a channel with.
                seen_by: Some(viewer.user_id),
                limit: None,
            };
            Ok(Directory {
                people: store.people(&filter).await?,
                departments: store.departments().await?,
            })
        }
        .await,
    )
}
