//! The digest: when it falls due for each person, and what goes in it.
//!
//! A period starts at 08:00 in the person's time zone (UTC when they have none): every
//! day for a daily digest, every Monday for a weekly one. When a period has started and
//! the person's digest for it is not queued yet, it is queued, covering the period
//! before. Someone who joined after a period started waits for the next one.
//!
//! What goes in is read when the mail is sent, through the same queries as the pages,
//! as that person: nothing they may not read can be in it. A digest with nothing in it
//! is not sent.

use crate::model::PostCard;
use crate::policy::Viewer;
use crate::store::{
    DigestEvery, DigestReader, FeedScope, MailKind, MailTo, Reader, Store, StoreError,
};
use chrono::{Datelike, TimeZone};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// The hour a digest goes out, in the reader's time zone.
pub const SEND_HOUR: u32 = 8;
/// Items in one section at most.
const PER_SECTION: usize = 5;
/// Open questions older than this are left out (they were in earlier digests).
const QUESTION_AGE_MS: i64 = 30 * DAY_MS;
/// How many of the newest posts of the reader's channels are ranked for "top posts".
const TOP_CANDIDATES: i64 = 100;

/// The start (unix ms) of the latest digest period at or before `now`.
pub fn period_start(every: DigestEvery, time_zone: Option<&str>, now: i64) -> Option<i64> {
    let zone: chrono_tz::Tz = time_zone
        .and_then(|zone| zone.parse().ok())
        .unwrap_or(chrono_tz::UTC);
    let local = chrono::DateTime::from_timestamp_millis(now)?.with_timezone(&zone);
    let mut day = local.date_naive();
    if every == DigestEvery::Week {
        day = day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()));
    }
    let step = match every {
        DigestEvery::Week => 7,
        DigestEvery::Day => 1,
        DigestEvery::Never => return None,
    };
    // Today's (this week's) start, or the one before when that is still ahead. A day
    // whose 08:00 a clock change skips starts at its first instant after.
    for _ in 0..2 {
        let at = day.and_hms_opt(SEND_HOUR, 0, 0)?;
        let start = zone
            .from_local_datetime(&at)
            .earliest()
            .or_else(|| {
                zone.from_local_datetime(&(at + chrono::Duration::hours(1)))
                    .earliest()
            })?
            .timestamp_millis();
        if start <= now {
            return Some(start);
        }
        day = day - chrono::Days::new(step);
    }
    None
}

/// How long a period lasts.
fn period_length(every: DigestEvery) -> i64 {
    match every {
        DigestEvery::Week => 7 * DAY_MS,
        _ => DAY_MS,
    }
}

/// Queues every digest that fell due by `now`; answers how many it queued. Safe to run
/// on several instances at once: the person's `digest_queued_at` moves forward once
/// per period, and the outbox takes one row per person and period.
pub async fn queue_due(store: &Store, now: i64) -> Result<usize, StoreError> {
    let mut queued = 0;
    for reader in store.digest_readers().await? {
        let Some(start) = due(&reader, now) else {
            continue;
        };
        let mut tx = store.begin().await?;
        if tx.mark_digest_queued(reader.user_id, start).await? {
            let dedupe = format!("digest:{}:{start}", reader.user_id);
            let since = start - period_length(reader.every);
            if tx
                .queue_mail(
                    &dedupe,
                    MailKind::Digest,
                    MailTo::Person(reader.user_id),
                    Some(since),
                    now,
                )
                .await?
            {
                queued += 1;
            }
        }
        tx.commit().await?;
    }
    Ok(queued)
}

/// The period whose digest `reader` is due, if any.
fn due(reader: &DigestReader, now: i64) -> Option<i64> {
    let start = period_start(reader.every, reader.time_zone.as_deref(), now)?;
    let newer = reader.queued_at.is_none_or(|queued| queued < start);
    (newer && reader.created_at < start).then_some(start)
}

/// What one person's digest holds.
#[derive(Debug, Default)]
pub struct Digest {
    /// Must-read announcements they have not acknowledged, however old.
    pub must_reads: Vec<PostCard>,
    /// Posts that mention them, from the period.
    pub mentions: Vec<PostCard>,
    /// Open questions routed to them (their expertise), asked in the last 30 days.
    pub questions: Vec<PostCard>,
    /// The period's most reacted-to and discussed posts in their channels.
    pub top: Vec<PostCard>,
}

