//! Onboarding journeys: the list HR and department leaders keep (`/journeys`), one
//! journey's editor (`/journeys/:id`), the new hire's own checklist (`/journey`) and a
//! person's journeys for those who look after them (`/people/:id/journey`).

use crate::api::journeys::{
    journeys_overview, load_journey_editor, load_person_journeys, my_journeys, AddJourneyStep,
    AssignJourney, CreateJourney, DeleteJourney, RemoveJourneyStep, SaveJourney, TickStep,
    UnassignJourney,
};
use crate::components::notice::{ErrorNotice, FormError, Loading};
use crate::i18n::{format_date, local_date, Texts};
use crate::model::journeys::{
    JourneyId, JourneyProgress, JourneySummary, PersonJourneys, StepChoices, StepKind, StepTarget,
    StepView,
};
use crate::model::{DepartmentRef, PersonId, Role};
use crate::pages::accounts::role_name;
use crate::prefs::{use_prefs, use_texts};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// A date in the reader's language, at the company's offset.
fn day(unix_ms: i64, utc_offset_minutes: i32) -> String {
    format_date(use_prefs().lang, &local_date(unix_ms, utc_offset_minutes))
}

fn kind_label(t: &Texts, kind: StepKind) -> &'static str {
    match kind {
        StepKind::Page => t.journeys.kind_page,
        StepKind::Channel => t.journeys.kind_channel,
        StepKind::Person => t.journeys.kind_person,
        StepKind::Task => t.journeys.kind_task,
    }
}

/// Who a journey is for, in words.
fn audience(t: &Texts, journey: &JourneySummary) -> String {
    let place = match &journey.department {
        Some(d) => (t.journeys.department)(&d.name),
        None => t.journeys.company_wide.to_string(),
    };
    let rule = if journey.assign_on_join {
        let who = journey
            .join_role
            .map(|r| role_name(t, r))
            .unwrap_or(t.journeys.everyone);
        (t.journeys.given_on_join)(who)
    } else {
        t.journeys.given_by_hand.to_string()
    };
    format!("{place} · {rule}")
}

/// What a step points at: a link where the reader may follow it, nothing where not.
#[component]
fn StepWhat(step: StepView) -> impl IntoView {
    let t = use_texts();
    let note = (!step.note.is_empty())
        .then(|| view! { <span class="hint step-note">" — "{step.note.clone()}</span> });
    let what = match step.target {
        StepTarget::Page { id, title } => {
            view! { <a href=format!("/pages/{id}")>{title}</a> }.into_any()
        }
        StepTarget::Channel { slug, name } => {
            view! { <a href=format!("/channels/{slug}")>{"#"}{name}</a> }.into_any()
        }
        StepTarget::Person(p) => {
            view! { <a href=format!("/people/{}", p.id)>{p.name}</a> }.into_any()
        }
        StepTarget::Task => view! { <span>{step.note.clone()}</span> }.into_any(),
        StepTarget::Hidden => {
            view! { <span class="hint">{t.journeys.hidden_step}</span> }.into_any()
        }
    };
    let note = (step.kind != StepKind::Task).then_some(note);
    view! {
        <span class="step-kind">{kind_label(t, step.kind)}</span>": "{what}{note}
    }
}

