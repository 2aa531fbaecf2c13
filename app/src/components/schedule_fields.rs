//! The "Schedule for" date and time inputs, shared by the composer and the scheduled
//! posts page.

use crate::prefs::use_texts;
use leptos::html::Input;
use leptos::prelude::*;

/// The "Schedule for" date and time inputs (`schedule_date`, `schedule_time`), shared by
/// the composer and the edit form; `inputs` lets the composer read and clear them.
#[component]
pub fn ScheduleFields(
    #[prop(optional, into)] date: String,
    #[prop(optional, into)] time: String,
    #[prop(optional)] required: bool,
    #[prop(optional)] inputs: Option<(NodeRef<Input>, NodeRef<Input>)>,
) -> impl IntoView {
    let t = use_texts();
    let (date_ref, time_ref) = inputs.unwrap_or_default();
    view! {
        <fieldset class="schedule-fields">
            <legend>{t.field_publish_at}</legend>
            <label class="inline-label">
                {t.schedule_date}" "
                <input type="date" name="schedule_date" value=date required=required node_ref=date_ref/>
            </label>
            " "
            <label class="inline-label">
                {t.schedule_time}" "
                <input type="time" name="schedule_time" value=time required=required node_ref=time_ref/>
            </label>
        </fieldset>
    }
}
