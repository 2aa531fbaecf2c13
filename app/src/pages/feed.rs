//! The feeds: Home (my channels, announcements for me, mentions of me), Mentions,
//! Company (everything I may read), a tag's posts and one post. Newest first, one page
//! at a time; new posts announce themselves in a bar instead of moving what is being
//! read.

use crate::api::announcements::announcement_choices;
use crate::api::feed::{company_feed, home_feed, mentions_feed, post_view, tag_feed};
use crate::api::posts::postable_channels;
use crate::components::announce::AnnounceForm;
use crate::components::composer::Composer;
use crate::components::infinite::{more_posts, when_near, MorePosts};
use crate::components::live::on_live;
use crate::components::notice::{ErrorNotice, Loading};
use crate::components::post_card::{PostCardView, RefreshPosts, Time};
use crate::model::{FeedPage as Page, LiveEvent, LiveKind, PostCard, PostId, PostKind};
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
        </nav>
    }
}

/// The composers a feed page offers: a post in any channel one may post in, and for
/// admins a company announcement.
#[component]
fn Composers() -> impl IntoView {
    let channels = OnceResource::new(postable_channels());
    let choices = OnceResource::new(announcement_choices());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let composer = match channels.await {
                    Ok(list) if !list.is_empty() => Some(view! {
                        <Composer channels=list kinds=vec![PostKind::Update, PostKind::Question]/>
                    }),
                    _ => None,
                };
                let announce = match choices.await {
                    Ok(Some(options)) => Some(view! { <AnnounceForm options/> }),
                    _ => None,
                };
                view! { {composer} {announce} }
            })}
        </Suspense>
    }
}

/// "N new posts": counts the live events `counts` accepts and shows them on demand.
#[component]
fn NewPostsBar(counts: fn(&LiveEvent) -> bool, show: Callback<()>) -> impl IntoView {
    let t = use_texts();
    let waiting = RwSignal::new(0i64);
    on_live(move |event| {
        if event.kind == LiveKind::Post && counts(event) {
            waiting.update(|n| *n += 1);
        }
    });
    let click = move |_| {
        waiting.set(0);
        show.run(());
    };
    move || {
        (waiting.get() > 0).then(|| {
            view! {
                <button type="button" class="new-posts" data-testid="new-posts" on:click=click>
                    {(t.new_posts)(waiting.get())}
                </button>
            }
        })
    }
}

/// One feed page at `base`, read with `load`; `counts` says which new posts it shows.
#[component]
fn FeedView<F, Fut>(
    title: &'static str,
    intro: &'static str,
    base: &'static str,
    load: F,
    counts: fn(&LiveEvent) -> bool,
    #[prop(optional)] composers: bool,
) -> impl IntoView
where
    F: Fn(Option<String>) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Page, crate::error::AppError>> + Send + 'static,
{
    let query = use_query_map();
    let before = move || query.read().get("before");
    let feed = Resource::new(before, load);
    let more = more_posts(load);
    let refresh = Callback::new(move |_| feed.refetch());
    provide_context(RefreshPosts(refresh));
    view! {
        <Title text=title/>
        <section class="page feed" aria-labelledby="feed-heading">
            <h1 id="feed-heading">{title}</h1>
            <FeedTabs/>
            <p class="page-intro">{intro}</p>
            // Must-reads and pins come before the composer: they are what the reader
            // must not miss.
            <Transition>
                {move || Suspend::new(async move {
                    feed.await.ok().map(|page| view! { <PinnedPosts posts=page.pinned utc_offset_minutes=page.utc_offset_minutes/> })
                })}
            </Transition>
            {composers.then(|| view! { <Composers/> })}
            <NewPostsBar counts show=refresh/>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match feed.await {
                        Ok(page) => {
                            let page = Page { pinned: Vec::new(), ..page };
                            view! { <FeedList page is_first=before().is_none() base=base.to_owned() more/> }.into_any()
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
        <FeedView title=t.nav_home intro=t.home_intro base="/" load=home_feed counts=|e| e.home composers=true/>
    }
}

#[component]
pub fn CompanyPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <FeedView title=t.feed_title intro=t.feed_intro base="/company" load=company_feed counts=|_| true composers=true/>
    }
}

