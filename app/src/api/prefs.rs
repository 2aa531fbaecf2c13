//! Remembering a reader's language and theme in cookies. Plain form posts, so both
//! switches work with JavaScript off (the server then redirects back to the page).

use crate::error::AppError;
use crate::i18n::Lang;
use crate::prefs::Theme;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "prefs/language")]
pub async fn set_language(lang: String) -> Result<Lang, AppError> {
    super::context::respond(
        async move {
            let lang = Lang::from_tag(&lang).ok_or(AppError::BadRequest)?;
            remember(crate::prefs::LANG_COOKIE, lang.tag());
            // Signed in, their mail follows the switch too.
            if let Some(viewer) = super::context::viewer() {
                super::context::store()?
                    .set_locale(viewer.user_id, lang.tag())
                    .await?;
            }
            Ok(lang)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "prefs/theme")]
pub async fn set_theme(theme: String) -> Result<Theme, AppError> {
    super::context::respond(
        async move {
            let chosen = Theme::from_attr(&theme);
            if chosen.attr() != Some(theme.as_str()) {
                return Err(AppError::BadRequest);
            }
            remember(crate::prefs::THEME_COOKIE, &theme);
            Ok(chosen)
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn remember(name: &str, value: &str) {
    use http::{header::SET_COOKIE, HeaderValue};
    // A year; Lax so it rides along on ordinary navigation but not cross-site posts.
    let cookie = format!("{name}={value}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        response.append_header(SET_COOKIE, value);
    }
}
