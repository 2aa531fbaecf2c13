//! The top bar's search box: a plain GET form to `/search` (so it works without
//! JavaScript), and the list of people and channels it suggests while typing, rendered
//! here on the server and fetched by [`crate::islands::search_box`].

use crate::prefs::use_texts;
use leptos::prelude::*;

/// The box; `data-search-box` is what the island listens on.
#[component]
pub fn SearchBox() -> impl IntoView {
    let t = use_texts();
    view! {
        <form method="GET" action="/search" class="top-search" role="search" data-search-box="">
            <input type="search" name="q" maxlength=crate::api::search::MAX_SEARCH.to_string()
                aria-label=t.search.top_bar_label placeholder=t.search.top_bar_label
                autocomplete="off" aria-autocomplete="list" aria-controls="search-suggestions"/>
            <div id="search-suggestions" class="search-suggestions" data-search-suggestions=""></div>
        </form>
    }
}

/// People and channels whose names start with `q`, as links, and a link to search for
/// all of it; empty when `q` is.
#[server(prefix = "/api", endpoint = "search/suggest-list")]
pub async fn search_suggestions_html(q: String) -> Result<String, crate::error::AppError> {
    if q.trim().is_empty() {
        return Ok(String::new());
    }
    let found = crate::api::search::suggest(q.clone()).await?;
    let prefs = crate::prefs::use_prefs();
    let owner = Owner::new();
    Ok(owner.with(move || {
        provide_context(prefs);
        let t = use_texts();
        let s = t.search;
        let words = q.trim().to_owned();
        let all = format!(
            "/search?q={}",
            percent_encoding::utf8_percent_encode(&words, percent_encoding::NON_ALPHANUMERIC)
        );
        view! {
            <ul class="suggestion-list" role="listbox" aria-label=s.suggestions>
                {(!found.people.is_empty()).then(|| view! {
                    <li class="suggestion-heading" role="presentation">{s.people}</li>
                })}
                {found.people.into_iter().map(|p| {
                    let (name, title, href) = (p.name.clone(), p.job_title.clone(), format!("/people/{}", p.id));
                    view! {
                        <li role="option">
                            <a href=href>
                                <crate::components::post_card::Avatar person=p small=true/>
                                <span class="suggestion-name">{name}</span>
                                <span class="suggestion-title">{title}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
                {(!found.channels.is_empty()).then(|| view! {
                    <li class="suggestion-heading" role="presentation">{s.channels}</li>
                })}
                {found.channels.into_iter().map(|c| view! {
                    <li role="option">
                        <a href=format!("/channels/{}", c.slug)>
                            <span class="suggestion-name">"#"{c.name}</span>
                        </a>
                    </li>
                }).collect_view()}
                <li role="option" class="suggestion-all"><a href=all>{(s.see_all)(&words)}</a></li>
            </ul>
        }
        .to_html()
    }))
}
