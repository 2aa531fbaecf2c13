//! The offline outbox: a post or comment whose send found no network is kept in the
//! browser's IndexedDB (as the form's fields, with the form's client-made id) and sent
//! when the network returns, or when a page of Townhall opens again. The server writes
//! each id once (`domain::once`), so a send whose answer was lost, sent again, is not
//! written twice. A kept write the server refuses is shown to its author, with the
//! reason and its text. Signing out deletes the outbox (the service worker does it), so
//! nothing is sent as the next person on the device. Used by the composer's and the
//! post cards' islands.

use super::dom;
use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlFormElement, HtmlInputElement, IdbDatabase, IdbRequest, IdbTransactionMode};

const DATABASE: &str = "townhall-outbox";
const STORE: &str = "writes";

thread_local! {
    static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Sends what is waiting now and whenever the network returns (once per page).
pub fn start() {
    if STARTED.replace(true) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let online = Closure::<dyn Fn()>::new(|| leptos::task::spawn_local(flush()));
    let _ = window.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
    online.forget();
    leptos::task::spawn_local(flush());
}

/// Sends `form` as a script; a send that found no network is kept to go later. Then the
/// form gets a new id, so that the next thing written in it is a new write.
pub async fn submit(form: &HtmlFormElement) -> Result<Sent, dom::Failure> {
    let sent = match dom::submit(form, &None).await {
        Ok(answer) => Sent::Now(answer),
        Err(dom::Failure::Network) => match keep(form).await {
            Some(()) => Sent::Later,
            None => return Err(dom::Failure::Network),
        },
        Err(error) => return Err(error),
    };
    renew_id(form);
    Ok(sent)
}

/// What became of a form sent through the outbox.
pub enum Sent {
    /// The server's answer (JSON).
    Now(String),
    /// Kept on this device, to go when the network returns.
    Later,
}

fn renew_id(form: &HtmlFormElement) {
    let fresh = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|crypto| crypto.random_uuid());
    if let (Some(fresh), Some(input)) = (
        fresh,
        form.query_selector("input[name=client_id]")
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<HtmlInputElement>().ok()),
    ) {
        input.set_value(&fresh);
    }
}

/// Stores the form's fields under its id; `None` when it has no id or cannot be kept.
async fn keep(form: &HtmlFormElement) -> Option<()> {
    let data = web_sys::FormData::new_with_form(form).ok()?;
    data.delete("upload");
    let id = data
        .get("client_id")
        .as_string()
        .filter(|id| !id.is_empty())?;
    let body = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
    let item = Object::new();
    Reflect::set(&item, &"id".into(), &id.into()).ok()?;
    Reflect::set(&item, &"action".into(), &form.action().into()).ok()?;
    Reflect::set(
        &item,
        &"body".into(),
        &String::from(body.to_string()).into(),
    )
    .ok()?;
    Reflect::set(&item, &"at".into(), &js_sys::Date::now().into()).ok()?;
    let db = open().await?;
    let store = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .ok()?
        .object_store(STORE)
        .ok()?;
    let stored = done(&store.put(&item).ok()?).await;
    // Closed after each use, so that signing out can delete the database at once.
    db.close();
    stored.map(|_| ())
}

