//! Questions: those routed to the reader ("For you": their profile says they know the
//! topic), those without an accepted answer everywhere they may read ("Unanswered"),
//! and one channel's unanswered questions. Newest first, one page at a time, as cards.

use crate::api::questions::{channel_questions, open_questions, questions_for_you};
use crate::components::notice::{ErrorNotice, Loading};
use crate::islands::lists::NewItems;
use crate::pages::feed::FeedList;
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// For you, Unanswered.
#[component]
fn QuestionTabs() -> impl IntoView {
    let t = use_texts();
    view! {
        <nav class="tabs" aria-label=t.qa.questions_title>
            <leptos_router::components::A href="/questions" exact=true>{t.qa.for_you_tab}</leptos_router::components::A>
            <leptos_router::components::A href="/questions/open">{t.qa.open_tab}</leptos_router::components::A>
        </nav>
    }
}

/// Questions routed to the reader that are still open.
#[component]
pub fn QuestionsForYouPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let before = move || query.read().get("before");
    let list = Resource::new(before, questions_for_you);
    view! {
        <Title text=t.qa.questions_title/>
        <section class="page feed questions" aria-labelledby="questions-heading">
            <h1 id="questions-heading">{t.qa.questions_title}</h1>
            <QuestionTabs/>
            <p class="page-intro">{t.qa.for_you_intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(page) => view! {
                            <FeedList page is_first=before().is_none() base="/questions".to_owned()
                                new_items=NewItems::None empty_text=t.qa.for_you_empty/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Questions without an accepted answer in every channel the reader may read.
#[component]
pub fn OpenQuestionsPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let before = move || query.read().get("before");
    let list = Resource::new(before, open_questions);
    view! {
        <Title text=t.qa.open_tab/>
        <section class="page feed questions" aria-labelledby="questions-heading">
            <h1 id="questions-heading">{t.qa.questions_title}</h1>
            <QuestionTabs/>
            <p class="page-intro">{t.qa.open_intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(page) => view! {
                            <FeedList page is_first=before().is_none() base="/questions/open".to_owned()
                                new_items=NewItems::None empty_text=t.qa.open_empty/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// One channel's questions without an accepted answer.
#[component]
pub fn ChannelQuestionsPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let query = use_query_map();
    let args = move || {
        (
            params.read().get("slug").unwrap_or_default(),
            query.read().get("before"),
        )
    };
    let list = Resource::new(args, |(slug, before)| channel_questions(slug, before));
    view! {
        <section class="page feed questions">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let (slug, before) = args();
                    match list.await {
                        Ok((name, page)) => view! {
                            <Title text=format!("{} · #{name}", t.qa.channel_open_link)/>
                            <h1>{t.qa.channel_open_link}</h1>
                            <p class="page-intro">
                                {(t.qa.channel_open_intro)(&name)}" "
                                <a href=format!("/channels/{slug}")>"#"{name.clone()}</a>
                            </p>
                            <FeedList page is_first=before.is_none() base=format!("/channels/{slug}/questions")
                                new_items=NewItems::None empty_text=t.qa.channel_open_empty/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
