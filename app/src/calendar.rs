//! The company's calendar: local days and hours in the company's time zone, so that
//! "Monday 9:00" on the dashboard is 9:00 at the office. Used by storage (roll-ups are
//! keyed by local day) and by the logic above it.

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

/// A time zone's offset from UTC now, in minutes (UTC for an unknown zone).
pub fn utc_offset_minutes(time_zone: &str) -> i32 {
    use chrono::{Offset, TimeZone, Utc};
    time_zone.parse::<chrono_tz::Tz>().map_or(0, |tz| {
        tz.offset_from_utc_datetime(&Utc::now().naive_utc())
            .fix()
            .local_minus_utc()
            / 60
    })
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

    #[test]
    fn offsets_follow_the_zone() {
        assert_eq!(utc_offset_minutes("Asia/Ho_Chi_Minh"), 420);
        assert_eq!(utc_offset_minutes("UTC"), 0);
        assert_eq!(utc_offset_minutes("Mars/Olympus"), 0);
    }
}
