//! Images: the two previews (decoded within set limits, turned upright, scaled, and
//! encoded afresh as JPEG, so no metadata survives), and the original with its
//! metadata (EXIF with the camera's location, XMP, IPTC) taken out, its picture bytes
//! untouched.

use crate::model::files::PreviewSize;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use img_parts::{Bytes, ImageEXIF};

/// The longest side an image may have, in pixels.
const MAX_SIDE: u32 = 12_000;
/// The most pixels, in millions, read from the header before any pixel is decoded.
const MAX_MEGAPIXELS: u64 = 50;
/// The most memory one decode may take; decodes run [`crate::heavy::IMAGES_RUNNING`]
/// at a time.
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

/// The previews of an image, and its size.
pub struct Previews {
    pub width: u32,
    pub height: u32,
    /// As [`PreviewSize::ALL`] lists them.
    pub jpegs: Vec<Vec<u8>>,
}

/// The previews, or `None` when the bytes are no image this server decodes within its
/// limits (the file is then kept as a plain file).
pub fn make(bytes: &[u8]) -> Option<Previews> {
    let mut reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().ok()?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_MEGAPIXELS * 1_000_000
        || width == 0
        || height == 0
    {
        return None;
    }
    let orientation = decoder.orientation().ok()?;
    let mut image = DynamicImage::from_decoder(decoder).ok()?;
    image.apply_orientation(orientation);
    let mut jpegs = Vec::new();
    for size in PreviewSize::ALL {
        let side = size.side();
        // Never scaled up: a small picture's preview is the picture.
        let scaled = if image.width() > side || image.height() > side {
            image.resize(side, side, FilterType::Triangle)
        } else {
            image.clone()
        };
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, 82)
            .encode_image(&scaled.to_rgb8())
            .ok()?;
        jpegs.push(jpeg);
    }
    Some(Previews {
        width: image.width(),
        height: image.height(),
        jpegs,
    })
}

/// `bytes` without metadata, when it is a JPEG, PNG or WebP (others as they came). A
/// JPEG keeps only its orientation, so a phone's portrait photo still stands upright.
pub fn without_metadata(bytes: Vec<u8>) -> Vec<u8> {
    let data = Bytes::from(bytes);
    if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let Ok(mut jpeg) = img_parts::jpeg::Jpeg::from_bytes(data.clone()) else {
            return data.to_vec();
        };
        let orientation = jpeg.exif().and_then(|exif| orientation_of(&exif));
        // APP1 holds EXIF and XMP; APP13 holds IPTC (Photoshop's), locations included.
        jpeg.remove_segments_by_marker(img_parts::jpeg::markers::APP1);
        jpeg.remove_segments_by_marker(img_parts::jpeg::markers::APP13);
        if let Some(o) = orientation.filter(|o| *o != 1) {
            jpeg.set_exif(Some(Bytes::from(orientation_exif(o))));
        }
        return jpeg.encoder().bytes().to_vec();
    }
    if data.starts_with(b"\x89PNG") {
        let Ok(mut png) = img_parts::png::Png::from_bytes(data.clone()) else {
            return data.to_vec();
        };
        png.set_exif(None);
        // Text chunks carry XMP and free-form notes.
        for kind in [*b"tEXt", *b"zTXt", *b"iTXt"] {
            png.remove_chunks_by_type(kind);
        }
        return png.encoder().bytes().to_vec();
    }
    match img_parts::DynImage::from_bytes(data.clone()) {
        Ok(Some(mut other)) => {
            other.set_exif(None);
            other.encoder().bytes().to_vec()
        }
        _ => data.to_vec(),
    }
}

/// The orientation tag (0x0112) of a TIFF-structured EXIF block, when it has one.
fn orientation_of(exif: &[u8]) -> Option<u16> {
    let big = match exif.get(..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b = exif.get(at..at + 2)?;
        Some(if big {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b = exif.get(at..at + 4)?;
        let a = [b[0], b[1], b[2], b[3]];
        Some(if big {
            u32::from_be_bytes(a)
        } else {
            u32::from_le_bytes(a)
        })
    };
    let ifd = u32_at(4)? as usize;
    let count = u16_at(ifd)? as usize;
    (0..count.min(256)).find_map(|i| {
        let entry = ifd + 2 + i * 12;
        (u16_at(entry)? == 0x0112)
            .then(|| u16_at(entry + 8))
            .flatten()
    })
}

/// The smallest EXIF block saying only `orientation`.
fn orientation_exif(orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    tiff.extend_from_slice(&1u16.to_be_bytes());
    tiff.extend_from_slice(&0x0112u16.to_be_bytes());
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes());
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes());
    tiff
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG with an EXIF block holding an orientation and a GPS pointer.
    fn photo_with_location() -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        DynamicImage::new_rgb8(64, 32)
            .write_to(&mut out, image::ImageFormat::Jpeg)
            .unwrap();
        let mut jpeg = img_parts::jpeg::Jpeg::from_bytes(Bytes::from(out.into_inner())).unwrap();
        let mut exif = orientation_exif(6);
        // A second entry: the GPS IFD pointer (0x8825), as cameras write it.
        exif[9] = 2;
        exif.truncate(22);
        exif.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 40, 0, 0, 0, 0]);
        exif.extend_from_slice(b"GPS 10.7769 N 106.7009 E");
        jpeg.set_exif(Some(Bytes::from(exif)));
        jpeg.encoder().bytes().to_vec()
    }

    #[test]
    fn the_original_loses_its_location_and_keeps_its_orientation() {
        let photo = photo_with_location();
        assert!(photo.windows(3).any(|w| w == b"GPS"));
        let clean = without_metadata(photo);
        assert!(!clean.windows(3).any(|w| w == b"GPS"), "no location left");
        let jpeg = img_parts::jpeg::Jpeg::from_bytes(Bytes::from(clean.clone())).unwrap();
        assert_eq!(jpeg.exif().and_then(|e| orientation_of(&e)), Some(6));
        assert!(image::load_from_memory(&clean).is_ok(), "still a picture");
    }

    #[test]
    fn previews_stand_upright_and_are_never_larger_than_asked() {
        let previews = make(&photo_with_location()).unwrap();
        // Orientation 6 turns the 64 × 32 picture a quarter.
        assert_eq!((previews.width, previews.height), (32, 64));
        assert_eq!(previews.jpegs.len(), 2);
        for jpeg in &previews.jpegs {
            assert!(!jpeg.windows(3).any(|w| w == b"GPS"));
        }
        assert!(make(b"%PDF-1.7").is_none());
    }
}
