//! The feed cursor (`app::model::Cursor`), written `created_at.id` in page URLs
//! (`?before=`). Whatever is sent, decoding does not panic; a decoded cursor encodes
//! to a text that decodes to the same cursor; and every cursor encodes to a text that
//! decodes back to it. A text is only accepted if it is two integers around a dot.
#![no_main]

use app::model::Cursor;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Any cursor round-trips.
    if let Some((at, id)) = data
        .split_first_chunk::<8>()
        .and_then(|(at, rest)| rest.first_chunk::<8>().map(|id| (at, id)))
    {
        let cursor = Cursor {
            created_at: i64::from_le_bytes(*at),
            id: i64::from_le_bytes(*id),
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
    }
    // Any text decodes to nothing or to a cursor that round-trips.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(cursor) = Cursor::decode(text) {
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor), "{text:?}");
        assert_eq!(
            text.matches('.').count(),
            1,
            "{text:?} decoded to {cursor:?}"
        );
        assert!(
            text.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+')),
            "{text:?} decoded to {cursor:?}"
        );
    }
});
