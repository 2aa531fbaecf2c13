//! The feeds: Home (my channels, announcements for me, mentions of me), Mentions,
//! Company (everything I may read), a tag's posts and one post. Newest first, one page
//! at a time; new posts announce themselves in a bar instead of moving what is being
//! read.

use crate::api::announcements::announcement_choices;
use crate::api::feed::{company_feed, home_feed, mentions_feed, post_view, tag_feed};
use crate::api::posts::postable_channels;
use crate::components::announce::AnnounceForm;
use crate::components::composer::Composer;
use crate::components::notice::{ErrorNotice, Loading};
use crate::components::post_card::{PostActionErrors, PostCardView, Time};
use crate::islands::lists::{ListInPlace, NewItems};
use crate::model::{FeedPage as Page, PostCard, PostId, PostKind};
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Home, Mentions, Company.
#[component]
fn FeedTabs() -> impl IntoView {
    let t = use_texts();
    view! {
        <nav class="tabs" aria-label=t.feed_tabs>
            <leptos_router::components::A href="/" exact=true>{t.nav_home}</leptos_router::components::A>
            <leptos_router::components::A href="/mentions">{t.mentions_title}</leptos_router::components::A>
            <leptos_router::components::A href="/company">{t.tab_company}</leptos_router::components::A>
            <leptos_router::components::A href="/questions">{t.qa.questions_title}</leptos_router::components::A>
        </nav>
    }
}

/// The composers a feed page offers: a post in any channel one may post in, and for
/// admins a company announcement.
#[component]
fn Composers() -> impl IntoView {
    let channels = OnceResource::new(postable_channels());
    let choices = OnceResource::new(announcement_choices());
    let back = crate::components::session::current_path();
    view! {
        <Suspense>
            {move || Suspend::new({
                let back = back.clone();
                async move {
                let composer = match channels.await {
                    Ok(list) if !list.is_empty() => Some(view! {
                        <Composer channels=list kinds=vec![PostKind::Update, PostKind::Question] back/>
                    }),
                    _ => None,
                };
                let announce = match choices.await {
                    Ok(Some(options)) => Some(view! { <AnnounceForm options/> }),
                    _ => None,
                };
                view! { {composer} {announce} }
            }})}
        </Suspense>
    }
}

