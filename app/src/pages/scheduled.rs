//! The asker's scheduled posts: when each goes out (in their time zone), where, and
//! what it says; edit the text and time, publish it now, or cancel. Plain forms, so all of it works
//! without JavaScript; with it, they act in place (`islands::forms`).

use crate::api::scheduled::{
    scheduled_posts, CancelScheduled, EditScheduled, PublishScheduledNow, ScheduledItem,
};
use crate::components::notice::{ErrorNotice, FormError, Loading};
use crate::components::schedule_fields::ScheduleFields;
use crate::islands::forms::{FormsInPlace, PUBLISHED_SCHEDULED};
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;

/// How much of a post the list shows before "…".
const EXCERPT: usize = 200;

#[component]
pub fn ScheduledPage() -> impl IntoView {
    let t = use_texts();
    let list = Resource::new(|| (), |_| scheduled_posts());
    let edit = ServerAction::<EditScheduled>::new();
    let cancel = ServerAction::<CancelScheduled>::new();
    let publish = ServerAction::<PublishScheduledNow>::new();
    view! {
        <Title text=t.scheduled_title/>
        <section class="page scheduled" aria-labelledby="scheduled-heading">
            <h1 id="scheduled-heading">{t.scheduled_title}</h1>
            <FormError action=edit/>
            <FormError action=cancel/>
            <FormError action=publish/>
            <FormsInPlace/>
            <div data-status>{move || match publish.value().get() {
                Some(Ok((slug, name))) => Some(view! {
                    <p class="notice" role="status">
                        {t.island.published_scheduled}" "
                        <a href=format!("/channels/{slug}")>"#"{name}</a>
                    </p>
                }),
                _ => None,
            }}</div>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => view! { <div data-part="scheduled">
                            <p class="hint">{(t.scheduled_intro)(&list.time_zone)}</p>
                            {if list.items.is_empty() {
                                view! { <p class="empty">{t.scheduled_empty}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="card-list scheduled-list">
                                        {list.items.into_iter().map(|item| view! {
                                            <ScheduledLine item edit cancel publish/>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </div> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ScheduledLine(
    item: ScheduledItem,
    edit: ServerAction<EditScheduled>,
    cancel: ServerAction<CancelScheduled>,
    publish: ServerAction<PublishScheduledNow>,
) -> impl IntoView {
    let t = use_texts();
    let excerpt = if item.body.chars().count() > EXCERPT {
        format!("{}…", item.body.chars().take(EXCERPT).collect::<String>())
    } else {
        item.body.clone()
    };
    let when = format!("{} {}", item.date, item.time);
    view! {
        <li class="card scheduled-post" data-id=item.id>
            <p class="card-meta">
                {t.scheduled_for}" "<time class="scheduled-when">{when}</time>
                " · "<a href=format!("/channels/{}", item.channel_slug)>"#"{item.channel_name.clone()}</a>
            </p>
            {item.failure.clone().map(|error| view! {
                <p class="notice notice-error" role="alert">{t.scheduled_failed}" "{error.message(t)}</p>
            })}
            <p class="excerpt">{excerpt}</p>
            <details class="edit-scheduled">
                <summary>{t.edit_scheduled}</summary>
                <ActionForm action=edit attr:class="form" attr:data-in-place="">
                    <input type="hidden" name="id" value=item.id/>
                    <label>
                        {t.field_post}
                        <textarea name="body" rows="4" required maxlength="20000">{item.body.clone()}</textarea>
                    </label>
                    <ScheduleFields date=item.date.clone() time=item.time.clone() required=true/>
                    <button type="submit" class="primary">{t.save_scheduled}</button>
                </ActionForm>
            </details>
            {item.failure.is_none().then(|| view! {
                <ActionForm action=publish attr:class="publish-scheduled" attr:data-in-place="" attr:data-done=PUBLISHED_SCHEDULED>
                    <input type="hidden" name="id" value=item.id/>
                    <button type="submit">{t.publish_scheduled_now}</button>
                </ActionForm>
            })}
            <ActionForm action=cancel attr:class="cancel-scheduled" attr:data-in-place="">
                <input type="hidden" name="id" value=item.id/>
                <button type="submit">{t.cancel_scheduled}</button>
            </ActionForm>
        </li>
    }
}
