//! Push notifications on this device, from the account page: the section
//! (`pages::accounts::PushSetting`) is server-rendered with its buttons hidden and says
//! that JavaScript is needed; this island finds out what the browser can do and whether
//! this device is subscribed, shows the right buttons, and turns notifications on
//! (permission, then a subscription with the page's VAPID key, handed to the server),
//! off, or sends a test. Its words come with the page, in `data-*` attributes.

use leptos::prelude::*;

#[island]
pub fn PushInPlace() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(browser::start());
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::dom;
    use base64ct::Encoding;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Element, PushManager, PushSubscription};

    pub async fn start() {
        let Some(doc) = dom::document() else { return };
        let Some(section) = doc.query_selector(".push-settings").ok().flatten() else {
            return;
        };
        let Some(manager) = manager().await else {
            say(&section, "data-unsupported");
            return;
        };
        let subscribed = current(&manager).await.is_some();
        show(&section, subscribed);
        if web_sys::Notification::permission() == web_sys::NotificationPermission::Denied {
            say(&section, "data-denied");
        }
        for button in dom::all(&section, "button[data-push]") {
            let section = section.clone();
            let manager = manager.clone();
            let action = button.get_attribute("data-push").unwrap_or_default();
            let click = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
                let (section, manager, action) = (section.clone(), manager.clone(), action.clone());
                leptos::task::spawn_local(async move {
                    let done = match action.as_str() {
                        "on" => turn_on(&section, &manager).await,
                        "off" => turn_off(&manager).await.map(|()| false),
                        _ => send_test().await.map(|()| true),
                    };
                    match done {
                        Ok(subscribed) => {
                            show(&section, subscribed);
                            if action == "test" {
                                say(&section, "data-sent");
                            }
                        }
                        Err(message) if message.is_empty() => say(&section, "data-denied"),
                        Err(message) => set_state(&section, &message),
                    }
                });
            });
            let _ =
                button.add_event_listener_with_callback("click", click.as_ref().unchecked_ref());
            click.forget();
        }
        let _ = section.set_attribute("data-hydrated", "true");
    }

    /// The service worker's push manager, when this browser has one.
    async fn manager() -> Option<PushManager> {
        let window = web_sys::window()?;
        let has = |target: &JsValue, name: &str| {
            js_sys::Reflect::has(target, &JsValue::from_str(name)).unwrap_or(false)
        };
        let navigator = window.navigator();
        if !has(&window, "PushManager")
            || !has(&navigator, "serviceWorker")
            || !has(&window, "Notification")
        {
            return None;
        }
        let ready = navigator.service_worker().ready().ok()?;
        let registration: web_sys::ServiceWorkerRegistration =
            JsFuture::from(ready).await.ok()?.dyn_into().ok()?;
        registration.push_manager().ok()
    }

    async fn current(manager: &PushManager) -> Option<PushSubscription> {
        let found = JsFuture::from(manager.get_subscription().ok()?)
            .await
            .ok()?;
        found.dyn_into().ok()
    }

    /// Asks for permission, subscribes with the page's key and hands the subscription
    /// to the server. `Err("")`: permission refused.
    async fn turn_on(section: &Element, manager: &PushManager) -> Result<bool, String> {
        let asked = web_sys::Notification::request_permission().map_err(|_| String::new())?;
        let answer = JsFuture::from(asked).await.map_err(|_| String::new())?;
        if answer.as_string().as_deref() != Some("granted") {
            return Err(String::new());
        }
        let key = section.get_attribute("data-key").unwrap_or_default();
        let options = web_sys::PushSubscriptionOptionsInit::new();
        options.set_user_visible_only(true);
        let key =
            base64ct::Base64UrlUnpadded::decode_vec(&key).map_err(|_| String::from("bad key"))?;
        options.set_application_server_key_opt_u8_array(Some(&js_sys::Uint8Array::from(&key[..])));
        let subscribing = manager
            .subscribe_with_options(&options)
            .map_err(|error| format!("{error:?}"))?;
        let subscription: PushSubscription = JsFuture::from(subscribing)
            .await
            .map_err(|error| error.as_string().unwrap_or_else(|| format!("{error:?}")))?
            .dyn_into()
            .map_err(|_| String::from("no subscription"))?;
        let json = js_sys::JSON::stringify(&subscription)
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_default();
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        let field = |path: &[&str]| {
            path.iter()
                .fold(&parsed, |value, key| &value[*key])
                .as_str()
                .unwrap_or_default()
                .to_owned()
        };
        dom::call(
            "/api/push/subscribe",
            &[
                ("endpoint", &field(&["endpoint"])),
                ("p256dh", &field(&["keys", "p256dh"])),
                ("auth", &field(&["keys", "auth"])),
            ],
        )
        .await
        .map_err(|error| error.message())?;
        Ok(true)
    }

    async fn turn_off(manager: &PushManager) -> Result<(), String> {
        if let Some(subscription) = current(manager).await {
            let endpoint = subscription.endpoint();
            if let Ok(ending) = subscription.unsubscribe() {
                let _ = JsFuture::from(ending).await;
            }
            dom::call("/api/push/unsubscribe", &[("endpoint", &endpoint)])
                .await
                .map_err(|error| error.message())?;
        }
        Ok(())
    }

    async fn send_test() -> Result<(), String> {
        dom::call("/api/push/test", &[])
            .await
            .map(|_| ())
            .map_err(|error| error.message())
    }

    /// Shows the buttons for a device that is (or is not) subscribed, and says so.
    fn show(section: &Element, subscribed: bool) {
        for button in dom::all(section, "button[data-push]") {
            let action = button.get_attribute("data-push").unwrap_or_default();
            let visible = if subscribed {
                action != "on"
            } else {
                action == "on"
            };
            if visible {
                let _ = button.remove_attribute("hidden");
            } else {
                let _ = button.set_attribute("hidden", "");
            }
        }
        say(section, if subscribed { "data-on" } else { "data-off" });
    }

    /// Puts the words in `attr` (of the section) in its status line.
    fn say(section: &Element, attr: &str) {
        set_state(section, &section.get_attribute(attr).unwrap_or_default());
    }

    fn set_state(section: &Element, words: &str) {
        if let Some(state) = section.query_selector(".push-state").ok().flatten() {
            state.set_text_content(Some(words));
        }
    }
}
