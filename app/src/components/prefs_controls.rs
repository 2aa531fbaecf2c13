//! The language switch: a plain form. Every string on the page changes, so a fresh
//! render (the form's redirect back) is the honest way to switch, with or without
//! JavaScript. The theme toggle, which acts in place, is an island (`islands::theme`).

use crate::api::prefs::SetLanguage;
use crate::prefs::use_prefs;
use crate::prefs::use_texts;
use leptos::prelude::*;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let t = use_texts();
    let other = use_prefs().lang.other();
    let action = ServerAction::<SetLanguage>::new();
    view! {
        <ActionForm action attr:class="lang-switch">
            <input type="hidden" name="lang" value=other.tag()/>
            <button type="submit" lang=other.tag() title=t.switch_language data-testid="language-switch">
                {other.native_name()}
            </button>
        </ActionForm>
    }
}
