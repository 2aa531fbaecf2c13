//! The pages links in a mail open: stop the digest, acknowledge a must-read. No sign-in
//! (the link is the credential); one button each, a plain form underneath, so they work
//! with JavaScript off and a link scanner that opens the page changes nothing.

use crate::api::mail::{mail_link, UseMailLink};
use crate::components::notice::{ErrorNotice, FormError};
use crate::model::MailLinkDetails;
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

#[component]
pub fn MailLinkPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let details = Resource::new(token, mail_link);
    let action = ServerAction::<UseMailLink>::new();
    let query = use_query_map();
    let done = move || {
        query.read().get("done").is_some()
            || action.value().read().as_ref().is_some_and(Result::is_ok)
    };
    let path = use_location().pathname;
    view! {
        <section class="page auth" aria-labelledby="mail-link-heading">
            <Transition fallback=crate::components::notice::Loading>
                {move || Suspend::new(async move {
                    let form = move |label: &'static str| view! {
                        <FormError action/>
                        <ActionForm action attr:class="form">
                            <input type="hidden" name="token" value=token/>
                            <input type="hidden" name="back" value=path/>
                            <button type="submit" class="primary" data-testid="mail-link-button">{label}</button>
                        </ActionForm>
                    };
                    match details.await {
                        Ok(MailLinkDetails::Unsubscribe { email }) => view! {
                            <Title text=t.mail.unsubscribe_title/>
                            <h1 id="mail-link-heading">{t.mail.unsubscribe_title}</h1>
                            <Show when=done fallback=move || view! {
                                <p class="page-intro">{(t.mail.unsubscribe_intro)(&email)}</p>
                                {form(t.mail.unsubscribe_button)}
                            }>
                                <p class="notice" role="status" data-testid="mail-link-done">{t.mail.unsubscribed}</p>
                            </Show>
                        }.into_any(),
                        Ok(MailLinkDetails::Acknowledge { post, author, excerpt, acknowledged }) => view! {
                            <Title text=t.mail.acknowledge_title/>
                            <h1 id="mail-link-heading">{t.mail.acknowledge_title}</h1>
                            <p>{(t.mail.acknowledge_from)(&author)}</p>
                            <blockquote>{excerpt}</blockquote>
                            <Show when=move || acknowledged || done() fallback=move || form(t.mail.acknowledge_button)>
                                <p class="notice" role="status" data-testid="mail-link-done">{t.mail.acknowledged}</p>
                            </Show>
                            <p><a href=format!("/posts/{post}")>{t.mail.open_post}</a></p>
                        }.into_any(),
                        Err(error) => view! {
                            <Title text=t.mail.link_problem_title/>
                            <h1 id="mail-link-heading">{t.mail.link_problem_title}</h1>
                            <ErrorNotice error/>
                            <p><a href="/sign-in">{t.back_to_sign_in}</a></p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
