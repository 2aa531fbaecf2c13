use crate::api::directory::weekly_overview;
use crate::components::notice::{ErrorNotice, Loading};
use crate::i18n::{format_number, use_texts};
use crate::prefs::use_prefs;
use leptos::prelude::*;
use leptos_meta::Title;

/// Headline figures for the last week; the full adoption dashboard grows from here.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_prefs().lang;
    let overview = OnceResource::new(weekly_overview());
    view! {
        <Title text=t.dashboard_title/>
        <section class="page" aria-labelledby="dashboard-heading">
            <h1 id="dashboard-heading">{t.dashboard_title}</h1>
            <p class="page-intro">{t.dashboard_intro}</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(o) => view! {
                            <dl class="stats">
                                {[
                                    (t.stat_people, o.active_people),
                                    (t.stat_posts_week, o.posts),
                                    (t.stat_comments_week, o.comments),
                                    (t.stat_reactions_week, o.reactions),
                                    (t.stat_channels, o.channels),
                                ].into_iter().map(|(label, value)| view! {
                                    <div class="stat"><dt>{label}</dt><dd>{format_number(lang, value)}</dd></div>
                                }).collect_view()}
                            </dl>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
