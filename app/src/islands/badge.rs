//! The number of unread notifications beside the link to them: rendered with the page,
//! then counted again whenever the live stream says a notification arrived.

use crate::prefs::use_island_texts;
use leptos::prelude::*;

#[island]
pub fn UnreadBadge(unread: i64) -> impl IntoView {
    let t = use_island_texts();
    let count = RwSignal::new(unread);
    super::live::subscribe(move |event| {
        if event.kind == crate::model::LiveKind::Notification {
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(async move {
                use leptos::server_fn::ServerFn;
                let path = crate::api::notifications::UnreadNotifications::PATH;
                if let Some(n) = super::dom::call(path, &[])
                    .await
                    .ok()
                    .and_then(|json| serde_json::from_str::<i64>(&json).ok())
                {
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
