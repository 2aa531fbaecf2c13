//! The number of unread notifications beside the link to them: rendered with the page,
//! then counted again whenever the live stream says a notification arrived.

use crate::prefs::use_texts;
use leptos::prelude::*;

#[island]
pub fn UnreadBadge(unread: i64) -> impl IntoView {
    let t = use_texts();
    let count = RwSignal::new(unread);
    super::live::subscribe(move |event| {
        if event.kind == crate::model::LiveKind::Notification {
            leptos::task::spawn_local(async move {
                if let Ok(n) = crate::api::notifications::unread_notifications().await {
                    count.set(n);
                }
            });
        }
    });
    // Wrapped in an element: an island that starts with text right after text (the
    // link's label) would hydrate one node off (leptos 0.8 renders the separating
    // marker the browser side does not expect).
    view! {
        <span class="badge-slot">
            {move || (count.get() > 0).then(|| view! {
                " "<span class="badge" data-testid="unread-badge" aria-label=(t.unread_count)(count.get())>{count.get()}</span>
            })}
        </span>
    }
}