/// Name, description, department and rule: the fields a new journey and its settings share.
#[component]
fn JourneyFields(
    departments: Vec<DepartmentRef>,
    may_company: bool,
    #[prop(optional)] journey: Option<JourneySummary>,
) -> impl IntoView {
    let t = use_texts();
    let chosen = journey
        .as_ref()
        .and_then(|j| j.department.as_ref().map(|d| d.id));
    let rule = journey.as_ref().and_then(|j| j.join_role);
    let on_join = journey.as_ref().is_none_or(|j| j.assign_on_join);
    view! {
        <label>{t.journeys.field_name}
            <input name="name" required maxlength="100" value=journey.as_ref().map(|j| j.name.clone())/>
        </label>
        <label>{t.journeys.field_description}
            <textarea name="description" maxlength="1000" rows="3">{journey.as_ref().map(|j| j.description.clone())}</textarea>
        </label>
        <label>{t.department_label}
            <select name="department">
                {may_company.then(|| view! { <option value="" selected=chosen.is_none()>{t.journeys.company_wide}</option> })}
                {departments.into_iter().map(|d| view! {
                    <option value=d.id.to_string() selected=chosen == Some(d.id)>{d.name}</option>
                }).collect_view()}
            </select>
        </label>
        <label class="checkbox">
            <input type="checkbox" name="assign_on_join" value="on" checked=on_join/>
            {t.journeys.field_assign_on_join}
        </label>
        <label>{t.journeys.field_join_rule}
            <select name="join_role">
                <option value="" selected=rule.is_none()>{t.journeys.everyone}</option>
                {[Role::Member, Role::Admin].into_iter().map(|r| view! {
                    <option value=r.as_str() selected=rule == Some(r)>{role_name(t, r)}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn JourneysPage() -> impl IntoView {
    let t = use_texts();
    let create = ServerAction::<CreateJourney>::new();
    let home = Resource::new(move || create.version().get(), |_| journeys_overview());
    view! {
        <Title text=t.journeys.title/>
        <section class="page journeys" aria-labelledby="journeys-heading">
            <h1 id="journeys-heading">{t.journeys.title}</h1>
            <p class="page-intro">{t.journeys.intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match home.await {
                        Ok(home) => view! {
                            {if home.journeys.is_empty() {
                                view! { <p class="empty">{t.journeys.empty}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="journey-list">
                                        {home.journeys.into_iter().map(|j| view! {
                                            <li class="card journey-line" data-journey=j.id.to_string()>
                                                <a href=format!("/journeys/{}", j.id)><strong>{j.name.clone()}</strong></a>
                                                <p class="hint">{audience(t, &j)}</p>
                                                <p class="card-meta">{(t.journeys.steps_count)(j.steps)}" · "{(t.journeys.people_count)(j.people)}</p>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            {(home.may_company || !home.departments.is_empty()).then(|| view! {
                                <section class="card" aria-labelledby="new-journey-heading">
                                    <h2 id="new-journey-heading">{t.journeys.new_journey}</h2>
                                    <ActionForm action=create attr:class="new-journey stack-form">
                                        <JourneyFields departments=home.departments.clone() may_company=home.may_company/>
                                        <FormError action=create/>
                                        <button type="submit" class="primary">{t.journeys.create}</button>
                                    </ActionForm>
                                </section>
                            })}
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The four add-step forms, one per kind, each offering only what the editor may point at.
#[component]
fn AddStepForms(
    journey: JourneyId,
    choices: StepChoices,
    action: ServerAction<AddJourneyStep>,
) -> impl IntoView {
    let t = use_texts();
    let day_field = move || {
        view! {
            <label>{t.journeys.field_day}
                <input type="number" name="day" min="1" max="90" value="1" required/>
            </label>
        }
    };
    let note_field = move || {
        view! {
            <label>{t.journeys.field_note}<input name="note" maxlength="200"/></label>
        }
    };
    let form = move |kind: StepKind, title: &'static str, target: AnyView, note: AnyView| {
        view! {
            <ActionForm action attr:class=format!("add-step add-step-{} inline-form", kind.as_str())>
                <fieldset>
                    <legend>{title}</legend>
                    <input type="hidden" name="journey" value=journey.to_string()/>
                    <input type="hidden" name="kind" value=kind.as_str()/>
                    {day_field()}{target}{note}
                    <button type="submit">{t.journeys.add}</button>
                </fieldset>
            </ActionForm>
        }
    };
    let select = move |options: Vec<(String, String)>| {
        if options.is_empty() {
            view! { <p class="hint">{t.journeys.nothing_to_add}</p> }.into_any()
        } else {
            view! {
                <label>{t.journeys.field_target}
                    <select name="target" required>
                        {options.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                    </select>
                </label>
            }
            .into_any()
        }
    };
    let pages = choices
        .pages
        .into_iter()
        .map(|(id, title)| (id.to_string(), title))
        .collect();
    let channels = choices
        .channels
        .into_iter()
        .map(|(slug, name)| (slug, format!("#{name}")))
        .collect();
    let people = choices
        .people
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    view! {
        <section class="card add-steps" aria-labelledby="add-step-heading">
            <h2 id="add-step-heading">{t.journeys.add_step}</h2>
            <FormError action/>
            {form(StepKind::Page, t.journeys.add_page, select(pages), note_field().into_any())}
            {form(StepKind::Channel, t.journeys.add_channel, select(channels), note_field().into_any())}
            {form(StepKind::Person, t.journeys.add_person, select(people), note_field().into_any())}
            {form(StepKind::Task, t.journeys.add_task, ().into_any(), view! {
                <label>{t.journeys.field_task}<input name="note" maxlength="200" required/></label>
            }.into_any())}
        </section>
    }
}

#[component]
pub fn JourneyEditorPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<JourneyId>().ok())
    };
    let save = ServerAction::<SaveJourney>::new();
    let delete = ServerAction::<DeleteJourney>::new();
    let add = ServerAction::<AddJourneyStep>::new();
    let remove = ServerAction::<RemoveJourneyStep>::new();
    let editor = Resource::new(
        move || {
            (
                id(),
                save.version().get(),
                add.version().get(),
                remove.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => load_journey_editor(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    // With JavaScript the deleted journey's page goes back to the list.
    Effect::new(move || {
        if matches!(delete.value().get(), Some(Ok(()))) {
            let navigate = leptos_router::hooks::use_navigate();
            navigate("/journeys", Default::default());
        }
    });
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match editor.await {
                    Ok(editor) => {
                        let journey = editor.journey.clone();
                        let offset = editor.utc_offset_minutes;
                        let may_edit = journey.may_edit;
                        let settings = journey.clone();
                        let journey_id = journey.id;
                        view! {
                            <Title text=journey.name.clone()/>
                            <section class="page journey-editor" aria-labelledby="journey-heading" data-journey=journey.id.to_string()>
                                <p><a href="/journeys">{t.journeys.back}</a></p>
                                <h1 id="journey-heading">{journey.name.clone()}</h1>
                                <p class="hint">{audience(t, &journey)}</p>
                                {(!journey.description.is_empty()).then(|| view! { <p>{journey.description.clone()}</p> })}
                                <section class="card" aria-labelledby="steps-heading">
                                    <h2 id="steps-heading">{t.journeys.steps_title}</h2>
                                    <FormError action=remove/>
                                    {if editor.steps.is_empty() {
                                        view! { <p class="empty">{t.journeys.no_steps}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ol class="journey-steps">
                                                {editor.steps.into_iter().map(|step| {
                                                    let step_id = step.id;
                                                    view! {
                                                        <li class="journey-step" data-step=step_id.to_string()>
                                                            <span class="step-day">{(t.journeys.day)(step.day)}</span>" "
                                                            <StepWhat step/>
                                                            {may_edit.then(|| view! {
                                                                <ActionForm action=remove attr:class="inline-form remove-step">
                                                                    <input type="hidden" name="step" value=step_id.to_string()/>
                                                                    <button type="submit" class="link">{t.journeys.remove_step}</button>
                                                                </ActionForm>
                                                            })}
                                                        </li>
                                                    }
                                                }).collect_view()}
                                            </ol>
                                        }.into_any()
                                    }}
                                </section>
                                {may_edit.then(|| view! {
                                    <AddStepForms journey=journey.id choices=editor.choices.clone() action=add/>
                                })}
                                <section class="card" aria-labelledby="travellers-heading">
                                    <h2 id="travellers-heading">{t.journeys.travellers_title}</h2>
                                    {if editor.travellers.is_empty() {
                                        view! { <p class="empty">{t.journeys.no_travellers}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="travellers">
                                                {editor.travellers.into_iter().map(|tr| view! {
                                                    <li>
                                                        <a href=format!("/people/{}/journey", tr.person.id)>{tr.person.name.clone()}</a>" "
                                                        <progress max=tr.total.max(1) value=tr.done></progress>" "
                                                        <span class="hint">{(t.journeys.progress)(tr.done, tr.total)}" · "{(t.journeys.started)(&day(tr.started_at, offset))}</span>
                                                    </li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </section>
                                {may_edit.then(move || view! {
                                    <section class="card" aria-labelledby="settings-heading">
                                        <h2 id="settings-heading">{t.journeys.settings}</h2>
                                        <ActionForm action=save attr:class="journey-settings stack-form">
                                            <input type="hidden" name="id" value=journey_id/>
                                            <JourneyFields departments=editor.departments may_company=editor.may_company journey=settings.clone()/>
                                            <FormError action=save/>
                                            <button type="submit" class="primary">{t.journeys.save}</button>
                                        </ActionForm>
                                        <ActionForm action=delete attr:class="inline-form delete-journey">
                                            <input type="hidden" name="id" value=journey_id/>
                                            <FormError action=delete/>
                                            <button type="submit" class="danger">{t.journeys.delete}</button>
                                        </ActionForm>
                                    </section>
                                })}
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! { <section class="page"><ErrorNotice error/></section> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One journey with its progress and steps; the traveller ticks them off.
#[component]
pub fn JourneyProgressCard(
    journey: JourneyProgress,
    mine: bool,
    utc_offset_minutes: i32,
    tick: ServerAction<TickStep>,
    /// Only the next undone steps (the home page's panel).
    #[prop(optional)]
    next_only: bool,
) -> impl IntoView {
    let t = use_texts();
    let steps: Vec<StepView> = if next_only {
        journey
            .steps
            .iter()
            .filter(|s| !s.done)
            .take(crate::model::journeys::NEXT_STEPS)
            .cloned()
            .collect()
    } else {
        journey.steps.clone()
    };
    let back = if next_only { "/" } else { "/journey" };
    view! {
        <section class="card journey-progress" data-journey=journey.id.to_string()>
            <h2>{journey.name.clone()}</h2>
            <p>
                <progress max=journey.total.max(1) value=journey.done></progress>" "
                <span class="journey-count">{(t.journeys.progress)(journey.done, journey.total)}</span>
            </p>
            <p class="hint">
                {(t.journeys.started)(&day(journey.started_at, utc_offset_minutes))}" · "{(t.journeys.today_is)(journey.today)}
                {journey.assigned_by.as_ref().map(|p| format!(" · {}", (t.journeys.assigned_by)(&p.name)))}
            </p>
            {(!next_only && !journey.description.is_empty()).then(|| view! { <p>{journey.description.clone()}</p> })}
            {journey.complete().then(|| view! { <p class="notice notice-ok" role="status">{t.journeys.complete}</p> })}
            <ol class="journey-steps">
                {steps.into_iter().map(|step| {
                    let (id, done, kind, due) = (step.id, step.done, step.kind, step.day <= journey.today);
                    let class = format!("journey-step{}{}", if done { " done" } else { "" }, if due && !done { " due" } else { "" });
                    view! {
                        <li class=class data-step=id.to_string()>
                            <span class="step-day">{(t.journeys.day)(step.day)}</span>" "
                            <StepWhat step/>
                            {done.then(|| view! { " "<span class="badge">{t.journeys.done}</span> })}
                            {mine.then(|| {
                                let label = match (done, kind) {
                                    (true, StepKind::Channel) => None,
                                    (true, _) => Some(t.journeys.mark_undone),
                                    (false, StepKind::Channel) => Some(t.journeys.join_channel),
                                    (false, _) => Some(t.journeys.mark_done),
                                };
                                label.map(|label| view! {
                                    <ActionForm action=tick attr:class="inline-form tick-step">
                                        <input type="hidden" name="step" value=id.to_string()/>
                                        <input type="hidden" name="back" value=back/>
                                        {done.then(|| view! { <input type="hidden" name="undo" value="1"/> })}
                                        <button type="submit" class=if done { "link" } else { "primary" }>{label}</button>
                                    </ActionForm>
                                })
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            {next_only.then(|| view! { <p><a href="/journey">{t.journeys.see_all}</a></p> })}
        </section>
    }
}

/// The journeys of one person: the body of `/journey` and `/people/:id/journey`.
#[component]
fn PersonJourneysView(
    person: PersonJourneys,
    tick: ServerAction<TickStep>,
    assign: ServerAction<AssignJourney>,
    unassign: ServerAction<UnassignJourney>,
) -> impl IntoView {
    let t = use_texts();
    let offset = person.utc_offset_minutes;
    let (mine, may_assign, who) = (person.mine, person.may_assign, person.person.id);
    view! {
        <FormError action=tick/>
        <FormError action=unassign/>
        {if person.journeys.is_empty() {
            view! { <p class="empty">{t.journeys.mine_empty}</p> }.into_any()
        } else {
            person.journeys.into_iter().map(|journey| {
                let id = journey.id;
                view! {
                    <JourneyProgressCard journey mine utc_offset_minutes=offset tick/>
                    {may_assign.then(|| view! {
                        <ActionForm action=unassign attr:class="inline-form unassign-journey">
                            <input type="hidden" name="person" value=who.to_string()/>
                            <input type="hidden" name="journey" value=id.to_string()/>
                            <button type="submit" class="link">{t.journeys.unassign}</button>
                        </ActionForm>
                    })}
                }
            }).collect_view().into_any()
        }}
        {(!person.assignable.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="assign-heading">
                <h2 id="assign-heading">{t.journeys.assign_title}</h2>
                <ActionForm action=assign attr:class="assign-journey inline-form">
                    <input type="hidden" name="person" value=who.to_string()/>
                    <label>{t.journeys.field_journey}
                        <select name="journey" required>
                            {person.assignable.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <button type="submit" class="primary">{t.journeys.assign}</button>
                </ActionForm>
                <FormError action=assign/>
            </section>
        })}
    }
}

#[component]
pub fn MyJourneyPage() -> impl IntoView {
    let t = use_texts();
    let tick = ServerAction::<TickStep>::new();
    let assign = ServerAction::<AssignJourney>::new();
    let unassign = ServerAction::<UnassignJourney>::new();
    let journeys = Resource::new(move || tick.version().get(), |_| my_journeys());
    view! {
        <Title text=t.journeys.mine_title/>
        <section class="page my-journey" aria-labelledby="my-journey-heading">
            <h1 id="my-journey-heading">{t.journeys.mine_title}</h1>
            <p class="page-intro">{t.journeys.mine_intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match journeys.await {
                        Ok(person) => view! { <PersonJourneysView person tick assign unassign/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn PersonJourneyPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<PersonId>().ok())
    };
    let tick = ServerAction::<TickStep>::new();
    let assign = ServerAction::<AssignJourney>::new();
    let unassign = ServerAction::<UnassignJourney>::new();
    let journeys = Resource::new(
        move || {
            (
                id(),
                tick.version().get(),
                assign.version().get(),
                unassign.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => load_person_journeys(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match journeys.await {
                    Ok(person) => {
                        let title = (t.journeys.of_person_title)(&person.person.name);
                        let profile = format!("/people/{}", person.person.id);
                        view! {
                            <Title text=title.clone()/>
                            <section class="page person-journey" aria-labelledby="person-journey-heading">
                                <h1 id="person-journey-heading">{title}</h1>
                                <p><a href=profile>{t.journeys.profile_link}</a></p>
                                <PersonJourneysView person tick assign unassign/>
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! { <section class="page"><ErrorNotice error/></section> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// "Your first weeks" on the home page: each unfinished journey's progress and its next
/// steps, for as long as the new hire has one; nothing at all for everyone else.
#[component]
pub fn FirstWeeks() -> impl IntoView {
    let t = use_texts();
    let tick = ServerAction::<TickStep>::new();
    let journeys = Resource::new(move || tick.version().get(), |_| my_journeys());
    view! {
        <Transition>
            {move || Suspend::new(async move {
                let Ok(person) = journeys.await else { return ().into_any() };
                let offset = person.utc_offset_minutes;
                let open: Vec<JourneyProgress> =
                    person.journeys.into_iter().filter(|j| !j.complete()).collect();
                (!open.is_empty()).then(|| view! {
                    <aside class="first-weeks" aria-labelledby="first-weeks-heading">
                        <h2 id="first-weeks-heading">{t.journeys.first_weeks}</h2>
                        <FormError action=tick/>
                        {open.into_iter().map(|journey| view! {
                            <JourneyProgressCard journey mine=true utc_offset_minutes=offset tick next_only=true/>
                        }).collect_view()}
                    </aside>
                }).into_any()
            })}
        </Transition>
    }
}
