//! Reading posts: the home, company, mentions, tag and person feeds, a channel's page,
//! one post. Every page of cards leaves here through [`page`], which renders their
//! Markdown, gives each card the buttons the policy allows and marks what is new.

use crate::domain::markdown;
use crate::error::AppError;
use crate::model::{
    ChannelKind, ChannelPage, Cursor, FeedPage, PersonId, PostCard, PostId, PostKind,
};
use crate::policy::{allows, Action, ChannelFacts, Viewer};
use crate::store::{now_ms, FeedScope, LookedAt, Reader, Store};

/// How many posts one feed page holds.
pub const FEED_PAGE_SIZE: i64 = 20;

/// One page of the company feed, older than `before`; pins sit above the newest posts
/// only, older pages are plain history.
pub async fn company(
    store: &Store,
    viewer: &Viewer,
    before: Option<Cursor>,
) -> Result<FeedPage, AppError> {
    let reader = Reader::of(viewer);
    let pinned = if before.is_none() {
        store.company_pins(reader).await?
    } else {
        Vec::new()
    };
    let posts = store
        .feed(reader, &FeedScope::Company, before, FEED_PAGE_SIZE + 1)
        .await?;
    let looked = before.is_none().then_some(LookedAt::Feed("company"));
    page(store, viewer, pinned, posts, looked).await
}

/// The home feed: must-read announcements not yet acknowledged on top, then the
/// viewer's channels, announcements addressed to them and posts mentioning them.
pub async fn home(
    store: &Store,
    viewer: &Viewer,
    before: Option<Cursor>,
) -> Result<FeedPage, AppError> {
    let reader = Reader::of(viewer);
    let pinned = if before.is_none() {
        store.must_reads(reader, now_ms()).await?
    } else {
        Vec::new()
    };
    let posts = store
        .feed(reader, &FeedScope::Home, before, FEED_PAGE_SIZE + 1)
        .await?;
    let looked = before.is_none().then_some(LookedAt::Feed("home"));
    page(store, viewer, pinned, posts, looked).await
}

/// One page of a feed that has no pins (mentions, a tag, a person, search results).
pub async fn scoped(
    store: &Store,
    viewer: &Viewer,
    scope: FeedScope,
    before: Option<Cursor>,
) -> Result<FeedPage, AppError> {
    let looked = match scope {
        FeedScope::Mentions if before.is_none() => Some(LookedAt::Feed("mentions")),
        _ => None,
    };
    let posts = store
        .feed(Reader::of(viewer), &scope, before, FEED_PAGE_SIZE + 1)
        .await?;
    page(store, viewer, Vec::new(), posts, looked).await
}

/// One person's posts, for their profile. Like their profile, the posts of someone a
/// guest may not see do not exist for that guest.
pub async fn person(
    store: &Store,
    viewer: &Viewer,
    person: PersonId,
    before: Option<Cursor>,
) -> Result<FeedPage, AppError> {
    if !store.may_see_person(viewer.user_id, person).await? {
        return Err(AppError::NotFound);
    }
    scoped(store, viewer, FeedScope::Author(person), before).await
}

