use crate::api::announcements::{announcement_reach, Acknowledge, Renotify};
use crate::api::posts::{AddComment, DeletePost, EditPost, PinPost, ToggleReaction};
use crate::components::live::{on_live, report_seen};
use crate::components::notice::FormError;
use crate::i18n::{format_datetime, iso_instant, Texts};
use crate::model::{
    AnnouncementInfo, CommentId, CommentView, LiveKind, PersonRef, PostActions, PostCard, PostId,
    PostKind, Reach, ReactionCount, REACTIONS,
};
use crate::prefs::use_prefs;
use crate::prefs::use_texts;
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
    let id = post.id;
    let kind_class = format!("kind kind-{}", post.kind.as_str());
    // What others change while the card is on screen, kept apart from the rest so that
    // a half-written comment survives an update.
    let reactions = RwSignal::new(post.reactions.clone());
    let comments = RwSignal::new(post.comments.clone());
    let comment_count = RwSignal::new(post.comment_count);
    let announcement = RwSignal::new(post.announcement.clone());
    let body_html = RwSignal::new(post.body_html.clone());
    let edited = RwSignal::new(post.edited);
    // Deleted, or no longer readable: the card goes.
    let gone = RwSignal::new(false);
    let refresh = Callback::new(move |_: ()| {
        leptos::task::spawn_local(async move {
            match crate::api::feed::post_view(id, false).await {
                Ok(page) => {
                    if let Some(card) = page.posts.into_iter().next() {
                        reactions.set(card.reactions);
                        comments.set(card.comments);
                        comment_count.set(card.comment_count);
                        announcement.set(card.announcement);
                        body_html.set(card.body_html);
                        edited.set(card.edited);
                    }
                }
                Err(crate::error::AppError::NotFound) => gone.set(true),
                Err(_) => {}
            }
        });
    });
    let page_refresh = use_context::<RefreshPosts>();
    on_live(move |event| {
        if event.post == Some(id)
            && matches!(
                event.kind,
                LiveKind::Comment | LiveKind::Reaction | LiveKind::Changed
            )
        {
            refresh.run(());
        }
    });
    let node = NodeRef::<leptos::html::Article>::new();
    report_seen(node, id);
    view! {
        <article class="post" class:post-pinned=pinned class:post-unread=post.unread class:post-gone=move || gone.get() data-post-id=id node_ref=node aria-labelledby=format!("post-{id}-author")>
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
                        {move || edited.get().then(|| view! { " · " <span class="edited">{t.edited}</span> })}
                    </span>
                </div>
                {post.unread.then(|| view! { <span class="unread-badge">{t.unread_badge}</span> })}
                <span class=kind_class>{kind_label(t, post.kind)}</span>
                {pinned.then(|| view! { <span class="pin-badge">{t.pinned}</span> })}
                <PostMenu post=post.clone() refresh/>
            </header>
            <div class="post-body" inner_html=move || body_html.get()></div>
            {move || announcement.get().map(|info| view! {
                <AnnouncementBar post=id info utc_offset_minutes page_refresh/>
            })}
            <footer class="post-foot">
                {move || view! { <Reactions post=id reactions=reactions.get() refresh/> }}
                <span class="comment-count">{move || (t.comments)(comment_count.get())}</span>
            </footer>
            <ol class="comments">
                <For each=move || comments.get() key=|c| c.id let:comment>
                    <CommentItem post=id comment utc_offset_minutes refresh/>
                </For>
            </ol>
            <CommentForm post=id parent=None refresh/>
        </article>
    }
    .into_any()
}

