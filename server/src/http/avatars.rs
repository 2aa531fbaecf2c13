//! Profile photos. Uploading is a plain multipart form, so it works without JavaScript:
//! the photo is checked, turned the right way up, cropped to a square, resized and
//! stored as a small JPEG, and the browser is sent back to the edit page (with
//! `?avatar_error=` when it was refused). Photos are served only to signed-in people,
//! cached for a long time because their URL carries the version.

use super::AppState;
use app::model::{PersonId, MAX_AVATAR_MB};
use app::policy::Viewer;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageError, ImageReader, Limits};

/// Width and height of a stored avatar, in pixels (twice the largest size shown).
const SIDE: u32 = 256;
/// The upload limit in bytes; the body limit leaves room for the form's own bytes.
pub const MAX_BYTES: usize = MAX_AVATAR_MB * 1024 * 1024;
/// The most pixels a photo may have, in millions: read from the file's header before
/// decoding, because a few dozen bytes of PNG can declare a picture that would take
/// hundreds of megabytes to decode.
const MAX_MEGAPIXELS: u64 = app::model::MAX_AVATAR_MEGAPIXELS;
/// The longest side a photo may have, in pixels.
const MAX_SIDE: u32 = 12_000;
/// The most memory one decode may allocate (a 24-megapixel photo at four bytes a pixel,
/// with room to spare); photos decode [`app::heavy::IMAGES_RUNNING`] at a time.
const MAX_DECODE_BYTES: u64 = 128 * 1024 * 1024;

#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    TooLarge,
    TooManyPixels,
    Unreadable,
    /// Too many photos are being decoded: try again.
    Busy,
}

impl Refusal {
    /// The code the edit page turns into a message (`pages/profile.rs`).
    fn code(&self) -> &'static str {
        match self {
            Refusal::TooLarge => "too_large",
            Refusal::TooManyPixels => "too_many_pixels",
            Refusal::Unreadable => "unreadable",
            Refusal::Busy => "busy",
        }
    }
}

pub async fn upload(
    State(state): State<AppState>,
    Path(person): Path<PersonId>,
    viewer: Option<Extension<Viewer>>,
    multipart: Multipart,
) -> Response {
    let edit_page = format!("/people/{person}/edit");
    let Some(Extension(viewer)) = viewer else {
        return Redirect::to(&format!("/sign-in?next={edit_page}")).into_response();
    };
    match app::domain::people::may_edit(&state.store, &viewer, person).await {
        Ok(true) => {}
        Ok(false) => return StatusCode::FORBIDDEN.into_response(),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
    let photo = match read_photo(multipart).await {
        // Off the async workers, a few at a time; when that many are under way the
        // upload is refused at once rather than queued.
        Ok(bytes) => match app::heavy::images().run(move || square_jpeg(&bytes)).await {
            Ok(done) => done,
            Err(app::error::AppError::Busy) => Err(Refusal::Busy),
            Err(_) => Err(Refusal::Unreadable),
        },
        Err(refusal) => Err(refusal),
    };
    let jpeg = match photo {
        Ok(jpeg) => jpeg,
        Err(refusal) => {
            let code = refusal.code();
            return Redirect::to(&format!("{edit_page}?avatar_error={code}")).into_response();
        }
    };
    let saved = async {
        let mut tx = state.store.begin().await?;
        tx.set_avatar(person, "image/jpeg", &jpeg, app::store::now_ms())
            .await?;
        tx.commit().await
    }
    .await;
    match saved {
        Ok(()) => Redirect::to(&edit_page).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "cannot store an avatar");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The bytes of the form's `photo` field.
async fn read_photo(mut multipart: Multipart) -> Result<Vec<u8>, Refusal> {
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("photo") {
            // Reading past the body limit fails: that is the only way this errs for a
            // well-formed form.
            let bytes = field.bytes().await.map_err(|_| Refusal::TooLarge)?;
            if bytes.len() > MAX_BYTES {
                return Err(Refusal::TooLarge);
            }
            return Ok(bytes.to_vec());
        }
    }
    Err(Refusal::Unreadable)
}

/// Decodes a photo (JPEG, PNG, WebP or GIF, told apart by content, not by name), turns
/// it upright, crops the centre square and encodes it as a `SIDE`-pixel JPEG. Decoding
/// is bounded: the header's dimensions are checked before any pixel is decoded, and
/// the decoder may allocate at most `MAX_DECODE_BYTES`.
fn square_jpeg(bytes: &[u8]) -> Result<Vec<u8>, Refusal> {
    let mut reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| Refusal::Unreadable)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_MEGAPIXELS * 1_000_000 {
        return Err(Refusal::TooManyPixels);
    }
    let orientation = decoder.orientation().map_err(refusal)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    image.apply_orientation(orientation);
    if image.width() == 0 || image.height() == 0 {
        return Err(Refusal::Unreadable);
    }
    // Scaled down first, then the centre cropped: no full-size copy of the photo.
    let square = image
        .resize_to_fill(SIDE, SIDE, FilterType::Lanczos3)
        .to_rgb8();
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&square)
        .map_err(|_| Refusal::Unreadable)?;
    Ok(jpeg)
}

/// A decoding error as a refusal: a limit that was hit says the photo is too big.
fn refusal(err: ImageError) -> Refusal {
    match err {
        ImageError::Limits(_) => Refusal::TooManyPixels,
        _ => Refusal::Unreadable,
    }
}

pub async fn serve(
    State(state): State<AppState>,
    Path(person): Path<PersonId>,
    viewer: Option<Extension<Viewer>>,
) -> Response {
    let Some(Extension(viewer)) = viewer else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    // The photo of someone the viewer may not see (a guest, someone outside their
    // channels) answers exactly like a photo that was never uploaded.
    match state.store.avatar(person, viewer.user_id).await {
        Ok(Some((content_type, image))) => (
            [
                (header::CONTENT_TYPE, content_type),
                // The URL changes with every new photo (`?v=`), so it never goes stale.
                (
                    header::CACHE_CONTROL,
                    "private, max-age=31536000, immutable".to_owned(),
                ),
            ],
            image,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "cannot read an avatar");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
        let image = DynamicImage::new_rgb8(width, height);
        let mut out = std::io::Cursor::new(Vec::new());
        image.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn photos_become_small_squares() {
        for format in [image::ImageFormat::Png, image::ImageFormat::Jpeg] {
            let jpeg = square_jpeg(&encoded(640, 480, format)).ok().unwrap();
            let back = image::load_from_memory(&jpeg).unwrap();
            assert_eq!((back.width(), back.height()), (SIDE, SIDE));
        }
    }

    #[test]
    fn other_files_are_refused() {
        assert!(square_jpeg(b"%PDF-1.7 not a photo").is_err());
        assert!(square_jpeg(b"").is_err());
    }

    #[test]
    fn photos_declaring_huge_dimensions_are_refused_before_decoding() {
        // A few dozen bytes declaring 9 000 × 9 000 pixels (243 MB decoded, within the
        // side limit), and 20 000 × 20 000 (past it).
        for (width, height) in [(9_000, 9_000), (20_000, 20_000), (60_000, 1_000)] {
            let png = crate::testing::png_declaring(width, height);
            assert!(png.len() < 100);
            assert_eq!(
                square_jpeg(&png),
                Err(Refusal::TooManyPixels),
                "{width}×{height}"
            );
        }
        // Within the limits the same kind of file is simply unreadable (no pixel data).
        assert_eq!(
            square_jpeg(&crate::testing::png_declaring(600, 400)),
            Err(Refusal::Unreadable)
        );
    }
}
