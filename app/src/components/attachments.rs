//! Files on a post or comment, and the picker that adds them.
//!
//! Shown: images as thumbnails (the small preview) that open a lightbox with the large
//! one — a CSS `:target` overlay, so it needs no script; PDFs open in the browser's
//! viewer; other files are chips with a type mark, name and size that download.
//!
//! Picked: a plain `<input type=file multiple>` in the form, which the form posts as
//! multipart without JavaScript (`server::http::files::plain_form_uploads`). With
//! script, `islands::attach` uploads each file as it is picked, dropped or pasted, with
//! a progress bar, and lists it here with a button to take it out again.

use crate::model::files::{human_size, Attachment, PreviewSize};
use crate::prefs::use_texts;
use leptos::prelude::*;

#[component]
pub fn AttachmentList(files: Vec<Attachment>) -> impl IntoView {
    if files.is_empty() {
        return ().into_any();
    }
    let t = use_texts();
    let (images, others): (Vec<_>, Vec<_>) = files.into_iter().partition(Attachment::is_image);
    view! {
        <div class="attachments" aria-label=t.files.attached>
            {(!images.is_empty()).then(|| view! {
                <div class="attachment-images">
                    {images.into_iter().map(|file| {
                        let target = format!("view-{}", file.key);
                        let (w, h) = (file.width.unwrap_or(0), file.height.unwrap_or(0));
                        // The thumbnail keeps the picture's proportions before it loads.
                        let small = PreviewSize::Small.side() as i64;
                        let scale = |v: i64| if w.max(h) > small { v * small / w.max(h) } else { v };
                        view! {
                            <a class="attachment-image" href=format!("#{target}")>
                                <img src=file.preview_href(PreviewSize::Small) alt=file.name.clone()
                                    width=scale(w).max(1) height=scale(h).max(1) loading="lazy" decoding="async"/>
                            </a>
                            <div class="lightbox" id=target role="dialog" aria-label=file.name.clone()>
                                // A click beside the picture closes it too; for a screen reader, the
                                // caption's "Close" is the one control.
                                <a class="lightbox-backdrop" href="#_" aria-hidden="true" tabindex="-1"></a>
                                <figure>
                                    <img src=file.preview_href(PreviewSize::Large) alt=file.name.clone() loading="lazy"/>
                                    <figcaption>
                                        <span class="file-name">{file.name.clone()}</span>
                                        " · "
                                        <a href=file.href() target="_blank" rel="noopener">{t.files.download}" ("{human_size(file.size)}")"</a>
                                        " · "
                                        <a href="#_">{t.files.close}</a>
                                    </figcaption>
                                </figure>
                            </div>
                        }
                    }).collect_view()}
                </div>
            })}
            {(!others.is_empty()).then(|| view! {
                <ul class="attachment-chips">
                    {others.into_iter().map(|file| view! {
                        <li><FileChip file/></li>
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
    .into_any()
}

/// A file as a chip: its kind, name and size, linking to it (a PDF opens in a new tab,
/// in the browser's viewer; other files download).
#[component]
fn FileChip(file: Attachment) -> impl IntoView {
    let pdf = file.is_pdf();
    view! {
        <a class="attachment-chip" href=file.href() target=pdf.then_some("_blank") rel="noopener"
            download=(!pdf).then(|| file.name.clone())>
            <span class="file-icon" aria-hidden="true">{file.icon()}</span>
            <span class="file-name">{file.name.clone()}</span>
            <span class="file-size">{human_size(file.size)}</span>
        </a>
    }
}

/// The picker inside a composer or comment form: `files` carries the keys of the files
/// the script uploaded; `upload` the files themselves when there is no script.
#[component]
pub fn AttachPicker(#[prop(optional)] compact: bool) -> impl IntoView {
    let t = use_texts();
    view! {
        <div class="attach" class:attach-compact=compact data-attach="">
            <label class="attach-button">
                <span aria-hidden="true">"📎 "</span>
                <span class:visually-hidden=compact>{t.files.attach}</span>
                <input type="file" name="upload" multiple="" data-attach-input=""/>
            </label>
            {(!compact).then(|| view! { <span class="hint attach-hint">{t.files.attach_hint}</span> })}
            <input type="hidden" name="files" value="" data-attach-keys=""/>
            <ul class="attach-list" data-attach-list="" aria-live="polite"></ul>
        </div>
    }
}

/// What the script copies for each file it uploads, into any picker on the page: once
/// per page, beside the island (`shell`), not once per picker. A Home page has two
/// pickers per card (its comment box and a reply box per comment shown): forty copies
/// were a ninth of its HTML.
#[component]
pub fn AttachItemTemplate() -> impl IntoView {
    let t = use_texts();
    view! {
        <template data-attach-template="">
            <li class="attach-item">
                <span class="file-icon" aria-hidden="true"></span>
                <span class="file-name"></span>
                <span class="file-size"></span>
                <progress max="100" value="0" aria-label=t.files.uploading></progress>
                <button type="button" class="attach-remove" data-attach-remove="">{t.files.remove}</button>
            </li>
        </template>
    }
}
