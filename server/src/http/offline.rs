//! `/offline`: the page the service worker shows when the network is gone. Static HTML
//! without scripts, so it never tries to hydrate under a URL it was not rendered for.

use super::AppState;
use app::i18n::Lang;
use app::prefs::Prefs;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Html;

#[derive(serde::Deserialize)]
pub struct OfflineQuery {
    /// The service worker asks for its own language, whatever the cookies say.
    lang: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    Query(query): Query<OfflineQuery>,
    headers: HeaderMap,
) -> Html<String> {
    let mut prefs = Prefs::from_headers(&headers);
    if let Some(lang) = query.lang.as_deref().and_then(Lang::from_tag) {
        prefs.lang = lang;
    }
    let t = prefs.lang.texts();
    let theme = prefs
        .theme
        .attr()
        .map(|v| format!(" data-theme=\"{v}\""))
        .unwrap_or_default();
    Html(format!(
        "<!DOCTYPE html><html lang=\"{lang}\"{theme}><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Townhall</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body><main id=\"main\" class=\"page offline\"><img src=\"/icons/icon-192.png\" alt=\"\" width=\"64\" height=\"64\">\
         <h1>{title}</h1><p>{body}</p><p><a href=\"/\">{retry}</a></p></main></body></html>",
        lang = prefs.lang.tag(),
        title = t.offline_title,
        body = t.offline_body,
        retry = t.try_again,
        css = state.stylesheet,
    ))
}
