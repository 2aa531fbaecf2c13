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
            <p><a href="/forgot-password">{t.forgot_link}</a></p>
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
            <DigestSetting/>
            <PushSetting/>
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

/// "Forgot password?": with e-mail set up, a form that sends a reset link (the answer
/// never says whether the address has an account); without, the way back is a reset
/// link from an admin, and the page says so rather than pretend to send one.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    use crate::api::mail::{mail_enabled, ForgotPassword};
    let t = use_texts();
    let action = ServerAction::<ForgotPassword>::new();
    let query = use_query_map();
    let sent = move || {
        query.read().get("sent").is_some()
            || action.value().read().as_ref().is_some_and(Result::is_ok)
    };
    let enabled = Resource::new(|| (), |_| mail_enabled());
    view! {
        <Title text=t.forgot_title/>
        <section class="page auth" aria-labelledby="forgot-heading">
            <h1 id="forgot-heading">{t.forgot_title}</h1>
            <Transition fallback=crate::components::notice::Loading>
                {move || Suspend::new(async move {
                    match enabled.await {
                        Ok(true) => view! {
                            <Show when=sent fallback=move || view! {
                                <p class="page-intro">{t.mail.forgot_intro}</p>
                                <FormError action/>
                                <ActionForm action attr:class="form">
                                    <EmailField/>
                                    <button type="submit" class="primary">{t.mail.forgot_button}</button>
                                </ActionForm>
                                <p>{t.mail.forgot_or_admin}</p>
                            }>
                                <p class="notice" role="status" data-testid="forgot-sent">{t.mail.forgot_sent}</p>
                            </Show>
                        }.into_any(),
                        _ => view! { <p class="page-intro">{t.forgot_body}</p> }.into_any(),
                    }
                })}
            </Transition>
            <p><a href="/sign-in">{t.back_to_sign_in}</a></p>
        </section>
    }
}

