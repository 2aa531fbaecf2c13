//! The notification centre: what happened that concerns me, newest first, with reactions
//! to one post on one line; mark one or all read.

use crate::api::notifications::{notification_centre, MarkRead};
use crate::components::notice::{ErrorNotice, FormError, Loading};
use crate::components::post_card::{Avatar, Time};
use crate::islands::lists::{ListInPlace, NewItems};
use crate::model::{NotificationKind, NotificationView};
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let t = use_texts();
    let centre = Resource::new(|| (), |_| notification_centre());
    let mark = ServerAction::<MarkRead>::new();
    view! {
        <Title text=t.nav_notifications/>
        <section class="page notifications" aria-labelledby="notifications-heading">
            <h1 id="notifications-heading">{t.nav_notifications}</h1>
            <FormError action=mark/>
            // A new notification arrives live: the list is fetched again in place.
            <ListInPlace new_items=NewItems::Notifications/>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match centre.await {
                        Ok(list) if list.items.is_empty() => view! { <div data-part="notifications"><p class="empty">{t.notifications_empty}</p></div> }.into_any(),
                        Ok(list) => {
                            let offset = list.utc_offset_minutes;
                            view! { <div data-part="notifications">
                                {(list.unread > 0).then(|| view! {
                                    <ActionForm action=mark attr:class="mark-all">
                                        <button type="submit">{t.mark_all_read}</button>
                                    </ActionForm>
                                })}
                                <ul class="card-list notification-list">
                                    {list.items.into_iter().map(|item| view! {
                                        <NotificationLine item utc_offset_minutes=offset mark/>
                                    }).collect_view()}
                                </ul>
                            </div> }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NotificationLine(
    item: NotificationView,
    utc_offset_minutes: i32,
    mark: ServerAction<MarkRead>,
) -> impl IntoView {
    let t = use_texts();
    let actor = item
        .actor
        .as_ref()
        .map(|a| a.name.clone())
        .unwrap_or_default();
    let text = (t.notification_text)(item.kind, &actor, item.others);
    let link = item
        .post_id
        .map(|id| format!("/posts/{id}"))
        // A knowledge page it names (only while the reader may read it).
        .or_else(|| item.page.as_ref().map(|(id, _)| format!("/pages/{id}")))
        // A journey given is one's own checklist.
        .or_else(|| (item.kind == NotificationKind::Journey).then(|| "/journey".to_string()));
    view! {
        <li class="card notification" class:unread=!item.read data-kind=item.kind.as_str()>
            {item.actor.clone().map(|person| view! { <Avatar person small=true/> })}
            <div class="notification-main">
                <p>
                    {match link {
                        Some(href) => view! { <a href=href>{text}</a> }.into_any(),
                        None => view! { <span>{text}</span> }.into_any(),
                    }}
                    {item.channel_name.clone().map(|name| view! { " · #"{name} })}
                    {item.page.clone().map(|(_, title)| view! { " · "{title} })}
                </p>
                {(!item.excerpt.is_empty()).then(|| view! { <p class="excerpt">{item.excerpt.clone()}</p> })}
                <p class="card-meta"><Time unix_ms=item.created_at utc_offset_minutes/></p>
            </div>
            {(!item.read).then(|| view! {
                <ActionForm action=mark attr:class="mark-one">
                    <input type="hidden" name="id" value=item.id/>
                    <button type="submit">{t.mark_read}</button>
                </ActionForm>
            })}
        </li>
    }
}
