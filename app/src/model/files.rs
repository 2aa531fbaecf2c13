//! Attachments as the pages show them: what a file is, and the addresses it is read at.
//! Every address carries the file's random key and is answered only to someone who may
//! read what the file is attached to (`server::http::files`).

use serde::{Deserialize, Serialize};

/// How many files one post or comment carries at most.
pub const MAX_FILES_PER_POST: usize = 10;
/// The longest file name kept, in characters (a longer one is shortened, its extension
/// kept).
pub const MAX_FILE_NAME: usize = 120;
/// The company settings' bounds, in megabytes: the largest file, and all files together.
pub const FILE_MAX_MB_RANGE: (i64, i64) = (1, 100);
pub const FILE_QUOTA_MB_RANGE: (i64, i64) = (1, 10_000_000);

/// The two previews made of every image: a card's thumbnail and the lightbox's picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PreviewSize {
    Small,
    Large,
}

impl PreviewSize {
    pub const ALL: [PreviewSize; 2] = [PreviewSize::Small, PreviewSize::Large];

    /// The longest side, in pixels.
    pub fn side(self) -> u32 {
        match self {
            PreviewSize::Small => 480,
            PreviewSize::Large => 1600,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PreviewSize::Small => "small",
            PreviewSize::Large => "large",
        }
    }

    /// The name this preview of file `key` is kept under, beside the file itself.
    pub fn object_of(self, key: &str) -> String {
        format!("{key}.{}.jpg", self.as_str())
    }

    pub fn parse(text: &str) -> Option<PreviewSize> {
        PreviewSize::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// One attached (or, for its uploader, pending) file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// A random 128-bit name, in hex: the object's name and the addresses' part.
    pub key: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    /// The two previews exist (images the server could decode).
    pub previews: bool,
}

impl Attachment {
    pub fn is_image(&self) -> bool {
        self.previews
    }

    pub fn is_pdf(&self) -> bool {
        self.content_type == "application/pdf"
    }

    /// The file itself; the name is there for the browser's download and tab title.
    pub fn href(&self) -> String {
        format!(
            "/files/{}/{}",
            self.key,
            percent_encoding::utf8_percent_encode(&self.name, percent_encoding::NON_ALPHANUMERIC)
        )
    }

    pub fn preview_href(&self, size: PreviewSize) -> String {
        format!("/files/{}/preview/{}", self.key, size.as_str())
    }

    /// A short word for the chip's icon: its kind, from the type and the extension.
    pub fn icon(&self) -> &'static str {
        let ext = self
            .name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match (self.content_type.as_str(), ext.as_str()) {
            ("application/pdf", _) => "PDF",
            (_, "doc" | "docx" | "odt" | "rtf") => "DOC",
            (_, "xls" | "xlsx" | "ods" | "csv") => "XLS",
            (_, "ppt" | "pptx" | "odp") => "PPT",
            (_, "zip" | "7z" | "rar" | "gz") => "ZIP",
            (t, _) if t.starts_with("image/") => "IMG",
            (t, _) if t.starts_with("video/") => "VID",
            (t, _) if t.starts_with("audio/") => "AUD",
            (_, "txt" | "md") => "TXT",
            _ => "FILE",
        }
    }
}

/// A size in bytes as people read it: "820 KB", "4.2 MB".
pub fn human_size(bytes: i64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes.max(0) as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.0} KB", b / KB)
    } else if b < KB * KB * KB {
        format!("{:.1} MB", b / KB / KB)
    } else {
        format!("{:.1} GB", b / KB / KB / KB)
    }
}

/// The company's file limits (settings), in megabytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileLimits {
    pub max_mb: i64,
    pub quota_mb: i64,
}

impl FileLimits {
    pub fn max_bytes(&self) -> i64 {
        self.max_mb * 1024 * 1024
    }

    pub fn quota_bytes(&self) -> i64 {
        self.quota_mb * 1024 * 1024
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(820 * 1024), "820 KB");
        assert_eq!(human_size(4_404_019), "4.2 MB");
    }

    #[test]
    fn addresses_carry_the_key_and_an_encoded_name() {
        let a = Attachment {
            key: "ab12".into(),
            name: "Báo giá Q3.pdf".into(),
            content_type: "application/pdf".into(),
            size: 1,
            width: None,
            height: None,
            previews: false,
        };
        assert_eq!(a.href(), "/files/ab12/B%C3%A1o%20gi%C3%A1%20Q3%2Epdf");
        assert_eq!(a.icon(), "PDF");
        assert_eq!(
            a.preview_href(PreviewSize::Small),
            "/files/ab12/preview/small"
        );
    }
}
