//! The company announcement form, for those the policy lets announce: an audience
//! (everyone, ticked departments, or a channel's members), the text, and whether it is
//! must-read and until when. A plain form: the server answers it with the page again,
//! the announcement on it.

use crate::api::announcements::Announce;
use crate::components::notice::FormError;
use crate::model::AnnouncementOptions;
use crate::prefs::use_texts;
use leptos::prelude::*;

#[component]
pub fn AnnounceForm(options: AnnouncementOptions) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<Announce>::new();
    let back = crate::components::session::current_path();
    view! {
        <details class="card composer announce">
            <summary>{t.announce_title}</summary>
            <FormError action/>
            <ActionForm action attr:class="form announce-form">
                <input type="hidden" name="back" value=back/>
                <fieldset>
                    <legend>{t.field_audience}</legend>
                    <label class="inline-label">
                        <input type="radio" name="audience" value="everyone" checked/>
                        " "{t.audience_everyone}
                    </label>
                    <label class="inline-label">
                        <input type="radio" name="audience" value="departments"/>
                        " "{t.audience_departments}
                    </label>
                    <div class="choices">
                        // Indexed names, so that the ticked ones arrive as a list with or
                        // without JavaScript.
                        {options.departments.into_iter().enumerate().map(|(i, d)| view! {
                            <label class="inline-label">
                                <input type="checkbox" name=format!("departments[{i}]") value=d.id/>
                                " "{d.name}
                            </label>
                        }).collect_view()}
                    </div>
                    <label class="inline-label">
                        <input type="radio" name="audience" value="channel"/>
                        " "{t.audience_channel}
                    </label>
                    <select name="channel" aria-label=t.audience_channel>
                        {options.channels.into_iter().map(|c| view! {
                            <option value=c.slug>"#"{c.name}</option>
                        }).collect_view()}
                    </select>
                </fieldset>
                <label>
                    {t.field_post}
                    <textarea name="body" rows="4" required maxlength="20000"></textarea>
                </label>
                <label class="inline-label">
                    <input type="checkbox" name="must_read" value="on"/>
                    " "{t.announce_must_read}
                </label>
                <label>
                    {t.field_expires_at}
                    <input type="date" name="expires_on"/>
                </label>
                <div class="form-actions">
                    <button type="submit" class="primary">{t.announce_submit}</button>
                </div>
            </ActionForm>
        </details>
    }
}
