use crate::api::announcements::{Acknowledge, Renotify};
use crate::api::posts::{AddComment, DeletePost, EditPost, PinPost, ToggleReaction};
use crate::api::questions::{AcceptAnswer, MarkHelpful};
use crate::components::notice::FormError;
use crate::i18n::{format_datetime, iso_instant, Texts};
use crate::model::{
    AnnouncementInfo, CommentId, CommentView, PersonRef, PostActions, PostCard, PostId, PostKind,
    Reach, ReactionCount, REACTIONS,
};
use crate::prefs::use_prefs;
use crate::prefs::use_texts;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

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

/// Why a card's form was refused after a plain post (JavaScript off): once per page,
/// above its cards, since a refusal names the server function and not the card — with
/// a server action per form it showed on every card of the page. (With JavaScript
/// `islands::posts` shows it beside the form.) The cards' forms are plain `<form>`s,
/// the markup `ActionForm` renders.
#[component]
pub fn PostActionErrors() -> impl IntoView {
    let edit = ServerAction::<EditPost>::new();
    let delete = ServerAction::<DeletePost>::new();
    let pin = ServerAction::<PinPost>::new();
    let acknowledge = ServerAction::<Acknowledge>::new();
    let react = ServerAction::<ToggleReaction>::new();
    let comment = ServerAction::<AddComment>::new();
    let accept = ServerAction::<AcceptAnswer>::new();
    let helpful = ServerAction::<MarkHelpful>::new();
    view! {
        <FormError action=accept/>
        <FormError action=helpful/>
        <FormError action=edit/>
        <FormError action=delete/>
        <FormError action=pin/>
        <FormError action=acknowledge/>
        <FormError action=react/>
        <FormError action=comment/>
    }
}

/// A post as a card. Rendered on the server only; `islands::posts` makes its forms act
/// in place and swaps in its parts marked `data-region` when the post changes.
#[component]
pub fn PostCardView(
    post: PostCard,
    utc_offset_minutes: i32,
    #[prop(optional)] pinned: bool,
    /// On the post's own page: every comment, and a question's answers under a heading.
    #[prop(optional)]
    thread: bool,
) -> impl IntoView {
    let t = use_texts();
    let id = post.id;
    let kind_class = format!("kind kind-{}", post.kind.as_str());
    let question = post.kind == PostKind::Question;
    let answer = AnswerControls {
        question,
        may_accept: post.actions.accept,
        any_accepted: post.accepted_answer.is_some(),
    };
    let answer_count = post
        .comments
        .iter()
        .filter(|c| c.parent_id.is_none())
        .count() as i64;
    view! {
        <article class="post" class:post-pinned=pinned class:post-unread=post.unread data-post-id=id aria-labelledby=format!("post-{id}-author")>
            <header class="post-head">
                <Avatar person=post.author.clone()/>
                <div class="post-meta">
                    <a class="post-author" id=format!("post-{id}-author") href=format!("/people/{}", post.author.id)>{post.author.name.clone()}</a>
                    <span class="post-title">{post.author.job_title.clone()}</span>
                    <span class="post-where">
                        {t.in_channel}" "
                        <a href=format!("/channels/{}", post.channel_slug)>"#"{post.channel_name.clone()}</a>
                        " · "
                        <a class="post-link" href=format!("/posts/{id}")><Time unix_ms=post.created_at utc_offset_minutes/></a>
                        <span data-region="edited">{post.edited.then(|| view! { " · " <span class="edited">{t.edited}</span> })}</span>
                    </span>
                </div>
                {post.unread.then(|| view! { <span class="unread-badge">{t.unread_badge}</span> })}
                <span class=kind_class>{kind_label(t, post.kind)}</span>
                <span data-region="answered">
                    {post.answered().then(|| view! { <span class="answered-badge">"✓ "{t.qa.answered}</span> })}
                </span>
                {pinned.then(|| view! { <span class="pin-badge">{t.pinned}</span> })}
                <PostMenu post=post.clone()/>
            </header>
            <div class="post-body" data-region="body" inner_html=post.body_html.clone()></div>
            <div data-region="files">
                <crate::components::attachments::AttachmentList files=post.attachments.clone()/>
            </div>
            <div class="part-of" data-region="part-of">
                {(!post.part_of.is_empty()).then(|| view! {
                    <p class="notice notice-ok">{t.qa.part_of}" "
                        {post.part_of.iter().enumerate().map(|(i, (page, title))| view! {
                            {(i > 0).then_some(", ")}
                            <a href=format!("/pages/{page}")>{title.clone()}</a>
                        }).collect_view()}
                    </p>
                })}
            </div>
            <div class="post-announcement" data-region="announcement">
                {post.announcement.clone().map(|info| view! {
                    <AnnouncementBar post=id info utc_offset_minutes/>
                })}
            </div>
            <footer class="post-foot" data-region="foot">
                <Reactions post=id reactions=post.reactions.clone()/>
                // A link: a list shows a card's newest comment only on a phone (CSS).
                <a class="comment-count" href=format!("/posts/{id}")>{(t.comments)(post.comment_count)}</a>
            </footer>
            <div class="thread" data-region="comments">
                {(thread && question).then(|| view! {
                    <h2 class="answers-heading">{(t.qa.answers_heading)(answer_count)}</h2>
                    {(answer_count == 0).then(|| view! { <p class="empty">{t.qa.no_answers}</p> })}
                })}
                <ol class="comments">
                    {post.comments.iter().cloned().map(|comment| view! {
                        <CommentItem post=id comment utc_offset_minutes answer/>
                    }).collect_view()}
                </ol>
            </div>
            <CommentForm post=id parent=None question/>
        </article>
    }
    .into_any()
}

