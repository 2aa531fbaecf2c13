//! Attachments over HTTP: uploading one file (the composer's script, with a progress
//! bar), the plain composer form that carries its files itself (no JavaScript), and
//! reading a file or an image's preview.
//!
//! A file is answered only to someone who may read what it is attached to, at an
//! address that carries its random key; to anyone else it does not exist (404). It
//! goes out with the type the server decided from its bytes, `nosniff`, and a
//! `Content-Disposition` that makes anything but images, PDFs, plain text and media a
//! download; a sandboxing policy keeps even a mislabelled file from running as a page
//! of our origin.

use super::AppState;
use app::domain::files;
use app::error::AppError;
use app::model::files::{PreviewSize, FILE_MAX_MB_RANGE, MAX_FILES_PER_POST};
use app::policy::Viewer;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::TryStreamExt;

/// The most a request carrying files may hold: the largest file the settings may allow,
/// ten times over for a plain form, plus the form itself. The company's own limit,
/// usually far lower, is applied to each file as it is read.
pub const MAX_UPLOAD_BODY: usize = (FILE_MAX_MB_RANGE.1 as usize) * 1024 * 1024 + 256 * 1024;
const MAX_PLAIN_FORM_BODY: u64 = MAX_UPLOAD_BODY as u64 * MAX_FILES_PER_POST as u64;

/// The server functions whose plain forms may carry files.
const FORMS_WITH_FILES: [&str; 4] = [
    "/api/posts/create",
    "/api/posts/comment",
    "/api/knowledge/create",
    "/api/knowledge/edit",
];

/// A refusal as a script reads a server function's: the status and the error as JSON.
fn refusal(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let json = serde_json::to_string(&error).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], json).into_response()
}

/// The body's declared length, when it already says it is too large: refused before
/// one byte of it is read.
async fn too_large_early(state: &AppState, headers: &axum::http::HeaderMap) -> Option<AppError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse::<i64>()
        .ok()?;
    // The form's own bytes around the file: a generous allowance.
    let file = declared.saturating_sub(16 * 1024);
    files::admit(&state.store, file).await.err()
}

/// `POST /files`: one file, as the form field `file`; answers the pending file as JSON
/// (its key goes into the post's `files` field when the post is sent).
pub async fn upload(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    request: Request,
) -> Response {
    let Some(Extension(viewer)) = viewer else {
        return refusal(AppError::NotSignedIn);
    };
    let headers = request.headers().clone();
    if let Some(error) = too_large_early(&state, &headers).await {
        return refusal(error);
    }
    let limits = match files::limits(&state.store).await {
        Ok(limits) => limits,
        Err(error) => return refusal(error),
    };
    let Some(mut form) = multipart(request, MAX_UPLOAD_BODY as u64) else {
        return refusal(AppError::BadRequest);
    };
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = match read_file(field, limits.max_bytes()).await {
                    Ok(bytes) => bytes,
                    Err(error) => return refusal(error),
                };
                let now = app::store::now_ms();
                return match files::upload(&state.store, &viewer, &name, bytes, now).await {
                    Ok(file) => axum::Json(file).into_response(),
                    Err(error) => refusal(error),
                };
            }
            Ok(Some(_)) => continue,
            Ok(None) | Err(_) => return refusal(AppError::BadRequest),
        }
    }
}

fn multipart(request: Request, limit: u64) -> Option<multer::Multipart<'static>> {
    let boundary = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())?;
    let stream = request.into_body().into_data_stream();
    let constraints =
        multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(limit));
    Some(multer::Multipart::with_constraints(
        stream,
        boundary,
        constraints,
    ))
}