impl Digest {
    pub fn is_empty(&self) -> bool {
        self.must_reads.is_empty()
            && self.mentions.is_empty()
            && self.questions.is_empty()
            && self.top.is_empty()
    }
}

/// Gathers `viewer`'s digest for what happened since `since`, as they may read it now.
pub async fn gather(
    store: &Store,
    viewer: &Viewer,
    since: i64,
    now: i64,
) -> Result<Digest, StoreError> {
    let reader = Reader::of(viewer);
    let mut must_reads = store.must_reads(reader, now).await?;
    must_reads.truncate(PER_SECTION * 2);
    let recent = |cards: Vec<PostCard>, from: i64| -> Vec<PostCard> {
        cards
            .into_iter()
            .filter(|card| card.created_at >= from && card.author.id != viewer.user_id)
            .collect()
    };
    let mut mentions = recent(
        store
            .feed(reader, &FeedScope::Mentions, None, PER_SECTION as i64 * 4)
            .await?,
        since,
    );
    mentions.truncate(PER_SECTION);
    let mut questions: Vec<PostCard> = recent(
        store
            .feed(
                reader,
                &FeedScope::QuestionsForReader,
                None,
                PER_SECTION as i64 * 4,
            )
            .await?,
        now - QUESTION_AGE_MS,
    )
    .into_iter()
    .filter(|card| !card.answered())
    .collect();
    questions.truncate(PER_SECTION);
    let listed: std::collections::HashSet<_> = must_reads
        .iter()
        .chain(&mentions)
        .chain(&questions)
        .map(|card| card.id)
        .collect();
    let mut top: Vec<PostCard> = recent(
        store
            .feed(reader, &FeedScope::Home, None, TOP_CANDIDATES)
            .await?,
        since,
    )
    .into_iter()
    .filter(|card| !listed.contains(&card.id))
    .collect();
    // Most discussed first (a comment counts as two reactions), then newest.
    top.sort_by_key(|card| {
        let reactions: i64 = card.reactions.iter().map(|r| r.count).sum();
        (
            std::cmp::Reverse(reactions + 2 * card.comment_count),
            std::cmp::Reverse(card.created_at),
        )
    });
    top.truncate(PER_SECTION);
    Ok(Digest {
        must_reads,
        mentions,
        questions,
        top,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-12-07 is a Monday.
    fn at(rfc3339: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn periods_start_at_eight_local_on_mondays_or_every_day() {
        let hcm = Some("Asia/Ho_Chi_Minh");
        // Monday 07:59 in Hồ Chí Minh City is still last week's period.
        assert_eq!(
            period_start(DigestEvery::Week, hcm, at("2026-12-07T07:59:00+07:00")),
            Some(at("2026-11-30T08:00:00+07:00"))
        );
        assert_eq!(
            period_start(DigestEvery::Week, hcm, at("2026-12-07T08:00:00+07:00")),
            Some(at("2026-12-07T08:00:00+07:00"))
        );
        assert_eq!(
            period_start(DigestEvery::Week, hcm, at("2026-12-10T23:00:00+07:00")),
            Some(at("2026-12-07T08:00:00+07:00"))
        );
        assert_eq!(
            period_start(DigestEvery::Day, hcm, at("2026-12-10T07:00:00+07:00")),
            Some(at("2026-12-09T08:00:00+07:00"))
        );
        // No time zone: UTC.
        assert_eq!(
            period_start(DigestEvery::Day, None, at("2026-12-10T09:00:00Z")),
            Some(at("2026-12-10T08:00:00Z"))
        );
        assert_eq!(
            period_start(DigestEvery::Never, hcm, at("2026-12-10T09:00:00Z")),
            None
        );
    }

    #[test]
    fn a_period_is_due_once_and_not_before_someone_joined() {
        let reader = |created_at, queued_at| DigestReader {
            user_id: crate::model::PersonId(1),
            every: DigestEvery::Day,
            time_zone: None,
            created_at,
            queued_at,
        };
        let now = at("2026-12-10T09:00:00Z");
        let start = at("2026-12-10T08:00:00Z");
        assert_eq!(due(&reader(0, None), now), Some(start));
        assert_eq!(due(&reader(0, Some(start - DAY_MS)), now), Some(start));
        assert_eq!(due(&reader(0, Some(start)), now), None);
        assert_eq!(due(&reader(start + 1, None), now), None);
    }
}
