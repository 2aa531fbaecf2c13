//! Writing in channels: posts, comments (one level of replies) and reactions, and whom
//! each one notifies. The logic behind the posting server functions, callable without
//! HTTP. Every write first finds the channel and asks the policy; refusals store
//! nothing, and a write, its notifications and its live event commit together.

use crate::calendar::Calendar;
use crate::domain::markdown::{references, References};
use crate::error::{AppError, Field, Invalid};
use crate::input::required;
use crate::model::{
    ChannelKind, CommentId, LiveKind, NotificationKind, NotifyLevel, PersonId, PostActions, PostId,
    PostKind, PostVersion, Posted, REACTIONS,
};
use crate::policy::{allows, Action, ChannelFacts, Viewer};
use crate::store::{Activity, ActivityAction};
use crate::store::{
    ChannelAccess, MentionTarget, NewComment, NewNotification, NewPost, PostPlace, RoutedExpert,
    Store, Tx,
};
use std::collections::BTreeMap;

/// The longest post, in characters.
pub const MAX_POST: usize = 20_000;
/// The longest comment, in characters.
pub const MAX_COMMENT: usize = 5_000;
/// The most people one post or comment may mention: more is what `@channel` is for
/// (and `@channel` is for the channel's admins).
pub const MAX_MENTIONS: usize = 20;
/// The most tags one post may have: each is a row written while the database is locked.
pub const MAX_TAGS: usize = 10;

/// Checks a text before any database work: it must render within the Markdown budgets
/// (off the async workers) and name at most [`MAX_MENTIONS`] people and [`MAX_TAGS`]
/// tags. Returns whom and what it refers to. Every path that stores a post, comment or
/// announcement passes here.
pub(crate) async fn checked_text(body: &str, field: Field) -> Result<References, AppError> {
    crate::domain::markdown::check(body)
        .await
        .map_err(|_| Invalid::TooComplex(field))?;
    let refs = references(body);
    if refs.handles.len() > MAX_MENTIONS {
        return Err(Invalid::TooManyMentions(MAX_MENTIONS).into());
    }
    if refs.tags.len() > MAX_TAGS {
        return Err(Invalid::TooManyTags(MAX_TAGS).into());
    }
    Ok(refs)
}

pub(crate) fn facts(channel: &ChannelAccess) -> ChannelFacts {
    ChannelFacts {
        kind: channel.summary.kind,
        member: channel.membership.is_some(),
    }
}

