use crate::api::posts::{AddComment, ToggleReaction};
use crate::components::notice::FormError;
use crate::i18n::{format_datetime, iso_instant, use_texts, Texts};
use crate::model::{CommentView, PersonRef, PostCard, PostKind, ReactionCount, REACTIONS};
use crate::prefs::use_prefs;
use leptos::prelude::*;

#[component]
pub fn Avatar(person: PersonRef, #[prop(optional)] small: bool) -> impl IntoView {
    let class = if small {
        "avatar avatar-small"
    } else {
        "avatar"
    };
    match person.avatar {
        Some(version) => view! {
            <img class=class src=format!("/avatars/{}?v={version}", person.id) alt="" loading="lazy"
                width="40" height="40"/>
        }
        .into_any(),
        None => {
            view! { <span class=class aria-hidden="true">{person.initials()}</span> }.into_any()
        }
    }
}

/// A time as people in the company read it, machine-readable in `datetime`.
#[component]
pub fn Time(unix_ms: i64, utc_offset_minutes: i32) -> impl IntoView {
    let lang = use_prefs().lang;
    view! { <time datetime=iso_instant(unix_ms)>{format_datetime(lang, unix_ms, utc_offset_minutes)}</time> }
}

pub fn kind_label(t: &Texts, kind: PostKind) -> &'static str {
    match kind {
        PostKind::Update => t.kind_update,
        PostKind::Announcement => t.kind_announcement,
        PostKind::Question => t.kind_question,
    }
}

#[component]
pub fn PostCardView(
    post: PostCard,
    utc_offset_minutes: i32,
    #[prop(optional)] pinned: bool,
) -> impl IntoView {
    let t = use_texts();
    let kind_class = format!("kind kind-{}", post.kind.as_str());
    let comments = post.comments;
    let shown = comments.len() as i64;
    view! {
        <article class="post" class:post-pinned=pinned data-post-id=post.id aria-labelledby=format!("post-{}-author", post.id)>
            <header class="post-head">
                <Avatar person=post.author.clone()/>
                <div class="post-meta">
                    <a class="post-author" id=format!("post-{}-author", post.id) href=format!("/people/{}", post.author.id)>{post.author.name.clone()}</a>
                    <span class="post-title">{post.author.job_title.clone()}</span>
                    <span class="post-where">
                        {t.in_channel}" "
                        <a href=format!("/channels/{}", post.channel_slug)>"#"{post.channel_name.clone()}</a>
                        " · "
                        <Time unix_ms=post.created_at utc_offset_minutes/>
                        {post.edited.then(|| view! { " · " <span class="edited">{t.edited}</span> })}
                    </span>
                </div>
                <span class=kind_class>{kind_label(t, post.kind)}</span>
                {pinned.then(|| view! { <span class="pin-badge">{t.pinned}</span> })}
            </header>
            <div class="post-body" inner_html=post.body_html.clone()></div>
            <footer class="post-foot">
                <Reactions post=post.id reactions=post.reactions.clone()/>
                <span class="comment-count">{(t.comments)(post.comment_count)}</span>
            </footer>
            {(shown > 0).then(|| view! {
                <ol class="comments">
                    {comments.into_iter().map(|c| view! { <CommentItem post=post.id comment=c utc_offset_minutes/> }).collect_view()}
                </ol>
            })}
            <CommentForm post=post.id parent=None/>
        </article>
    }
    .into_any()
}

/// What a page that lists posts does after one of them changed (a comment, a
/// reaction): fetch them again. Without it, the page reloads.
#[derive(Clone, Copy)]
pub struct RefreshPosts(pub Callback<()>);

/// After a successful `action`, the list is fetched again (or the page reloaded).
fn refresh_after<S>(action: ServerAction<S>)
where
    S: leptos::server_fn::ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let refresh = use_context::<RefreshPosts>();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            match refresh {
                Some(RefreshPosts(callback)) => callback.run(()),
                None => crate::prefs::load_page(&crate::current_path()),
            }
        }
    });
}

/// Reactions given so far, each a toggle; the rest of the set one click further.
#[component]
fn Reactions(post: i64, reactions: Vec<ReactionCount>) -> impl IntoView {
    let t = use_texts();
    let unused: Vec<&'static str> = REACTIONS
        .into_iter()
        .filter(|e| !reactions.iter().any(|r| r.emoji == *e))
        .collect();
    view! {
        <div class="reactions" role="group" aria-label=t.reactions_label>
            {reactions.into_iter().map(|r| view! {
                <ReactionButton post emoji=r.emoji count=r.count mine=r.mine/>
            }).collect_view()}
            <details class="add-reaction">
                <summary title=t.add_reaction aria-label=t.add_reaction>"+"</summary>
                <div class="reaction-picker">
                    {unused.into_iter().map(|emoji| view! {
                        <ReactionButton post emoji=emoji.to_owned() count=0 mine=false/>
                    }).collect_view()}
                </div>
            </details>
        </div>
    }
    .into_any()
}

#[component]
fn ReactionButton(post: i64, emoji: String, count: i64, mine: bool) -> impl IntoView {
    let action = ServerAction::<ToggleReaction>::new();
    refresh_after(action);
    let back = crate::current_path();
    view! {
        <ActionForm action attr:class="reaction-form">
            <input type="hidden" name="post" value=post/>
            <input type="hidden" name="emoji" value=emoji.clone()/>
            <input type="hidden" name="back" value=back/>
            <button type="submit" class="reaction" aria-pressed=mine.to_string() data-emoji=emoji.clone()>
                <span aria-hidden="true">{emoji.clone()}</span>
                {(count > 0).then(|| view! { " "<span class="count">{count}</span> })}
            </button>
        </ActionForm>
    }
}

/// A comment box under a post, or a reply box under a comment (`parent`).
#[component]
fn CommentForm(post: i64, parent: Option<i64>) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<AddComment>::new();
    refresh_after(action);
    let back = crate::current_path();
    let label = if parent.is_some() {
        t.write_reply
    } else {
        t.write_comment
    };
    view! {
        <FormError action/>
        <ActionForm action attr:class="comment-form">
            <input type="hidden" name="post" value=post/>
            {parent.map(|id| view! { <input type="hidden" name="parent" value=id/> })}
            <input type="hidden" name="back" value=back/>
            <textarea name="body" rows="1" required maxlength="5000" aria-label=label placeholder=label></textarea>
            <button type="submit">{if parent.is_some() { t.reply } else { t.comment_button }}</button>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn CommentItem(post: i64, comment: CommentView, utc_offset_minutes: i32) -> impl IntoView {
    let t = use_texts();
    let reply = comment.parent_id.is_some();
    view! {
        <li class="comment" class:comment-reply=reply>
            <Avatar person=comment.author.clone() small=true/>
            <div class="comment-main">
                <a class="comment-author" href=format!("/people/{}", comment.author.id)>{comment.author.name.clone()}</a>
                " "
                <Time unix_ms=comment.created_at utc_offset_minutes/>
                <div class="comment-body" inner_html=comment.body_html></div>
                {(!reply).then(|| view! {
                    <details class="reply">
                        <summary>{t.reply}</summary>
                        <CommentForm post parent=Some(comment.id)/>
                    </details>
                })}
            </div>
        </li>
    }
    .into_any()
}
