//! Search: everything the reader may read — posts, questions and answers, comments,
//! knowledge pages, people and channels — ranked, with tabs per kind (each counted),
//! a channel and a period filter, a person filter, snippets with the matched words
//! marked, and "Did you mean" for words typed with Telex or VNI left on. Plain GET
//! forms and links, so it works the same without JavaScript.

use crate::api::search::{search, MAX_SEARCH};
use crate::components::notice::{ErrorNotice, Loading};
use crate::components::post_card::Time;
use crate::i18n::format_number;
use crate::model::search::{KindFilter, Period, SearchHit, SearchPage};
use crate::prefs::{use_prefs, use_texts};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// What the address asks for, as the server function takes it.
#[derive(Clone, Debug, PartialEq)]
struct Asked {
    q: String,
    kind: Option<String>,
    channel: Option<String>,
    person: Option<String>,
    period: Option<String>,
    page: Option<String>,
}

#[component]
pub fn SearchPageView() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let asked = move || {
        let q = query.read();
        Asked {
            q: q.get("q").unwrap_or_default(),
            kind: q.get("kind"),
            channel: q.get("channel"),
            person: q.get("person"),
            period: q.get("period"),
            page: q.get("page"),
        }
    };
    let found = Resource::new(asked, |a| {
        search(a.q, a.kind, a.channel, a.person, a.period, a.page)
    });
    view! {
        <Title text=t.search_title/>
        <section class="page search" aria-labelledby="search-heading">
            <h1 id="search-heading">{t.search_title}</h1>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(page) => view! { <SearchForm page=page.clone()/> <Results page/> }.into_any(),
                        Err(error) => view! {
                            <SearchForm page=SearchPage { words: asked().q, ..SearchPage::default() }/>
                            <ErrorNotice error/>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The words and the filters, in one GET form: changing the words keeps the filters.
#[component]
fn SearchForm(page: SearchPage) -> impl IntoView {
    let t = use_texts();
    let s = t.search;
    let filters = page.filters.clone();
    view! {
        <Form method="GET" action="" attr:class="search-bar" attr:role="search" attr:data-search-box="">
            <div class="search-words">
                <label class="field">
                    <span class="visually-hidden">{s.label}</span>
                    <input type="search" name="q" value=page.words.clone() maxlength=MAX_SEARCH.to_string()
                        aria-label=s.label placeholder=s.placeholder autocomplete="off"/>
                </label>
                // Beside the words, so the suggestions that open under them never
                // cover it.
                <button type="submit" class="primary">{t.search_button}</button>
                <div class="search-suggestions" data-search-suggestions=""></div>
            </div>
            {(filters.kind != KindFilter::All).then(|| view! {
                <input type="hidden" name="kind" value=filters.kind.as_str()/>
            })}
            {filters.person.map(|id| view! { <input type="hidden" name="person" value=id/> })}
            <div class="search-filters" role="group" aria-label=s.filters>
                <label class="field">
                    <span>{s.channel}</span>
                    <select name="channel">
                        <option value="" selected=filters.channel.is_none()>{s.any_channel}</option>
                        {page.channels.iter().map(|c| view! {
                            <option value=c.id selected=filters.channel == Some(c.id)>"#"{c.name.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{s.when}</span>
                    <select name="period">
                        {Period::ALL.into_iter().map(|p| view! {
                            <option value=p.as_str() selected=filters.period == p>{s.period(p)}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
        </Form>
    }
}

/// The address of this search with something changed (the page starts again at 0).
fn address(page: &SearchPage, kind: KindFilter, person: Option<i64>, at: u32) -> String {
    let mut parts = vec![format!("q={}", encode(&page.words))];
    if kind != KindFilter::All {
        parts.push(format!("kind={}", kind.as_str()));
    }
    if let Some(channel) = page.filters.channel {
        parts.push(format!("channel={channel}"));
    }
    if let Some(person) = person {
        parts.push(format!("person={person}"));
    }
    if page.filters.period != Period::Any {
        parts.push(format!("period={}", page.filters.period.as_str()));
    }
    if at > 0 {
        parts.push(format!("page={at}"));
    }
    format!("/search?{}", parts.join("&"))
}

#[component]
fn Results(page: SearchPage) -> impl IntoView {
    let t = use_texts();
    let s = t.search;
    let lang = use_prefs().lang;
    if page.words.is_empty() {
        return ().into_any();
    }
    let person = page.filters.person.map(|p| p.0);
    let kind = page.filters.kind;
    let did_you_mean = page.did_you_mean.clone().map(|words| {
        let href = format!(
            "/search?q={}",
            encode(&words)
        );
        if page.showing_instead {
            view! {
                <p class="did-you-mean">{(s.showing_instead)(&page.words)}" "<a href=href>{words}</a></p>
            }
            .into_any()
        } else {
            view! { <p class="did-you-mean">{s.did_you_mean}" "<a href=href>{words}</a></p> }.into_any()
        }
    });
    // Each count stops at `COUNT_CAP`, and posts and comments are counted among their
    // newest matches: a tab that may hold more says "at least" that many.
    let tabs = page
        .counts
        .iter()
        .filter(|c| c.kind == KindFilter::All || c.kind == kind || c.count > 0)
        .map(|c| {
            let shown = if c.at_least {
                format!("{}+", format_number(lang, c.count))
            } else {
                format_number(lang, c.count)
            };
            let current = c.kind == kind;
            view! {
                <li>
                    <a href=address(&page, c.kind, person, 0) aria-current=current.then_some("page")>
                        {s.tab(c.kind)}" "<span class="count">{shown}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let chip = page.person.clone().map(|p| {
        view! {
            <p class="filter-chip">
                {(s.from_person)(&p.name)}" "
                <a href=address(&page, kind, None, 0) aria-label=s.remove_filter title=s.remove_filter>"×"</a>
            </p>
        }
    });
    let offset = page.utc_offset_minutes;
    let hits = page
        .hits
        .iter()
        .cloned()
        .map(|hit| {
            let only = (person.is_none() && hit.person.is_some())
                .then(|| address(&page, kind, hit.person.as_ref().map(|p| p.id.0), 0));
            view! { <Hit hit only offset/> }
        })
        .collect_view();
    let nothing = page.hits.is_empty();
    let previous = (page.page > 0).then(|| address(&page, kind, person, page.page - 1));
    let next = page
        .more
        .then(|| address(&page, kind, person, page.page + 1));
    view! {
        {did_you_mean}
        <nav class="search-tabs" aria-label=s.results><ul>{tabs}</ul></nav>
        {chip}
        {if nothing {
            view! { <p class="empty">{(t.search_nothing)(&page.words)}</p> }.into_any()
        } else {
            view! { <ol class="search-results">{hits}</ol> }.into_any()
        }}
        <nav class="pager">
            {previous.map(|href| view! { <a href=href rel="prev">{s.previous}</a> })}
            {next.map(|href| view! { <a href=href rel="next">{s.more}</a> })}
        </nav>
    }
    .into_any()
}

/// One result: what it is, its title, where and by whom, and the matched words.
#[component]
fn Hit(hit: SearchHit, only: Option<String>, offset: i32) -> impl IntoView {
    let s = use_texts().search;
    let title = if hit.title.is_empty() {
        s.kind(hit.kind).to_owned()
    } else {
        hit.title.clone()
    };
    view! {
        <li class="hit">
            <a class="hit-title" href=hit.href.clone()>{title}</a>
            <p class="hit-meta">
                <span class="badge">{s.kind(hit.kind)}</span>
                {hit.answered.then(|| view! { " " <span class="badge badge-good">"✓ "{s.answered}</span> })}
                {hit.verified.then(|| view! { " " <span class="badge badge-good">"✓ "{s.verified}</span> })}
                {hit.channel.clone().map(|c| view! { " · #"{c} })}
                {hit.person.clone().map(|p| view! { " · " <a href=format!("/people/{}", p.id)>{p.name}</a> })}
                " · " <Time unix_ms=hit.at utc_offset_minutes=offset/>
            </p>
            <p class="hit-snippet">
                {hit.snippet.into_iter().map(|f| if f.marked {
                    view! { <mark>{f.text}</mark> }.into_any()
                } else {
                    f.text.into_any()
                }).collect_view()}
            </p>
            {only.map(|href| view! { <a class="hit-only" href=href>{s.only_from}</a> })}
        </li>
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}