/// Edit, delete, pin and earlier versions, for those the policy lets (each a plain form).
#[component]
fn PostMenu(post: PostCard, refresh: Callback<()>) -> impl IntoView {
    let t = use_texts();
    let actions = post.actions;
    if actions == PostActions::default() {
        return ().into_any();
    }
    let id = post.id;
    let edit = ServerAction::<EditPost>::new();
    let delete = ServerAction::<DeletePost>::new();
    let pin = ServerAction::<PinPost>::new();
    // Pinning and deleting change the list (its pinned part, or one card fewer).
    let list = use_context::<RefreshPosts>().map_or(refresh, |RefreshPosts(list)| list);
    refresh_after(edit, refresh);
    refresh_after(delete, list);
    refresh_after(pin, list);
    // Done: the menu folds away, as menus do.
    let menu = NodeRef::<leptos::html::Details>::new();
    Effect::new(move |_| {
        let done = edit.value().get().is_some_and(|r| r.is_ok())
            || pin.value().get().is_some_and(|r| r.is_ok());
        if let (true, Some(menu)) = (done, menu.get_untracked()) {
            let _ = menu.remove_attribute("open");
        }
    });
    let back = crate::components::session::current_path();
    let (back_edit, back_pin) = (back.clone(), back.clone());
    view! {
        <details class="post-menu" node_ref=menu>
            <summary aria-label=t.post_actions_label title=t.post_actions_label>"⋯"</summary>
            <div class="post-menu-items">
                <FormError action=edit/>
                <FormError action=delete/>
                <FormError action=pin/>
                {actions.edit.then(|| view! {
                    <details class="edit-post">
                        <summary>{t.edit_post}</summary>
                        <ActionForm action=edit attr:class="form edit-form">
                            <input type="hidden" name="post" value=id/>
                            <input type="hidden" name="back" value=back_edit/>
                            <textarea name="body" rows="4" required maxlength="20000" aria-label=t.edit_post>{post.body.clone()}</textarea>
                            <button type="submit" class="primary">{t.save_edit}</button>
                        </ActionForm>
                    </details>
                })}
                {actions.pin.then(|| view! {
                    <ActionForm action=pin>
                        <input type="hidden" name="post" value=id/>
                        <input type="hidden" name="back" value=back_pin/>
                        {(!post.pinned).then(|| view! { <input type="hidden" name="pinned" value="on"/> })}
                        <button type="submit">{if post.pinned { t.unpin_post } else { t.pin_post }}</button>
                    </ActionForm>
                })}
                {actions.history.then(|| view! {
                    <a href=format!("/posts/{id}/history")>{t.history_link}</a>
                })}
                {actions.delete.then(|| view! {
                    <ActionForm action=delete>
                        <input type="hidden" name="post" value=id/>
                        <input type="hidden" name="back" value=back/>
                        <button type="submit" class="danger">{t.delete_post}</button>
                    </ActionForm>
                })}
            </div>
        </details>
    }
    .into_any()
}

/// A company announcement's state for the reader: must-read until when, their
/// acknowledgement, and (for its author and admins) its reach.
#[component]
fn AnnouncementBar(
    post: PostId,
    info: AnnouncementInfo,
    utc_offset_minutes: i32,
    page_refresh: Option<RefreshPosts>,
) -> impl IntoView {
    let t = use_texts();
    let lang = use_prefs().lang;
    let action = ServerAction::<Acknowledge>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            match page_refresh {
                Some(RefreshPosts(callback)) => callback.run(()),
                None => crate::prefs::load_page(&crate::components::session::current_path()),
            }
        }
    });
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
                <FormError action/>
                <ActionForm action attr:class="acknowledge-form">
                    <input type="hidden" name="post" value=post/>
                    <input type="hidden" name="back" value=back/>
                    <button type="submit" class="primary">{t.acknowledge}</button>
                </ActionForm>
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
    let current = RwSignal::new(reach);
    on_live(move |event| {
        if event.kind == LiveKind::Reach && event.post == Some(post) {
            leptos::task::spawn_local(async move {
                if let Ok(reach) = announcement_reach(post).await {
                    current.set(reach);
                }
            });
        }
    });
    let renotify = ServerAction::<Renotify>::new();
    let back = crate::components::session::current_path();
    view! {
        <div class="reach" data-testid="reach">
            <p class="reach-summary">
                {move || current.with(|r| (t.reach_summary)(r.seen, r.acknowledged, r.recipients))}
            </p>
            {move || {
                let reach = current.get();
                let back = back.clone();
                (!reach.pending.is_empty()).then(|| view! {
                    <details class="reach-pending">
                        <summary>{t.reach_pending}" ("{reach.pending.len()}")"</summary>
                        <ul>
                            {reach.pending.iter().map(|p| view! {
                                <li><a href=format!("/people/{}", p.id)>{p.name.clone()}</a></li>
                            }).collect_view()}
                        </ul>
                        <FormError action=renotify/>
                        <ActionForm action=renotify attr:class="renotify-form">
                            <input type="hidden" name="post" value=post/>
                            <input type="hidden" name="back" value=back/>
                            <button type="submit">{t.renotify}</button>
                        </ActionForm>
                        {move || renotify.value().get().and_then(Result::ok).map(|n| view! {
                            <p class="notice" role="status">{(t.renotified)(n)}</p>
                        })}
                    </details>
                })
            }}
        </div>
    }
    .into_any()
}