/// A post's card as the server renders it now, for the island that swaps it in
/// (`islands::posts`); `back` is the page it sits on, for its forms' plain-post
/// fallback. Reading it does not count as opening the post.
#[server(prefix = "/api", endpoint = "posts/card")]
pub async fn post_card_html(post: PostId, back: String) -> Result<String, crate::error::AppError> {
    // On the post's own page the card lists its whole thread.
    let thread = crate::api::accounts::local_path(Some(&back)) == format!("/posts/{post}");
    let page = crate::api::feed::post_view(post, thread).await?;
    let card = page
        .posts
        .into_iter()
        .next()
        .ok_or(crate::error::AppError::NotFound)?;
    let prefs = crate::prefs::use_prefs();
    let offset = page.utc_offset_minutes;
    let owner = Owner::new();
    Ok(owner.with(move || {
        provide_context(prefs);
        provide_context(crate::components::session::PagePath(
            crate::api::accounts::local_path(Some(&back)),
        ));
        view! { <PostCardView post=card utc_offset_minutes=offset thread/> }.to_html()
    }))
}

/// Edit, delete, pin and earlier versions, for those the policy lets (each a plain form).
#[component]
fn PostMenu(post: PostCard) -> impl IntoView {
    let t = use_texts();
    let actions = post.actions;
    if actions == PostActions::default() {
        return ().into_any();
    }
    let id = post.id;
    let back = crate::components::session::current_path();
    let (back_edit, back_pin) = (back.clone(), back.clone());
    view! {
        <details class="post-menu" data-region="menu" data-keep="menu">
            <summary aria-label=t.post_actions_label title=t.post_actions_label>"⋯"</summary>
            <div class="post-menu-items">
                {actions.edit.then(|| view! {
                    <details class="edit-post" data-keep="edit">
                        <summary>{t.edit_post}</summary>
                        <form action=EditPost::url() method="post" class="form edit-form">
                            <input type="hidden" name="post" value=id/>
                            <input type="hidden" name="back" value=back_edit/>
                            <textarea name="body" rows="4" required maxlength="20000" aria-label=t.edit_post>{post.body.clone()}</textarea>
                            <button type="submit" class="primary">{t.save_edit}</button>
                        </form>
                    </details>
                })}
                {actions.pin.then(|| view! {
                    <form action=PinPost::url() method="post" class="pin-form">
                        <input type="hidden" name="post" value=id/>
                        <input type="hidden" name="back" value=back_pin/>
                        {(!post.pinned).then(|| view! { <input type="hidden" name="pinned" value="on"/> })}
                        <button type="submit">{if post.pinned { t.unpin_post } else { t.pin_post }}</button>
                    </form>
                })}
                {actions.history.then(|| view! {
                    <a href=format!("/posts/{id}/history")>{t.history_link}</a>
                })}
                {actions.delete.then(|| view! {
                    <form action=DeletePost::url() method="post" class="delete-form">
                        <input type="hidden" name="post" value=id/>
                        <input type="hidden" name="back" value=back/>
                        <button type="submit" class="danger">{t.delete_post}</button>
                    </form>
                })}
            </div>
        </details>
    }
    .into_any()
}

