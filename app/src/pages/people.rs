use crate::api::directory::{people_directory, MAX_SEARCH};
use crate::components::notice::{ErrorNotice, Loading};
use crate::components::post_card::Avatar;
use crate::model::Directory;
use crate::policy::{allows, Action};
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// The directory: everyone active, searchable without diacritics, filterable by department.
/// The search is a plain GET form, so it works the same without JavaScript.
#[component]
pub fn PeoplePage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        (
            q.get("q").unwrap_or_default(),
            q.get("department").unwrap_or_default(),
            q.get("status").unwrap_or_default(),
        )
    };
    let directory = Resource::new(params, |(text, department, status)| {
        people_directory(Some(text), Some(department), Some(status))
    });
    let session = expect_context::<crate::components::session::SessionResource>();
    let may_list_deactivated = move || {
        session
            .get()
            .and_then(Result::ok)
            .and_then(|s| s.viewer)
            .is_some_and(|v| allows(Some(&v), Action::ListDeactivated))
    };
    view! {
        <Title text=t.people_title/>
        <section class="page" aria-labelledby="people-heading">
            <h1 id="people-heading">{t.people_title}</h1>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let (text, department, status) = params();
                    let deactivated = status == "deactivated";
                    match directory.await {
                        Ok(found) => view! {
                            <DirectoryView found text department deactivated/>
                            {may_list_deactivated().then(|| if deactivated {
                                view! { <p><a href="/people">{t.show_active}</a></p> }.into_any()
                            } else {
                                view! { <p><a href="/people?status=deactivated">{t.show_deactivated}</a></p> }.into_any()
                            })}
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn DirectoryView(
    found: Directory,
    text: String,
    department: String,
    deactivated: bool,
) -> impl IntoView {
    let t = use_texts();
    let count = found.people.len() as i64;
    view! {
        <Form method="GET" action="" attr:class="search-bar" attr:role="search">
            <label class="field">
                <span class="visually-hidden">{t.search_people}</span>
                <input type="search" name="q" value=text placeholder=t.search_placeholder
                    maxlength=MAX_SEARCH.to_string() aria-label=t.search_people/>
            </label>
            <label class="field">
                <span class="visually-hidden">{t.department_label}</span>
                <select name="department" aria-label=t.department_label>
                    <option value="">{t.all_departments}</option>
                    {found.departments.into_iter().map(|d| {
                        let selected = d.id.to_string() == department;
                        view! { <option value=d.id.to_string() selected=selected>{d.name}</option> }
                    }).collect_view()}
                </select>
            </label>
            {deactivated.then(|| view! { <input type="hidden" name="status" value="deactivated"/> })}
            <button type="submit">{t.search_button}</button>
        </Form>
        <p class="page-intro" aria-live="polite">
            {if count == 0 { t.nobody_matches.to_owned() } else { (t.people_matching)(count) }}
        </p>
        <ul class="people-grid">
            {found.people.into_iter().map(|p| view! {
                <li class="card person">
                    <Avatar person=p.person.clone()/>
                    <div>
                        <h2><a href=format!("/people/{}", p.person.id)>{p.person.name}</a></h2>
                        <p>{p.person.job_title}</p>
                        <p class="card-meta">
                            {p.department.unwrap_or_else(|| t.no_department.to_owned())}
                            {(!p.location.is_empty()).then(|| format!(" · {}", p.location))}
                        </p>
                    </div>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
