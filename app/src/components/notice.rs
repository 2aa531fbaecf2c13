use crate::error::AppError;
use crate::i18n::use_texts;
use leptos::prelude::*;

/// A translated explanation of a failed request, announced to screen readers.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let t = use_texts();
    view! {
        <div class="notice notice-error" role="alert">
            <strong>{t.error_title}</strong>
            <p>{error.message(t)}</p>
        </div>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" aria-live="polite">{use_texts().loading}</p> }
}