/// A company announcement's state for the reader: must-read until when, their
/// acknowledgement, and (for its author and admins) its reach.
#[component]
fn AnnouncementBar(post: PostId, info: AnnouncementInfo, utc_offset_minutes: i32) -> impl IntoView {
    let t = use_texts();
    let lang = use_prefs().lang;
    let back = crate::components::session::current_path();
    view! {
        <div class="announcement-bar">
            {info.must_read.then(|| view! {
                <span class="must-read">
                    {t.must_read}
                    {info.expires_at.map(|at| view! {
                        " "{t.must_read_until}" "
                        {crate::i18n::format_date(lang, &crate::i18n::local_date(at, utc_offset_minutes))}
                    })}
                </span>
            })}
            {(info.addressed_to_me && info.acknowledged).then(|| view! {
                <span class="acknowledged">{t.acknowledged}</span>
            })}
            {(info.addressed_to_me && !info.acknowledged).then(|| view! {
                <form action=Acknowledge::url() method="post" class="acknowledge-form">
                    <input type="hidden" name="post" value=post/>
                    <input type="hidden" name="back" value=back/>
                    <button type="submit" class="primary">{t.acknowledge}</button>
                </form>
            })}
            {info.reach.map(|reach| view! { <ReachPanel reach/> })}
        </div>
    }
    .into_any()
}

/// Seen by N of M, acknowledged by K of M, kept current live; who has not acknowledged,
/// and a reminder for only them.
#[component]
fn ReachPanel(reach: Reach) -> impl IntoView {
    let t = use_texts();
    let post = reach.post_id;
    let renotify = ServerAction::<Renotify>::new();
    let back = crate::components::session::current_path();
    view! {
        <div class="reach" data-testid="reach">
            <p class="reach-summary">{(t.reach_summary)(reach.seen, reach.acknowledged, reach.recipients)}</p>
            {(!reach.pending.is_empty()).then(|| view! {
                <details class="reach-pending" data-keep="reach">
                    <summary>{t.reach_pending}" ("{reach.pending_count()}")"</summary>
                    <ul>
                        {reach.pending.iter().map(|p| view! {
                            <li><a href=format!("/people/{}", p.id)>{p.name.clone()}</a></li>
                        }).collect_view()}
                        // A card in a list names the first few; the post's page names all.
                        {(reach.pending_count() > reach.pending.len() as i64).then(|| view! {
                            <li class="reach-more"><a href=format!("/posts/{post}")>
                                {(t.reach_more)(reach.pending_count() - reach.pending.len() as i64)}
                            </a></li>
                        })}
                    </ul>
                    <FormError action=renotify/>
                    <ActionForm action=renotify attr:class="renotify-form">
                        <input type="hidden" name="post" value=post/>
                        <input type="hidden" name="back" value=back/>
                        <button type="submit">{t.renotify}</button>
                    </ActionForm>
                    {move || renotify.value().get().and_then(Result::ok).map(|n| view! {
                        <p class="notice" role="status">{(t.island.renotified)(n)}</p>
                    })}
                </details>
            })}
        </div>
    }
    .into_any()
}

