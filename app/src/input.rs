//! Rules every submitted text value follows, whichever form it came from: trimmed,
//! required where it must be, and never longer than its field allows. The limits are
//! counted in characters (what a person sees), not bytes, and a value is measured before
//! anything else is done with it: counting stops one character past the limit, so a
//! megabyte pasted into a short field costs no more than the limit itself.

use crate::error::{AppError, Field, Invalid};
use std::collections::HashSet;

/// A value that must be present: trimmed, not empty, at most `max` characters.
pub fn required(value: &str, field: Field, max: usize) -> Result<&str, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Invalid::Required(field).into());
    }
    limited(value, field, max)
}

/// A value that may be empty: trimmed, at most `max` characters.
pub fn limited(value: &str, field: Field, max: usize) -> Result<&str, AppError> {
    let value = value.trim();
    if longer_than(value, max) {
        return Err(Invalid::TooLong(field, max).into());
    }
    Ok(value)
}

/// Whether `value` has more than `max` characters, looking at no more than `max + 1` of
/// them (a string of at most `max` bytes cannot have more characters than that).
pub fn longer_than(value: &str, max: usize) -> bool {
    value.len() > max && value.chars().nth(max).is_some()
}

/// The longest text a list of `max_entries` entries of `max_len` characters may be
/// typed as, before it is split: room for every entry, its separator and a space, twice
/// over (repeats and blank lines are forgiven, within reason).
pub const fn list_limit(max_entries: usize, max_len: usize) -> usize {
    2 * max_entries * (max_len + 2)
}

/// A list typed as text, one entry per line (and, with `commas`, per comma): entries
/// trimmed, empty ones dropped, repeats (ignoring case) dropped, at most `max_entries`
/// of at most `max_len` characters each.
///
/// The whole text is measured first ([`list_limit`]) and refused before it is split;
/// splitting stops at the first entry too many, and repeats are found in a set, so the
/// work grows with the limits, never with what was sent.
pub fn list(
    value: &str,
    field: Field,
    commas: bool,
    max_entries: usize,
    max_len: usize,
) -> Result<Vec<String>, AppError> {
    let whole = list_limit(max_entries, max_len);
    if longer_than(value, whole) {
        return Err(Invalid::TooLong(field, whole).into());
    }
    let mut entries: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let separators: &[char] = if commas { &['\n', ','] } else { &['\n'] };
    for entry in value
        .split(separators)
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        if longer_than(entry, max_len) {
            return Err(Invalid::TooLong(field, max_len).into());
        }
        if seen.insert(entry.to_lowercase()) {
            if entries.len() == max_entries {
                return Err(Invalid::TooMany(field, max_entries).into());
            }
            entries.push(entry.to_owned());
        }
    }
    Ok(entries)
}

/// An optional id from a form's `<select>`: empty means none.
pub fn optional_id<Id: std::str::FromStr>(
    value: Option<&str>,
    field: Field,
) -> Result<Option<Id>, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| Invalid::Unacceptable(field).into()),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_values_are_trimmed_and_limited() {
        assert_eq!(required("  An ", Field::Name, 5), Ok("An"));
        assert_eq!(
            required("   ", Field::Name, 5),
            Err(Invalid::Required(Field::Name).into())
        );
        // Six characters, more than six bytes: the limit counts characters.
        assert_eq!(required("Nguyễn", Field::Name, 6), Ok("Nguyễn"));
        assert_eq!(
            required("Nguyễn ", Field::Name, 5),
            Err(Invalid::TooLong(Field::Name, 5).into())
        );
    }

    #[test]
    fn lists_split_dedupe_and_limit() {
        assert_eq!(
            list("Rust, VAT\nrust,, Kế toán ", Field::Expertise, true, 5, 10),
            Ok(vec!["Rust".to_owned(), "VAT".into(), "Kế toán".into()])
        );
        assert_eq!(
            list("a, b", Field::Responsibilities, false, 5, 10),
            Ok(vec!["a, b".to_owned()])
        );
        assert_eq!(
            list("a,b,c", Field::Expertise, true, 2, 10),
            Err(Invalid::TooMany(Field::Expertise, 2).into())
        );
        assert_eq!(
            list("abcdef", Field::Expertise, true, 2, 5),
            Err(Invalid::TooLong(Field::Expertise, 5).into())
        );
    }

    /// A pasted megabyte is refused by its length before it is split, and a list with
    /// one entry too many stops there; neither waits on de-duplicating everything.
    #[test]
    fn huge_lists_are_refused_before_they_are_split() {
        let whole = list_limit(20, 40);
        let distinct: String = (0..200_000).map(|i| format!("x{i},")).collect();
        assert!(distinct.len() > 1_000_000);
        let started = std::time::Instant::now();
        assert_eq!(
            list(&distinct, Field::Expertise, true, 20, 40),
            Err(Invalid::TooLong(Field::Expertise, whole).into())
        );
        // Within the whole-text limit, the 21st distinct entry is refused.
        let many: String = (0..30).map(|i| format!("x{i}\n")).collect();
        assert_eq!(
            list(&many, Field::Expertise, true, 20, 40),
            Err(Invalid::TooMany(Field::Expertise, 20).into())
        );
        // Repeats (in any case) are not entries too many.
        let repeated = "Rust\nrust\nRUST\n".repeat(10);
        assert_eq!(
            list(&repeated, Field::Expertise, true, 2, 40),
            Ok(vec!["Rust".to_owned()])
        );
        // Generous: quadratic de-duplication of the first text took minutes.
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn lengths_are_counted_no_further_than_needed() {
        assert!(!longer_than("Nguyễn", 6));
        assert!(longer_than("Nguyễn", 5));
        assert!(!longer_than("", 0));
        assert!(longer_than(&"đ".repeat(2_000_000), 100));
    }

    #[test]
    fn ids_come_from_selects() {
        assert_eq!(optional_id::<i64>(Some(""), Field::Department), Ok(None));
        assert_eq!(optional_id::<i64>(None, Field::Department), Ok(None));
        assert_eq!(optional_id(Some("12"), Field::Department), Ok(Some(12)));
        assert_eq!(
            optional_id(Some(" 12 "), Field::Channel),
            Ok(Some(crate::model::ChannelId(12)))
        );
        assert_eq!(
            optional_id::<i64>(Some("x"), Field::Manager),
            Err(Invalid::Unacceptable(Field::Manager).into())
        );
    }
}
