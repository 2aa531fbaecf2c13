//! Scheduled posts: written now, published at a chosen time in the author's time zone.
//!
//! Scheduling checks everything posting checks (so the author hears about a problem
//! while writing), then stores the post in `scheduled_posts`. Every instance runs a
//! [`Scheduler`] that publishes due rows: at start (so posts that fell due while the
//! process was down appear at once) and every few seconds. Publishing claims the row and
//! writes the post in one transaction, so a post appears exactly once however many
//! instances try, and the policy is asked again with the author's standing at that time.

use crate::domain::posts::{check_post, write_post, PostInput, MAX_POST};
use crate::error::{AppError, Field, Invalid};
use crate::input::required;
use crate::model::{PersonId, PostId};
use crate::policy::{allows, Action, Viewer};
use crate::store::{NewScheduledPost, ScheduledRecord, Store, StoreError};
use std::time::Duration;
use tokio::sync::watch;

/// How often each instance looks for due posts.
pub const EVERY: Duration = Duration::from_secs(5);
/// How many due posts one round publishes at most.
const BATCH: i64 = 100;

/// When to publish: a local date (`YYYY-MM-DD`) and time (`HH:MM`).
pub struct When<'a> {
    pub date: &'a str,
    pub time: &'a str,
}

impl When<'_> {
    /// Whether the author asked for a time at all (otherwise the post goes out now).
    pub fn given(&self) -> bool {
        !self.date.trim().is_empty() || !self.time.trim().is_empty()
    }
}

/// The instant `when` names in `time_zone` (UTC for an unknown zone), in unix ms.
pub fn instant(when: &When<'_>, time_zone: &str) -> Result<i64, AppError> {
    use chrono::TimeZone;
    let (date, time) = (when.date.trim(), when.time.trim());
    if date.is_empty() || time.is_empty() {
        return Err(Invalid::Required(Field::PublishAt).into());
    }
    let bad = || AppError::from(Invalid::Unacceptable(Field::PublishAt));
    let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| bad())?;
    let time = chrono::NaiveTime::parse_from_str(time, "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(time, "%H:%M:%S"))
        .map_err(|_| bad())?;
    let zone: chrono_tz::Tz = time_zone.parse().unwrap_or(chrono_tz::UTC);
    // A time skipped by a daylight-saving change does not exist; an ambiguous one is
    // taken at its first occurrence.
    let at = zone
        .from_local_datetime(&date.and_time(time))
        .earliest()
        .ok_or_else(bad)?;
    Ok(at.timestamp_millis())
}

/// The local date (`YYYY-MM-DD`) and time (`HH:MM`) of `unix_ms` in `time_zone`.
pub fn local(unix_ms: i64, time_zone: &str) -> (String, String) {
    let zone: chrono_tz::Tz = time_zone.parse().unwrap_or(chrono_tz::UTC);
    let at = chrono::DateTime::from_timestamp_millis(unix_ms)
        .unwrap_or_default()
        .with_timezone(&zone);
    (
        at.format("%Y-%m-%d").to_string(),
        at.format("%H:%M").to_string(),
    )
}

/// The moment to publish at, refusing the past.
async fn publish_time(
    store: &Store,
    viewer: &Viewer,
    when: &When<'_>,
    now: i64,
) -> Result<i64, AppError> {
    let at = instant(when, &store.time_zone_of(viewer.user_id).await?)?;
    if at <= now {
        return Err(Invalid::ScheduledInPast.into());
    }
    Ok(at)
}