/// Sends every kept write, oldest first, and forgets each once the server has answered
/// (a refusal too: it would be refused again); a send that still finds no network stops
/// the round. Refreshes the page's lists if anything went.
async fn flush() {
    let Some(db) = open().await else { return };
    let Some(items) = all(&db).await else {
        db.close();
        return;
    };
    let mut sent = false;
    for item in items.iter() {
        let get = |key: &str| {
            Reflect::get(&item, &key.into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        let (id, action, body) = (get("id"), get("action"), get("body"));
        let params: Vec<(String, String)> = web_sys::UrlSearchParams::new_with_str(&body)
            .ok()
            .map(|params| {
                js_sys::try_iter(&params)
                    .ok()
                    .flatten()
                    .into_iter()
                    .flatten()
                    .filter_map(|pair| {
                        let pair: Array = pair.ok()?.dyn_into().ok()?;
                        Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let borrowed: Vec<(&str, &str)> = params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        match dom::call(&action, &borrowed).await {
            Err(failure) if failure.is_passing() => {
                // 'online' can come before the network carries requests again (and a
                // busy server may take it shortly): try once more in a while, while the
                // browser still says it is online.
                let online = web_sys::window().is_some_and(|w| w.navigator().on_line());
                if online {
                    dom::later(5_000, || leptos::task::spawn_local(flush()));
                }
                break;
            }
            answer => {
                if let Err(error) = answer {
                    let text = params
                        .iter()
                        .find(|(name, _)| name == "body")
                        .map(|(_, text)| text.as_str())
                        .unwrap_or_default();
                    tell_refused(&error.message(), text);
                }
                forget(&db, &id).await;
                sent = true;
            }
        }
    }
    db.close();
    if sent {
        dom::list_changed();
    }
}

/// Tells the author that a kept write was refused (its post deleted or its channel
/// archived meanwhile, say): why, and what they wrote, so that nothing is lost unseen.
/// Shown at the top of the page's main part until the next page.
fn tell_refused(reason: &str, text: &str) {
    let Some(doc) = dom::document() else { return };
    let Some(main) = doc.get_element_by_id("main") else {
        return;
    };
    let made = (|| {
        let notice = doc.create_element("div").ok()?;
        notice.set_class_name("notice notice-error kept-refused");
        notice.set_attribute("role", "alert").ok()?;
        let intro = doc.create_element("p").ok()?;
        intro.set_text_content(Some(crate::prefs::use_island_texts().kept_refused));
        let why = doc.create_element("p").ok()?;
        why.set_text_content(Some(reason));
        let kept = doc.create_element("blockquote").ok()?;
        kept.set_text_content(Some(text));
        for part in [&intro, &why, &kept] {
            notice.append_child(part).ok()?;
        }
        Some(notice)
    })();
    if let Some(notice) = made {
        let _ = main.prepend_with_node_1(&notice);
    }
}

async fn all(db: &IdbDatabase) -> Option<Array> {
    let store = db
        .transaction_with_str(STORE)
        .ok()?
        .object_store(STORE)
        .ok()?;
    let found = done(&store.get_all().ok()?).await?;
    let mut items: Vec<JsValue> = found.dyn_into::<Array>().ok()?.iter().collect();
    let at = |v: &JsValue| {
        Reflect::get(v, &"at".into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
    };
    items.sort_by(|a, b| at(a).total_cmp(&at(b)));
    Some(items.into_iter().collect())
}

async fn forget(db: &IdbDatabase, id: &str) {
    let Ok(store) = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .and_then(|tx| tx.object_store(STORE))
    else {
        return;
    };
    if let Ok(request) = store.delete(&JsValue::from_str(id)) {
        let _ = done(&request).await;
    }
}

async fn open() -> Option<IdbDatabase> {
    let factory = web_sys::window()?.indexed_db().ok()??;
    let request = factory.open_with_u32(DATABASE, 1).ok()?;
    let upgrading = request.clone();
    let upgrade = Closure::<dyn Fn()>::new(move || {
        if let Some(db) = upgrading
            .result()
            .ok()
            .and_then(|db| db.dyn_into::<IdbDatabase>().ok())
        {
            let options = web_sys::IdbObjectStoreParameters::new();
            options.set_key_path(&JsValue::from_str("id"));
            let _ = db.create_object_store_with_optional_parameters(STORE, &options);
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    upgrade.forget();
    done(&request).await?.dyn_into().ok()
}

/// An IndexedDB request's result, once it succeeds.
async fn done(request: &IdbRequest) -> Option<JsValue> {
    let finished = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(finished).await.ok()?;
    request.result().ok()
}
