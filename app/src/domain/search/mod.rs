//! Search: posts, comments, knowledge pages, people and channels, ranked, filtered and
//! counted only among what the reader may read (the store applies each kind's own rule
//! before ranking and counting, see [`crate::store::Store::search`]). Words are compared
//! through the one normaliser ([`crate::folding`]), so diacritics and đ may be left out;
//! words typed with Telex or VNI left on are offered back as Vietnamese ("Did you mean")
//! and searched that way when they find nothing themselves; a long word the index does
//! not know also matches its near spellings.

pub mod query;
pub mod snippet;

use crate::error::AppError;
use crate::model::knowledge::DAY_MS;
use crate::model::search::{
    ChannelOption, Fragment, HitKind, KindCount, SearchFilters, SearchHit, SearchPage,
    SuggestedChannel, Suggestions, HITS_PER_PAGE,
};
use crate::policy::Viewer;
use crate::store::{EntryKind, Narrowing, Reader, Store, StoredHit, Terms, TYPO_MIN_LEN};
use std::collections::BTreeSet;

/// The furthest page of results a person can ask for.
pub const MAX_PAGE: u32 = 50;
/// Suggestions of each kind in the top bar.
const SUGGESTIONS: i64 = 5;

/// One page of what `words` find for `viewer`, narrowed by `filters`. `words` are
/// already trimmed and bounded by the caller.
pub async fn search(
    store: &Store,
    viewer: &Viewer,
    words: String,
    filters: SearchFilters,
    page: u32,
    now: i64,
) -> Result<SearchPage, AppError> {
    let reader = Reader::of(viewer);
    let channels = store
        .channel_choices(reader)
        .await?
        .into_iter()
        .map(|c| ChannelOption {
            id: c.id,
            name: c.name,
        })
        .collect();
    let person = match filters.person {
        Some(id) if store.may_see_person(viewer.user_id, id).await? => {
            store.person(id).await?.map(|record| record.person)
        }
        _ => None,
    };
    let mut found = SearchPage {
        words,
        filters: SearchFilters {
            // Narrowing to someone the reader may not see narrows to no one.
            person: person.as_ref().map(|p| p.id),
            ..filters
        },
        channels,
        person,
        page: page.min(MAX_PAGE),
        utc_offset_minutes: crate::domain::knowledge::utc_offset(store).await?,
        ..SearchPage::default()
    };
    let reading = query::read(&found.words);
    if reading.words.is_empty() {
        return Ok(found);
    }
    let narrowing = Narrowing {
        kind: found.filters.kind,
        channel: found.filters.channel,
        author: found.filters.person,
        since: found.filters.period.days().map(|days| now - days * DAY_MS),
    };
    let per_page = HITS_PER_PAGE as i64;
    // Enough of each kind for the page asked for and a look past it ("more").
    let keep = (i64::from(found.page) + 1) * per_page + 1;
    let mut terms = with_near_spellings(store, &reading.words).await?;
    let mut ranking = store
        .search_ranking(reader, &terms, &narrowing, now, keep)
        .await?;
    found.did_you_mean = reading.vietnamese.as_ref().map(|(shown, _)| shown.clone());
    if ranking.total() == 0 {
        if let Some((_, vietnamese)) = &reading.vietnamese {
            terms = with_near_spellings(store, vietnamese).await?;
            ranking = store
                .search_ranking(reader, &terms, &narrowing, now, keep)
                .await?;
            found.showing_instead = ranking.total() > 0;
        }
    }
    found.counts = ranking
        .counts
        .iter()
        .map(|&(kind, count)| KindCount {
            kind,
            count,
            at_least: ranking.at_least(kind),
        })
        .collect();
    let entries = ranking.page(
        narrowing.kind,
        HITS_PER_PAGE + 1,
        found.page as usize * HITS_PER_PAGE,
    );
    found.more = entries.len() > HITS_PER_PAGE && found.page < MAX_PAGE;
    let mut hits = store
        .search_hits(reader, &entries[..entries.len().min(HITS_PER_PAGE)], now)
        .await?;
    hits.truncate(HITS_PER_PAGE);
    let matched = matched_words(&terms);
    found.hits = hits.into_iter().map(|hit| shape(hit, &matched)).collect();
    Ok(found)
}

