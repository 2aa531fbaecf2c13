//! Search folding (`app::folding::fold`), which makes "nguyen van an" find
//! "Nguyễn Văn An". Whatever is typed, it does not panic and: folding twice changes
//! nothing more than folding once; it works character by character (so a folded text
//! contains the folded form of every piece of it, which substring search relies on);
//! ASCII text is only lower-cased; no ASCII capital survives.
#![no_main]

use app::folding::fold;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&cut, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let folded = fold(text);
    assert_eq!(
        fold(&folded),
        folded,
        "folding is not idempotent for {text:?}"
    );
    assert!(
        !folded.chars().any(|c| c.is_ascii_uppercase()),
        "a capital survived folding {text:?}: {folded:?}"
    );
    if text.is_ascii() {
        assert_eq!(folded, text.to_ascii_lowercase());
    }
    // Cut at a character boundary chosen by the first byte.
    let chars = text.chars().count();
    let at = text
        .char_indices()
        .nth(usize::from(cut) % (chars + 1))
        .map_or(text.len(), |(i, _)| i);
    let (head, tail) = text.split_at(at);
    assert_eq!(
        fold(head) + &fold(tail),
        folded,
        "folding {text:?} depends on context"
    );
});