/// One post, for its own page and for refreshing a card in place. Opening an
/// announcement's page counts as seeing it.
pub async fn post(
    store: &Store,
    viewer: &Viewer,
    id: PostId,
    opened: bool,
    thread: bool,
) -> Result<FeedPage, AppError> {
    let mut post = store
        .post_card(Reader::of(viewer), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if thread {
        // Its own page lists every comment; a question's answers best first.
        post.comments = store
            .thread(
                Reader::of(viewer),
                id,
                post.accepted_answer,
                post.kind == crate::model::PostKind::Question,
            )
            .await?;
    }
    if opened
        && post
            .announcement
            .as_ref()
            .is_some_and(|a| a.addressed_to_me)
    {
        crate::domain::announcements::mark_seen(store, viewer, &[id], now_ms()).await?;
    }
    page(store, viewer, Vec::new(), vec![post], None).await
}

/// A channel's header, pins and one page of its posts. A private channel the viewer is
/// not in does not exist as far as they can tell; any other channel they may not read
/// is refused.
pub async fn channel(
    store: &Store,
    viewer: &Viewer,
    slug: &str,
    before: Option<Cursor>,
) -> Result<ChannelPage, AppError> {
    let channel = store
        .channel_access(slug, viewer.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let facts = ChannelFacts {
        kind: channel.summary.kind,
        member: channel.membership.is_some(),
    };
    if !allows(Some(viewer), Action::ReadChannel(facts)) {
        return Err(if facts.kind == ChannelKind::Private {
            AppError::NotFound
        } else {
            AppError::Forbidden
        });
    }
    let reader = Reader::of(viewer);
    let pinned = if before.is_none() {
        store.channel_pins(reader, channel.id).await?
    } else {
        Vec::new()
    };
    let looked = before.is_none().then_some(LookedAt::Channel(channel.id));
    let posts = store
        .feed(
            reader,
            &FeedScope::Channel(channel.id),
            before,
            FEED_PAGE_SIZE + 1,
        )
        .await?;
    let post_kinds = match crate::domain::posts::may_post(viewer, &channel) {
        Ok(()) if channel.membership == Some(true) => {
            vec![PostKind::Update, PostKind::Question, PostKind::Announcement]
        }
        Ok(()) => vec![PostKind::Update, PostKind::Question],
        Err(_) => Vec::new(),
    };
    Ok(ChannelPage {
        notify: store.notify_level(channel.id, viewer.user_id).await?,
        standing: crate::domain::channels::standing(viewer, &channel),
        channel_id: channel.id,
        post_kinds,
        feed: page(store, viewer, pinned, posts, looked).await?,
        channel: channel.summary,
        guidelines: channel.guidelines,
    })
}

/// Notes that `viewer` opens `place` now, whose newest post is from `newest`; returns
/// when they looked before, which is what "new" is measured from. Nothing is written
/// when nothing arrived since (most page views): the mark would move, but mean the same.
async fn look(
    store: &Store,
    viewer: &Viewer,
    place: LookedAt,
    newest: Option<i64>,
) -> Result<Option<i64>, AppError> {
    let before = store.looked_at(viewer.user_id, place).await?;
    if newest.is_some_and(|at| before.is_none_or(|looked| at > looked)) {
        let mut tx = store.begin().await?;
        tx.mark_looked(viewer.user_id, place, now_ms()).await?;
        tx.commit().await?;
    }
    Ok(before)
}

/// A feed page from up to one more post than a page holds (the extra one says there is
/// a next page), each card rendered and with the buttons the policy gives `viewer`. For
/// the first page of a feed one `looked` at, cards someone else posted since the last
/// look are new.
pub async fn page(
    store: &Store,
    viewer: &Viewer,
    mut pinned: Vec<PostCard>,
    mut posts: Vec<PostCard>,
    looked: Option<LookedAt>,
) -> Result<FeedPage, AppError> {
    let since = match looked {
        Some(place) => look(store, viewer, place, posts.first().map(|p| p.created_at)).await?,
        None => None,
    };
    let next = if posts.len() as i64 > FEED_PAGE_SIZE {
        posts.truncate(FEED_PAGE_SIZE as usize);
        posts.last().map(|p| Cursor {
            created_at: p.created_at,
            id: p.id.0,
        })
    } else {
        None
    };
    markdown::render_cards(pinned.iter_mut().chain(posts.iter_mut())).await;
    for card in pinned.iter_mut().chain(posts.iter_mut()) {
        card.actions = crate::domain::posts::post_actions(viewer, card);
        card.unread =
            since.is_some_and(|at| card.created_at > at && card.author.id != viewer.user_id);
    }
    let time_zone = store.company().await?.map(|(_, tz)| tz).unwrap_or_default();
    Ok(FeedPage {
        pinned,
        posts,
        next,
        utc_offset_minutes: crate::calendar::utc_offset_minutes(&time_zone),
    })
}