/// People (by name, title or e-mail, as the directory finds them) and channels (whose
/// name has words starting with each word typed), for the top bar.
pub async fn suggest(store: &Store, viewer: &Viewer, typed: &str) -> Result<Suggestions, AppError> {
    let reading = query::read(typed);
    if reading.words.is_empty() {
        return Ok(Suggestions::default());
    }
    // Not through the index: a prefix of one or two letters ("ng") matches a good part
    // of a Vietnamese company's words, and the full-text index merges every one of
    // them before it can keep the people and channels. A company's people (the
    // directory's own search, its visibility rule included) and the channels one may
    // read are few: read them directly.
    let filter = crate::store::PeopleFilter {
        text: reading.words.join(" "),
        seen_by: Some(viewer.user_id),
        limit: Some(SUGGESTIONS),
        ..Default::default()
    };
    let people = store
        .people(&filter)
        .await?
        .into_iter()
        .map(|p| p.person)
        .collect();
    let channels = store
        .channel_choices(Reader::of(viewer))
        .await?
        .into_iter()
        .filter(|c| {
            let name: Vec<String> = crate::folding::words(&c.name).collect();
            reading
                .words
                .iter()
                .all(|typed| name.iter().any(|word| word.starts_with(typed.as_str())))
        })
        .take(SUGGESTIONS as usize)
        .map(|c| SuggestedChannel {
            slug: c.slug,
            name: c.name,
        })
        .collect();
    Ok(Suggestions { people, channels })
}

/// Indexes whatever the index lacks: everything, the first time a database from before
/// the index is opened, or rows loaded in bulk; nothing at all otherwise (every write
/// indexes itself). Every command of the binary calls this after migrating.
pub async fn catch_up(store: &Store) -> Result<(), crate::store::StoreError> {
    let started = std::time::Instant::now();
    let written = store.index_backlog(500).await?;
    if written > 0 {
        tracing::info!(
            entries = written,
            seconds = started.elapsed().as_secs_f64(),
            "search index caught up"
        );
    }
    Ok(())
}

/// One group per word: the word and, for a long word the index does not know, its near
/// spellings that it does.
async fn with_near_spellings(store: &Store, words: &[String]) -> Result<Terms, AppError> {
    let long: Vec<String> = words
        .iter()
        .filter(|w| w.chars().count() >= TYPO_MIN_LEN)
        .cloned()
        .collect();
    let known = store.known_terms(&long).await?;
    let mut groups = Vec::with_capacity(words.len());
    for word in words {
        let mut group = vec![word.clone()];
        if long.contains(word) && !known.contains(word) {
            let spread = if word.chars().count() >= 8 { 2 } else { 1 };
            let vocabulary = store.terms_like(word, spread).await?;
            group.extend(query::near(word, &vocabulary));
        }
        groups.push(group);
    }
    Ok(Terms {
        groups,
        prefix_last: false,
    })
}

fn matched_words(terms: &Terms) -> BTreeSet<String> {
    terms.groups.iter().flatten().cloned().collect()
}

/// A stored result as the page shows it: what it is, where it links, a title and the
/// snippet around its first match.
fn shape(hit: StoredHit, matched: &BTreeSet<String>) -> SearchHit {
    let post_kind = hit.post_kind.as_deref().unwrap_or_default();
    let post_title = || {
        hit.post_body
            .as_deref()
            .map(crate::domain::questions::title_of)
            .unwrap_or_default()
    };
    let (kind, href, title, text) = match hit.kind {
        EntryKind::Post => (
            match post_kind {
                "question" => HitKind::Question,
                "announcement" => HitKind::Announcement,
                _ => HitKind::Post,
            },
            format!("/posts/{}", hit.ref_id),
            post_title(),
            hit.post_body.clone().unwrap_or_default(),
        ),
        EntryKind::Comment => (
            if post_kind == "question" {
                HitKind::Answer
            } else {
                HitKind::Comment
            },
            format!(
                "/posts/{}#comment-{}",
                hit.post_id.map(|p| p.0).unwrap_or_default(),
                hit.ref_id
            ),
            post_title(),
            hit.comment_body.clone().unwrap_or_default(),
        ),
        EntryKind::Page => (
            HitKind::Page,
            format!("/pages/{}", hit.ref_id),
            hit.page_title.clone().unwrap_or_default(),
            hit.page_body.clone().unwrap_or_default(),
        ),
        EntryKind::Person => (
            HitKind::Person,
            format!("/people/{}", hit.ref_id),
            hit.person
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            hit.profile.clone().unwrap_or_default(),
        ),
        EntryKind::Channel => (
            HitKind::Channel,
            format!(
                "/channels/{}",
                hit.channel_slug.as_deref().unwrap_or_default()
            ),
            hit.channel_name.clone().unwrap_or_default(),
            hit.channel_description.clone().unwrap_or_default(),
        ),
    };
    let snippet: Vec<Fragment> = snippet::snippet(&snippet::plain(&text), matched);
    SearchHit {
        kind,
        href,
        title,
        snippet,
        channel: match hit.kind {
            EntryKind::Post | EntryKind::Comment | EntryKind::Page => hit.channel_name,
            _ => None,
        },
        person: hit.person,
        at: hit.at,
        answered: hit.answered,
        verified: hit.verified,
    }
}
