//! The reader's presentation preferences: language and theme.
//!
//! The server decides them per request (cookie, then `Accept-Language`, then English) and
//! writes them onto `<html lang data-theme>`; the browser reads them back from there when
//! it hydrates, so both renderings always agree.

use crate::i18n::Lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const LANG_COOKIE: &str = "townhall_lang";
pub const THEME_COOKIE: &str = "townhall_theme";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    /// Follow the operating system's light or dark setting.
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn attr(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }

    pub fn from_attr(value: &str) -> Theme {
        match value {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Prefs {
    pub lang: Lang,
    pub theme: Theme,
}

impl Prefs {
    /// Preferences of an anonymous request: cookies first, then `Accept-Language`.
    pub fn from_headers(headers: &http::HeaderMap) -> Prefs {
        let cookie = |name: &str| cookie(headers, name);
        let lang = cookie(LANG_COOKIE)
            .and_then(|v| Lang::from_tag(&v))
            .or_else(|| {
                headers
                    .get(http::header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Lang::from_accept_language)
            })
            .unwrap_or_default();
        let theme = cookie(THEME_COOKIE).map_or(Theme::System, |v| Theme::from_attr(&v));
        Prefs { lang, theme }
    }

    #[cfg(feature = "ssr")]
    fn detect() -> Prefs {
        use_context::<http::request::Parts>()
            .map(|parts| Prefs::from_headers(&parts.headers))
            .unwrap_or_default()
    }

    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    fn detect() -> Prefs {
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element());
        let attr = |name: &str| root.as_ref().and_then(|r| r.get_attribute(name));
        Prefs {
            lang: attr("lang")
                .and_then(|l| Lang::from_tag(&l))
                .unwrap_or_default(),
            theme: attr("data-theme").map_or(Theme::System, |t| Theme::from_attr(&t)),
        }
    }

    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    fn detect() -> Prefs {
        Prefs::default()
    }
}

/// The value of cookie `name` in a request's headers.
pub fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
}

/// Works out this render's preferences and makes them available to every component.
pub fn provide_prefs() -> Prefs {
    let prefs = Prefs::detect();
    provide_context(prefs);
    prefs
}

/// This render's preferences; in an island, those the page was rendered with.
pub fn use_prefs() -> Prefs {
    use_context::<Prefs>().unwrap_or_else(Prefs::detect)
}

/// Shows `theme` at once, without a reload.
pub fn apply_theme(theme: Theme) {
    #[cfg(feature = "hydrate")]
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = match theme.attr() {
            Some(value) => root.set_attribute("data-theme", value),
            None => root.remove_attribute("data-theme"),
        };
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = theme;
}

pub fn system_prefers_dark() -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|m| m.matches())
    }
    #[cfg(not(feature = "hydrate"))]
    false
}

/// The texts of the language this page is rendered in.
pub fn use_texts() -> &'static crate::i18n::Texts {
    use_prefs().lang.texts()
}

/// The islands' few words, in the language this page is rendered in.
pub fn use_island_texts() -> &'static crate::i18n::island::IslandTexts {
    use_prefs().lang.island_texts()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{header, HeaderMap, HeaderValue};

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.clone(), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn cookie_beats_accept_language_which_beats_english() {
        let both = headers(&[
            (header::COOKIE, "a=1; townhall_lang=en; townhall_theme=dark"),
            (header::ACCEPT_LANGUAGE, "vi-VN,vi;q=0.9"),
        ]);
        assert_eq!(
            Prefs::from_headers(&both),
            Prefs {
                lang: Lang::En,
                theme: Theme::Dark
            }
        );

        let browser_only = headers(&[(header::ACCEPT_LANGUAGE, "vi-VN,vi;q=0.9")]);
        assert_eq!(Prefs::from_headers(&browser_only).lang, Lang::Vi);

        let bad_cookie = headers(&[
            (header::COOKIE, "townhall_lang=klingon"),
            (header::ACCEPT_LANGUAGE, "fr"),
        ]);
        assert_eq!(Prefs::from_headers(&bad_cookie), Prefs::default());
    }
}