/// Push notifications: this device's switch (an island: subscribing needs the
/// browser's push manager) and, as a plain form, what reaches the person's devices and
/// their quiet hours.
#[component]
fn PushSetting() -> impl IntoView {
    use crate::api::push::{push_setup, SavePushSettings};
    use crate::model::PushGroup;
    let t = use_texts();
    let action = ServerAction::<SavePushSettings>::new();
    let query = use_query_map();
    let saved = move || {
        query.read().get("push").is_some()
            || action.value().read().as_ref().is_some_and(Result::is_ok)
    };
    let settings = Resource::new(move || action.version().get(), |_| push_setup());
    let hh_mm = |minutes: i64| format!("{:02}:{:02}", minutes / 60, minutes % 60);
    view! {
        <Transition>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(settings) => {
                        let group = move |group: PushGroup, label: &'static str| {
                            let checked = settings.groups.contains(&group);
                            view! {
                                <label class="check">
                                    <input type="checkbox" name=group.as_str() value="on" checked=checked/>
                                    " "{label}
                                </label>
                            }
                        };
                        let (from, to) = settings
                            .quiet
                            .map(|(from, to)| (hh_mm(from), hh_mm(to)))
                            .unwrap_or_default();
                        view! {
                            <section class="push-settings" aria-labelledby="push-heading"
                                data-key=settings.public_key.clone()
                                data-on=t.push.state_on data-off=t.push.state_off
                                data-denied=t.push.state_denied data-unsupported=t.push.state_unsupported
                                data-sent=t.push.test_sent>
                                <h2 id="push-heading">{t.push.heading}</h2>
                                <p>{t.push.intro}</p>
                                <p class="push-state" role="status" data-testid="push-state">{t.push.needs_script}</p>
                                <p class="push-buttons">
                                    <button type="button" class="primary" data-push="on" hidden>{t.push.turn_on}</button>
                                    " "<button type="button" data-push="test" hidden>{t.push.send_test}</button>
                                    " "<button type="button" data-push="off" hidden>{t.push.turn_off}</button>
                                </p>
                                <p class="hint">{t.push.ios_hint}</p>
                                <p class="card-meta" data-testid="push-devices">{(t.push.devices)(settings.devices)}</p>
                                <FormError action/>
                                <ActionForm action attr:class="form push-groups">
                                    <fieldset>
                                        <legend>{t.push.groups_legend}</legend>
                                        {group(PushGroup::Mentions, t.push.group_mentions)}
                                        {group(PushGroup::Replies, t.push.group_replies)}
                                        {group(PushGroup::Announcements, t.push.group_announcements)}
                                        {group(PushGroup::Questions, t.push.group_questions)}
                                        {group(PushGroup::Posts, t.push.group_posts)}
                                    </fieldset>
                                    <fieldset>
                                        <legend>{t.push.quiet_legend}</legend>
                                        <label>{t.push.quiet_from}" "<input type="time" name="quiet_from" value=from/></label>
                                        " "<label>{t.push.quiet_to}" "<input type="time" name="quiet_to" value=to/></label>
                                        <p class="hint">{t.push.quiet_hint}</p>
                                    </fieldset>
                                    <button type="submit" data-testid="save-push">{t.push.save}</button>
                                    <Show when=saved>
                                        <span role="status">" "{t.push.saved}</span>
                                    </Show>
                                </ActionForm>
                            </section>
                            <crate::islands::push::PushInPlace/>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// How often the digest comes, on the account page (only where mail is set up).
#[component]
fn DigestSetting() -> impl IntoView {
    use crate::api::mail::{digest_setting, SetDigest};
    let t = use_texts();
    let action = ServerAction::<SetDigest>::new();
    let query = use_query_map();
    let saved = move || {
        query.read().get("digest").is_some()
            || action.value().read().as_ref().is_some_and(Result::is_ok)
    };
    let setting = Resource::new(move || action.version().get(), |_| digest_setting());
    view! {
        <Transition>
            {move || Suspend::new(async move {
                match setting.await {
                    Ok((every, true)) => {
                        let choice = move |value: &'static str, label: &'static str| {
                            let checked = every == value;
                            view! {
                                <label class="check">
                                    <input type="radio" name="every" value=value checked=checked/>
                                    " "{label}
                                </label>
                            }
                        };
                        view! {
                            <h2 id="digest-heading">{t.mail.digest_heading}</h2>
                            <p>{t.mail.digest_hint}</p>
                            <FormError action/>
                            <ActionForm action attr:class="form" attr:aria-labelledby="digest-heading">
                                <fieldset>
                                    <legend class="visually-hidden">{t.mail.digest_heading}</legend>
                                    {choice("weekly", t.mail.digest_weekly)}
                                    {choice("daily", t.mail.digest_daily)}
                                    {choice("off", t.mail.digest_off)}
                                </fieldset>
                                <button type="submit" data-testid="save-digest">{t.mail.digest_save}</button>
                                <Show when=saved>
                                    <span role="status">" "{t.mail.digest_saved}</span>
                                </Show>
                            </ActionForm>
                        }.into_any()
                    }
                    Ok(_) => ().into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A password reset link: the link is the credential, so no sign-in.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    use crate::api::accounts::{reset_details, ResetPassword};
    let t = use_texts();
    let params = leptos_router::hooks::use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let details = Resource::new(token, reset_details);
    let action = ServerAction::<ResetPassword>::new();
    view! {
        <Title text=t.reset_title/>
        <section class="page auth" aria-labelledby="reset-heading">
            <Transition fallback=crate::components::notice::Loading>
                {move || Suspend::new(async move {
                    match details.await {
                        Ok(details) => view! {
                            <h1 id="reset-heading">{t.reset_title}</h1>
                            <p class="page-intro">{(t.reset_intro)(&details.name, &details.company_name)}</p>
                            <FormError action/>
                            <ActionForm action attr:class="form">
                                <input type="hidden" name="token" value=token/>
                                <PasswordField new=true/>
                                <button type="submit" class="primary">{t.reset_button}</button>
                            </ActionForm>
                        }.into_any(),
                        Err(error) => view! {
                            <h1 id="reset-heading">{t.reset_problem_title}</h1>
                            <crate::components::notice::ErrorNotice error/>
                            <p><a href="/sign-in">{t.back_to_sign_in}</a></p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
