//! Attachments: a file is uploaded on its own (with a progress bar, or with the plain
//! form that posts it), kept pending for its uploader, and attached when the post or
//! comment it was picked for is written — in that write's transaction, so a post never
//! points at a file that is not there and a file never belongs to a post half-way.
//!
//! Refused early: a file over the company's size limit, or past its quota, is refused
//! before its bytes are read where the size is known (`Content-Length`), and always
//! before anything is stored. Bytes are stored before the row that names them and
//! removed if that row cannot be written; pending files nobody posted are removed
//! after [`PENDING_FOR_MS`].

mod kinds;
mod previews;
mod text;

pub use kinds::{content_type, shown_inline};

use crate::error::{AppError, Field, Invalid};
use crate::model::files::{
    Attachment, FileLimits, PreviewSize, FILE_MAX_MB_RANGE, FILE_QUOTA_MB_RANGE,
    MAX_FILES_PER_POST, MAX_FILE_NAME,
};
use crate::policy::{allows, Action, Viewer};
use crate::store::{NewFile, Reader, Store};

/// How long a file may wait, pending, for the post it was picked for.
pub const PENDING_FOR_MS: i64 = 24 * 3600 * 1000;

/// The name a file's previews are kept under, beside the file itself.
pub fn preview_object(key: &str, size: PreviewSize) -> String {
    size.object_of(key)
}

/// Whether a file of `size` bytes may be added now: within the per-file limit and the
/// company's quota. Cheap (one small query), so it runs before any byte is read.
pub async fn admit(store: &Store, size: i64) -> Result<FileLimits, AppError> {
    let limits = store.file_limits().await?;
    if size > limits.max_bytes() {
        return Err(Invalid::FileTooLarge(limits.max_mb as usize).into());
    }
    if store.files_bytes().await? + size > limits.quota_bytes() {
        return Err(Invalid::FilesQuotaFull.into());
    }
    Ok(limits)
}

/// A name as it is kept: no folders, no control characters, at most [`MAX_FILE_NAME`]
/// characters (the extension kept).
pub fn clean_name(name: &str) -> Result<String, AppError> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_owned();
    if clean.is_empty() {
        return Err(Invalid::Required(Field::File).into());
    }
    if clean.chars().count() <= MAX_FILE_NAME {
        return Ok(clean);
    }
    let (stem, ext) = match clean.rsplit_once('.') {
        Some((stem, ext)) if ext.chars().count() <= 10 => (stem, format!(".{ext}")),
        _ => (clean.as_str(), String::new()),
    };
    let keep = MAX_FILE_NAME - ext.chars().count();
    Ok(format!(
        "{}{ext}",
        stem.chars().take(keep).collect::<String>()
    ))
}

/// Stores an uploaded file as `viewer`'s pending file: checks it against the limits,
/// makes an image's previews (off the async workers, a few at a time), removes its
/// metadata, and writes the bytes, then the row. Nothing is left behind on failure.
pub async fn upload(
    store: &Store,
    viewer: &Viewer,
    name: &str,
    bytes: Vec<u8>,
    now: i64,
) -> Result<Attachment, AppError> {
    let name = clean_name(name)?;
    if bytes.is_empty() {
        return Err(Invalid::FileEmpty.into());
    }
    admit(store, bytes.len() as i64).await?;
    let objects = store.objects()?.clone();
    let content_type = content_type(&name, &bytes);
    // Decoding pictures and reading documents are heavy: off the async workers, a few
    // at a time.
    let (bytes, previews, words) = if kinds::image_type(&bytes).is_some() {
        crate::heavy::images()
            .run(move || {
                let previews = previews::make(&bytes);
                (previews::without_metadata(bytes), previews, String::new())
            })
            .await?
    } else {
        crate::heavy::images()
            .run(move || {
                let words = text::extract(content_type, &bytes);
                (bytes, None, words)
            })
            .await?
    };
    let key = crate::security::random_hex(16);
    let size = bytes.len() as i64;
    let mut written = vec![key.clone()];
    let stored = async {
        objects.put(&key, bytes).await?;
        if let Some(p) = &previews {
            for (size, jpeg) in PreviewSize::ALL.into_iter().zip(&p.jpegs) {
                let object = preview_object(&key, size);
                written.push(object.clone());
                objects.put(&object, jpeg.clone()).await?;
            }
        }
        let mut tx = store.begin().await?;
        tx.add_file(&NewFile {
            key: &key,
            uploader: viewer.user_id,
            name: &name,
            content_type,
            size,
            dimensions: previews
                .as_ref()
                .map(|p| (i64::from(p.width), i64::from(p.height))),
            previews: previews.is_some(),
            text: &words,
            created_at: now,
        })
        .await?;
        tx.commit().await
    }
    .await;
    if let Err(err) = stored {
        for object in &written {
            let _ = objects.delete(object).await;
        }
        return Err(err.into());
    }
    sweep(store, now).await;
    Ok(Attachment {
        key,
        name,
        content_type: content_type.to_owned(),
        size,
        width: previews.as_ref().map(|p| i64::from(p.width)),
        height: previews.as_ref().map(|p| i64::from(p.height)),
        previews: previews.is_some(),
    })
}

/// Removes `viewer`'s pending file `key` (taken out of a composer before posting).
pub async fn discard(store: &Store, viewer: &Viewer, key: &str) -> Result<(), AppError> {
    let key = checked_key(key)?;
    let mut tx = store.begin().await?;
    let removed = tx.remove_pending_file(&key, viewer.user_id).await?;
    tx.commit().await?;
    if !removed {
        return Err(AppError::NotFound);
    }
    forget_bytes(store, &[key]).await;
    Ok(())
}

