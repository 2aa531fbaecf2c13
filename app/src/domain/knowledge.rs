//! Knowledge pages: a wiki kept true. Pages live in a space (the company, a channel, a
//! department) and nest; each has an owner and a review interval, and is verified, due
//! for review or stale ([`ReviewState`]). Every save is a version; history shows line
//! diffs and restores an old text as a new version. When an owner is deactivated their
//! pages pass to their manager or a space admin ([`hand_over`]); a background
//! [`Reviewer`] reminds owners once per review period.
//!
//! Who may do what is `policy::Action::{ReadPage, CreatePage, EditPage}`; which pages a
//! query returns is the store's one rule, `visible_page` (a channel's pages follow the
//! channel's read rule, the same text posts use).

use crate::domain::scheduled::Clock;
use crate::error::{AppError, Field, Invalid};
use crate::i18n::Texts;
use crate::input::required;
use crate::model::knowledge::{
    EditPageForm, KnowledgeHome, NewPageForm, PageHistory, PageSummary, PageTemplate,
    PageVersionView, PageView, ReviewState, Space, SpaceKey, SpaceTree, MAX_REVIEW_DAYS,
    MIN_REVIEW_DAYS,
};
use crate::model::{ChannelKind, NotificationKind, PageId, PersonId};
use crate::policy::{allows, Action, ChannelFacts, PageSpace, Viewer};
use crate::store::{DueReminder, NewPage, PageRecord, PageStanding, Reader, Store, StoreError, Tx};
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::watch;

/// The longest title, in characters.
pub const MAX_TITLE: usize = 200;
/// The longest page, in characters of Markdown.
pub const MAX_BODY: usize = 50_000;
/// How deep breadcrumbs are followed (a backstop: moves never make loops).
const MAX_DEPTH: usize = 50;
/// How often each instance looks for pages due for review.
pub const EVERY: Duration = Duration::from_secs(60);
/// How many reminders one round sends at most.
const BATCH: i64 = 200;

/// What a page form sends, before it is checked.
#[derive(Clone, Copy, Debug)]
pub struct PageInput<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub parent: Option<PageId>,
    pub review_days: i64,
    /// The keys of the writer's pending files to attach (`domain::files`).
    pub files: &'a [String],
}

/// The policy's view of where a person stands in a page's space.
fn page_space(standing: &PageStanding) -> PageSpace {
    match standing.space {
        SpaceKey::Company => PageSpace::Company,
        SpaceKey::Department(_) => PageSpace::Department {
            member: standing.in_department,
        },
        SpaceKey::Channel(_) => PageSpace::Channel {
            channel: ChannelFacts {
                kind: standing.channel_kind.unwrap_or(ChannelKind::Private),
                member: standing.channel_membership.is_some(),
            },
            channel_admin: standing.channel_membership == Some(true),
        },
    }
}

/// The title and body, trimmed, within their limits, and the interval in its range:
/// everything that costs nothing to check.
fn checked_input<'a>(input: &PageInput<'a>) -> Result<(&'a str, &'a str), AppError> {
    let title = required(input.title, Field::PageTitle, MAX_TITLE)?;
    let body = required(input.body, Field::PageBody, MAX_BODY)?;
    if !(MIN_REVIEW_DAYS..=MAX_REVIEW_DAYS).contains(&input.review_days) {
        return Err(
            Invalid::OutOfRange(Field::ReviewDays, MIN_REVIEW_DAYS, MAX_REVIEW_DAYS).into(),
        );
    }
    Ok((title, body))
}

/// The Markdown renders within its budgets (off the async workers): the last check.
async fn checked_markdown(body: &str) -> Result<(), AppError> {
    crate::domain::markdown::check(body)
        .await
        .map_err(|_| Invalid::TooComplex(Field::PageBody).into())
}

