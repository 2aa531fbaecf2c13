//! Folding text for search, so that people can type Vietnamese without diacritics:
//! "nguyen van an" matches "Nguyễn Văn An".

/// Lower-cases `text` and strips Vietnamese (and common Latin) diacritics.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(base_letter)
        .collect()
}

fn base_letter(c: char) -> char {
    const GROUPS: &[(char, &str)] = &[
        ('a', "àáạảãâầấậẩẫăằắặẳẵä"),
        ('e', "èéẹẻẽêềếệểễë"),
        ('i', "ìíịỉĩïî"),
        ('o', "òóọỏõôồốộổỗơờớợởỡö"),
        ('u', "ùúụủũưừứựửữüû"),
        ('y', "ỳýỵỷỹÿ"),
        ('d', "đ"),
        ('c', "ç"),
        ('n', "ñ"),
    ];
    if c.is_ascii() {
        return c;
    }
    GROUPS
        .iter()
        .find(|(_, variants)| variants.contains(c))
        .map_or(c, |(base, _)| *base)
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_vietnamese_names() {
        assert_eq!(fold("Nguyễn Văn An"), "nguyen van an");
        assert_eq!(fold("ĐẶNG THỊ THU HƯƠNG"), "dang thi thu huong");
        assert_eq!(fold("Trần Quốc Bảo"), "tran quoc bao");
        assert_eq!(fold("Phạm Ngọc Ánh"), "pham ngoc anh");
        assert_eq!(fold("Sarah O'Neil"), "sarah o'neil");
    }
}
