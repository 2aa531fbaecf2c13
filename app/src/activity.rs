//! Activity capture for the adoption dashboard. Every action is turned into
//! [`Activity`] values and recorded with [`crate::store::Tx::record_activity`] inside
//! the transaction that makes the change; being active at all is noted once per
//! person and day by [`Presence`], off the request path. Days and hours are the
//! company's ([`Calendar`]), so "Monday 9:00" on the heat map is 9:00 at the office.

use crate::error::AppError;
use crate::model::PostKind;
use crate::policy::Viewer;
use crate::store::{Reader, Store, StoreError};
use std::collections::HashSet;
use std::sync::Mutex;

/// What someone did. Every variant makes the person active that day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActivityAction {
    /// Any signed-in page view or call (no post involved).
    Visited,
    Posted,
    Commented,
    Reacted,
    Acknowledged,
    /// A post card was on their screen.
    Saw,
}

impl ActivityAction {
    /// The bit this action sets in `activity_people.actions`.
    pub fn bit(self) -> i64 {
        match self {
            ActivityAction::Visited => 0,
            ActivityAction::Posted => 1,
            ActivityAction::Commented => 2,
            ActivityAction::Reacted => 4,
            ActivityAction::Acknowledged => 8,
            ActivityAction::Saw => 16,
        }
    }

    /// Its name in `activity_content.action`; `None` for a visit, which touches no post.
    pub fn content_name(self) -> Option<&'static str> {
        match self {
            ActivityAction::Visited => None,
            ActivityAction::Posted => Some("post"),
            ActivityAction::Commented => Some("comment"),
            ActivityAction::Reacted => Some("reaction"),
            ActivityAction::Acknowledged => Some("ack"),
            ActivityAction::Saw => Some("seen"),
        }
    }
}

/// One thing one person did at one moment, and the post it was about (its channel and
/// kind), if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Activity {
    pub user_id: i64,
    pub at: i64,
    pub action: ActivityAction,
    pub post: Option<(i64, PostKind)>,
}

impl Activity {
    pub fn on_post(
        user_id: i64,
        at: i64,
        action: ActivityAction,
        channel_id: i64,
        kind: PostKind,
    ) -> Activity {
        Activity {
            user_id,
            at,
            action,
            post: Some((channel_id, kind)),
        }
    }
}

const DAY_MS: i64 = 86_400_000;

/// The company's calendar: which local day and hour an instant falls on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Calendar {
    zone: chrono_tz::Tz,
}

impl Calendar {
    /// The calendar of `time_zone` (UTC when the name is unknown).
    pub fn of(time_zone: &str) -> Calendar {
        Calendar {
            zone: time_zone.parse().unwrap_or(chrono_tz::UTC),
        }
    }

    /// The local day (days since 1970-01-01) and hour (0–23) of `unix_ms`.
    pub fn day_and_hour(&self, unix_ms: i64) -> (i64, i64) {
        use chrono::{TimeZone, Timelike};
        match self.zone.timestamp_millis_opt(unix_ms).single() {
            Some(local) => {
                let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
                let day = (local.date_naive() - epoch).num_days();
                (day, i64::from(local.hour()))
            }
            None => (unix_ms.div_euclid(DAY_MS), 0),
        }
    }

    pub fn day(&self, unix_ms: i64) -> i64 {
        self.day_and_hour(unix_ms).0
    }

    /// The first instant of local `day`, in unix milliseconds.
    pub fn start_of_day(&self, day: i64) -> i64 {
        use chrono::TimeZone;
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        let midnight = (epoch + chrono::Duration::days(day)).and_time(chrono::NaiveTime::MIN);
        self.zone
            .from_local_datetime(&midnight)
            .earliest()
            .map_or(day * DAY_MS, |t| t.timestamp_millis())
    }
}

/// Day 0 (1970-01-01) was a Thursday; Monday is 0.
pub fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

/// `YYYY-MM-DD` of a local day.
pub fn day_to_date(day: i64) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    (epoch + chrono::Duration::days(day))
        .format("%Y-%m-%d")
        .to_string()
}

/// The local day of `YYYY-MM-DD`, if it is a date.
pub fn date_to_day(date: &str) -> Option<i64> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    let date = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
    Some((date - epoch).num_days())
}

