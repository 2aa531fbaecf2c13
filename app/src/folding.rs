//! The one text normaliser for search, used when indexing and when querying, on both
//! databases: lower case, tone marks and every other diacritic removed, **đ/Đ → d**
//! (a letter of its own, which Unicode does not decompose and common full-text
//! tokenizers leave alone), and words split on anything that is not a letter or digit.
//! So "nguyen van an" matches "Nguyễn Văn An", and both databases' tokenizers see the
//! same plain words separated by single spaces.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The longest word kept in the index: longer runs (hashes, pasted data) are cut, so one
/// post cannot bloat the vocabulary.
pub const MAX_WORD: usize = 40;

/// Lower-cases `text` and strips its diacritics, keeping everything else (spaces,
/// punctuation) as it is: for `LIKE` matching of names, handles and e-mail addresses.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'đ' | 'ð' => 'd',
            'ø' => 'o',
            'ł' => 'l',
            other => other,
        })
        .collect()
}

/// The searchable words of `text`, folded, in order.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    // Folding first, then splitting: decomposition can only remove marks, never letters.
    let folded = fold(text);
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(MAX_WORD).collect::<String>())
        .collect::<Vec<_>>()
        .into_iter()
}

/// `text` as the index stores it: its [`words`] joined by single spaces.
pub fn index_text(text: &str) -> String {
    words(text).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::{fold, index_text, words};

    #[test]
    fn folds_vietnamese_names() {
        assert_eq!(fold("Nguyễn Văn An"), "nguyen van an");
        assert_eq!(fold("ĐẶNG THỊ THU HƯƠNG"), "dang thi thu huong");
        assert_eq!(fold("Trần Quốc Bảo"), "tran quoc bao");
        assert_eq!(fold("Phạm Ngọc Ánh"), "pham ngoc anh");
        assert_eq!(fold("Sarah O'Neil"), "sarah o'neil");
    }

    #[test]
    fn folds_every_tone_and_d() {
        assert_eq!(fold("bảo hiểm xã hội"), "bao hiem xa hoi");
        assert_eq!(fold("Đường đi"), "duong di");
        assert_eq!(
            fold("ỹ ỵ ử ữ ự ẳ ẵ ặ ổ ỗ ộ ở ỡ ợ"),
            "y y u u u a a a o o o o o o"
        );
        // Composed and decomposed input fold alike (phones send either).
        assert_eq!(fold("Tiê\u{0301}ng Viê\u{0323}t"), fold("Tiếng Việt"));
    }

    #[test]
    fn splits_on_punctuation_the_same_everywhere() {
        assert_eq!(
            words("Bảo-hiểm, xã hội!! (2026)").collect::<Vec<_>>(),
            ["bao", "hiem", "xa", "hoi", "2026"]
        );
        assert_eq!(index_text("  e-mail:An@x.vn  "), "e mail an x vn");
        assert_eq!(index_text("%_\\"), "");
        assert_eq!(
            words(&"a".repeat(100)).next().unwrap().len(),
            super::MAX_WORD
        );
    }
}
