//! Reading what a person typed into a search: its words (normalised as the index's are),
//! a Vietnamese reading when it looks typed with Telex or VNI left on ("baor hieemr" →
//! "bảo hiểm"), and the near spellings of a long word the index does not know.

use crate::folding::words;
use crate::store::TYPO_MIN_LEN;

/// The most words a search uses (more only slow it down).
pub const MAX_WORDS: usize = 12;
/// The most near spellings tried for one mistyped word.
const MAX_NEAR: usize = 3;

/// What a search's words say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    /// The normalised words.
    pub words: Vec<String>,
    /// The words read as Telex or VNI, when that reading looks meant: in Vietnamese
    /// with its marks (to show), and normalised word by word (to search).
    pub vietnamese: Option<(String, Vec<String>)>,
}

/// Reads `typed`.
pub fn read(typed: &str) -> Reading {
    let words: Vec<String> = words(typed).take(MAX_WORDS).collect();
    let raw: Vec<String> = typed
        .split_whitespace()
        .map(str::to_lowercase)
        .take(MAX_WORDS)
        .collect();
    Reading {
        vietnamese: vietnamese_reading(&raw),
        words,
    }
}

/// The Telex or VNI reading of `raw` (whitespace-separated, lower case), when more than
/// half of its words change into valid Vietnamese syllables and none turns into
/// something that is not one. English that happens to read as Telex ("tax" → "tã") is
/// mostly left alone by the rule's second half; what is left is only suggested, and
/// searched only when the words themselves find nothing.
fn vietnamese_reading(raw: &[String]) -> Option<(String, Vec<String>)> {
    if raw.is_empty() {
        return None;
    }
    let mut changed = 0;
    let mut shown = Vec::with_capacity(raw.len());
    for word in raw {
        let decoded = decode(word);
        match decoded {
            Some(vietnamese) => {
                changed += 1;
                shown.push(vietnamese);
            }
            None => {
                // A word with Telex/VNI marks that still is not Vietnamese: not Telex.
                if word.chars().all(|c| c.is_ascii_alphanumeric()) && looks_marked(word) {
                    return None;
                }
                shown.push(word.clone());
            }
        }
    }
    if changed * 2 <= raw.len() {
        return None;
    }
    let phrase = shown.join(" ");
    let normalised = shown.iter().flat_map(|w| words(w)).collect();
    Some((phrase, normalised))
}

/// `word` (ASCII letters and digits) typed with Telex or VNI, as the syllable it makes;
/// `None` when it makes no different valid syllable.
fn decode(word: &str) -> Option<String> {
    if !word.chars().all(|c| c.is_ascii_alphanumeric()) || !looks_marked(word) {
        return None;
    }
    let method = if word.chars().any(|c| c.is_ascii_digit()) {
        &vi::VNI
    } else {
        &vi::TELEX
    };
    let mut out = String::new();
    vi::transform_buffer(method, word.chars(), &mut out);
    (out != word
        && !out.is_ascii()
        && out.chars().all(char::is_alphabetic)
        && vi::validation::is_valid_syllable(&out))
    .then_some(out)
}

/// Whether `word` carries what Telex or VNI uses for marks: a tone key (s f r x j)
/// after a vowel, a digit after a letter, a doubled vowel, `dd`, or `w`.
fn looks_marked(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    let vowel = |c: char| "aeiouy".contains(c);
    chars.windows(2).any(|pair| {
        let (a, b) = (pair[0], pair[1]);
        (vowel(a) && "sfrxj".contains(b))
            || (a.is_ascii_alphabetic() && ('1'..='9').contains(&b))
            || (a == b && "aeod".contains(a))
            || b == 'w'
    })
}

/// The words of `vocabulary` within a small edit distance of `word` (one edit from
/// five letters, two from eight), nearest first, at most [`MAX_NEAR`].
pub fn near(word: &str, vocabulary: &[String]) -> Vec<String> {
    let length = word.chars().count();
    if length < TYPO_MIN_LEN {
        return Vec::new();
    }
    let allowed = if length >= 8 { 2 } else { 1 };
    let mut found: Vec<(usize, &String)> = vocabulary
        .iter()
        .filter(|candidate| candidate.as_str() != word)
        .map(|candidate| (strsim::damerau_levenshtein(word, candidate), candidate))
        .filter(|(distance, _)| *distance <= allowed)
        .collect();
    found.sort();
    found
        .into_iter()
        .take(MAX_NEAR)
        .map(|(_, w)| w.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{near, read};

    #[test]
    fn telex_is_read_as_vietnamese() {
        let reading = read("baor hieemr xax hooij");
        assert_eq!(reading.words, ["baor", "hieemr", "xax", "hooij"]);
        let (shown, words) = reading.vietnamese.expect("read as Telex");
        assert_eq!(shown, "bảo hiểm xã hội");
        assert_eq!(words, ["bao", "hiem", "xa", "hoi"]);
    }

    #[test]
    fn vni_is_read_as_vietnamese() {
        let (shown, _) = read("bao3 hiem63").vietnamese.expect("read as VNI");
        assert_eq!(shown, "bảo hiểm");
    }

    #[test]
    fn plain_words_are_not_telex() {
        assert_eq!(read("bao hiem xa hoi").vietnamese, None);
        assert_eq!(read("bảo hiểm xã hội").vietnamese, None);
        assert_eq!(read("quarterly report").vietnamese, None);
        assert_eq!(read("meeting notes").vietnamese, None);
        assert_eq!(read("").words, Vec::<String>::new());
    }

    #[test]
    fn near_spellings_of_long_words() {
        let vocabulary: Vec<String> = ["contract", "contracts", "contact", "control", "budget"]
            .map(String::from)
            .into();
        assert_eq!(
            near("contrcat", &vocabulary),
            ["contract", "contact", "contracts"]
        );
        assert_eq!(near("budgte", &vocabulary), ["budget"]);
        assert!(
            near("bud", &vocabulary).is_empty(),
            "short words are not guessed"
        );
    }
}
