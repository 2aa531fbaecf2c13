//! The words inside a document, for search: plain text and CSV as they are; Word,
//! Excel, PowerPoint and OpenDocument files from the XML inside their zip (`zip`,
//! `quick-xml`); PDFs through `lopdf`'s text extraction. Bounded in what is read (the
//! file's size, each zip entry's size, the number of PDF pages) and in what is kept
//! ([`MAX_TEXT_CHARS`]); a document that cannot be read simply has no words, and a
//! parser that panics on a hostile file is caught. Runs on the heavy-work pool.

use std::io::Read;

/// The most characters kept of one file's text.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Larger files are not read for text at all.
const MAX_SOURCE_BYTES: usize = 20 * 1024 * 1024;
/// The most bytes read out of one zip entry (a zip bomb stops here).
const MAX_ENTRY_BYTES: u64 = 8 * 1024 * 1024;
/// The most entries of one zip read (PowerPoint keeps a slide per entry).
const MAX_ENTRIES: usize = 200;
/// The most pages of a PDF read.
const MAX_PDF_PAGES: usize = 50;

/// The text of a file of `content_type`, or an empty string.
pub fn extract(content_type: &str, bytes: &[u8]) -> String {
    if bytes.len() > MAX_SOURCE_BYTES {
        return String::new();
    }
    let text = std::panic::catch_unwind(|| match content_type {
        t if t.starts_with("text/") => String::from_utf8_lossy(bytes).into_owned(),
        "application/pdf" => pdf(bytes),
        t if t.starts_with("application/vnd.openxmlformats")
            || t.starts_with("application/vnd.oasis.opendocument") =>
        {
            office(bytes)
        }
        _ => String::new(),
    })
    .unwrap_or_default();
    bounded(&text)
}

/// At most [`MAX_TEXT_CHARS`], whitespace runs as one space.
fn bounded(text: &str) -> String {
    let mut out = String::new();
    for (count, word) in text.split_whitespace().enumerate() {
        if out.len() + word.len() + 1 > MAX_TEXT_CHARS {
            break;
        }
        if count > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn pdf(bytes: &[u8]) -> String {
    let Ok(document) = lopdf::Document::load_mem(bytes) else {
        return String::new();
    };
    let pages: Vec<u32> = document
        .get_pages()
        .keys()
        .copied()
        .take(MAX_PDF_PAGES)
        .collect();
    document.extract_text(&pages).unwrap_or_default()
}

/// The text of the XML parts that hold an Office or OpenDocument file's words.
fn office(bytes: &[u8]) -> String {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return String::new();
    };
    let mut names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|name| holds_words(name))
        .map(|name| name.into_owned())
        .collect();
    // Slides in their order (slide2 before slide10).
    names.sort_by_key(|name| {
        let digits: String = name.chars().filter(char::is_ascii_digit).collect();
        (digits.len(), digits)
    });
    let mut text = String::new();
    for name in names.into_iter().take(MAX_ENTRIES) {
        let Ok(entry) = archive.by_name(&name) else {
            continue;
        };
        let mut xml = Vec::new();
        if entry.take(MAX_ENTRY_BYTES).read_to_end(&mut xml).is_err() {
            continue;
        }
        words_of_xml(&xml, &mut text);
        if text.len() > MAX_TEXT_CHARS * 2 {
            break;
        }
    }
    text
}

fn holds_words(name: &str) -> bool {
    name == "word/document.xml"
        || name == "xl/sharedStrings.xml"
        || (name.starts_with("ppt/slides/slide") && name.ends_with(".xml"))
        || name == "content.xml"
}

/// Appends the XML's text nodes; a paragraph, cell or shared string ends a word.
fn words_of_xml(xml: &[u8], out: &mut String) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Text(t)) => {
                if let Ok(text) = t.decode() {
                    out.push_str(&text);
                }
            }
            Ok(Event::End(end)) => {
                if matches!(
                    end.local_name().as_ref(),
                    b"p" | b"tc" | b"si" | b"c" | b"h" | b"tab"
                ) {
                    out.push(' ');
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zipped(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut out);
            for (name, body) in entries {
                zip.start_file(*name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                zip.write_all(body.as_bytes()).unwrap();
            }
            zip.finish().unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn word_excel_and_powerpoint_give_their_words() {
        let docx = zipped(&[(
            "word/document.xml",
            "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>Hoàn ứng </w:t></w:r><w:r><w:t>công tác phí</w:t></w:r></w:p>\
             <w:p><w:r><w:t>trong 5 ngày</w:t></w:r></w:p></w:body></w:document>",
        )]);
        let t = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        assert_eq!(extract(t, &docx), "Hoàn ứng công tác phí trong 5 ngày");
        let xlsx = zipped(&[(
            "xl/sharedStrings.xml",
            "<sst><si><t>Đơn giá</t></si><si><t>Số lượng</t></si></sst>",
        )]);
        let t = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        assert_eq!(extract(t, &xlsx), "Đơn giá Số lượng");
        let pptx = zipped(&[
            (
                "ppt/slides/slide10.xml",
                "<p:sld><a:p><a:t>mười</a:t></a:p></p:sld>",
            ),
            (
                "ppt/slides/slide2.xml",
                "<p:sld><a:p><a:t>hai</a:t></a:p></p:sld>",
            ),
        ]);
        let t = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
        assert_eq!(extract(t, &pptx), "hai mười");
    }

    #[test]
    fn broken_and_foreign_files_have_no_words() {
        let t = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        assert_eq!(extract(t, b"PK\x03\x04 not really"), "");
        assert_eq!(extract("application/pdf", b"%PDF-1.7 broken"), "");
        assert_eq!(extract("application/zip", b"PK\x03\x04"), "");
    }

    #[test]
    fn text_is_kept_within_bounds() {
        let long = "chữ ".repeat(20_000);
        let kept = extract("text/plain; charset=utf-8", long.as_bytes());
        assert!(kept.len() <= MAX_TEXT_CHARS);
        assert!(kept.starts_with("chữ chữ"));
    }

    /// A one-page PDF saying `text` (built as lopdf's own documentation shows).
    fn a_pdf(text: &str) -> Vec<u8> {
        use lopdf::content::{Content, Operation};
        use lopdf::{dictionary, Document, Object, Stream};
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Courier",
        });
        let resources_id =
            doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 24.into()]),
                Operation::new("Td", vec![100.into(), 600.into()]),
                Operation::new("Tj", vec![Object::string_literal(text)]),
                Operation::new("ET", vec![]),
            ],
        };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        });
        let pages = dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        };
        doc.objects.insert(pages_id, Object::Dictionary(pages));
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn a_pdfs_text_is_read() {
        let pdf = a_pdf("Quarterly quote for Sao Mai");
        assert!(extract("application/pdf", &pdf).contains("Quarterly quote"));
    }
}
