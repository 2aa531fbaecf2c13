//! Writing a post in a channel: Markdown in a plain form (so posting works without
//! JavaScript). An island: once the page runs it, a preview, `@` suggestions (people
//! found by handle or by name typed with or without diacritics), and the new post in the
//! list without a reload.

use crate::api::feed::mention_suggestions;
use crate::api::posts::{CreatePost, PreviewPost};
use crate::components::notice::FormError;
use crate::components::post_card::Avatar;
use crate::components::schedule_fields::ScheduleFields;
use crate::model::{ChannelRef, MentionSuggestion, PostKind};
use crate::prefs::use_texts;
use leptos::html::{Input, Textarea};
use leptos::prelude::*;

/// `channels`: where the post may go; with one, it goes there, with more, the writer
/// chooses (the first is preselected). `back`: the page to come back to after a plain
/// form post.
#[island]
pub fn Composer(channels: Vec<ChannelRef>, kinds: Vec<PostKind>, back: String) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<CreatePost>::new();
    let preview = ServerAction::<PreviewPost>::new();
    let body = NodeRef::<Textarea>::new();
    let (date, time) = (NodeRef::<Input>::new(), NodeRef::<Input>::new());
    // What the last successful submission did: `true` when it scheduled the post.
    let scheduled = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            // Posted: an empty box for the next one, and the new post in the list.
            if let Some(area) = body.get_untracked() {
                area.set_value("");
            }
            // The fields as they were sent: filled means the post was scheduled.
            let mut was_scheduled = false;
            for input in [date, time].into_iter().filter_map(|r| r.get_untracked()) {
                was_scheduled |= !input.value().is_empty();
                input.set_value("");
            }
            scheduled.set(was_scheduled);
            // A scheduled post is not in the list yet; refreshing it would only redraw
            // the page (and this notice with it).
            #[cfg(feature = "hydrate")]
            if !was_scheduled {
                super::dom::list_changed();
            }
        }
    });
    // The preview button needs JavaScript, so it appears only once the page runs it.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    // Without JavaScript the box is always there; with it, once `@channel` is typed.
    let says_channel = RwSignal::new(false);
    let suggestions = RwSignal::new(Vec::<MentionSuggestion>::new());
    let asked = StoredValue::new(0u64);
    let on_input = move |_| {
        let Some(area) = body.get_untracked() else {
            return;
        };
        let text = area.value();
        says_channel.set(text.contains("@channel"));
        let caret = area.selection_start().ok().flatten().unwrap_or(0) as usize;
        match mention_at(&text, caret) {
            Some((_, prefix)) if !prefix.is_empty() => {
                let prefix = prefix.to_owned();
                // Answers can arrive out of order; only the latest question's counts.
                asked.update_value(|n| *n += 1);
                let question = asked.get_value();
                leptos::task::spawn_local(async move {
                    let found = mention_suggestions(prefix).await.unwrap_or_default();
                    if asked.get_value() == question {
                        suggestions.set(found);
                    }
                });
            }
            _ => suggestions.set(Vec::new()),
        }
    };
    let choose = move |handle: String| {
        let Some(area) = body.get_untracked() else {
            return;
        };
        let text = area.value();
        let caret = area.selection_start().ok().flatten().unwrap_or(0) as usize;
        if let Some((start, prefix)) = mention_at(&text, caret) {
            let end = start + 1 + prefix.len();
            let inserted = format!("@{handle} ");
            let new_text = format!("{}{inserted}{}", &text[..start], &text[end..]);
            area.set_value(&new_text);
            let at = utf16_len(&new_text[..start + inserted.len()]);
            let _ = area.set_selection_range(at, at);
            let _ = area.focus();
        }
        suggestions.set(Vec::new());
    };
    let show_preview = move |_| {
        let text = body.get().map(|area| area.value()).unwrap_or_default();
        preview.dispatch(PreviewPost { body: text });
    };
    view! {
        <section class="card composer" aria-label=t.new_post>
            <FormError action/>
            <ActionForm action attr:class="form composer-form">
                {match channels.as_slice() {
                    [only] => view! { <input type="hidden" name="channel" value=only.slug.clone()/> }.into_any(),
                    many => view! {
                        <label>
                            {t.field_channel}
                            <select name="channel">
                                {many.iter().map(|c| view! { <option value=c.slug.clone()>"#"{c.name.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                    }.into_any(),
                }}
                <input type="hidden" name="back" value=back/>
                <label>
                    {t.field_post}
                    <textarea name="body" node_ref=body rows="3" required maxlength="20000"
                        placeholder=t.composer_placeholder aria-describedby="markdown-hint"
                        on:input=on_input></textarea>
                </label>
                {move || {
                    let found = suggestions.get();
                    (!found.is_empty()).then(|| view! {
                        <ul class="mention-suggestions" role="listbox" aria-label=t.mention_suggestions>
                            {found.into_iter().map(|s| {
                                let handle = s.handle.clone();
                                view! {
                                    <li role="option">
                                        <button type="button" on:click=move |_| choose(handle.clone())>
                                            <Avatar person=s.person.clone() small=true/>
                                            <span class="suggestion-name">{s.person.name.clone()}</span>
                                            <span class="suggestion-handle">"@"{s.handle.clone()}</span>
                                            <span class="suggestion-title">{s.person.job_title.clone()}</span>
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })
                }}
                <p class="hint" id="markdown-hint">{t.markdown_hint}</p>
                {move || (!hydrated.get() || says_channel.get()).then(|| view! {
                    <label class="inline-label">
                        <input type="checkbox" name="confirm_channel" value="on"/>
                        " "{t.confirm_channel_mention}
                    </label>
                })}
                // Folded away: most posts go out now, and the feed should start near the top.
                <details class="schedule">
                    <summary>{t.schedule_later}</summary>
                    <ScheduleFields inputs=(date, time)/>
                    <p class="hint">{t.schedule_hint}" "<a href="/scheduled">{t.scheduled_link}</a></p>
                </details>
                <div class="form-actions">
                    <label class="inline-label">
                        {t.field_kind}" "
                        <select name="kind">
                            {kinds.into_iter().map(|kind| view! {
                                <option value=kind.as_str()>{crate::components::post_card::kind_label(t, kind)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    {move || hydrated.get().then(|| view! {
                        <button type="button" on:click=show_preview>{t.preview}</button>
                    })}
                    <button type="submit" class="primary">{t.post_button}</button>
                </div>
            </ActionForm>
            {move || (scheduled.get() && matches!(action.value().get(), Some(Ok(_)))).then(|| view! {
                <p class="notice" role="status">{t.scheduled_done}" "<a href="/scheduled">{t.scheduled_link}</a></p>
            })}
            {move || action.value().get().and_then(Result::ok).filter(|p| !p.not_notified.is_empty()).map(|posted| view! {
                <p class="notice" role="status">{(t.not_notified)(&posted.not_notified.join(", "))}</p>
            })}
            {move || preview.value().get().map(|result| match result {
                Ok(html) => view! {
                    <div class="preview" aria-live="polite">
                        <p class="card-meta">{t.preview}</p>
                        <div class="post-body" inner_html=html></div>
                    </div>
                }.into_any(),
                Err(error) => view! { <div class="notice notice-error" role="alert">{error.message(t)}</div> }.into_any(),
            })}
        </section>
    }
    .into_any()
}

/// The `@word` being typed before the caret (counted in UTF-16 units, as browsers do):
/// its byte start and the word so far.
fn mention_at(text: &str, caret: usize) -> Option<(usize, &str)> {
    let end = byte_offset(text, caret);
    let before = &text[..end];
    let start = before.rfind('@')?;
    let word = &before[start + 1..];
    let starts_word = before[..start]
        .chars()
        .next_back()
        .is_none_or(char::is_whitespace);
    (starts_word
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-')))
    .then_some((start, word))
}

/// The byte offset of the `utf16`-th UTF-16 unit (browsers count selections so).
fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

fn utf16_len(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

#[cfg(test)]
mod tests {
    use super::mention_at;

    #[test]
    fn the_mention_being_typed_is_found_at_the_caret() {
        assert_eq!(mention_at("Hi @ngu", 7), Some((3, "ngu")));
        assert_eq!(mention_at("@", 1), Some((0, "")));
        assert_eq!(mention_at("mail a@b", 8), None);
        assert_eq!(mention_at("@an done", 8), None);
        // "Chào " is 5 UTF-16 units but 6 bytes.
        assert_eq!(mention_at("Chào @bì", 8), Some((6, "bì")));
    }
}
