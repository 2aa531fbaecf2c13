use crate::api::feed::company_feed;
use crate::api::posts::postable_channels;
use crate::components::composer::Composer;
use crate::components::notice::{ErrorNotice, Loading};
use crate::components::post_card::{PostCardView, RefreshPosts};
use crate::i18n::use_texts;
use crate::model::FeedPage as Page;
use crate::model::PostKind;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The company feed: pinned posts, then everything newest first, one page at a time.
#[component]
pub fn FeedPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let before = move || query.read().get("before");
    let feed = Resource::new(before, company_feed);
    let channels = OnceResource::new(postable_channels());
    provide_context(RefreshPosts(Callback::new(move |_| feed.refetch())));
    view! {
        <Title text=t.feed_title/>
        <section class="page feed" aria-labelledby="feed-heading">
            <h1 id="feed-heading">{t.feed_title}</h1>
            <p class="page-intro">{t.feed_intro}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    match channels.await {
                        Ok(list) if !list.is_empty() => view! {
                            <Composer channels=list kinds=vec![PostKind::Update, PostKind::Question]/>
                        }.into_any(),
                        _ => ().into_any(),
                    }
                })}
            </Suspense>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match feed.await {
                        Ok(page) => view! { <FeedList page is_first=before().is_none() base="/".to_owned()/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Pinned posts, a page of posts, and links to older and newest pages of `base`.
#[component]
pub fn FeedList(page: Page, is_first: bool, base: String) -> impl IntoView {
    let t = use_texts();
    let offset = page.utc_offset_minutes;
    let empty = page.posts.is_empty() && page.pinned.is_empty();
    view! {
        {(!page.pinned.is_empty()).then(|| view! {
            <section class="pinned" aria-label=t.pinned>
                {page.pinned.into_iter().map(|post| view! {
                    <PostCardView post utc_offset_minutes=offset pinned=true/>
                }).collect_view()}
            </section>
        })}
        {empty.then(|| view! { <p class="empty">{t.feed_empty}</p> })}
        <div class="posts">
            {page.posts.into_iter().map(|post| view! {
                <PostCardView post utc_offset_minutes=offset/>
            }).collect_view()}
        </div>
        <nav class="pager">
            {(!is_first).then(|| view! { <a href=base.clone()>{t.newest_posts}</a> })}
            {page.next.map(|cursor| view! {
                <a href=format!("{base}?before={}", cursor.encode()) rel="next">{t.older_posts}</a>
            })}
        </nav>
    }
    .into_any()
}
