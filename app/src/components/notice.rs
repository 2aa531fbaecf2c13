use crate::error::AppError;
use crate::prefs::use_texts;
use leptos::prelude::*;

/// A translated explanation of a failed request, announced to screen readers. A refusal
/// reads as "not allowed" and a missing thing as "not found", not as a breakdown; a
/// server render also answers with the matching HTTP status.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let t = use_texts();
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(error.status()),
    ) {
        response.set_status(status);
    }
    let title = match error {
        AppError::Forbidden => t.forbidden_title,
        AppError::NotFound => t.not_found_title,
        AppError::Invitation(_) => t.invitation_problem_title,
        _ => t.error_title,
    };
    let plain_refusal = matches!(error, AppError::Forbidden | AppError::NotFound);
    view! {
        <div class="notice notice-error" role="alert" data-error=format!("{}", error.status())>
            <strong>{title}</strong>
            <p>{error.message(t)}</p>
            {plain_refusal.then(|| view! { <p><a href="/">{t.back_to_feed}</a></p> })}
        </div>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" aria-live="polite">{use_texts().loading}</p> }
}

/// The translated reason the last submission failed, with or without JavaScript.
#[component]
pub fn FormError<S>(action: ServerAction<S>) -> impl IntoView
where
    S: leptos::server_fn::ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let t = use_texts();
    move || {
        action.value().get().and_then(Result::err).map(|error| {
            view! { <div class="notice notice-error" role="alert">{error.message(t)}</div> }
        })
    }
}