/// The channel, if `viewer` may read it; a private channel they are not in is
/// `NotFound`, as if it did not exist.
pub(crate) async fn readable(
    store: &Store,
    viewer: &Viewer,
    slug: &str,
) -> Result<ChannelAccess, AppError> {
    let channel = store
        .channel_access(slug, viewer.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if allows(Some(viewer), Action::ReadChannel(facts(&channel))) {
        Ok(channel)
    } else if channel.summary.kind == ChannelKind::Private {
        Err(AppError::NotFound)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Whether `viewer` may post in `channel`, and why not.
pub fn may_post(viewer: &Viewer, channel: &ChannelAccess) -> Result<(), AppError> {
    may_post_where(
        viewer,
        channel.summary.kind,
        channel.membership,
        channel.archived,
    )
}

/// [`may_post`] for a channel offered as a choice (never archived: lists of choices
/// leave those out).
pub fn may_post_in_choice(
    viewer: &Viewer,
    channel: &crate::store::ChannelChoice,
) -> Result<(), AppError> {
    may_post_where(viewer, channel.kind, channel.membership, false)
}

fn may_post_where(
    viewer: &Viewer,
    kind: ChannelKind,
    membership: Option<bool>,
    archived: bool,
) -> Result<(), AppError> {
    let action = Action::PostIn {
        channel: ChannelFacts {
            kind,
            member: membership.is_some(),
        },
        channel_admin: membership == Some(true),
        archived,
    };
    if allows(Some(viewer), action) {
        Ok(())
    } else if archived {
        Err(AppError::ChannelArchived)
    } else if kind == ChannelKind::Announcement {
        Err(AppError::AnnouncementsOnly)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A post about to be written.
pub struct PostInput<'a> {
    pub channel: &'a str,
    pub kind: &'a str,
    pub body: &'a str,
    /// The author confirmed that `@channel` may notify every member.
    pub confirm_channel: bool,
    /// The keys of the author's pending files to attach (`domain::files`).
    pub files: &'a [String],
}

/// Whom a text notifies: everyone it may notify, each once, with the strongest reason.
#[derive(Default)]
struct Recipients {
    kinds: BTreeMap<PersonId, NotificationKind>,
    mentioned: Vec<PersonId>,
    not_notified: Vec<String>,
}

impl Recipients {
    fn add(&mut self, user_id: PersonId, kind: NotificationKind) {
        // Earlier reasons are stronger: a mention beats "every post".
        self.kinds.entry(user_id).or_insert(kind);
    }

    /// Adds the mentioned people who may read the channel; the others are named back
    /// to the author.
    fn mentions(&mut self, channel: &ChannelAccess, targets: Vec<MentionTarget>, author: PersonId) {
        for target in targets {
            let person = Viewer {
                user_id: target.user_id,
                name: target.name.clone(),
                role: target.role,
                // Reading a channel does not depend on it.
                leader: false,
            };
            let facts = ChannelFacts {
                kind: channel.summary.kind,
                member: target.member,
            };
            if !allows(Some(&person), Action::ReadChannel(facts)) {
                self.not_notified.push(target.name);
                continue;
            }
            self.mentioned.push(target.user_id);
            if target.user_id != author && target.notify != NotifyLevel::Nothing {
                self.add(target.user_id, NotificationKind::Mention);
            }
        }
    }

    async fn send(
        &self,
        tx: &mut Tx,
        author: PersonId,
        post_id: PostId,
        comment_id: Option<CommentId>,
        now: i64,
    ) -> Result<(), AppError> {
        let list: Vec<NewNotification> = self
            .kinds
            .iter()
            .filter(|(user_id, _)| **user_id != author)
            .map(|(user_id, kind)| NewNotification {
                user_id: *user_id,
                kind: *kind,
                actor_id: Some(author),
                post_id: Some(post_id),
                comment_id,
            })
            .collect();
        Ok(tx.notify(&list, now).await?)
    }
}

/// Who a post's text reaches: mentioned readers, the whole channel for a confirmed
/// `@channel`, and the members who hear about every post.
async fn post_recipients(
    store: &Store,
    viewer: &Viewer,
    channel: &ChannelAccess,
    refs: &References,
    confirm_channel: bool,
    experts: &[RoutedExpert],
) -> Result<Recipients, AppError> {
    let mut recipients = Recipients::default();
    recipients.mentions(
        channel,
        store
            .mention_targets(channel.id, &refs.handles, viewer.user_id)
            .await?,
        viewer.user_id,
    );
    // A question reaches the people who know its topic, once, before the channel does.
    for expert in experts {
        recipients.add(expert.user_id, NotificationKind::Question);
    }
    if refs.channel {
        let action = Action::MentionChannel {
            channel_admin: channel.membership == Some(true),
        };
        if !allows(Some(viewer), action) {
            return Err(AppError::ChannelMentionAdminsOnly);
        }
        let everyone = store.channel_audience(channel.id, true).await?;
        if !confirm_channel {
            let others = everyone
                .iter()
                .filter(|m| m.user_id != viewer.user_id)
                .count();
            return Err(Invalid::ConfirmChannelMention(others as i64).into());
        }
        for member in everyone {
            if member.notify != NotifyLevel::Nothing {
                recipients.add(member.user_id, NotificationKind::ChannelMention);
            }
        }
    }
    for member in store.channel_audience(channel.id, false).await? {
        recipients.add(member.user_id, NotificationKind::Post);
    }
    Ok(recipients)
}

/// A post that passed every check, with whom it notifies: what [`write_post`] stores.
pub(crate) struct CheckedPost {
    pub channel: ChannelAccess,
    pub kind: PostKind,
    pub body: String,
    refs: References,
    recipients: Recipients,
    /// For a question: the people it is routed to.
    experts: Vec<RoutedExpert>,
    calendar: Calendar,
    /// Pending files of the author's to attach.
    pub files: Vec<String>,
}

/// Asks the policy whether `viewer` may post `input` now, checks the text, and works out
/// whom it notifies. Nothing is stored.
pub(crate) async fn check_post(
    store: &Store,
    viewer: &Viewer,
    input: &PostInput<'_>,
) -> Result<CheckedPost, AppError> {
    let channel = readable(store, viewer, input.channel).await?;
    may_post(viewer, &channel)?;
    let kind = match PostKind::parse(input.kind.trim()) {
        // Announcements to the company come with audiences and acknowledgements; a
        // channel's admins may mark a channel post as one.
        Some(PostKind::Announcement) if channel.membership != Some(true) => {
            return Err(Invalid::Unacceptable(Field::Kind).into())
        }
        Some(kind) => kind,
        None => return Err(Invalid::Unacceptable(Field::Kind).into()),
    };
    let body = required(input.body, Field::Post, MAX_POST)?.to_owned();
    let files = crate::domain::files::checked_keys(Some(&input.files.join(" ")))?;
    let refs = checked_text(&body, Field::Post).await?;
    let experts = crate::domain::routing::experts_for(store, viewer, &channel, kind, &body).await?;
    let recipients = post_recipients(
        store,
        viewer,
        &channel,
        &refs,
        input.confirm_channel,
        &experts,
    )
    .await?;
    Ok(CheckedPost {
        channel,
        kind,
        body,
        refs,
        recipients,
        experts,
        calendar: store.calendar().await?,
        files,
    })
}

/// Writes a checked post at `at` with its mentions, tags, notifications and live event,
/// inside `tx`: posting now and publishing a scheduled post share this.
pub(crate) async fn write_post(
    tx: &mut Tx,
    author: PersonId,
    post: &CheckedPost,
    at: i64,
) -> Result<Posted<PostId>, AppError> {
    let id = tx
        .create_post(&NewPost {
            channel_id: post.channel.id,
            author_id: author,
            kind: post.kind,
            body: &post.body,
            created_at: at,
        })
        .await?;
    // A key that is not a pending file of the author's (posted already, removed,
    // someone else's) refuses the whole post: the caller's transaction rolls back.
    if !tx
        .attach_files(crate::store::Holder::Post(id), author, &post.files)
        .await?
    {
        return Err(Invalid::Unacceptable(Field::File).into());
    }
    tx.add_mentions(id, &post.recipients.mentioned).await?;
    tx.add_tags(id, &post.refs.tags).await?;
    tx.add_question_experts(id, &post.experts, at).await?;
    post.recipients.send(tx, author, id, None, at).await?;
    let posted = Activity::on_post(
        author,
        at,
        ActivityAction::Posted,
        post.channel.id,
        post.kind,
    );
    tx.record_activity(&post.calendar, &[posted]).await?;
    tx.record_event(
        LiveKind::Post,
        Some(post.channel.id),
        None,
        Some(id),
        Some(author),
        at,
    )
    .await?;
    Ok(Posted {
        id,
        not_notified: post.recipients.not_notified.clone(),
    })
}

/// Posts Markdown in a channel; mentions, `@channel` and tags take effect with it.
pub async fn create_post(
    store: &Store,
    viewer: &Viewer,
    input: &PostInput<'_>,
    now: i64,
) -> Result<Posted<PostId>, AppError> {
    let post = check_post(store, viewer, input).await?;
    let mut tx = store.begin().await?;
    let posted = write_post(&mut tx, viewer.user_id, &post, now).await?;
    tx.commit().await?;
    Ok(posted)
}

/// A post `viewer` may read, and its channel.
pub(crate) async fn visible_post(
    store: &Store,
    viewer: &Viewer,
    post_id: PostId,
) -> Result<(PostPlace, ChannelAccess), AppError> {
    let place = store.post_place(post_id).await?.ok_or(AppError::NotFound)?;
    // The card query applies the audience rule the channel check alone does not know.
    if place.audience_only
        && store
            .post_card(crate::store::Reader::of(viewer), post_id)
            .await?
            .is_none()
    {
        return Err(AppError::NotFound);
    }
    let channel = readable(store, viewer, &place.channel_slug).await?;
    Ok((place, channel))
}

/// A post `viewer` may respond to, and its channel.
pub(crate) async fn respondable(
    store: &Store,
    viewer: &Viewer,
    post_id: PostId,
) -> Result<(PostPlace, ChannelAccess), AppError> {
    let (place, channel) = visible_post(store, viewer, post_id).await?;
    let action = Action::Respond {
        channel: facts(&channel),
        archived: channel.archived,
    };
    if allows(Some(viewer), action) {
        Ok((place, channel))
    } else if channel.archived {
        Err(AppError::ChannelArchived)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Commits an edit, deletion or pin, telling the post's readers it changed.
async fn commit_change(
    mut tx: Tx,
    place: &PostPlace,
    channel: &ChannelAccess,
    post_id: PostId,
    viewer: &Viewer,
    now: i64,
) -> Result<(), AppError> {
    post_changed(
        &mut tx,
        LiveKind::Changed,
        place,
        channel,
        post_id,
        viewer.user_id,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What `viewer` did to the post at `place`, for the adoption figures.
pub(crate) fn on_place(
    viewer: &Viewer,
    at: i64,
    action: ActivityAction,
    place: &PostPlace,
) -> Activity {
    Activity::on_post(viewer.user_id, at, action, place.channel_id, place.kind)
}

/// The live event that tells a post's readers it changed: for the channel, unless only
/// an announcement's recipients may read it (they see the change when they next look).
pub(crate) async fn post_changed(
    tx: &mut Tx,
    kind: LiveKind,
    place: &PostPlace,
    channel: &ChannelAccess,
    post_id: PostId,
    actor: PersonId,
    now: i64,
) -> Result<(), AppError> {
    if !place.audience_only {
        tx.record_event(
            kind,
            Some(channel.id),
            None,
            Some(post_id),
            Some(actor),
            now,
        )
        .await?;
    }
    Ok(())
}

/// Comments on a post, or replies to one of its comments (`parent`); replies to a reply
/// join the same thread, one level deep. The post's author, the comment's author and
/// the people it mentions are notified.
pub async fn comment(
    store: &Store,
    viewer: &Viewer,
    post_id: PostId,
    parent: Option<CommentId>,
    body: &str,
    files: &[String],
    now: i64,
) -> Result<Posted<CommentId>, AppError> {
    let files = crate::domain::files::checked_keys(Some(&files.join(" ")))?;
    let (place, channel) = respondable(store, viewer, post_id).await?;
    let (parent_id, replied_to) = match parent {
        Some(id) => match store.comment_place(id).await? {
            Some((post, grandparent, author)) if post == post_id => {
                (Some(grandparent.unwrap_or(id)), Some(author))
            }
            _ => return Err(AppError::NotFound),
        },
        None => (None, None),
    };
    let body = required(body, Field::Comment, MAX_COMMENT)?;
    let refs = checked_text(body, Field::Comment).await?;
    let mut recipients = Recipients::default();
    recipients.mentions(
        &channel,
        store
            .mention_targets(channel.id, &refs.handles, viewer.user_id)
            .await?,
        viewer.user_id,
    );
    if let Some(author) = replied_to {
        recipients.add(author, NotificationKind::Reply);
    }
    // On a question, a comment that is not a reply is an answer.
    let answer = place.kind == PostKind::Question && parent_id.is_none();
    recipients.add(
        place.author_id,
        if answer {
            NotificationKind::Answer
        } else {
            NotificationKind::Comment
        },
    );
    let calendar = store.calendar().await?;
    let mut tx = store.begin().await?;
    let id = tx
        .create_comment(&NewComment {
            post_id,
            parent_id,
            author_id: viewer.user_id,
            body,
            created_at: now,
        })
        .await?;
    if !tx
        .attach_files(crate::store::Holder::Comment(id), viewer.user_id, &files)
        .await?
    {
        return Err(Invalid::Unacceptable(Field::File).into());
    }
    recipients
        .send(&mut tx, viewer.user_id, post_id, Some(id), now)
        .await?;
    let commented = on_place(viewer, now, ActivityAction::Commented, &place);
    tx.record_activity(&calendar, &[commented]).await?;
    post_changed(
        &mut tx,
        LiveKind::Comment,
        &place,
        &channel,
        post_id,
        viewer.user_id,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Posted {
        id,
        not_notified: recipients.not_notified,
    })
}

/// Adds `viewer`'s `emoji` reaction, or takes it back if it is there; returns whether
/// it is there now.
pub async fn toggle_reaction(
    store: &Store,
    viewer: &Viewer,
    post_id: PostId,
    emoji: &str,
    now: i64,
) -> Result<bool, AppError> {
    let (place, channel) = respondable(store, viewer, post_id).await?;
    if !REACTIONS.contains(&emoji) {
        return Err(Invalid::Unacceptable(Field::Reaction).into());
    }
    let calendar = store.calendar().await?;
    let mut tx = store.begin().await?;
    let added = if tx.remove_reaction(post_id, viewer.user_id, emoji).await? {
        false
    } else {
        tx.add_reaction(post_id, viewer.user_id, emoji, now).await?
    };
    if added && place.author_id != viewer.user_id {
        let notification = NewNotification {
            user_id: place.author_id,
            kind: NotificationKind::Reaction,
            actor_id: Some(viewer.user_id),
            post_id: Some(post_id),
            comment_id: None,
        };
        tx.notify(&[notification], now).await?;
    }
    if added {
        let reacted = on_place(viewer, now, ActivityAction::Reacted, &place);
        tx.record_activity(&calendar, &[reacted]).await?;
    }
    post_changed(
        &mut tx,
        LiveKind::Reaction,
        &place,
        &channel,
        post_id,
        viewer.user_id,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(added)
}

/// What `viewer` may do to `card`: the buttons it shows (the server asks again).
pub fn post_actions(viewer: &Viewer, card: &crate::model::PostCard) -> PostActions {
    let author = card.author.id;
    let channel_admin = card.reader_channel_admin;
    let may = |action| allows(Some(viewer), action);
    PostActions {
        edit: may(Action::EditPost {
            author,
            archived: false,
        }),
        delete: may(Action::DeletePost {
            author,
            channel_admin,
        }),
        pin: may(Action::ModeratePosts { channel_admin }),
        history: card.edited && may(Action::ModeratePosts { channel_admin }),
        accept: card.kind == PostKind::Question
            && may(Action::AcceptAnswer {
                asker: author,
                channel_admin,
                // Cards do not say whether their channel is archived; the server asks again.
                archived: false,
            }),
    }
}

/// Replaces a post's text (its author only). The old text stays in its history; people
/// newly mentioned are notified.
pub async fn edit_post(
    store: &Store,
    viewer: &Viewer,
    post_id: PostId,
    body: &str,
    now: i64,
) -> Result<(), AppError> {
    let (place, channel) = visible_post(store, viewer, post_id).await?;
    let action = Action::EditPost {
        author: place.author_id,
        archived: channel.archived,
    };
    if !allows(Some(viewer), action) {
        return Err(if channel.archived {
            AppError::ChannelArchived
        } else {
            AppError::Forbidden
        });
    }
    let body = required(body, Field::Post, MAX_POST)?;
    let refs = checked_text(body, Field::Post).await?;
    let already = store.mentioned_in(post_id).await?;
    let mut recipients = Recipients::default();
    let targets = store
        .mention_targets(channel.id, &refs.handles, viewer.user_id)
        .await?
        .into_iter()
        .filter(|t| !already.contains(&t.user_id))
        .collect();
    recipients.mentions(&channel, targets, viewer.user_id);
    let mut tx = store.begin().await?;
    tx.edit_post(post_id, body, viewer.user_id, now).await?;
    tx.add_mentions(post_id, &recipients.mentioned).await?;
    tx.add_tags(post_id, &refs.tags).await?;
    recipients
        .send(&mut tx, viewer.user_id, post_id, None, now)
        .await?;
    commit_change(tx, &place, &channel, post_id, viewer, now).await
}

/// Deletes a post (its author, the channel's admins, the company's): it disappears from
/// every feed but stays stored.
pub async fn delete_post(
    store: &Store,
    viewer: &Viewer,
    post_id: PostId,
    now: i64,
) -> Result<(), AppError> {
    let (place, channel) = visible_post(store, viewer, post_id).await?;
    let action = Action::DeletePost {
        author: place.author_id,
        channel_admin: channel.membership == Some(true),
    };
    if !allows(Some(viewer), action) {
        return Err(AppError::Forbidden);
    }
    let mut tx = store.begin().await?;
    tx.delete_post(post_id, viewer.user_id, now).await?;
    commit_change(tx, &place, &channel, post_id, viewer, now).await
}

/// Pins a post at the end of its channel's pinned list, or unpins it (channel admins,
/// company admins).
pub async fn set_pinned(
    store: &Store,
    viewer: &Viewer,
    post_id: PostId,
    pinned: bool,
    now: i64,
) -> Result<(), AppError> {
    let (place, channel) = visible_post(store, viewer, post_id).await?;
    let action = Action::ModeratePosts {
        channel_admin: channel.membership == Some(true),
    };
    if !allows(Some(viewer), action) {
        return Err(AppError::Forbidden);
    }
    if channel.archived {
        return Err(AppError::ChannelArchived);
    }
    let mut tx = store.begin().await?;
    if pinned {
        if !store.is_pinned(post_id).await? {
            tx.pin_post(post_id, viewer.user_id, now).await?;
        }
    } else {
        tx.unpin_post(post_id).await?;
    }
    commit_change(tx, &place, &channel, post_id, viewer, now).await
}

/// A post's earlier texts, for the channel's and the company's admins.
pub async fn history(
    store: &Store,
    viewer: &Viewer,
    post_id: PostId,
) -> Result<Vec<PostVersion>, AppError> {
    let (_, channel) = visible_post(store, viewer, post_id).await?;
    let action = Action::ModeratePosts {
        channel_admin: channel.membership == Some(true),
    };
    if !allows(Some(viewer), action) {
        return Err(AppError::Forbidden);
    }
    let mut versions = store.post_versions(post_id).await?;
    crate::domain::markdown::render_fields(versions.iter_mut().map(|v| &mut v.body_html).collect())
        .await;
    Ok(versions)
}