/// Posts mentioning me; a new mention (a notification) brings them in at once.
#[component]
pub fn MentionsPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let before = move || query.read().get("before");
    let feed = Resource::new(before, mentions_feed);
    let more = more_posts(mentions_feed);
    provide_context(RefreshPosts(Callback::new(move |_| feed.refetch())));
    on_live(move |event| {
        if event.kind == LiveKind::Notification {
            feed.refetch();
        }
    });
    view! {
        <Title text=t.mentions_title/>
        <section class="page feed" aria-labelledby="feed-heading">
            <h1 id="feed-heading">{t.mentions_title}</h1>
            <FeedTabs/>
            <p class="page-intro">{t.mentions_intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match feed.await {
                        Ok(page) if page.posts.is_empty() && before().is_none() => view! {
                            <p class="empty">{t.mentions_empty}</p>
                        }.into_any(),
                        Ok(page) => view! { <FeedList page is_first=before().is_none() base="/mentions".to_owned() more/> }.into_any(),
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
    let more = more_posts(move |before| tag_feed(untrack(args).0, before));
    provide_context(RefreshPosts(Callback::new(move |_| feed.refetch())));
    let heading = move || format!("#{}", args().0);
    view! {
        <Title text=heading/>
        <section class="page feed" aria-labelledby="feed-heading">
            <h1 id="feed-heading">{heading}</h1>
            <p class="page-intro">{t.tag_intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let (tag, before) = args();
                    match feed.await {
                        Ok(page) if page.posts.is_empty() && before.is_none() => view! {
                            <p class="empty">{t.tag_empty}</p>
                        }.into_any(),
                        Ok(page) => view! { <FeedList page is_first=before.is_none() base=format!("/tags/{tag}") more/> }.into_any(),
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
    provide_context(RefreshPosts(Callback::new(move |_| post.refetch())));
    view! {
        <Title text=t.post_title/>
        <section class="page feed">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match post.await {
                        Ok(page) => {
                            let offset = page.utc_offset_minutes;
                            page.posts.into_iter().map(|post| view! {
                                <PostCardView post utc_offset_minutes=offset/>
                            }).collect_view().into_any()
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
fn PinnedPosts(posts: Vec<PostCard>, utc_offset_minutes: i32) -> impl IntoView {
    let t = use_texts();
    (!posts.is_empty()).then(|| {
        view! {
            <section class="pinned" aria-label=t.pinned>
                {posts.into_iter().map(|post| view! {
                    <PostCardView post utc_offset_minutes pinned=true/>
                }).collect_view()}
            </section>
        }
    })
}

/// Pinned posts, a page of posts, and links to older and newest pages of `base`. With
/// `more`, older pages join the list as the reader scrolls near its end.
#[component]
pub fn FeedList(
    page: Page,
    is_first: bool,
    base: String,
    #[prop(optional)] more: Option<MorePosts>,
) -> impl IntoView {
    let t = use_texts();
    let offset = page.utc_offset_minutes;
    let empty = page.posts.is_empty() && page.pinned.is_empty();
    let unread = page.posts.iter().filter(|p| p.unread).count() as i64;
    let next = RwSignal::new(page.next);
    let older = RwSignal::new(Vec::<PostCard>::new());
    let pager = NodeRef::<leptos::html::Nav>::new();
    if let Some(more) = more {
        // Only answers to what this list asked for: a list made again (after "N new
        // posts") must not take in the page its predecessor fetched.
        let asked = StoredValue::new(None::<String>);
        Effect::new(move |_| {
            let Some(Ok(page)) = more.value().get() else {
                return;
            };
            if asked.get_value().is_some() {
                asked.set_value(None);
                older.update(|list| list.extend(page.posts));
                next.set(page.next);
            }
        });
        when_near(pager, move || {
            let Some(Some(cursor)) = next.try_get_untracked() else {
                return;
            };
            if asked.try_get_value() == Some(None) {
                let cursor = cursor.encode();
                asked.set_value(Some(cursor.clone()));
                more.dispatch(cursor);
            }
        });
    }
    let loading = move || more.is_some_and(|more| more.pending().get());
    let joiner = if base.contains('?') { '&' } else { '?' };
    let older_base = format!("{base}{joiner}before=");
    let older_href = move || {
        next.with(|cursor| {
            cursor
                .as_ref()
                .map(|cursor| format!("{older_base}{}", cursor.encode()))
                .unwrap_or_default()
        })
    };
    view! {
        <PinnedPosts posts=page.pinned utc_offset_minutes=offset/>
        {empty.then(|| view! { <p class="empty">{t.feed_empty}</p> })}
        {(unread > 0).then(|| view! { <p class="unread-since" data-testid="unread-since">{(t.unread_since)(unread)}</p> })}
        <div class="posts">
            {page.posts.into_iter().map(|post| view! {
                <PostCardView post utc_offset_minutes=offset/>
            }).collect_view()}
            <For each=move || older.get() key=|post| post.id let:post>
                <PostCardView post utc_offset_minutes=offset/>
            </For>
        </div>
        <nav class="pager" node_ref=pager>
            {move || loading().then(|| view! { <p class="loading" role="status">{t.loading_older}</p> })}
            {(!is_first).then(|| view! { <a href=base.clone()>{t.newest_posts}</a> })}
            // One link whose address follows the cursor: infinite scroll moves it on
            // without replacing the element, so a click never lands on a detached link.
            <Show when=move || next.with(Option::is_some)>
                <a href=older_href.clone() rel="next">{t.older_posts}</a>
            </Show>
        </nav>
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