/// Reactions given so far, each a toggle; the rest of the set one click further.
///
/// One form for the whole row: each emoji is a submit button carrying its own value, so
/// a card sends `post` and `back` once rather than once per emoji (a Home page of twenty
/// cards had 140 reaction forms, most of its inputs). Without script the browser sends
/// the pressed button's value; `islands::posts` does the same.
#[component]
fn Reactions(post: PostId, reactions: Vec<ReactionCount>) -> impl IntoView {
    let t = use_texts();
    let back = crate::components::session::current_path();
    let unused: Vec<&'static str> = REACTIONS
        .into_iter()
        .filter(|e| !reactions.iter().any(|r| r.emoji == *e))
        .collect();
    view! {
        <form action=ToggleReaction::url() method="post" class="reaction-form">
            <input type="hidden" name="post" value=post/>
            <input type="hidden" name="back" value=back/>
            // The group inside: a form may not be a group, and twenty named forms would
            // be twenty landmarks.
            <div class="reactions" role="group" aria-label=t.reactions_label>
                {reactions.into_iter().map(|r| view! {
                    <ReactionButton post emoji=r.emoji count=r.count mine=r.mine people=r.people/>
                }).collect_view()}
                <details class="add-reaction">
                    <summary title=t.add_reaction aria-label=t.add_reaction>"+"</summary>
                    <div class="reaction-picker">
                        {unused.into_iter().map(|emoji| view! {
                            <button type="submit" name="emoji" value=emoji class="reaction" aria-pressed="false" data-emoji=emoji>
                                <span aria-hidden="true">{emoji}</span>
                            </button>
                        }).collect_view()}
                    </div>
                </details>
            </div>
        </form>
    }
    .into_any()
}

/// One reaction someone gave, as a toggle. Who reacted shows on hover and keyboard focus,
/// and on a long press where there is no hover (touch screens open the context menu
/// then).
#[component]
fn ReactionButton(
    post: PostId,
    emoji: String,
    count: i64,
    mine: bool,
    people: Vec<String>,
) -> impl IntoView {
    let t = use_texts();
    let who = (count > 0).then(|| (t.reacted_by)(&people, count));
    let tip = format!(
        "reactors-{post}-{}",
        REACTIONS
            .iter()
            .position(|e| *e == emoji)
            .unwrap_or_default()
    );
    let described_by = who.is_some().then(|| tip.clone());
    // A long press (the context menu, on touch screens) opens who reacted: see
    // `islands::posts`.
    view! {
        <span class="reaction-wrap">
            <button type="submit" name="emoji" value=emoji.clone() class="reaction" aria-pressed=mine.to_string() data-emoji=emoji.clone()
                aria-describedby=described_by>
                <span aria-hidden="true">{emoji.clone()}</span>
                {(count > 0).then(|| view! { " "<span class="count">{count}</span> })}
            </button>
            {who.map(|who| view! { <span class="reactors" role="tooltip" id=tip>{who}</span> })}
        </span>
    }
}

/// A comment box under a post, or a reply box under a comment (`parent`).
#[component]
fn CommentForm(
    post: PostId,
    parent: Option<CommentId>,
    /// Under a question, a comment that is not a reply is an answer.
    #[prop(optional)]
    question: bool,
) -> impl IntoView {
    let t = use_texts();
    let back = crate::components::session::current_path();
    let label = if parent.is_some() {
        t.write_reply
    } else if question {
        t.qa.write_answer
    } else {
        t.write_comment
    };
    let button = if parent.is_some() {
        t.reply
    } else if question {
        t.qa.answer_button
    } else {
        t.comment_button
    };
    view! {
        <form action=AddComment::url() method="post" class="comment-form" enctype="multipart/form-data">
            <input type="hidden" name="post" value=post/>
            {parent.map(|id| view! { <input type="hidden" name="parent" value=id/> })}
            <input type="hidden" name="back" value=back/>
            <crate::components::client_id::ClientId/>
            <textarea name="body" rows="1" required maxlength="5000" aria-label=label placeholder=label></textarea>
            <crate::components::attachments::AttachPicker compact=true/>
            <button type="submit">{button}</button>
        </form>
    }
    .into_any()
}