/// Schedules `input` for `when`; returns the scheduled post's id.
pub async fn schedule(
    store: &Store,
    viewer: &Viewer,
    input: &PostInput<'_>,
    when: &When<'_>,
    now: i64,
) -> Result<i64, AppError> {
    if !input.files.is_empty() {
        return Err(crate::error::Invalid::FilesWhenScheduled.into());
    }
    let post = check_post(store, viewer, input).await?;
    let publish_at = publish_time(store, viewer, when, now).await?;
    let mut tx = store.begin().await?;
    let id = tx
        .schedule_post(&NewScheduledPost {
            channel_id: post.channel.id,
            author_id: viewer.user_id,
            kind: post.kind,
            body: &post.body,
            confirm_channel: input.confirm_channel,
            publish_at,
            created_at: now,
        })
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// `viewer`'s scheduled posts that have not gone out (failed ones included).
pub async fn list(store: &Store, viewer: &Viewer) -> Result<Vec<ScheduledRecord>, AppError> {
    if !allows(
        Some(viewer),
        Action::ManageScheduledPost {
            author: viewer.user_id,
        },
    ) {
        return Err(AppError::Forbidden);
    }
    Ok(store.scheduled_by(viewer.user_id).await?)
}

/// Whether `id` is one of `viewer`'s pending scheduled posts: someone else's does not
/// exist for them.
async fn own(store: &Store, viewer: &Viewer, id: i64) -> Result<(), AppError> {
    let author = store
        .scheduled_author(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if allows(Some(viewer), Action::ManageScheduledPost { author }) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Changes the text and time of one of `viewer`'s pending scheduled posts.
pub async fn edit(
    store: &Store,
    viewer: &Viewer,
    id: i64,
    body: &str,
    when: &When<'_>,
    now: i64,
) -> Result<(), AppError> {
    own(store, viewer, id).await?;
    let body = required(body, Field::Post, MAX_POST)?;
    crate::domain::posts::checked_text(body, Field::Post).await?;
    let publish_at = publish_time(store, viewer, when, now).await?;
    let mut tx = store.begin().await?;
    if !tx
        .edit_scheduled(id, viewer.user_id, body, publish_at, now)
        .await?
    {
        // Published or cancelled meanwhile.
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Cancels one of `viewer`'s pending scheduled posts.
pub async fn cancel(store: &Store, viewer: &Viewer, id: i64, now: i64) -> Result<(), AppError> {
    own(store, viewer, id).await?;
    let mut tx = store.begin().await?;
    if !tx.cancel_scheduled(id, viewer.user_id, now).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// The code stored in `failure` for a refusal, and back.
fn failure_code(error: &AppError) -> &'static str {
    match error {
        AppError::ChannelArchived => "archived",
        AppError::AnnouncementsOnly => "announcements_only",
        AppError::NotFound => "not_found",
        AppError::ChannelMentionAdminsOnly => "channel_mention",
        _ => "forbidden",
    }
}

/// Why a scheduled post could not be published, as an error to show its author.
pub fn failure_error(code: &str) -> AppError {
    match code {
        "archived" => AppError::ChannelArchived,
        "announcements_only" => AppError::AnnouncementsOnly,
        "not_found" => AppError::NotFound,
        "channel_mention" => AppError::ChannelMentionAdminsOnly,
        _ => AppError::Forbidden,
    }
}

/// Publishes one of `viewer`'s pending scheduled posts at once, dated now (Slack's
/// "Send now"); returns the new post's id and its channel's slug and name. One that the policy
/// refused at its time stays refused until its author edits it.
pub async fn publish_now(
    store: &Store,
    viewer: &Viewer,
    id: i64,
    now: i64,
) -> Result<(PostId, String, String), AppError> {
    own(store, viewer, id).await?;
    let mut row = list(store, viewer)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(AppError::NotFound)?;
    if let Some(code) = &row.failure {
        return Err(failure_error(code));
    }
    row.publish_at = now;
    match publish(store, &row, now).await? {
        Outcome::Published(post) => Ok((post, row.channel_slug, row.channel_name)),
        // The policy said no just now: the author hears why (it is also on the list).
        Outcome::Failed => Err(list(store, viewer)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .and_then(|r| r.failure)
            .map_or(AppError::Forbidden, |code| failure_error(&code))),
        // The publisher, an edit or a cancel got there first.
        Outcome::Skipped => Err(AppError::NotFound),
    }
}

/// What happened to one due row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Published(PostId),
    /// The policy refused it now; the reason is recorded for its author.
    Failed,
    /// Another instance published it, or its author changed it meanwhile.
    Skipped,
}

/// Publishes one due row, unless someone else got there first: every instance's
/// publisher may hold the same row, and only the one whose claim matches the row's
/// `updated_at` writes the post (the others answer [`Outcome::Skipped`]).
pub async fn publish(store: &Store, row: &ScheduledRecord, now: i64) -> Result<Outcome, AppError> {
    let checked = match &row.author {
        None => Err(AppError::Forbidden),
        Some(author) => {
            let input = PostInput {
                channel: &row.channel_slug,
                kind: row.kind.as_str(),
                body: &row.body,
                confirm_channel: row.confirm_channel,
                files: &[],
            };
            check_post(store, author, &input).await
        }
    };
    let mut tx = store.begin().await?;
    let outcome = match checked {
        Ok(post) => {
            if !tx.claim_scheduled(row.id, row.updated_at, now).await? {
                return Ok(Outcome::Skipped);
            }
            let author = row.author.as_ref().map_or(PersonId(0), |a| a.user_id);
            // It appears in feeds where it would have, had it been posted on time.
            let posted = write_post(&mut tx, author, &post, row.publish_at).await?;
            tx.scheduled_published(row.id, posted.id).await?;
            Outcome::Published(posted.id)
        }
        // The database failing is no reason to give up: the next round tries again.
        Err(error @ (AppError::Unavailable | AppError::Internal)) => return Err(error),
        Err(refusal) => {
            if !tx
                .scheduled_failed(row.id, row.updated_at, failure_code(&refusal))
                .await?
            {
                return Ok(Outcome::Skipped);
            }
            Outcome::Failed
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Publishes every scheduled post due at `now`; returns what happened to each.
pub async fn publish_due(store: &Store, now: i64) -> Result<Vec<(i64, Outcome)>, StoreError> {
    let mut done = Vec::new();
    loop {
        let due = store.due_scheduled(now, BATCH).await?;
        let full = due.len() as i64 == BATCH;
        let mut progressed = false;
        for row in &due {
            match publish(store, row, now).await {
                Ok(outcome) => {
                    progressed |= outcome != Outcome::Skipped;
                    if let Outcome::Published(_) = outcome {
                        let late = u64::try_from(now - row.publish_at).unwrap_or(0);
                        crate::telemetry::scheduled_published(Duration::from_millis(late));
                    }
                    done.push((row.id, outcome));
                }
                Err(error) => {
                    crate::telemetry::background_error("scheduler");
                    tracing::warn!(scheduled = row.id, %error, "cannot publish a scheduled post");
                }
            }
        }
        if !full || !progressed {
            return Ok(done);
        }
    }
}

/// Where the publisher reads the time, in unix ms: the system clock in service, a
/// hand-moved one in tests (so no test waits for a real minute to pass).
pub type Clock = std::sync::Arc<dyn Fn() -> i64 + Send + Sync>;

/// Each instance's publisher of due posts, which also sends the question reminders
/// that are due (`domain::questions::remind`).
pub struct Scheduler {
    closing: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

/// How often the scheduler sends the question reminders that are due.
const REMIND_EVERY_MS: i64 = 60_000;

impl Scheduler {
    /// Publishes what is due now, then every [`EVERY`], by the system clock.
    pub fn start(store: Store) -> Scheduler {
        Scheduler::start_with(store, std::sync::Arc::new(crate::store::now_ms), EVERY)
    }

    /// Publishes what is due by `clock`, now and then every `every`.
    pub fn start_with(store: Store, clock: Clock, every: Duration) -> Scheduler {
        let closing = watch::channel(false).0;
        let mut stop = closing.subscribe();
        let task = tokio::spawn(async move {
            let mut reminded_at = i64::MIN;
            loop {
                let now = clock();
                if let Err(error) = publish_due(&store, now).await {
                    crate::telemetry::background_error("scheduler");
                    tracing::warn!(%error, "cannot look for due scheduled posts");
                }
                // Question reminders are counted in days: looking once a minute is ample.
                if now.saturating_sub(reminded_at) >= REMIND_EVERY_MS {
                    reminded_at = now;
                    if let Err(error) = crate::domain::questions::remind(&store, now).await {
                        crate::telemetry::background_error("reminders");
                        tracing::warn!(%error, "cannot send question reminders");
                    }
                }
                tokio::select! {
                    () = tokio::time::sleep(every) => {}
                    _ = stop.changed() => return,
                }
            }
        });
        Scheduler { closing, task }
    }

    /// Stops after the round in progress, if any.
    pub async fn stop(self) {
        self.closing.send_replace(true);
        let _ = self.task.await;
    }
}