/// A page `viewer` may read, and where they stand in its space; any other page does
/// not exist for them.
async fn readable(
    store: &Store,
    viewer: &Viewer,
    id: PageId,
) -> Result<(PageRecord, PageStanding), AppError> {
    let standing = store
        .page_standing(viewer.user_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(Some(viewer), Action::ReadPage(page_space(&standing))) {
        return Err(AppError::NotFound);
    }
    let page = store
        .page(Reader::of(viewer), id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((page, standing))
}

fn may_edit(viewer: &Viewer, standing: &PageStanding) -> bool {
    allows(
        Some(viewer),
        Action::EditPage {
            space: page_space(standing),
            owner: standing.owner_id == viewer.user_id,
        },
    )
}

/// A page `viewer` may edit; one they may read but not edit is refused (403), one they
/// may not read does not exist (404).
async fn editable(
    store: &Store,
    viewer: &Viewer,
    id: PageId,
) -> Result<(PageRecord, PageStanding), AppError> {
    let (page, standing) = readable(store, viewer, id).await?;
    if !may_edit(viewer, &standing) {
        return Err(AppError::Forbidden);
    }
    Ok((page, standing))
}

/// The company's UTC offset, for dates on the pages.
pub(crate) async fn utc_offset(store: &Store) -> Result<i32, AppError> {
    let zone = store.company().await?.map(|(_, tz)| tz).unwrap_or_default();
    Ok(crate::calendar::utc_offset_minutes(&zone))
}

fn space_of(page: &PageRecord) -> Space {
    Space {
        key: page.space,
        name: page.space_name.clone(),
        slug: page.channel_slug.clone(),
    }
}

fn summary(page: &PageRecord, depth: usize, now: i64) -> PageSummary {
    PageSummary {
        id: page.id,
        title: page.title.clone(),
        parent_id: page.parent_id,
        depth,
        state: ReviewState::at(page.verified_at, page.review_days, now),
        due_at: page.due_at(),
        owner: page.owner.clone(),
        space: space_of(page),
    }
}

/// The order spaces are listed in: the company, then departments, then channels, each
/// by name.
fn space_order(space: &Space) -> (u8, String) {
    let rank = match space.key {
        SpaceKey::Company => 0,
        SpaceKey::Department(_) => 1,
        SpaceKey::Channel(_) => 2,
    };
    (rank, space.name.to_lowercase())
}

/// One space's pages as a tree, depth-first (a page whose parent the reader cannot see
/// stands at the top).
fn tree(pages: &[&PageRecord], now: i64) -> Vec<PageSummary> {
    let ids: std::collections::HashSet<PageId> = pages.iter().map(|p| p.id).collect();
    let mut children: HashMap<Option<PageId>, Vec<&PageRecord>> = HashMap::new();
    for page in pages {
        let parent = page.parent_id.filter(|p| ids.contains(p) && *p != page.id);
        children.entry(parent).or_default().push(page);
    }
    let mut out = Vec::new();
    let mut stack: Vec<(&PageRecord, usize)> = children
        .get(&None)
        .map(|top| top.iter().rev().map(|p| (*p, 0)).collect())
        .unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    while let Some((page, depth)) = stack.pop() {
        if !seen.insert(page.id) {
            continue;
        }
        out.push(summary(page, depth, now));
        if let Some(below) = children.get(&Some(page.id)) {
            stack.extend(below.iter().rev().map(|p| (*p, depth + 1)));
        }
    }
    out
}

/// `/pages`: every space `viewer` may read with its pages, and their own review queue.
pub async fn home(store: &Store, viewer: &Viewer, now: i64) -> Result<KnowledgeHome, AppError> {
    let reader = Reader::of(viewer);
    let pages = store.readable_pages(reader).await?;
    let mut spaces: Vec<(Space, Vec<&PageRecord>)> = Vec::new();
    for page in &pages {
        match spaces.iter_mut().find(|(s, _)| s.key == page.space) {
            Some((_, list)) => list.push(page),
            None => spaces.push((space_of(page), vec![page])),
        }
    }
    spaces.sort_by_key(|(space, _)| space_order(space));
    let reviews = store
        .review_queue(reader, now)
        .await?
        .iter()
        .map(|p| summary(p, 0, now))
        .collect();
    Ok(KnowledgeHome {
        spaces: spaces
            .into_iter()
            .map(|(space, pages)| SpaceTree {
                pages: tree(&pages, now),
                space,
            })
            .collect(),
        reviews,
        may_create: !creatable_spaces(store, viewer).await?.is_empty(),
        utc_offset_minutes: utc_offset(store).await?,
    })
}

/// The spaces `viewer` may start a page in: the company, departments, channels.
pub async fn creatable_spaces(store: &Store, viewer: &Viewer) -> Result<Vec<Space>, AppError> {
    let mut spaces = Vec::new();
    if allows(Some(viewer), Action::CreatePage(PageSpace::Company)) {
        spaces.push(Space {
            key: SpaceKey::Company,
            name: String::new(),
            slug: None,
        });
    }
    if !viewer.is_guest() {
        let mine = store
            .person(viewer.user_id)
            .await?
            .and_then(|p| p.department.map(|d| d.id));
        for department in store.departments().await? {
            let space = PageSpace::Department {
                member: mine == Some(department.id),
            };
            if allows(Some(viewer), Action::CreatePage(space)) {
                spaces.push(Space {
                    key: SpaceKey::Department(department.id),
                    name: department.name,
                    slug: None,
                });
            }
        }
    }
    for channel in store.channel_choices(Reader::of(viewer)).await? {
        let space = PageSpace::Channel {
            channel: ChannelFacts {
                kind: channel.kind,
                member: channel.membership.is_some(),
            },
            channel_admin: channel.membership == Some(true),
        };
        if allows(Some(viewer), Action::CreatePage(space)) {
            spaces.push(Space {
                key: SpaceKey::Channel(channel.id),
                name: channel.name,
                slug: Some(channel.slug),
            });
        }
    }
    Ok(spaces)
}

/// A template's title start and body, in the language of `t`.
pub fn template(t: &Texts, template: PageTemplate) -> (String, String) {
    let index = PageTemplate::ALL
        .iter()
        .position(|x| *x == template)
        .unwrap_or(0);
    let (title, body) = t.knowledge.template_texts[index];
    (title.to_owned(), body.to_owned())
}

/// The new-page form: where `viewer` may start one, under which pages, and the chosen
/// template's text.
pub async fn new_form(
    store: &Store,
    viewer: &Viewer,
    chosen: Option<PageTemplate>,
    from_question: Option<crate::model::PostId>,
    t: &Texts,
) -> Result<NewPageForm, AppError> {
    let mut spaces = creatable_spaces(store, viewer).await?;
    let keys: Vec<SpaceKey> = spaces.iter().map(|s| s.key).collect();
    let parents = store
        .readable_pages(Reader::of(viewer))
        .await?
        .into_iter()
        .filter(|p| keys.contains(&p.space))
        .map(|p| (p.id, p.title, p.space))
        .collect();
    let (mut title, mut body) = chosen.map(|c| template(t, c)).unwrap_or_default();
    let mut space = None;
    if let Some(question) = from_question {
        let (q_title, q_body, channel) =
            crate::domain::questions::page_source(store, viewer, question, t).await?;
        (title, body) = (q_title, q_body);
        // The question's channel first, where the reader may start pages there.
        if let Some(at) = spaces
            .iter()
            .position(|s| s.key == SpaceKey::Channel(channel))
        {
            let chosen = spaces.remove(at);
            space = Some(chosen.key);
            spaces.insert(0, chosen);
        }
    }
    Ok(NewPageForm {
        spaces,
        parents,
        title,
        body,
        from_question,
        space,
    })
}

/// Starts a page in `space`, owned by its creator; returns its id.
pub async fn create(
    store: &Store,
    viewer: &Viewer,
    space: SpaceKey,
    input: &PageInput<'_>,
    now: i64,
) -> Result<PageId, AppError> {
    create_from(store, viewer, space, input, None, now).await
}

/// [`create`], for a page made from an answered question (`from_question`, which
/// `viewer` must be able to read): the two are linked in the same transaction.
pub async fn create_from(
    store: &Store,
    viewer: &Viewer,
    space: SpaceKey,
    input: &PageInput<'_>,
    from_question: Option<crate::model::PostId>,
    now: i64,
) -> Result<PageId, AppError> {
    let (title, body) = checked_input(input)?;
    let files = crate::domain::files::checked_keys(Some(&input.files.join(" ")))?;
    if let Some(question) = from_question {
        let (place, _) = crate::domain::posts::visible_post(store, viewer, question).await?;
        if place.kind != crate::model::PostKind::Question {
            return Err(AppError::Question(crate::error::QuestionRule::NotAQuestion));
        }
    }
    // A channel one may not read is as unknown as one that does not exist (404).
    let unknown = || match space {
        SpaceKey::Channel(_) => AppError::NotFound,
        _ => Invalid::Unacceptable(Field::Space).into(),
    };
    let (_, standing) = store
        .space_standing(viewer.user_id, space)
        .await?
        .ok_or_else(unknown)?;
    let place = page_space(&standing);
    if !allows(Some(viewer), Action::CreatePage(place)) {
        return Err(match space {
            SpaceKey::Channel(_) if !allows(Some(viewer), Action::ReadPage(place)) => unknown(),
            _ => AppError::Forbidden,
        });
    }
    if let Some(parent) = input.parent {
        let found = store.page(Reader::of(viewer), parent).await?;
        if found.is_none_or(|p| p.space != space) {
            return Err(Invalid::Unacceptable(Field::ParentPage).into());
        }
    }
    checked_markdown(body).await?;
    let mut tx = store.begin().await?;
    let id = tx
        .create_page(&NewPage {
            space,
            parent_id: input.parent,
            title,
            body,
            owner_id: viewer.user_id,
            review_days: input.review_days,
            by: viewer.user_id,
            at: now,
        })
        .await?;
    if let Some(question) = from_question {
        tx.link_page_question(id, question, now).await?;
    }
    attach(&mut tx, id, viewer, &files).await?;
    tx.commit().await?;
    Ok(id)
}

/// One page as `viewer` reads it, its Markdown rendered.
pub async fn page(
    store: &Store,
    viewer: &Viewer,
    id: PageId,
    now: i64,
) -> Result<PageView, AppError> {
    let (page, standing) = readable(store, viewer, id).await?;
    let reader = Reader::of(viewer);
    let mut breadcrumbs = Vec::new();
    let mut parent = page.parent_id;
    while let Some(above) = parent {
        if breadcrumbs.len() >= MAX_DEPTH || above == page.id {
            break;
        }
        match store.page(reader, above).await? {
            Some(p) => {
                parent = p.parent_id;
                breadcrumbs.push((p.id, p.title));
            }
            None => break,
        }
    }
    breadcrumbs.reverse();
    let mut body_html = page.body.clone();
    crate::domain::markdown::render_fields(vec![&mut body_html]).await;
    Ok(PageView {
        id: page.id,
        title: page.title.clone(),
        body_html,
        space: space_of(&page),
        breadcrumbs,
        parent_id: page.parent_id,
        children: store.page_children(reader, id).await?,
        linked_from: store.pages_linking_to(reader, id).await?,
        questions: store
            .questions_of_page(reader, id)
            .await?
            .into_iter()
            .map(|(post, body)| (post, crate::domain::questions::title_of(&body)))
            .collect(),
        owner: page.owner.clone(),
        review_days: page.review_days,
        verified_at: page.verified_at,
        verified_by: page.verified_by.clone(),
        due_at: page.due_at(),
        state: ReviewState::at(page.verified_at, page.review_days, now),
        version: page.version,
        updated_at: page.updated_at,
        updated_by: page.updated_by.clone(),
        may_edit: may_edit(viewer, &standing),
        attachments: store.page_attachments(id).await?,
        journey_steps: store
            .page_steps_of(viewer.user_id, id)
            .await?
            .into_iter()
            .map(|s| (s.step, s.done))
            .collect(),
        utc_offset_minutes: utc_offset(store).await?,
        body: page.body,
    })
}

/// The pages page `id` may move under: its space's, less itself and those below it.
async fn possible_parents(
    store: &Store,
    viewer: &Viewer,
    page: &PageRecord,
) -> Result<Vec<(PageId, String)>, AppError> {
    let below = descendants(&store.page_tree(page.space).await?, page.id);
    Ok(store
        .readable_pages(Reader::of(viewer))
        .await?
        .into_iter()
        .filter(|p| p.space == page.space && p.id != page.id && !below.contains(&p.id))
        .map(|p| (p.id, p.title))
        .collect())
}

/// Every page below `root` in a space's `(id, parent)` pairs.
fn descendants(tree: &[(PageId, Option<PageId>)], root: PageId) -> Vec<PageId> {
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let at = found[i];
        for (id, parent) in tree {
            if *parent == Some(at) && !found.contains(id) {
                found.push(*id);
            }
        }
        i += 1;
    }
    found.remove(0);
    found
}

/// The edit form of a page `viewer` may edit.
pub async fn edit_form(
    store: &Store,
    viewer: &Viewer,
    id: PageId,
    now: i64,
) -> Result<EditPageForm, AppError> {
    let (record, _) = editable(store, viewer, id).await?;
    let parents = possible_parents(store, viewer, &record).await?;
    Ok(EditPageForm {
        page: page(store, viewer, id, now).await?,
        parents,
        owners: store.possible_page_owners(id, viewer.user_id).await?,
    })
}

/// Saves a new version of a page (text, place, interval). An edit by someone who may
/// edit is also a review: it verifies the page.
pub async fn edit(
    store: &Store,
    viewer: &Viewer,
    id: PageId,
    input: &PageInput<'_>,
    now: i64,
) -> Result<i64, AppError> {
    let (title, body) = checked_input(input)?;
    let files = crate::domain::files::checked_keys(Some(&input.files.join(" ")))?;
    let (page, _) = editable(store, viewer, id).await?;
    if let Some(parent) = input.parent {
        if parent == id || descendants(&store.page_tree(page.space).await?, id).contains(&parent) {
            return Err(Invalid::PageLoop.into());
        }
        let found = store.page(Reader::of(viewer), parent).await?;
        if found.is_none_or(|p| p.space != page.space) {
            return Err(Invalid::Unacceptable(Field::ParentPage).into());
        }
    }
    checked_markdown(body).await?;
    let mut tx = store.begin().await?;
    let version = tx
        .save_page(
            id,
            title,
            body,
            input.parent,
            input.review_days,
            true,
            None,
            viewer.user_id,
            now,
        )
        .await?
        .ok_or(AppError::NotFound)?;
    attach(&mut tx, id, viewer, &files).await?;
    tx.commit().await?;
    Ok(version)
}

/// Attaches the writer's pending files to the page, or refuses the whole change.
async fn attach(
    tx: &mut crate::store::Tx,
    page: PageId,
    viewer: &Viewer,
    files: &[String],
) -> Result<(), AppError> {
    if tx
        .attach_files(crate::store::Holder::Page(page), viewer.user_id, files)
        .await?
    {
        Ok(())
    } else {
        Err(Invalid::Unacceptable(Field::File).into())
    }
}

/// Takes file `key` off page `id` (its editors), and removes its bytes.
pub async fn remove_file(
    store: &Store,
    viewer: &Viewer,
    id: PageId,
    key: &str,
) -> Result<(), AppError> {
    editable(store, viewer, id).await?;
    let mut tx = store.begin().await?;
    let removed = tx.detach_file(crate::store::Holder::Page(id), key).await?;
    tx.commit().await?;
    if !removed {
        return Err(AppError::NotFound);
    }
    crate::domain::files::forget_bytes(store, &[key.to_owned()]).await;
    Ok(())
}

/// "Still true": verifies a page without changing it.
pub async fn verify(store: &Store, viewer: &Viewer, id: PageId, now: i64) -> Result<(), AppError> {
    editable(store, viewer, id).await?;
    let mut tx = store.begin().await?;
    if !tx.verify_page(id, viewer.user_id, now).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Gives page `id` to `owner` to keep (its editors: when keeping it passes to someone
/// else without anyone leaving). The new owner must be someone who may keep it
/// ([`Store::possible_page_owners`]) and is told, unless they gave it to themself.
pub async fn hand_to(
    store: &Store,
    viewer: &Viewer,
    id: PageId,
    owner: PersonId,
    now: i64,
) -> Result<(), AppError> {
    let (page, _) = editable(store, viewer, id).await?;
    if page.owner.id == owner {
        return Ok(());
    }
    if !store
        .possible_page_owners(id, viewer.user_id)
        .await?
        .iter()
        .any(|(person, _)| *person == owner)
    {
        return Err(Invalid::Unacceptable(Field::PageOwner).into());
    }
    let mut tx = store.begin().await?;
    tx.set_page_owner(id, owner).await?;
    if owner != viewer.user_id {
        tx.notify_about_page(
            owner,
            NotificationKind::PageOwner,
            Some(viewer.user_id),
            id,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes a page (its editors). The pages under it move up a level; questions that led
/// to it, journeys that ask for it and its files no longer show it to anyone.
pub async fn delete(store: &Store, viewer: &Viewer, id: PageId, now: i64) -> Result<(), AppError> {
    editable(store, viewer, id).await?;
    let mut tx = store.begin().await?;
    if !tx.delete_page(id, now).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// A page's history, newest first, each version with its diff from the one before.
pub async fn history(store: &Store, viewer: &Viewer, id: PageId) -> Result<PageHistory, AppError> {
    let (page, standing) = readable(store, viewer, id).await?;
    let versions = store.page_versions(id).await?;
    let mut out = Vec::with_capacity(versions.len());
    let mut before = String::new();
    for v in &versions {
        let text = format!("# {}\n\n{}", v.title, v.body);
        out.push(PageVersionView {
            version: v.version,
            title: v.title.clone(),
            edited_by: v.edited_by.clone(),
            edited_at: v.edited_at,
            restored_from: v.restored_from,
            diff_html: diff_html(&before, &text),
        });
        before = text;
    }
    out.reverse();
    Ok(PageHistory {
        id,
        title: page.title,
        current: page.version,
        may_edit: may_edit(viewer, &standing),
        versions: out,
        utc_offset_minutes: utc_offset(store).await?,
    })
}

/// Makes an old version the page's text again, as a new version (nothing is lost).
pub async fn restore(
    store: &Store,
    viewer: &Viewer,
    id: PageId,
    version: i64,
    now: i64,
) -> Result<i64, AppError> {
    let (page, _) = editable(store, viewer, id).await?;
    let old = store
        .page_versions(id)
        .await?
        .into_iter()
        .find(|v| v.version == version)
        .ok_or(AppError::NotFound)?;
    let mut tx = store.begin().await?;
    let saved = tx
        .save_page(
            id,
            &old.title,
            &old.body,
            page.parent_id,
            page.review_days,
            true,
            Some(version),
            viewer.user_id,
            now,
        )
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(saved)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The line diff from `old` to `new` as escaped HTML: changed lines in `<del>` and
/// `<ins>`, with up to two unchanged lines of context around each change.
pub fn diff_html(old: &str, new: &str) -> String {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_lines(old, new);
    let mut html = String::new();
    for (i, group) in diff.grouped_ops(2).iter().enumerate() {
        if i > 0 {
            html.push_str("<span class=\"diff-gap\">…</span>\n");
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let line = escape(change.value().trim_end_matches('\n'));
                let (open, close) = match change.tag() {
                    ChangeTag::Delete => ("<del>", "</del>"),
                    ChangeTag::Insert => ("<ins>", "</ins>"),
                    ChangeTag::Equal => ("<span>", "</span>"),
                };
                html.push_str(open);
                html.push_str(&line);
                html.push_str(close);
                html.push('\n');
            }
        }
    }
    html
}

/// Passes every page `leaving` owns to someone who may keep it: their manager, else the
/// page's channel admin, else the company's owner or an admin (each active and able to
/// read the page), else the company's owner. Each new owner is notified. Runs inside
/// the deactivating transaction, so nobody is ever left owning nothing's pages.
pub async fn hand_over(tx: &mut Tx, leaving: PersonId, now: i64) -> Result<(), StoreError> {
    for (page, _) in tx.pages_owned_by(leaving).await? {
        let heir = match tx.page_heirs(page, leaving).await?.first() {
            Some(heir) => Some(*heir),
            None => tx.company_owner().await?.filter(|o| *o != leaving),
        };
        if let Some(heir) = heir {
            tx.set_page_owner(page, heir).await?;
            tx.notify_about_page(heir, NotificationKind::PageOwner, Some(leaving), page, now)
                .await?;
        }
    }
    Ok(())
}

/// Reminds the owner of every page that fell due by `now`, once per review period;
/// returns the pages whose owners were reminded.
pub async fn remind_due(store: &Store, now: i64) -> Result<Vec<PageId>, StoreError> {
    let mut reminded = Vec::new();
    loop {
        let due: Vec<DueReminder> = store.pages_due_for_reminder(now, BATCH).await?;
        let full = due.len() as i64 == BATCH;
        let mut progressed = false;
        for page in &due {
            let mut tx = store.begin().await?;
            if tx.claim_review_reminder(page, now).await? {
                tx.notify_about_page(
                    page.owner_id,
                    NotificationKind::PageReview,
                    None,
                    page.id,
                    now,
                )
                .await?;
                tx.commit().await?;
                reminded.push(page.id);
                progressed = true;
            }
        }
        if !full || !progressed {
            return Ok(reminded);
        }
    }
}

/// Each instance's review reminder: looks for pages due for review now and then every
/// [`EVERY`], by a [`Clock`] tests can move.
pub struct Reviewer {
    closing: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Reviewer {
    pub fn start(store: Store) -> Reviewer {
        Reviewer::start_with(store, std::sync::Arc::new(crate::store::now_ms), EVERY)
    }

    pub fn start_with(store: Store, clock: Clock, every: Duration) -> Reviewer {
        let closing = watch::channel(false).0;
        let mut stop = closing.subscribe();
        let task = tokio::spawn(async move {
            loop {
                if let Err(error) = remind_due(&store, clock()).await {
                    crate::telemetry::background_error("reviews");
                    tracing::warn!(%error, "cannot remind owners of pages due for review");
                }
                tokio::select! {
                    () = tokio::time::sleep(every) => {}
                    _ = stop.changed() => return,
                }
            }
        });
        Reviewer { closing, task }
    }

    /// Stops after the round in progress, if any.
    pub async fn stop(self) {
        self.closing.send_replace(true);
        let _ = self.task.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_mark_changed_lines_and_escape_them() {
        let html = diff_html("a\nb\nc\n", "a\n<b>\nc\n");
        assert_eq!(
            html,
            "<span>a</span>\n<del>b</del>\n<ins>&lt;b&gt;</ins>\n<span>c</span>\n"
        );
        assert_eq!(diff_html("same\n", "same\n"), "");
    }

    #[test]
    fn descendants_follow_the_tree() {
        let tree = [
            (PageId(1), None),
            (PageId(2), Some(PageId(1))),
            (PageId(3), Some(PageId(2))),
            (PageId(4), None),
        ];
        assert_eq!(descendants(&tree, PageId(1)), [PageId(2), PageId(3)]);
        assert!(descendants(&tree, PageId(4)).is_empty());
    }
}