/// What an answer under a question offers: "helpful", and acceptance for those who may.
#[derive(Clone, Copy, Debug, Default)]
struct AnswerControls {
    question: bool,
    may_accept: bool,
    any_accepted: bool,
}

#[component]
fn CommentItem(
    post: PostId,
    comment: CommentView,
    utc_offset_minutes: i32,
    answer: AnswerControls,
) -> impl IntoView {
    let t = use_texts();
    let reply = comment.parent_id.is_some();
    let is_answer = answer.question && !reply;
    let id = comment.id;
    let back = crate::components::session::current_path();
    let back_accept = back.clone();
    view! {
        <li class="comment" id=format!("comment-{id}") class:comment-reply=reply class:comment-accepted=comment.accepted data-comment-id=id>
            <Avatar person=comment.author.clone() small=true/>
            <div class="comment-main">
                {comment.accepted.then(|| view! {
                    <p class="accepted-mark">"✓ "{t.qa.accepted_answer}</p>
                })}
                <a class="comment-author" href=format!("/people/{}", comment.author.id)>{comment.author.name.clone()}</a>
                " "
                <Time unix_ms=comment.created_at utc_offset_minutes/>
                <div class="comment-body" inner_html=comment.body_html></div>
                <crate::components::attachments::AttachmentList files=comment.attachments.clone()/>
                {is_answer.then(|| view! {
                    <div class="answer-actions">
                        {if comment.own {
                            (comment.helpful > 0).then(|| view! {
                                <span class="helpful-count">{(t.qa.helpful_label)(comment.helpful)}</span>
                            }).into_any()
                        } else {
                            view! {
                                <form action=MarkHelpful::url() method="post" class="helpful-form">
                                    <input type="hidden" name="comment" value=id/>
                                    <input type="hidden" name="back" value=back/>
                                    {(!comment.helpful_mine).then(|| view! { <input type="hidden" name="on" value="on"/> })}
                                    <button type="submit" class="helpful" aria-pressed=comment.helpful_mine.to_string()
                                        title=(t.qa.helpful_label)(comment.helpful)>
                                        "👍 "{t.qa.helpful}
                                        {(comment.helpful > 0).then(|| view! { " "<span class="count">{comment.helpful}</span> })}
                                    </button>
                                </form>
                            }.into_any()
                        }}
                        // The accepted answer can become a knowledge page (the form
                        // says where the reader may start one, or that they may not).
                        {(comment.accepted && (answer.may_accept || comment.own)).then(|| view! {
                            <a class="turn-into-page" href=format!("/pages/new?question={post}")>{t.qa.turn_into_page}</a>
                        })}
                        {(answer.may_accept && !comment.accepted).then(|| view! {
                            <form action=AcceptAnswer::url() method="post" class="accept-form">
                                <input type="hidden" name="post" value=post/>
                                <input type="hidden" name="comment" value=id/>
                                <input type="hidden" name="on" value="on"/>
                                <input type="hidden" name="back" value=back_accept/>
                                <button type="submit" class="accept">
                                    {if answer.any_accepted { t.qa.accept_instead } else { t.qa.accept }}
                                </button>
                            </form>
                        })}
                    </div>
                })}
                {(!reply).then(|| view! {
                    <details class="reply" data-keep=format!("reply-{}", comment.id)>
                        <summary>{t.reply}</summary>
                        <CommentForm post parent=Some(comment.id)/>
                    </details>
                })}
            </div>
        </li>
    }
    .into_any()
}
