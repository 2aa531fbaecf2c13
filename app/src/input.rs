//! Rules every submitted text value follows, whichever form it came from: trimmed,
//! required where it must be, and never longer than its field allows. The limits are
//! counted in characters (what a person sees), not bytes.

use crate::error::{AppError, Field, Invalid};

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
    if value.chars().count() > max {
        return Err(Invalid::TooLong(field, max).into());
    }
    Ok(value)
}

/// A list typed as text, one entry per line (and, with `commas`, per comma): entries
/// trimmed, empty ones dropped, repeats (ignoring case) dropped, at most `max_entries`
/// of at most `max_len` characters each.
pub fn list(
    value: &str,
    field: Field,
    commas: bool,
    max_entries: usize,
    max_len: usize,
) -> Result<Vec<String>, AppError> {
    let mut entries: Vec<String> = Vec::new();
    let separators: &[char] = if commas { &['\n', ','] } else { &['\n'] };
    for entry in value
        .split(separators)
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        if entry.chars().count() > max_len {
            return Err(Invalid::TooLong(field, max_len).into());
        }
        if !entries
            .iter()
            .any(|e| e.to_lowercase() == entry.to_lowercase())
        {
            entries.push(entry.to_owned());
        }
    }
    if entries.len() > max_entries {
        return Err(Invalid::TooMany(field, max_entries).into());
    }
    Ok(entries)
}

/// An optional id from a form's `<select>`: empty means none.
pub fn optional_id(value: Option<&str>, field: Field) -> Result<Option<i64>, AppError> {
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

    #[test]
    fn ids_come_from_selects() {
        assert_eq!(optional_id(Some(""), Field::Department), Ok(None));
        assert_eq!(optional_id(None, Field::Department), Ok(None));
        assert_eq!(optional_id(Some("12"), Field::Department), Ok(Some(12)));
        assert_eq!(
            optional_id(Some("x"), Field::Manager),
            Err(Invalid::Unacceptable(Field::Manager).into())
        );
    }
}
