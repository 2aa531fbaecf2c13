//! Search: the server functions over [`crate::domain::search`]. Every filter arrives as
//! the text of a GET form (so search works without JavaScript) and is read here; a value
//! that names nothing is refused with a message before anything is searched.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::{Field, Invalid};
#[cfg(feature = "ssr")]
use crate::model::search::{KindFilter, Period, SearchFilters};
use crate::model::search::{SearchPage, Suggestions};
use leptos::prelude::*;

/// The longest search accepted.
pub const MAX_SEARCH: usize = 100;

/// One page of what `q` finds among what the asker may read, narrowed by `kind`
/// (`posts`, `questions`, `comments`, `pages`, `people`, `channels`; empty for all),
/// `channel` (an id), `person` (an id) and `period` (`week`, `month`, `year`; empty for
/// any time). `page` counts from 0.
#[server(prefix = "/api", endpoint = "search")]
pub async fn search(
    q: String,
    kind: Option<String>,
    channel: Option<String>,
    person: Option<String>,
    period: Option<String>,
    page: Option<String>,
) -> Result<SearchPage, AppError> {
    super::context::respond(
        async move {
            let viewer = super::context::require(crate::policy::Action::ReadFeed)?;
            let words =
                crate::input::limited(&q, crate::error::Field::Search, MAX_SEARCH)?.to_owned();
            let filters = SearchFilters {
                kind: given(&kind)
                    .map(|k| KindFilter::parse(k).ok_or(Field::Kind))
                    .transpose()
                    .map_err(unacceptable)?
                    .unwrap_or_default(),
                channel: number(&channel, Field::Channel)?.map(crate::model::ChannelId),
                person: number(&person, Field::Person)?.map(crate::model::PersonId),
                period: given(&period)
                    .map(|p| Period::parse(p).ok_or(Field::Period))
                    .transpose()
                    .map_err(unacceptable)?
                    .unwrap_or_default(),
            };
            let page = number(&page, Field::Search)?
                .filter(|p| (0..=i64::from(crate::domain::search::MAX_PAGE)).contains(p))
                .map_or(Ok(0), |p| {
                    u32::try_from(p).map_err(|_| unacceptable(Field::Search))
                })?;
            let store = super::context::store()?;
            crate::domain::search::search(
                &store,
                &viewer,
                words,
                filters,
                page,
                crate::store::now_ms(),
            )
            .await
        }
        .await,
    )
}

/// People and channels whose names start with `q`, for the top bar's suggestions.
#[server(prefix = "/api", endpoint = "search/suggest")]
pub async fn suggest(q: String) -> Result<Suggestions, AppError> {
    super::context::respond(
        async move {
            let viewer = super::context::require(crate::policy::Action::ReadFeed)?;
            let typed = crate::input::limited(&q, Field::Search, MAX_SEARCH)?.to_owned();
            let store = super::context::store()?;
            crate::domain::search::suggest(&store, &viewer, &typed).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(feature = "ssr")]
fn unacceptable(field: Field) -> AppError {
    AppError::from(Invalid::Unacceptable(field))
}

/// An optional number from a form: empty is none, anything else must be a whole number.
#[cfg(feature = "ssr")]
fn number(value: &Option<String>, field: Field) -> Result<Option<i64>, AppError> {
    given(value)
        .map(|v| v.parse::<i64>().map_err(|_| unacceptable(field)))
        .transpose()
}
