//! What a file is, decided from its bytes (and, for formats that are zip or plain
//! text inside, its extension) — never from the type the browser claimed. The answer is
//! one of a short list of types no browser runs as a page or a script: anything else
//! is served as `application/octet-stream`, a download. Why a list and not a
//! MIME-guessing crate: the guess is not the risk, serving a guessed `text/html` or
//! `image/svg+xml` from our origin is, and a list of what we allow says so plainly.

/// The bitmap formats previews are made of.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// The type `bytes` named `name` is served with.
pub fn content_type(name: &str, bytes: &[u8]) -> &'static str {
    if let Some(image) = image_type(bytes) {
        return image;
    }
    if bytes.starts_with(b"%PDF-") {
        return "application/pdf";
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    let text = std::str::from_utf8(&bytes[..bytes.len().min(4096)]).is_ok() && !bytes.contains(&0);
    match ext.as_str() {
        "docx" if zip => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" if zip => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" if zip => {
            "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        }
        "odt" if zip => "application/vnd.oasis.opendocument.text",
        "ods" if zip => "application/vnd.oasis.opendocument.spreadsheet",
        "odp" if zip => "application/vnd.oasis.opendocument.presentation",
        "zip" if zip => "application/zip",
        "doc" if ole => "application/msword",
        "xls" if ole => "application/vnd.ms-excel",
        "ppt" if ole => "application/vnd.ms-powerpoint",
        // Text is served as plain text only: a `.html` or `.svg` file reads as its source.
        "txt" | "md" | "log" if text => "text/plain; charset=utf-8",
        "csv" if text => "text/csv; charset=utf-8",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

/// Whether the browser may show it in place (an image, a PDF in its viewer, plain
/// text); everything else is offered as a download.
pub fn shown_inline(content_type: &str) -> bool {
    content_type.starts_with("image/")
        || content_type == "application/pdf"
        || content_type.starts_with("text/plain")
        || content_type.starts_with("video/")
        || content_type.starts_with("audio/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes_not_the_name() {
        assert_eq!(
            content_type("photo.pdf", b"\x89PNG\r\n\x1a\n...."),
            "image/png"
        );
        assert_eq!(content_type("scan.jpg", b"%PDF-1.7 ..."), "application/pdf");
        assert_eq!(
            content_type("page.html", b"<script>alert(1)</script>"),
            "application/octet-stream"
        );
        assert_eq!(
            content_type("logo.svg", b"<svg onload=alert(1)>"),
            "application/octet-stream"
        );
        assert_eq!(
            content_type("notes.txt", b"<script>x</script>"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            content_type("fake.docx", b"not a zip"),
            "application/octet-stream"
        );
        assert_eq!(
            content_type("Bao gia.xlsx", b"PK\x03\x04rest"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(shown_inline("application/pdf"));
        assert!(!shown_inline("application/zip"));
    }
}