/// One feed page at `base`, read with `load`; `new_items` says which new posts it counts.
#[component]
fn FeedView<F, Fut>(
    title: &'static str,
    intro: &'static str,
    base: &'static str,
    load: F,
    new_items: NewItems,
    #[prop(optional)] composers: bool,
) -> impl IntoView
where
    F: Fn(Option<String>) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Page, crate::error::AppError>> + Send + 'static,
{
    let query = use_query_map();
    let before = move || query.read().get("before");
    let feed = Resource::new(before, load);
    view! {
        <Title text=title/>
        <section class="page feed" aria-labelledby="feed-heading">
            <h1 id="feed-heading">{title}</h1>
            <FeedTabs/>
            <p class="page-intro">{intro}</p>
            // Must-reads and pins come before the composer: they are what the reader
            // must not miss. Always there (perhaps empty), so that a refreshed list can
            // fill it.
            <Transition>
                {move || Suspend::new(async move {
                    feed.await.ok().map(|page| view! {
                        <section class="pinned" aria-label=use_texts().pinned data-part="pinned">
                            <PinnedCards posts=page.pinned utc_offset_minutes=page.utc_offset_minutes/>
                        </section>
                    })
                })}
            </Transition>
            {composers.then(|| view! { <Composers/> })}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match feed.await {
                        Ok(page) => {
                            let page = Page { pinned: Vec::new(), ..page };
                            view! { <FeedList page is_first=before().is_none() base=base.to_owned() new_items/> }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_texts();
    view! {
        <crate::pages::journeys::FirstWeeks/>
        <FeedView title=t.nav_home intro=t.home_intro base="/" load=home_feed new_items=NewItems::Home composers=true/>
    }
}

#[component]
pub fn CompanyPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <FeedView title=t.feed_title intro=t.feed_intro base="/company" load=company_feed new_items=NewItems::Posts composers=true/>
    }
}

/// Posts mentioning me; a new mention (a notification) brings them in at once.
#[component]
pub fn MentionsPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let before = move || query.read().get("before");
    let feed = Resource::new(before, mentions_feed);
    view! {
        <Title text=t.mentions_title/>
        <section class="page feed" aria-labelledby="feed-heading">
            <h1 id="feed-heading">{t.mentions_title}</h1>
            <FeedTabs/>
            <p class="page-intro">{t.mentions_intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match feed.await {
                        Ok(page) => view! {
                            <FeedList page is_first=before().is_none() base="/mentions".to_owned()
                                new_items=NewItems::Notifications empty_text=t.mentions_empty/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn TagPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let query = use_query_map();
    let args = move || {
        (
            params.read().get("tag").unwrap_or_default(),
            query.read().get("before"),
        )
    };
    let feed = Resource::new(args, |(tag, before)| tag_feed(tag, before));
    // A plain string, not a closure over the route's parameters: the page title is
    // written into the head after the body has rendered, when the route's reactive
    // values may already be disposed (a 500, "already disposed", seen under load).
    let heading = format!("#{}", untrack(args).0);
    view! {
        <Title text=heading.clone()/>
        <section class="page feed" aria-labelledby="feed-heading">
            <h1 id="feed-heading">{heading}</h1>
            <p class="page-intro">{t.tag_intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let (tag, before) = args();
                    match feed.await {
                        Ok(page) => view! {
                            <FeedList page is_first=before.is_none() base=format!("/tags/{tag}")
                                new_items=NewItems::None empty_text=t.tag_empty/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// One post on its own page (where notifications lead). Opening it counts as seeing it.
#[component]
pub fn PostPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<PostId>().ok())
    };
    let post = Resource::new(id, |id| async move {
        match id {
            Some(id) => post_view(id, true).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    view! {
        <Title text=t.post_title/>
        <section class="page feed">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match post.await {
                        Ok(page) => {
                            let offset = page.utc_offset_minutes;
                            view! {
                                <PostActionErrors/>
                                {page.posts.into_iter().map(|post| view! {
                                    <PostCardView post utc_offset_minutes=offset thread=true/>
                                }).collect_view()}
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Pinned posts (or must-read announcements), in their order.
#[component]
fn PinnedCards(posts: Vec<PostCard>, utc_offset_minutes: i32) -> impl IntoView {
    posts
        .into_iter()
        .map(|post| view! { <PostCardView post utc_offset_minutes pinned=true/> })
        .collect_view()
}

/// Pinned posts, a page of posts, and links to older and newest pages of `base`: all
/// rendered on the server. The island before it ([`ListInPlace`]) takes older pages into
/// the list as the reader scrolls near its end, and says when `new_items` arrived.
#[component]
pub fn FeedList(
    page: Page,
    is_first: bool,
    base: String,
    new_items: NewItems,
    /// What an empty first page says.
    #[prop(optional)]
    empty_text: Option<&'static str>,
) -> impl IntoView {
    let t = use_texts();
    let offset = page.utc_offset_minutes;
    let empty = page.posts.is_empty() && page.pinned.is_empty();
    let unread = page.posts.iter().filter(|p| p.unread).count() as i64;
    let joiner = if base.contains('?') { '&' } else { '?' };
    let older = page
        .next
        .map(|cursor| format!("{base}{joiner}before={}", cursor.encode()));
    view! {
        <ListInPlace new_items/>
        <PostActionErrors/>
        <div class="feed-list" data-part="list">
            {(!page.pinned.is_empty()).then(|| view! {
                <section class="pinned" aria-label=t.pinned>
                    <PinnedCards posts=page.pinned utc_offset_minutes=offset/>
                </section>
            })}
            {empty.then(|| view! { <p class="empty">{empty_text.unwrap_or(t.feed_empty)}</p> })}
            {(unread > 0).then(|| view! { <p class="unread-since" data-testid="unread-since">{(t.unread_since)(unread)}</p> })}
            <div class="posts">
                {page.posts.into_iter().map(|post| view! {
                    <PostCardView post utc_offset_minutes=offset/>
                }).collect_view()}
            </div>
            <nav class="pager">
                <p class="loading" role="status" hidden>{t.loading_older}</p>
                {(!is_first).then(|| view! { <a href=base.clone()>{t.newest_posts}</a> })}
                {older.map(|href| view! { <a href=href rel="next">{t.older_posts}</a> })}
            </nav>
        </div>
    }
    .into_any()
}

/// What a post said before each edit, for channel and company admins.
#[component]
pub fn PostHistoryPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<PostId>().ok())
    };
    let versions = Resource::new(id, |id| async move {
        match id {
            Some(id) => crate::api::posts::post_history(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    view! {
        <Title text=t.history_link/>
        <section class="page" aria-labelledby="history-heading">
            <h1 id="history-heading">{t.history_link}</h1>
            <p class="page-intro">{t.history_intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match versions.await {
                        Ok(history) if history.versions.is_empty() => view! { <p class="empty">{t.history_empty}</p> }.into_any(),
                        Ok(history) => view! {
                            <ol class="card-list versions">
                                {history.versions.into_iter().map(|v| view! {
                                    <li class="card version">
                                        <p class="card-meta">
                                            <Time unix_ms=v.replaced_at utc_offset_minutes=history.utc_offset_minutes/>
                                            {v.replaced_by.map(|p| view! { " · "{(t.replaced_by)(&p.name)} })}
                                        </p>
                                        <div class="post-body" inner_html=v.body_html></div>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
