//! Writing a post in a channel: Markdown in a plain form (so posting works without
//! JavaScript), with a preview once the page is hydrated.

use crate::api::posts::{CreatePost, PreviewPost};
use crate::components::notice::FormError;
use crate::components::post_card::RefreshPosts;
use crate::i18n::use_texts;
use crate::model::{ChannelRef, PostKind};
use leptos::html::Textarea;
use leptos::prelude::*;

/// `channels`: where the post may go; with one, it goes there, with more, the writer
/// chooses (the first is preselected).
#[component]
pub fn Composer(channels: Vec<ChannelRef>, kinds: Vec<PostKind>) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<CreatePost>::new();
    let preview = ServerAction::<PreviewPost>::new();
    let refresh = use_context::<RefreshPosts>();
    let body = NodeRef::<Textarea>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            // Posted: an empty box for the next one, and the new post in the list.
            if let Some(area) = body.get_untracked() {
                area.set_value("");
            }
            if let Some(RefreshPosts(callback)) = refresh {
                callback.run(());
            }
        }
    });
    // The preview button needs JavaScript, so it appears only once the page runs it.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let show_preview = move |_| {
        let text = body.get().map(|area| area.value()).unwrap_or_default();
        preview.dispatch(PreviewPost { body: text });
    };
    let back = crate::current_path();
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
                    <textarea name="body" node_ref=body rows="4" required maxlength="20000"
                        placeholder=t.composer_placeholder aria-describedby="markdown-hint"></textarea>
                </label>
                <p class="hint" id="markdown-hint">{t.markdown_hint}</p>
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
