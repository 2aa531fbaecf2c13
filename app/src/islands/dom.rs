//! What the islands do to the page around them, in the browser only: send a plain form
//! as a script would, fetch a page's server-rendered HTML and swap its marked parts in.
//! The HTML always comes from the server, so the browser never holds a copy of the
//! views that made it.

use wasm_bindgen::{closure::Closure, JsCast};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element, Event, HtmlFormElement, Response};

pub fn document() -> Option<Document> {
    web_sys::window().and_then(|w| w.document())
}

/// Every element under `root` matching `selector`, in document order.
pub fn all(root: &impl AsRef<web_sys::Node>, selector: &str) -> Vec<Element> {
    let node: &web_sys::Node = root.as_ref();
    let list = if let Some(el) = node.dyn_ref::<Element>() {
        el.query_selector_all(selector)
    } else if let Some(doc) = node.dyn_ref::<Document>() {
        doc.query_selector_all(selector)
    } else {
        return Vec::new();
    };
    let Ok(list) = list else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

/// Runs `handler` for every `event` on the document, for as long as the page lives.
pub fn on_document(event: &str, handler: impl Fn(Event) + 'static) {
    let Some(doc) = document() else { return };
    let closure = Closure::<dyn Fn(Event)>::new(handler);
    let _ = doc.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    closure.forget();
}

/// The submit button that sent a form, when it has a name: its name and value go with
/// the form, as the browser would send them (one reaction form, a button per emoji).
pub type Pressed = Option<web_sys::HtmlElement>;

/// Calls `handle` with every form submitted on the page that `picks` chooses, and the
/// button that sent it, instead of letting the browser post it.
pub fn on_submit(
    picks: impl Fn(&HtmlFormElement) -> bool + 'static,
    handle: impl Fn(HtmlFormElement, Pressed) + 'static,
) {
    on_document("submit", move |event| {
        let Some(form) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
            .filter(|f| picks(f))
        else {
            return;
        };
        event.prevent_default();
        let pressed = event
            .dyn_ref::<web_sys::SubmitEvent>()
            .and_then(|e| e.submitter())
            .filter(|button| button.get_attribute("name").is_some_and(|n| !n.is_empty()));
        handle(form, pressed);
    });
}

/// A form while its submission is answered: marked [`SENT`] (a second click does nothing,
/// and a refresh does not keep its box), its earlier error gone; unmarked when dropped.
pub struct Sending(Element);

impl Sending {
    /// `None` while the form is already being sent.
    pub fn start(form: &HtmlFormElement) -> Option<Sending> {
        Self::start_for(form, form)
    }

    /// Like [`Sending::start`], but marks `what`, one of `form`'s buttons that acts on
    /// its own (a card's emoji): a second tap on it does nothing, while another emoji
    /// tapped meanwhile is sent too, as when each had its own form. `None` while `what`
    /// is being sent.
    pub fn start_for(form: &HtmlFormElement, what: &Element) -> Option<Sending> {
        let classes = what.class_list();
        if classes.contains(SENT) {
            return None;
        }
        let _ = classes.add_1(SENT);
        clear_error(form);
        // A status from the previous send ("saved on this device…") is about that one.
        clear_status(form);
        Some(Sending(what.clone()))
    }
}

impl Drop for Sending {
    fn drop(&mut self) {
        let _ = self.0.class_list().remove_1(SENT);
    }
}

/// Tells the page that its list of posts changed (a post, a pin, a deletion). A list
/// island refreshes itself and says so; where none did, the page is loaded again.
pub fn list_changed() {
    let Some(doc) = document() else { return };
    let init = web_sys::CustomEventInit::new();
    init.set_cancelable(true);
    let handled = web_sys::CustomEvent::new_with_event_init_dict(LIST_CHANGED, &init)
        .ok()
        .and_then(|event| doc.dispatch_event(&event).ok())
        // `dispatch_event` answers false when a listener called `preventDefault`.
        .is_some_and(|not_cancelled| !not_cancelled);
    if !handled {
        reload();
    }
}

pub const LIST_CHANGED: &str = "townhall:list-changed";

pub fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// The address being shown, path and query.
pub fn here() -> String {
    web_sys::window()
        .map(|w| {
            let l = w.location();
            format!(
                "{}{}",
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// Why a call from the page did not go through.
#[derive(Debug)]
pub enum Failure {
    /// No answer: no network, or an answer that could not be read.
    Network,
    /// The server refused: its HTTP status, and its reason in the reader's language.
    Refused { status: u16, message: String },
}

impl Failure {
    /// What to tell the reader. The server words its refusals (the islands carry no
    /// error texts); only a lost connection is worded here.
    pub fn message(&self) -> String {
        let t = crate::prefs::use_island_texts();
        match self {
            Failure::Refused { message, .. } if !message.is_empty() => message.clone(),
            Failure::Refused { .. } => t.refused.to_owned(),
            Failure::Network => t.network.to_owned(),
        }
    }

    /// What an answer that is not a success means: the server's refusal, with the reason
    /// it put in the header. One from 500 up without that header is not Townhall's
    /// (a proxy's 502 or 504 while it restarts) and counts as no network, so that a
    /// write kept offline stays kept.
    pub fn refused(status: u16, header: Option<String>) -> Failure {
        let message = header
            .and_then(|h| js_sys::decode_uri_component(&h).ok())
            .map(String::from);
        match message {
            None if status >= 500 => Failure::Network,
            message => Failure::Refused {
                status,
                message: message.unwrap_or_default(),
            },
        }
    }

    /// Whether the same request may succeed later unchanged: no network, or a server
    /// too busy just now.
    pub fn is_passing(&self) -> bool {
        matches!(
            self,
            Failure::Network | Failure::Refused { status: 503, .. }
        )
    }
}

/// Sends `form` to its server function as a script, with the button that was `pressed`:
/// the answer's JSON, or why it was refused (a lost connection reads as
/// [`Failure::Network`]).
pub async fn submit(form: &HtmlFormElement, pressed: &Pressed) -> Result<String, Failure> {
    let data = web_sys::FormData::new_with_form(form).map_err(|_| Failure::Network)?;
    // A picker's files went up already (`islands::attach`); their keys are in `files`.
    data.delete("upload");
    if let Some(name) = pressed.as_ref().and_then(|b| b.get_attribute("name")) {
        let value = pressed
            .as_ref()
            .and_then(|b| b.get_attribute("value"))
            .unwrap_or_default();
        let _ = data.append_with_str(&name, &value);
    }
    let body = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data)
        .map_err(|_| Failure::Network)?;
    post(&form.action(), &body).await
}

/// Calls the server function at `path` with `params`, as [`submit`] sends a form.
/// Plain `fetch` rather than Leptos' server-function client: the islands then carry no
/// argument encoder of their own (see docs/architecture.md, "Islands").
pub async fn call(path: &str, params: &[(&str, &str)]) -> Result<String, Failure> {
    let body = web_sys::UrlSearchParams::new().map_err(|_| Failure::Network)?;
    for (name, value) in params {
        body.append(name, value);
    }
    post(path, &body).await
}

/// Calls a server function that answers with server-rendered HTML (a JSON string), and
/// returns that HTML; empty when the call fails (a list that cannot be fetched is
/// simply not shown).
pub async fn call_html(path: &str, params: &[(&str, &str)]) -> String {
    call(path, params)
        .await
        .ok()
        .and_then(|json| serde_json::from_str::<String>(&json).ok())
        .unwrap_or_default()
}

async fn post(url: &str, body: &web_sys::UrlSearchParams) -> Result<String, Failure> {
    let window = web_sys::window().ok_or(Failure::Network)?;
    let headers = web_sys::Headers::new().map_err(|_| Failure::Network)?;
    let _ = headers.set("Accept", "application/json");
    let _ = headers.set("Content-Type", "application/x-www-form-urlencoded");
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&body.to_string().into());
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| Failure::Network)?;
    let response: Response = response.dyn_into().map_err(|_| Failure::Network)?;
    let text = text_of(&response).await.ok_or(Failure::Network)?;
    if response.ok() {
        Ok(text)
    } else {
        let reason = response
            .headers()
            .get(crate::error::MESSAGE_HEADER)
            .ok()
            .flatten();
        Err(Failure::refused(response.status(), reason))
    }
}

async fn text_of(response: &Response) -> Option<String> {
    JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()
}

/// The page at `url` as the server renders it for this reader, parsed.
pub async fn fetch_page(url: &str) -> Option<Document> {
    let window = web_sys::window()?;
    let response = JsFuture::from(window.fetch_with_str(url)).await.ok()?;
    let response: Response = response.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    let text = text_of(&response).await?;
    parse(&text)
}

pub fn parse(html: &str) -> Option<Document> {
    web_sys::DomParser::new()
        .ok()?
        .parse_from_string(html, web_sys::SupportedType::TextHtml)
        .ok()
}

/// Replaces each element of the page marked `attr="name"` with the element marked the
/// same in `fresh`; a part `fresh` lacks is emptied. Returns the parts put in.
pub fn swap_parts(page: &impl AsRef<web_sys::Node>, fresh: &Document, attr: &str) -> Vec<Element> {
    let mut swapped = Vec::new();
    for old in all(page, &format!("[{attr}]")) {
        let Some(name) = old.get_attribute(attr) else {
            continue;
        };
        let selector = format!("[{attr}=\"{name}\"]");
        match fresh.query_selector(&selector).ok().flatten() {
            Some(new) => {
                let new = import(&new);
                keep_what_is_being_written(&old, &new);
                if old.replace_with_with_node_1(&new).is_ok() {
                    swapped.push(new);
                }
            }
            None => old.set_inner_html(""),
        }
    }
    swapped
}

/// A copy of `element` (from a fetched document) made for this page's document.
pub fn import(element: &Element) -> Element {
    document()
        .and_then(|doc| doc.import_node_with_deep(element, true).ok())
        .and_then(|node| node.dyn_into::<Element>().ok())
        .unwrap_or_else(|| element.clone())
}

/// Carries over, from `old` to `new`, what the reader is in the middle of: open boxes
/// and text typed in them (marked `data-keep`), so that a live update never eats a
/// half-written reply. A box whose form was just sent is not kept (see [`SENT`]).
fn keep_what_is_being_written(old: &Element, new: &Element) {
    for kept in all(old, "[data-keep]") {
        if kept.class_list().contains(SENT) || !all(&kept, &format!(".{SENT}")).is_empty() {
            continue;
        }
        let Some(key) = kept.get_attribute("data-keep") else {
            continue;
        };
        let Some(target) = new
            .query_selector(&format!("[data-keep=\"{key}\"]"))
            .ok()
            .flatten()
        else {
            continue;
        };
        if kept.has_attribute("open") {
            let _ = target.set_attribute("open", "");
        }
        let texts = all(&kept, "textarea");
        let targets = all(&target, "textarea");
        for (from, to) in texts.iter().zip(targets.iter()) {
            if let (Some(from), Some(to)) = (
                from.dyn_ref::<web_sys::HtmlTextAreaElement>(),
                to.dyn_ref::<web_sys::HtmlTextAreaElement>(),
            ) {
                to.set_value(&from.value());
            }
        }
    }
}

/// The class a form carries while its submission is answered.
pub const SENT: &str = "sending";

/// Shows `message` as the form's error, just before it (replacing an earlier one).
pub fn show_error(form: &Element, message: &str) {
    clear_error(form);
    let Some(doc) = document() else { return };
    let Ok(notice) = doc.create_element("div") else {
        return;
    };
    notice.set_class_name("notice notice-error form-error");
    let _ = notice.set_attribute("role", "alert");
    notice.set_text_content(Some(message));
    let _ = form.before_with_node_1(&notice);
}

pub fn clear_error(form: &Element) {
    if let Some(previous) = form.previous_element_sibling() {
        if previous.class_list().contains("form-error") {
            previous.remove();
        }
    }
}

fn clear_status(form: &Element) {
    if let Some(next) = form.next_element_sibling() {
        if next.class_list().contains("form-status") {
            next.remove();
        }
    }
}

/// Shows a status line just after `form` (replacing an earlier one).
pub fn show_status(form: &Element, message: &str) {
    clear_status(form);
    let Some(doc) = document() else { return };
    let Ok(notice) = doc.create_element("p") else {
        return;
    };
    notice.set_class_name("notice form-status");
    let _ = notice.set_attribute("role", "status");
    notice.set_text_content(Some(message));
    let _ = form.after_with_node_1(&notice);
}

/// Runs `f` once, `delay_ms` from now.
pub fn later(delay_ms: i32, f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = Closure::once_into_js(f);
    let _ = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), delay_ms);
}
