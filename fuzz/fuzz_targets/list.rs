//! The list splitter for profile fields (`app::input::list`): expertise (one entry per
//! line or comma) and responsibilities (one per line). Whatever is typed, it does not
//! panic, and when it accepts a value the entries are exactly the typed ones, trimmed,
//! non-empty, each once ignoring case, in order, within the entry and length limits.
//! When the value breaks a limit it is refused (it may also be refused earlier, for
//! being too long before any splitting).
#![no_main]

use app::error::{AppError, Field, Invalid};
use app::domain::people::{MAX_RESPONSIBILITIES, MAX_RESPONSIBILITY, MAX_TAG, MAX_TAGS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [mode, entries, len, rest @ ..] = data else {
        return;
    };
    let Ok(value) = std::str::from_utf8(rest) else {
        return;
    };
    // The two real profile fields, or small limits of the fuzzer's choosing.
    let (field, commas, max_entries, max_len) = match mode % 4 {
        0 => (Field::Expertise, true, MAX_TAGS, MAX_TAG),
        1 => (
            Field::Responsibilities,
            false,
            MAX_RESPONSIBILITIES,
            MAX_RESPONSIBILITY,
        ),
        _ => (
            Field::Expertise,
            mode & 4 != 0,
            usize::from(entries % 33),
            usize::from(len % 65),
        ),
    };
    let result = app::input::list(value, field, commas, max_entries, max_len);

    let expected = model(value, commas);
    let breaks_a_limit = expected.len() > max_entries
        || expected.iter().any(|e| e.chars().count() > max_len)
        || split(value, commas).any(|e| e.chars().count() > max_len);
    match result {
        Ok(list) => {
            assert!(!breaks_a_limit, "accepted beyond its limits: {list:?}");
            assert_eq!(list, expected, "not the typed entries");
            for entry in &list {
                assert_eq!(entry.trim(), entry, "untrimmed entry");
                assert!(!entry.is_empty(), "empty entry");
                assert!(!entry.contains('\n') && !(commas && entry.contains(',')));
            }
        }
        Err(AppError::Invalid(Invalid::TooLong(f, _) | Invalid::TooMany(f, _))) => {
            assert_eq!(f, field, "the error names another field");
        }
        Err(other) => panic!("unexpected error {other:?}"),
    }
});

fn split(value: &str, commas: bool) -> impl Iterator<Item = &str> {
    value
        .split(move |c| c == '\n' || (commas && c == ','))
        .map(str::trim)
        .filter(|e| !e.is_empty())
}

/// The entries, each once ignoring case, first spelling kept.
fn model(value: &str, commas: bool) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    split(value, commas)
        .filter(|e| seen.insert(e.to_lowercase()))
        .map(str::to_owned)
        .collect()
}
