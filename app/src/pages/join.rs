//! Joining through an invitation link: the link is the credential, so no sign-in.

use crate::api::accounts::{invitation_details, Join};
use crate::components::auth_fields::{EmailField, PasswordField};
use crate::components::notice::{ErrorNotice, FormError, Loading};
use crate::pages::accounts::role_name;
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn JoinPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let details = Resource::new(token, invitation_details);
    let action = ServerAction::<Join>::new();
    view! {
        <section class="page auth" aria-labelledby="join-heading">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match details.await {
                        Ok(invitation) => {
                            let title = (t.join_title)(&invitation.company_name);
                            let offer = match invitation.department.clone() {
                                Some(d) => format!("{} · {d}", role_name(t, invitation.role)),
                                None => role_name(t, invitation.role).to_owned(),
                            };
                            view! {
                                <Title text=title.clone()/>
                                <h1 id="join-heading">{title}</h1>
                                <p class="page-intro">{t.join_intro}</p>
                                <p>{t.join_as}" "<strong>{offer}</strong></p>
                                <FormError action/>
                                <ActionForm action attr:class="form">
                                    <input type="hidden" name="token" value=token/>
                                    <label>
                                        {t.field_name}
                                        <input type="text" name="name" required maxlength="100" autocomplete="name"/>
                                    </label>
                                    <EmailField fixed=invitation.email.clone()/>
                                    <PasswordField new=true/>
                                    <button type="submit" class="primary">{t.join_button}</button>
                                </ActionForm>
                            }.into_any()
                        }
                        Err(error) => view! {
                            <h1 id="join-heading" class="visually-hidden">{t.invitation_problem_title}</h1>
                            <ErrorNotice error/>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
