//! Mention and tag extraction (`app::domain::markdown::references`), which decides who is
//! notified and which tag pages list a post. Whatever is typed, it does not panic and
//! returns each handle and tag once, in the shape a link to it has: handles lower-case
//! ASCII letters, digits, `.`, `_`, `-` (not ending in punctuation, never `channel`);
//! tags lower-case, with at least one letter.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else {
        return;
    };
    let found = app::domain::markdown::references(markdown);

    let mut seen = HashSet::new();
    for handle in &found.handles {
        assert!(seen.insert(handle), "{handle:?} twice in {found:?}");
        assert!(!handle.is_empty(), "an empty handle in {found:?}");
        assert!(
            handle.chars().all(|c| c.is_ascii_lowercase()
                || c.is_ascii_digit()
                || matches!(c, '.' | '_' | '-')),
            "handle {handle:?} has a character no handle has"
        );
        assert!(
            !handle.ends_with(['.', '_', '-']),
            "handle {handle:?} ends in punctuation"
        );
        assert_ne!(
            handle,
            app::domain::markdown::CHANNEL_MENTION,
            "@channel is not a person"
        );
    }
    let mut seen = HashSet::new();
    for tag in &found.tags {
        assert!(seen.insert(tag), "{tag:?} twice in {found:?}");
        assert!(
            tag.chars().any(char::is_alphabetic),
            "tag {tag:?} has no letter"
        );
        assert_eq!(&tag.to_lowercase(), tag, "tag {tag:?} is not lower-case");
        assert!(
            !tag.ends_with(['_', '-']),
            "tag {tag:?} ends in punctuation"
        );
    }
});
