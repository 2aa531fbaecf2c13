//! Form fields shared by the account pages.

use crate::prefs::use_texts;
use leptos::prelude::*;

#[component]
pub fn EmailField() -> impl IntoView {
    let t = use_texts();
    view! {
        <label>
            {t.field_email}
            <input type="email" name="email" required maxlength="254" autocomplete="username"/>
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
