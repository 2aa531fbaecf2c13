use crate::i18n::{format_datetime, iso_instant, use_texts, Texts};
use crate::model::{CommentView, PersonRef, PostCard, PostKind};
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

fn kind_label(t: &Texts, kind: PostKind) -> &'static str {
    match kind {
        PostKind::Update => t.kind_update,
        PostKind::Announcement => t.kind_announcement,
        PostKind::Question => t.kind_question,
    }
}

/// Paragraphs of plain text, split on blank lines. (Markdown arrives with composing.)
fn paragraphs(body: &str) -> impl IntoView {
    body.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| view! { <p>{p.trim().to_owned()}</p> })
        .collect_view()
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
            <div class="post-body">{paragraphs(&post.body)}</div>
            <footer class="post-foot">
                <ul class="reactions" aria-label=t.reactions_label>
                    {post.reactions.into_iter().map(|r| view! {
                        <li class="reaction"><span aria-hidden="true">{r.emoji.clone()}</span>" "<span class="count">{r.count}</span></li>
                    }).collect_view()}
                </ul>
                <span class="comment-count">{(t.comments)(post.comment_count)}</span>
            </footer>
            {(shown > 0).then(|| view! {
                <ol class="comments">
                    {comments.into_iter().map(|c| view! { <CommentItem comment=c utc_offset_minutes/> }).collect_view()}
                </ol>
            })}
        </article>
    }
    .into_any()
}

#[component]
fn CommentItem(comment: CommentView, utc_offset_minutes: i32) -> impl IntoView {
    view! {
        <li class="comment">
            <Avatar person=comment.author.clone() small=true/>
            <div class="comment-main">
                <a class="comment-author" href=format!("/people/{}", comment.author.id)>{comment.author.name.clone()}</a>
                " "
                <Time unix_ms=comment.created_at utc_offset_minutes/>
                <p>{comment.body}</p>
            </div>
        </li>
    }
    .into_any()
}
