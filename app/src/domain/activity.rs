//! Activity capture for the adoption dashboard. Every action is turned into
//! [`crate::store::Activity`] values and recorded with [`crate::store::Tx::record_activity`] inside
//! the transaction that makes the change; being active at all is noted once per
//! person and day by [`Presence`], off the request path. Days and hours are the
//! company's ([`Calendar`]), so "Monday 9:00" on the heat map is 9:00 at the office.

use crate::calendar::Calendar;
use crate::model::PersonId;
use crate::store::{Activity, ActivityAction, Store, StoreError};
use std::collections::HashSet;
use std::sync::Mutex;

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
    noted: HashSet<PersonId>,
}

/// How often the company's time zone is read again.
const CALENDAR_TTL_MS: i64 = 3_600_000;

impl Presence {
    /// Records that `user_id` is active now, unless that is known for today already.
    pub async fn note(self: &std::sync::Arc<Self>, store: &Store, user_id: PersonId, now: i64) {
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
                crate::telemetry::background_error("activity");
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