/// Removes pending files older than [`PENDING_FOR_MS`]; runs after each upload, so a
/// company that uploads also cleans up, and nothing needs a timer.
pub async fn sweep(store: &Store, now: i64) {
    let removed = async {
        let mut tx = store.begin().await?;
        let keys = tx.remove_stale_pending_files(now - PENDING_FOR_MS).await?;
        tx.commit().await?;
        Ok::<_, crate::store::StoreError>(keys)
    }
    .await;
    match removed {
        Ok(keys) => forget_bytes(store, &keys).await,
        Err(err) => {
            crate::telemetry::background_error("files");
            tracing::warn!(error = %err, "cannot remove stale pending files")
        }
    }
}

/// Removes the bytes of files whose rows are gone (and their previews); a failure is
/// logged, never the caller's: the row, which says who may read them, is gone already.
pub(crate) async fn forget_bytes(store: &Store, keys: &[String]) {
    let Ok(objects) = store.objects() else { return };
    for key in keys {
        let mut names = vec![key.clone()];
        names.extend(PreviewSize::ALL.map(|s| preview_object(key, s)));
        for name in names {
            if let Err(err) = objects.delete(&name).await {
                crate::telemetry::background_error("files");
                tracing::warn!(error = %err, "cannot remove a file's bytes");
            }
        }
    }
}

/// The file `key` when `viewer` may read it (see `Store::file_for`).
pub async fn readable(store: &Store, viewer: &Viewer, key: &str) -> Result<Attachment, AppError> {
    let key = checked_key(key).map_err(|_| AppError::NotFound)?;
    store
        .file_for(Reader::of(viewer), &key)
        .await?
        .ok_or(AppError::NotFound)
}

/// A key as uploads make them: 32 lower-case hex digits.
fn checked_key(key: &str) -> Result<String, AppError> {
    let key = key.trim();
    if key.len() == 32
        && key
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(key.to_owned())
    } else {
        Err(Invalid::Unacceptable(Field::File).into())
    }
}

/// The `files` field of a post or comment form: keys separated by spaces or commas,
/// each once, at most [`MAX_FILES_PER_POST`].
pub fn checked_keys(field: Option<&str>) -> Result<Vec<String>, AppError> {
    let mut keys: Vec<String> = Vec::new();
    for part in field
        .unwrap_or_default()
        .split([' ', ','])
        .filter(|p| !p.trim().is_empty())
    {
        // A file the plain form carried was refused on its way in (`server::http::files`).
        if let Some(reason) = part.trim().strip_prefix('!') {
            return Err(refused(reason));
        }
        let key = checked_key(part)?;
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    if keys.len() > MAX_FILES_PER_POST {
        return Err(Invalid::TooMany(Field::File, MAX_FILES_PER_POST).into());
    }
    Ok(keys)
}

/// The error a `!reason` entry names.
fn refused(reason: &str) -> AppError {
    match reason.split_once(':') {
        Some(("too_large", mb)) => Invalid::FileTooLarge(mb.parse().unwrap_or(0)).into(),
        _ => match reason {
            "quota" => Invalid::FilesQuotaFull.into(),
            "empty" => Invalid::FileEmpty.into(),
            "busy" => AppError::Busy,
            "too_many" => Invalid::TooMany(Field::File, MAX_FILES_PER_POST).into(),
            _ => Invalid::Unacceptable(Field::File).into(),
        },
    }
}

pub async fn limits(store: &Store) -> Result<FileLimits, AppError> {
    Ok(store.file_limits().await?)
}

/// Sets the company's limits (owners and admins).
pub async fn set_limits(
    store: &Store,
    viewer: &Viewer,
    max_mb: &str,
    quota_mb: &str,
) -> Result<FileLimits, AppError> {
    if !allows(Some(viewer), Action::ManagePeople) {
        return Err(AppError::Forbidden);
    }
    let number = |text: &str, field: Field, (min, max): (i64, i64)| {
        text.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or(AppError::from(Invalid::OutOfRange(field, min, max)))
    };
    let limits = FileLimits {
        max_mb: number(max_mb, Field::FileMaxMb, FILE_MAX_MB_RANGE)?,
        quota_mb: number(quota_mb, Field::FileQuotaMb, FILE_QUOTA_MB_RANGE)?,
    };
    let mut tx = store.begin().await?;
    tx.set_file_limits(limits).await?;
    tx.commit().await?;
    Ok(limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_folders_and_control_characters_and_keep_their_extension() {
        assert_eq!(
            clean_name("C:\\Users\\an\\Báo giá.pdf").unwrap(),
            "Báo giá.pdf"
        );
        assert_eq!(clean_name("../../etc/passwd").unwrap(), "passwd");
        assert_eq!(clean_name("a\u{0}b\n.txt").unwrap(), "a b .txt");
        assert!(clean_name("   ").is_err());
        let long = format!("{}.docx", "x".repeat(300));
        let kept = clean_name(&long).unwrap();
        assert_eq!(kept.chars().count(), MAX_FILE_NAME);
        assert!(kept.ends_with(".docx"));
    }

    #[test]
    fn keys_are_checked_deduplicated_and_bounded() {
        let k = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            checked_keys(Some(&format!("{k} {k},"))).unwrap(),
            vec![k.to_owned()]
        );
        assert!(checked_keys(Some("../x")).is_err());
        assert!(checked_keys(None).unwrap().is_empty());
        let many: Vec<String> = (0..11).map(|i| format!("{i:032x}")).collect();
        assert!(checked_keys(Some(&many.join(" "))).is_err());
    }
}
