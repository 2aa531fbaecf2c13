//! Search: posts and channels containing some words, typed with or without Vietnamese
//! diacritics. A plain GET form, so it works the same without JavaScript.

use crate::api::search::{search, MAX_SEARCH};
use crate::components::notice::{ErrorNotice, Loading};
use crate::islands::lists::NewItems;
use crate::model::SearchPage;
use crate::pages::channels::kind_name;
use crate::pages::feed::FeedList;
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SearchPageView() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (q.get("q").unwrap_or_default(), q.get("before"))
    };
    let found = Resource::new(args, |(q, before)| search(q, before));
    view! {
        <Title text=t.search_title/>
        <section class="page feed" aria-labelledby="search-heading">
            <h1 id="search-heading">{t.search_title}</h1>
            <Form method="GET" action="" attr:class="search-bar" attr:role="search">
                <label class="field">
                    <span class="visually-hidden">{t.search_everything}</span>
                    <input type="search" name="q" value=move || args().0 maxlength=MAX_SEARCH.to_string()
                        aria-label=t.search_everything placeholder=t.search_everything_placeholder/>
                </label>
                <button type="submit" class="primary">{t.search_button}</button>
            </Form>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let is_first = args().1.is_none();
                    match found.await {
                        Ok(page) => view! { <Results page is_first/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Results(page: SearchPage, is_first: bool) -> impl IntoView {
    let t = use_texts();
    let Some(feed) = page.feed else {
        return ().into_any();
    };
    let nothing = feed.posts.is_empty() && page.channels.is_empty() && is_first;
    let base = format!("/search?q={}", urlencoding(&page.words));
    view! {
        {(!page.channels.is_empty()).then(|| view! {
            <section aria-labelledby="found-channels">
                <h2 id="found-channels">{t.nav_channels}</h2>
                <ul class="card-list found-channels">
                    {page.channels.into_iter().map(|listing| view! {
                        <li class="card channel">
                            <a href=format!("/channels/{}", listing.channel.slug)>"#"{listing.channel.name}</a>
                            " · "<span class="card-meta">{kind_name(t, listing.channel.kind)}</span>
                            {listing.standing.archived.then(|| view! { " · " <span class="badge">{t.archived_badge}</span> })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {if nothing {
            view! { <p class="empty">{(t.search_nothing)(&page.words)}</p> }.into_any()
        } else {
            view! {
                <section aria-labelledby="found-posts">
                    <h2 id="found-posts">{t.profile_posts}</h2>
                    <FeedList page=feed is_first base new_items=NewItems::None/>
                </section>
            }.into_any()
        }}
    }
    .into_any()
}

/// Percent-encodes a query value (everything but unreserved characters).
fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