/// What a page that lists posts does after something changed that affects the list
/// (a new post, an acknowledged must-read): fetch it again. Without it, the page reloads.
#[derive(Clone, Copy)]
pub struct RefreshPosts(pub Callback<()>);

/// After a successful `action` on a card, the card fetches itself again. (Passed down
/// rather than provided as context: cards made later by a list would find the wrong one.)
fn refresh_after<S>(action: ServerAction<S>, refresh: Callback<()>)
where
    S: leptos::server_fn::ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            refresh.run(());
        }
    });
}

/// Reactions given so far, each a toggle; the rest of the set one click further.
#[component]
fn Reactions(post: PostId, reactions: Vec<ReactionCount>, refresh: Callback<()>) -> impl IntoView {
    let t = use_texts();
    let unused: Vec<&'static str> = REACTIONS
        .into_iter()
        .filter(|e| !reactions.iter().any(|r| r.emoji == *e))
        .collect();
    view! {
        <div class="reactions" role="group" aria-label=t.reactions_label>
            {reactions.into_iter().map(|r| view! {
                <ReactionButton post emoji=r.emoji count=r.count mine=r.mine people=r.people refresh/>
            }).collect_view()}
            <details class="add-reaction">
                <summary title=t.add_reaction aria-label=t.add_reaction>"+"</summary>
                <div class="reaction-picker">
                    {unused.into_iter().map(|emoji| view! {
                        <ReactionButton post emoji=emoji.to_owned() count=0 mine=false people=Vec::new() refresh/>
                    }).collect_view()}
                </div>
            </details>
        </div>
    }
    .into_any()
}

/// One reaction as a toggle. Who reacted shows on hover and keyboard focus, and on a
/// long press where there is no hover (touch screens open the context menu then).
#[component]
fn ReactionButton(
    post: PostId,
    emoji: String,
    count: i64,
    mine: bool,
    people: Vec<String>,
    refresh: Callback<()>,
) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<ToggleReaction>::new();
    refresh_after(action, refresh);
    let back = crate::components::session::current_path();
    let who = (count > 0).then(|| (t.reacted_by)(&people, count));
    let tip = format!(
        "reactors-{post}-{}",
        REACTIONS
            .iter()
            .position(|e| *e == emoji)
            .unwrap_or_default()
    );
    let held = RwSignal::new(false);
    let described_by = who.is_some().then(|| tip.clone());
    view! {
        <span class="reaction-wrap" class:reactors-open=move || held.get()
            on:contextmenu=move |ev| {
                if count > 0 {
                    ev.prevent_default();
                    held.update(|open| *open = !*open);
                }
            }>
            <ActionForm action attr:class="reaction-form">
                <input type="hidden" name="post" value=post/>
                <input type="hidden" name="emoji" value=emoji.clone()/>
                <input type="hidden" name="back" value=back/>
                <button type="submit" class="reaction" aria-pressed=mine.to_string() data-emoji=emoji.clone()
                    aria-describedby=described_by>
                    <span aria-hidden="true">{emoji.clone()}</span>
                    {(count > 0).then(|| view! { " "<span class="count">{count}</span> })}
                </button>
            </ActionForm>
            {who.map(|who| view! { <span class="reactors" role="tooltip" id=tip>{who}</span> })}
        </span>
    }
}

/// A comment box under a post, or a reply box under a comment (`parent`).
#[component]
fn CommentForm(post: PostId, parent: Option<CommentId>, refresh: Callback<()>) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<AddComment>::new();
    refresh_after(action, refresh);
    // Sent: an empty box again (the card itself stays, so nothing else clears it).
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
        }
    });
    let back = crate::components::session::current_path();
    let label = if parent.is_some() {
        t.write_reply
    } else {
        t.write_comment
    };
    view! {
        <FormError action/>
        <ActionForm action node_ref=form attr:class="comment-form">
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
fn CommentItem(
    post: PostId,
    comment: CommentView,
    utc_offset_minutes: i32,
    refresh: Callback<()>,
) -> impl IntoView {
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
                        <CommentForm post parent=Some(comment.id) refresh/>
                    </details>
                })}
            </div>
        </li>
    }
    .into_any()
}