/// A field's bytes, refused as soon as they pass `max` (the rest is never read).
async fn read_file(mut field: multer::Field<'static>, max: i64) -> Result<Vec<u8>, AppError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
        if (bytes.len() + chunk.len()) as i64 > max {
            return Err(app::error::Invalid::FileTooLarge((max / 1024 / 1024) as usize).into());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The composer's, the comment form's and the page forms' plain posts (no JavaScript; and
/// the page forms always, since no island sends them) come as
/// multipart, with their files: each file is stored as the poster's pending file, and
/// the form goes on to its server function as the usual URL-encoded form, the files'
/// keys in its `files` field. A refused file becomes a `!reason` entry there, which
/// the server function turns into its translated message (`domain::files::checked_keys`),
/// so the page explains it like any other refusal.
pub async fn plain_form_uploads(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if request.method() != Method::POST
        || !is_multipart
        || !FORMS_WITH_FILES.contains(&request.uri().path())
    {
        return next.run(request).await;
    }
    // Signed out: nothing of the body is read; the server function is not reached.
    let Some(viewer) = request.extensions().get::<Viewer>().cloned() else {
        return refusal(AppError::NotSignedIn);
    };
    let (mut parts, body) = request.into_parts();
    let Some(mut form) = multipart(
        Request::from_parts(parts.clone(), body),
        MAX_PLAIN_FORM_BODY,
    ) else {
        return refusal(AppError::BadRequest);
    };
    let limits = match files::limits(&state.store).await {
        Ok(limits) => limits,
        Err(error) => return refusal(error),
    };
    // The form's own fields are read within the limit every other form has.
    let mut text_bytes = 0usize;
    // Pairs, encoded at the end: the encoder is not `Send` and cannot wait across reads.
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let mut picked = 0;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return refusal(AppError::BadRequest),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if let Some(file_name) = field.file_name().map(str::to_owned) {
            // An empty file input still sends a part, with no name and no bytes.
            if file_name.is_empty() {
                if read_file(field, 0).await.is_err() {
                    return refusal(AppError::BadRequest);
                }
                continue;
            }
            picked += 1;
            if picked > MAX_FILES_PER_POST {
                keys.push("!too_many".into());
                break;
            }
            let outcome = match read_file(field, limits.max_bytes()).await {
                Ok(bytes) => {
                    files::upload(
                        &state.store,
                        &viewer,
                        &file_name,
                        bytes,
                        app::store::now_ms(),
                    )
                    .await
                }
                Err(error) => Err(error),
            };
            match outcome {
                Ok(file) => keys.push(file.key),
                Err(error) => {
                    keys.push(refusal_code(&error));
                    break;
                }
            }
        } else {
            let room = super::MAX_REQUEST_BYTES.saturating_sub(text_bytes) as i64;
            let value = match read_file(field, room).await {
                Ok(bytes) => String::from_utf8(bytes).map_err(|_| ()),
                Err(_) => Err(()),
            };
            text_bytes += value.as_ref().map_or(0, String::len);
            match value {
                Ok(value) if name == "files" => {
                    keys.extend(value.split([' ', ',']).map(str::to_owned))
                }
                Ok(value) => fields.push((name, value)),
                Err(_) => return refusal(AppError::BadRequest),
            }
        }
    }
    let keys: Vec<String> = keys.into_iter().filter(|k| !k.is_empty()).collect();
    if !keys.is_empty() {
        fields.push(("files".into(), keys.join(" ")));
    }
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&fields)
        .finish();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    next.run(Request::from_parts(parts, Body::from(body))).await
}

/// How a refused file is named in the `files` field (`domain::files::checked_keys`).
fn refusal_code(error: &AppError) -> String {
    use app::error::Invalid;
    match error {
        AppError::Invalid(Invalid::FileTooLarge(mb)) => format!("!too_large:{mb}"),
        AppError::Invalid(Invalid::FilesQuotaFull) => "!quota".into(),
        AppError::Invalid(Invalid::FileEmpty) => "!empty".into(),
        AppError::Busy => "!busy".into(),
        _ => "!unreadable".into(),
    }
}

/// `GET /files/{key}/{name}`: the file itself.
pub async fn serve(
    State(state): State<AppState>,
    Path((key, _name)): Path<(String, String)>,
    viewer: Option<Extension<Viewer>>,
) -> Response {
    let Some(Extension(viewer)) = viewer else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let file = match files::readable(&state.store, &viewer, &key).await {
        Ok(file) => file,
        Err(error) => return status_of(error),
    };
    let disposition = content_disposition(
        if files::shown_inline(&file.content_type) {
            "inline"
        } else {
            "attachment"
        },
        &file.name,
    );
    send(&state, &file.key, &file.content_type, Some(disposition)).await
}

/// `GET /files/{key}/preview/{size}`: an image's small or large preview (a JPEG).
pub async fn preview(
    State(state): State<AppState>,
    Path((key, size)): Path<(String, String)>,
    viewer: Option<Extension<Viewer>>,
) -> Response {
    let Some(Extension(viewer)) = viewer else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(size) = PreviewSize::parse(&size) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let file = match files::readable(&state.store, &viewer, &key).await {
        Ok(file) if file.previews => file,
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return status_of(error),
    };
    send(
        &state,
        &files::preview_object(&file.key, size),
        "image/jpeg",
        None,
    )
    .await
}

fn status_of(error: AppError) -> Response {
    StatusCode::from_u16(error.status())
        .unwrap_or(StatusCode::NOT_FOUND)
        .into_response()
}

async fn send(
    state: &AppState,
    object: &str,
    content_type: &str,
    disposition: Option<String>,
) -> Response {
    let objects = match state.store.objects() {
        Ok(objects) => objects,
        Err(err) => {
            tracing::error!(error = %err, "files are not configured");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let download = match objects.get(object).await {
        Ok(Some(download)) => download,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "cannot read a file");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let mut response = Body::from_stream(download.bytes.map_err(axum::Error::new)).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(download.size));
    if let Some(value) = disposition.and_then(|d| HeaderValue::from_str(&d).ok()) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    // Read access can end (a post deleted, a person leaving a channel): browsers keep
    // the bytes only briefly, and no shared cache keeps them at all.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=300"),
    );
    // Never a page of ours: no script, no form, no plugin, whatever the bytes are. PDFs
    // are left to the page policy the security layer sets, since Chromium's viewer
    // does not open a sandboxed document.
    if content_type != "application/pdf" {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"),
        );
    }
    response
}

/// `inline` or `attachment`, with the name in ASCII for old clients and in UTF-8
/// (RFC 6266 / 5987) for the rest.
fn content_disposition(kind: &str, name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_go_out_in_ascii_and_utf8() {
        assert_eq!(
            content_disposition("attachment", "Báo giá \"Q3\".xlsx"),
            "attachment; filename=\"B_o gi_ _Q3_.xlsx\"; filename*=UTF-8''B%C3%A1o%20gi%C3%A1%20%22Q3%22%2Exlsx"
        );
    }
}
