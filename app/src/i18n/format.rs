//! Numbers and dates written the way each language writes them. Pure functions of their
//! inputs, so the server render and the hydrated page print the same characters.

use super::Lang;

/// `1234567` → `1,234,567` in English and `1.234.567` in Vietnamese.
pub fn format_number(lang: Lang, n: i64) -> String {
    let sep = match lang {
        Lang::En => ',',
        Lang::Vi => '.',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// A count shown up to [`crate::model::UNREAD_SHOWN_UP_TO`], then `99+`.
pub fn count_up_to_shown(lang: Lang, n: i64) -> String {
    let most = crate::model::UNREAD_SHOWN_UP_TO;
    if n > most {
        format!("{}+", format_number(lang, most))
    } else {
        format_number(lang, n)
    }
}

/// `1234.5` → `1,234.5` in English and `1.234,5` in Vietnamese: one decimal place,
/// none for whole numbers.
pub fn format_decimal(lang: Lang, x: f64) -> String {
    let tenths = (x * 10.0).round() as i64;
    let whole = format_number(lang, tenths / 10);
    let sign = if tenths < 0 && tenths > -10 { "-" } else { "" };
    match (tenths % 10).abs() {
        0 => whole,
        d => {
            let point = match lang {
                Lang::En => '.',
                Lang::Vi => ',',
            };
            format!("{sign}{whole}{point}{d}")
        }
    }
}

/// Formats an instant (unix milliseconds) as local date and time at `utc_offset_minutes`:
/// `Nov 26, 2026, 2:05 PM` in English, `14:05, 26/11/2026` in Vietnamese.
pub fn format_datetime(lang: Lang, unix_ms: i64, utc_offset_minutes: i32) -> String {
    let local_minutes = unix_ms.div_euclid(60_000) + i64::from(utc_offset_minutes);
    let (days, minute_of_day) = (
        local_minutes.div_euclid(1440),
        local_minutes.rem_euclid(1440),
    );
    let (year, month, day) = civil_from_days(days);
    let (hour, minute) = (minute_of_day / 60, minute_of_day % 60);
    match lang {
        Lang::En => {
            let (h12, half) = match hour {
                0 => (12, "AM"),
                1..=11 => (hour, "AM"),
                12 => (12, "PM"),
                _ => (hour - 12, "PM"),
            };
            let month_name = lang.texts().months_short[(month - 1) as usize];
            format!("{month_name} {day}, {year}, {h12}:{minute:02} {half}")
        }
        Lang::Vi => format!("{hour:02}:{minute:02}, {day:02}/{month:02}/{year}"),
    }
}

/// The time of day at `utc_offset_minutes`: `2:05 PM` in English, `14:05` in Vietnamese.
pub fn format_clock(lang: Lang, unix_ms: i64, utc_offset_minutes: i32) -> String {
    let minute_of_day =
        (unix_ms.div_euclid(60_000) + i64::from(utc_offset_minutes)).rem_euclid(1440);
    let (hour, minute) = (minute_of_day / 60, minute_of_day % 60);
    match lang {
        Lang::En => {
            let half = if hour < 12 { "AM" } else { "PM" };
            let h12 = if hour % 12 == 0 { 12 } else { hour % 12 };
            format!("{h12}:{minute:02} {half}")
        }
        Lang::Vi => format!("{hour:02}:{minute:02}"),
    }
}

/// A calendar date given as `YYYY-MM-DD`: `Mar 1, 2024` or `01/03/2024`. Anything else
/// is shown as it is.
pub fn format_date(lang: Lang, date: &str) -> String {
    let parts: Vec<i64> = date.split('-').filter_map(|p| p.parse().ok()).collect();
    match (lang, parts.as_slice()) {
        (Lang::En, [y, m @ 1..=12, d]) => {
            format!("{} {d}, {y}", lang.texts().months_short[(*m - 1) as usize])
        }
        (Lang::Vi, [y, m @ 1..=12, d]) => format!("{d:02}/{m:02}/{y}"),
        _ => date.to_owned(),
    }
}

/// The calendar day (`YYYY-MM-DD`) an instant falls on at a UTC offset.
pub fn local_date(unix_ms: i64, utc_offset_minutes: i32) -> String {
    let minutes = unix_ms.div_euclid(60_000) + i64::from(utc_offset_minutes);
    let (year, month, day) = civil_from_days(minutes.div_euclid(1440));
    format!("{year:04}-{month:02}-{day:02}")
}

/// A day of the year given as `MM-DD`: `March 12` or `12 tháng 3`.
pub fn format_day_month(lang: Lang, day_month: &str) -> String {
    let parts: Vec<i64> = day_month
        .split('-')
        .filter_map(|p| p.parse().ok())
        .collect();
    match (lang, parts.as_slice()) {
        (Lang::En, [m @ 1..=12, d]) => {
            format!("{} {d}", lang.texts().months_long[(*m - 1) as usize])
        }
        (Lang::Vi, [m @ 1..=12, d]) => format!("{d} tháng {m}"),
        _ => day_month.to_owned(),
    }
}

/// An instant as RFC 3339 in UTC to the minute (`2026-11-26T07:05Z`), for `<time datetime>`.
pub fn iso_instant(unix_ms: i64) -> String {
    let minutes = unix_ms.div_euclid(60_000);
    let (year, month, day) = civil_from_days(minutes.div_euclid(1440));
    let minute_of_day = minutes.rem_euclid(1440);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}Z",
        minute_of_day / 60,
        minute_of_day % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day); Howard Hinnant's
/// algorithm, exact for every i64 day count we can meet.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `text` as one line (runs of whitespace made one space), cut to `chars` characters
/// with "…": a notification's or a mail's excerpt.
pub fn one_line(text: &str, chars: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= chars {
        flat
    } else {
        let cut: String = flat.chars().take(chars).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_use_each_languages_point() {
        assert_eq!(format_decimal(Lang::En, 1234.5), "1,234.5");
        assert_eq!(format_decimal(Lang::Vi, 1234.5), "1.234,5");
        assert_eq!(format_decimal(Lang::Vi, 40.0), "40");
        assert_eq!(format_decimal(Lang::En, -0.3), "-0.3");
    }

    #[test]
    fn numbers_use_each_languages_grouping() {
        assert_eq!(format_number(Lang::En, 0), "0");
        assert_eq!(format_number(Lang::En, 999), "999");
        assert_eq!(format_number(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(format_number(Lang::Vi, 1_234_567), "1.234.567");
        assert_eq!(format_number(Lang::Vi, -1000), "-1.000");
    }

    #[test]
    fn dates_follow_each_language() {
        // 2026-11-26T07:05:00Z is 14:05 in Hanoi (UTC+7).
        let ms = 1_795_676_700_000;
        assert_eq!(format_datetime(Lang::En, ms, 420), "Nov 26, 2026, 2:05 PM");
        assert_eq!(format_datetime(Lang::Vi, ms, 420), "14:05, 26/11/2026");
        assert_eq!(format_datetime(Lang::En, ms, 0), "Nov 26, 2026, 7:05 AM");
    }

    #[test]
    fn clocks_dates_and_birthdays_follow_each_language() {
        let ms = 1_795_676_700_000; // 07:05 UTC
        assert_eq!(format_clock(Lang::En, ms, 420), "2:05 PM");
        assert_eq!(format_clock(Lang::Vi, ms, 420), "14:05");
        assert_eq!(format_clock(Lang::En, ms, -420), "12:05 AM");
        assert_eq!(format_date(Lang::En, "2024-03-01"), "Mar 1, 2024");
        assert_eq!(format_date(Lang::Vi, "2024-03-01"), "01/03/2024");
        assert_eq!(format_date(Lang::Vi, "garbage"), "garbage");
        assert_eq!(format_day_month(Lang::En, "02-29"), "February 29");
        assert_eq!(format_day_month(Lang::Vi, "12-05"), "5 tháng 12");
    }

    #[test]
    fn iso_instants_are_utc() {
        assert_eq!(iso_instant(1_795_676_700_000), "2026-11-26T07:05Z");
        assert_eq!(iso_instant(0), "1970-01-01T00:00Z");
    }

    #[test]
    fn dates_cross_midnight_and_leap_days() {
        // 2024-02-29T23:30:00Z; +60 minutes is already March 1st.
        let ms = 1_709_249_400_000;
        assert_eq!(format_datetime(Lang::Vi, ms, 0), "23:30, 29/02/2024");
        assert_eq!(format_datetime(Lang::Vi, ms, 60), "00:30, 01/03/2024");
        assert_eq!(format_datetime(Lang::En, 0, 0), "Jan 1, 1970, 12:00 AM");
        assert_eq!(
            format_datetime(Lang::En, -60_000, 0),
            "Dec 31, 1969, 11:59 PM"
        );
    }
}
