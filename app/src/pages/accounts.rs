//! Sign-in and first run. Plain forms underneath, so both work with JavaScript off.

use crate::api::accounts::{SetUp, SignIn, SignOutEverywhere};
use crate::components::auth_fields::{EmailField, PasswordField};
use crate::components::notice::{ErrorNotice, FormError};
use crate::model::Role;
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SignIn>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text=t.sign_in_title/>
        <section class="page auth" aria-labelledby="sign-in-heading">
            <h1 id="sign-in-heading">{t.sign_in_title}</h1>
            <p class="page-intro">{t.sign_in_intro}</p>
            <FormError action/>
            <ActionForm action attr:class="form">
                <input type="hidden" name="next" value=next/>
                <EmailField/>
                <PasswordField new=false/>
                <button type="submit" class="primary">{t.sign_in_button}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn WelcomePage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SetUp>::new();
    view! {
        <Title text=t.welcome_title/>
        <section class="page auth" aria-labelledby="welcome-heading">
            <h1 id="welcome-heading">{t.welcome_title}</h1>
            <p class="page-intro">{t.welcome_intro}</p>
            <FormError action/>
            <ActionForm action attr:class="form">
                <label>
                    {t.field_company_name}
                    <input type="text" name="company_name" required maxlength="100" autocomplete="organization"/>
                </label>
                <label>
                    {t.field_name}
                    <input type="text" name="name" required maxlength="100" autocomplete="name"/>
                </label>
                <EmailField/>
                <PasswordField new=true/>
                <button type="submit" class="primary">{t.welcome_button}</button>
            </ActionForm>
        </section>
    }
}

/// The signed-in person's own page: who they are here, and their sessions.
#[component]
pub fn AccountPage() -> impl IntoView {
    let t = use_texts();
    let session = expect_context::<crate::components::session::SessionResource>();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    view! {
        <Title text=t.account_title/>
        <section class="page" aria-labelledby="account-heading">
            <h1 id="account-heading">{t.account_title}</h1>
            <Transition>
                {move || session.get().map(|session| match session {
                    Ok(crate::api::accounts::Session { viewer: Some(viewer), .. }) => view! {
                        <p class="page-intro">{viewer.name}" · "{role_name(t, viewer.role)}</p>
                    }.into_any(),
                    Ok(_) => ().into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                })}
            </Transition>
            <h2>{t.sessions_title}</h2>
            <p>{t.sign_out_everywhere_hint}</p>
            <FormError action=everywhere/>
            <ActionForm action=everywhere>
                <button type="submit" class="primary" data-testid="sign-out-everywhere">{t.sign_out_everywhere}</button>
            </ActionForm>
        </section>
    }
}

pub fn role_name(t: &crate::i18n::Texts, role: Role) -> &'static str {
    match role {
        Role::Owner => t.role_owner,
        Role::Admin => t.role_admin,
        Role::Member => t.role_member,
        Role::Guest => t.role_guest,
    }
}
