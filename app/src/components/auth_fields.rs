//! Form fields shared by the account pages.

use crate::prefs::use_texts;
use leptos::prelude::*;

/// `fixed`: the address is already decided (a mailed invitation's), shown read-only.
#[component]
pub fn EmailField(#[prop(default = None)] fixed: Option<String>) -> impl IntoView {
    let t = use_texts();
    let hint = fixed.is_some().then(
        || view! { <span class="hint" id="email-fixed-hint">{t.mail.join_email_fixed}</span> },
    );
    view! {
        <label>
            {t.field_email}
            <input type="email" name="email" required maxlength="254" autocomplete="username"
                readonly=fixed.is_some() value=fixed.clone()
                aria-describedby=fixed.as_ref().map(|_| "email-fixed-hint")/>
            {hint}
        </label>
    }
}

/// `new`: choosing a password (shows the rules) rather than typing an existing one.
#[component]
pub fn PasswordField(new: bool) -> impl IntoView {
    let t = use_texts();
    let autocomplete = if new {
        "new-password"
    } else {
        "current-password"
    };
    view! {
        <label>
            {t.field_password}
            <input type="password" name="password" required maxlength="200" autocomplete=autocomplete
                minlength=new.then_some("10") aria-describedby=new.then_some("password-hint")/>
        </label>
        {new.then(|| view! { <p class="hint" id="password-hint">{t.password_hint}</p> })}
    }
}
