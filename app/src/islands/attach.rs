//! Every file picker (`components::attachments::AttachPicker`) in place: a file picked,
//! dropped on its form or pasted into it is uploaded at once to `POST /files`, with a
//! progress bar, and listed with a button that takes it out again (removing it from
//! the server too); the form's `files` field then carries the uploaded files' keys and
//! the file input is emptied, so the post itself sends no bytes. While a file is on its
//! way the form's submit buttons wait. Without this, the form posts its files itself.

use leptos::prelude::*;

#[island]
pub fn AttachInPlace() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::start();
}

#[cfg(feature = "hydrate")]
pub use browser::clear;

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::dom;
    use crate::model::files::{human_size, Attachment};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{Element, File, FileList, HtmlInputElement, XmlHttpRequest};

    thread_local! {
        static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    pub fn start() {
        if STARTED.replace(true) {
            return;
        }
        dom::on_document("change", |event| {
            let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .filter(|i| i.has_attribute("data-attach-input"))
            else {
                return;
            };
            if let (Some(picker), Some(files)) = (picker_in(&input), input.files()) {
                upload_all(&picker, &files);
            }
            input.set_value("");
        });
        // Dropping files anywhere on a form with a picker attaches them there.
        dom::on_document("dragover", |event| {
            if picker_of(event.target()).is_some() {
                event.prevent_default();
            }
        });
        dom::on_document("drop", |event| {
            let Some(picker) = picker_of(event.target()) else {
                return;
            };
            let files = event
                .dyn_ref::<web_sys::DragEvent>()
                .and_then(|e| e.data_transfer())
                .and_then(|d| d.files());
            if let Some(files) = files.filter(|f| f.length() > 0) {
                event.prevent_default();
                upload_all(&picker, &files);
            }
        });
        // A pasted screenshot (or copied file) is attached; pasted text stays text.
        dom::on_document("paste", |event| {
            let Some(picker) = picker_of(event.target()) else {
                return;
            };
            let files = event
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(|e| e.clipboard_data())
                .and_then(|d| d.files());
            if let Some(files) = files.filter(|f| f.length() > 0) {
                event.prevent_default();
                upload_all(&picker, &files);
            }
        });
        dom::on_document("click", |event| {
            let Some(button) = event
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|e| e.closest("[data-attach-remove]").ok().flatten())
            else {
                return;
            };
            if let Some(item) = button.closest("li").ok().flatten() {
                remove(item);
            }
        });
    }

    /// The picker of the form `target` is in.
    fn picker_of(target: Option<web_sys::EventTarget>) -> Option<Element> {
        let form = target?
            .dyn_into::<Element>()
            .ok()?
            .closest("form")
            .ok()
            .flatten()?;
        form.query_selector("[data-attach]").ok().flatten()
    }

    fn picker_in(input: &HtmlInputElement) -> Option<Element> {
        input.closest("[data-attach]").ok().flatten()
    }

    fn form_of(picker: &Element) -> Option<Element> {
        picker.closest("form").ok().flatten()
    }

    fn upload_all(picker: &Element, files: &FileList) {
        for i in 0..files.length() {
            if let Some(file) = files.item(i) {
                upload(picker, file);
            }
        }
    }

    /// The keys field, as a list.
    fn keys_field(picker: &Element) -> Option<HtmlInputElement> {
        picker
            .query_selector("[data-attach-keys]")
            .ok()
            .flatten()?
            .dyn_into()
            .ok()
    }

    fn set_key(picker: &Element, key: &str, present: bool) {
        let Some(field) = keys_field(picker) else {
            return;
        };
        let mut keys: Vec<String> = field
            .value()
            .split_whitespace()
            .filter(|k| *k != key)
            .map(str::to_owned)
            .collect();
        if present {
            keys.push(key.to_owned());
        }
        field.set_value(&keys.join(" "));
    }

    /// Submit buttons wait while any file of the form is on its way.
    fn update_waiting(picker: &Element) {
        let Some(form) = form_of(picker) else { return };
        let busy = !dom::all(picker, "li[data-uploading]").is_empty();
        for button in dom::all(&form, "button[type=submit]") {
            if let Some(button) = button.dyn_ref::<web_sys::HtmlButtonElement>() {
                button.set_disabled(busy);
            }
        }
    }

    fn new_item(picker: &Element, file: &File) -> Option<Element> {
        // One template for the page (`components::attachments::AttachItemTemplate`).
        let template = dom::document()?
            .query_selector("template[data-attach-template]")
            .ok()
            .flatten()?
            .dyn_into::<web_sys::HtmlTemplateElement>()
            .ok()?;
        let item = template
            .content()
            .first_element_child()?
            .clone_node_with_deep(true)
            .ok()?
            .dyn_into::<Element>()
            .ok()?;
        let shown = Attachment {
            key: String::new(),
            name: file.name(),
            content_type: file.type_(),
            size: file.size() as i64,
            width: None,
            height: None,
            previews: false,
        };
        let fill = |selector: &str, text: &str| {
            if let Some(el) = item.query_selector(selector).ok().flatten() {
                el.set_text_content(Some(text));
            }
        };
        fill(".file-name", &shown.name);
        fill(".file-size", &human_size(shown.size));
        fill(".file-icon", shown.icon());
        let _ = item.set_attribute("data-uploading", "");
        picker
            .query_selector("[data-attach-list]")
            .ok()
            .flatten()?
            .append_child(&item)
            .ok()?;
        Some(item)
    }

    fn upload(picker: &Element, file: File) {
        let Some(item) = new_item(picker, &file) else {
            return;
        };
        let Some(form) = form_of(picker) else { return };
        dom::clear_error(&form);
        let Ok(xhr) = XmlHttpRequest::new() else {
            return;
        };
        let Ok(data) = web_sys::FormData::new() else {
            return;
        };
        if data
            .append_with_blob_and_filename("file", &file, &file.name())
            .is_err()
            || xhr.open("POST", "/files").is_err()
        {
            return;
        }
        let _ = xhr.set_request_header("Accept", "application/json");
        let progress = item
            .query_selector("progress")
            .ok()
            .flatten()
            .and_then(|p| p.dyn_into::<web_sys::HtmlProgressElement>().ok());
        if let (Ok(events), Some(bar)) = (xhr.upload(), progress.clone()) {
            let on_progress =
                Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                    if e.length_computable() && e.total() > 0.0 {
                        bar.set_value(e.loaded() / e.total() * 100.0);
                    }
                });
            events.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
            on_progress.forget();
        }
        let done = {
            let (xhr, item, picker, form) =
                (xhr.clone(), item.clone(), picker.clone(), form.clone());
            Closure::once_into_js(move || finished(&xhr, &item, &picker, &form))
        };
        xhr.set_onloadend(Some(done.unchecked_ref()));
        // Kept on the item, so "Remove" can cancel an upload under way.
        let _ = js_sys::Reflect::set(&item, &"townhallUpload".into(), &xhr);
        if xhr.send_with_opt_form_data(Some(&data)).is_err() {
            item.remove();
        }
        update_waiting(picker);
    }

    fn finished(xhr: &XmlHttpRequest, item: &Element, picker: &Element, form: &Element) {
        let _ = item.remove_attribute("data-uploading");
        let status = xhr.status().unwrap_or(0);
        let text = xhr.response_text().ok().flatten().unwrap_or_default();
        if item.is_connected() {
            if (200..300).contains(&status) {
                match serde_json::from_str::<Attachment>(&text) {
                    Ok(file) => {
                        let _ = item.set_attribute("data-key", &file.key);
                        if let Some(bar) = item.query_selector("progress").ok().flatten() {
                            bar.remove();
                        }
                        set_key(picker, &file.key, true);
                    }
                    Err(_) => failed(item, form, dom::Failure::Network),
                }
            } else if status != 0 || !text.is_empty() {
                let reason = xhr
                    .get_response_header(crate::error::MESSAGE_HEADER)
                    .ok()
                    .flatten();
                failed(item, form, dom::Failure::refused(status, reason));
            } else {
                // Cancelled (removed while uploading) or the connection dropped.
                item.remove();
            }
        }
        update_waiting(picker);
    }

    fn failed(item: &Element, form: &Element, error: dom::Failure) {
        item.remove();
        dom::show_error(form, &error.message());
    }

    /// Takes a file out: an upload under way is cancelled, an uploaded file removed
    /// from the server (it was only ever pending).
    fn remove(item: Element) {
        let picker = item.closest("[data-attach]").ok().flatten();
        if item.has_attribute("data-uploading") {
            if let Ok(xhr) = js_sys::Reflect::get(&item, &"townhallUpload".into()) {
                if let Some(xhr) = xhr.dyn_ref::<XmlHttpRequest>() {
                    let _ = xhr.abort();
                }
            }
        }
        if let (Some(key), Some(picker)) = (item.get_attribute("data-key"), picker.as_ref()) {
            set_key(picker, &key, false);
            leptos::task::spawn_local(async move {
                let _ = dom::call(
                    <crate::api::files::DiscardFile as leptos::server_fn::ServerFn>::PATH,
                    &[("key", &key)],
                )
                .await;
            });
        }
        item.remove();
        if let Some(picker) = picker {
            update_waiting(&picker);
        }
    }

    /// Empties the form's pickers after it was sent: its files now belong to the post.
    pub fn clear(form: &Element) {
        for picker in dom::all(form, "[data-attach]") {
            if let Some(list) = picker.query_selector("[data-attach-list]").ok().flatten() {
                list.set_inner_html("");
            }
            if let Some(field) = keys_field(&picker) {
                field.set_value("");
            }
        }
    }
}