/// Notes that these posts were on `viewer`'s screen: an impression of each post they
/// may read, and "seen" for the announcements among them addressed to them. The tab
/// sends these in batches, so one call is one transaction for many cards.
pub async fn saw_posts(
    store: &Store,
    viewer: &Viewer,
    post_ids: &[i64],
    now: i64,
) -> Result<(), AppError> {
    if post_ids.len() > crate::model::MAX_SEEN_BATCH {
        return Err(AppError::BadRequest);
    }
    let impressions: Vec<Activity> = store
        .seen_targets(Reader::of(viewer), post_ids)
        .await?
        .into_iter()
        .map(|(channel, kind)| {
            Activity::on_post(viewer.user_id, now, ActivityAction::Saw, channel, kind)
        })
        .collect();
    let calendar = store.calendar().await?;
    let mut tx = store.begin().await?;
    crate::announcing::note_seen(store, &mut tx, viewer, post_ids, now).await?;
    tx.record_activity(&calendar, &impressions).await?;
    tx.commit().await?;
    Ok(())
}

/// How long rows that name a person are kept, in days (figures about groups are kept).
pub const PERSON_DAYS_KEPT: i64 = 400;

/// Notes each signed-in person as active once per company day. The request only
/// checks a set in memory; the first request of a person's day spawns the write. Each
/// instance keeps its own set, so with several instances a person may be written once
/// per instance per day — the write is an idempotent upsert, so the figures do not
/// change.
#[derive(Default)]
pub struct Presence {
    state: Mutex<PresenceState>,
}

#[derive(Default)]
struct PresenceState {
    /// The calendar and when it was read (the company may change its time zone).
    calendar: Option<(Calendar, i64)>,
    day: i64,
    noted: HashSet<i64>,
}

/// How often the company's time zone is read again.
const CALENDAR_TTL_MS: i64 = 3_600_000;

impl Presence {
    /// Records that `user_id` is active now, unless that is known for today already.
    pub async fn note(self: &std::sync::Arc<Self>, store: &Store, user_id: i64, now: i64) {
        let calendar = match self.calendar(now) {
            Some(calendar) => calendar,
            None => match store.calendar().await {
                Ok(calendar) => {
                    self.lock().calendar = Some((calendar, now));
                    calendar
                }
                Err(err) => {
                    tracing::warn!(error = %err, "cannot read the company's time zone");
                    return;
                }
            },
        };
        let day = calendar.day(now);
        let (first, new_day) = {
            let mut state = self.lock();
            let new_day = state.day != day;
            if new_day {
                state.day = day;
                state.noted.clear();
            }
            (state.noted.insert(user_id), new_day)
        };
        if !first {
            return;
        }
        let store = store.clone();
        let this = self.clone();
        tokio::spawn(async move {
            let visit = Activity {
                user_id,
                at: now,
                action: ActivityAction::Visited,
                post: None,
            };
            let result = async {
                let mut tx = store.begin().await?;
                tx.record_activity(&calendar, &[visit]).await?;
                if new_day {
                    tx.forget_people_before(day - PERSON_DAYS_KEPT).await?;
                }
                tx.commit().await
            }
            .await;
            if let Err(err) = result {
                // Try again on their next request.
                this.lock().noted.remove(&user_id);
                tracing::warn!(error = %err, "cannot record that someone was active");
            }
        });
    }

    fn calendar(&self, now: i64) -> Option<Calendar> {
        self.lock()
            .calendar
            .filter(|(_, read_at)| now - read_at < CALENDAR_TTL_MS)
            .map(|(calendar, _)| calendar)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PresenceState> {
        // A panic while holding the lock leaves only a set of ids behind: keep going.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Store {
    /// The company's calendar (UTC before the company is set up).
    pub async fn calendar(&self) -> Result<Calendar, StoreError> {
        Ok(self
            .company()
            .await?
            .map_or(Calendar::of("UTC"), |(_, zone)| Calendar::of(&zone)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_hours_are_the_companys() {
        let hcm = Calendar::of("Asia/Ho_Chi_Minh");
        // 2026-11-26 18:30 UTC is 2026-11-27 01:30 in Ho Chi Minh City.
        let at = 1_795_717_800_000;
        let (day, hour) = hcm.day_and_hour(at);
        assert_eq!((day_to_date(day).as_str(), hour), ("2026-11-27", 1));
        assert_eq!(Calendar::of("UTC").day_and_hour(at).1, 18);
        assert_eq!(date_to_day("2026-11-27"), Some(day));
        assert_eq!(date_to_day("27/11/2026"), None);
        // 2026-11-27 is a Friday.
        assert_eq!(weekday(day), 4);
        assert_eq!(weekday(0), 3);
        // Midnight in Ho Chi Minh City is 17:00 UTC the day before.
        assert_eq!(hcm.start_of_day(day), 1_795_712_400_000);
    }
}
