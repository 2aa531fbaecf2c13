use crate::api::directory::list_people;
use crate::components::notice::{ErrorNotice, Loading};
use crate::components::post_card::Avatar;
use crate::i18n::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PeoplePage() -> impl IntoView {
    let t = use_texts();
    let people = OnceResource::new(list_people());
    view! {
        <Title text=t.people_title/>
        <section class="page" aria-labelledby="people-heading">
            <h1 id="people-heading">{t.people_title}</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match people.await {
                        Ok(list) => view! {
                            <p class="page-intro">{(t.people_intro)(list.len() as i64)}</p>
                            <ul class="people-grid">
                                {list.into_iter().map(|p| view! {
                                    <li class="card person">
                                        <Avatar person=p.person.clone()/>
                                        <div>
                                            <h2>{p.person.name}</h2>
                                            <p>{p.person.job_title}</p>
                                            <p class="card-meta">
                                                {p.department.unwrap_or_else(|| t.no_department.to_owned())}
                                                {(!p.location.is_empty()).then(|| format!(" · {}", p.location))}
                                            </p>
                                        </div>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
