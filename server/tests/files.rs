//! Attachments over real HTTP, on SQLite and PostgreSQL, reading what comes back: an
//! upload answers its pending file; a post carries it; a member reads it with the type
//! decided from its bytes, `nosniff` and a sandbox; an outsider, a stranger and a
//! signed-out browser get exactly what a file that never existed gets. The plain
//! composer form (no JavaScript) posts its own files; a refused file says why and
//! leaves nothing. And the same round trip against a real S3-compatible server.

#[macro_use]
mod common;

use app::model::files::Attachment;
use app::model::ChannelKind;
use app::policy::Viewer;
use app::store::Store;
use app::testing::{CompanyBuilder, TestDb, NOW};
use common::in_process::InProcess;

struct Company {
    /// A member of `secret`.
    an: Viewer,
    an_cookie: String,
    /// In `secret` too.
    owner_cookie: String,
    /// Not in `secret`.
    binh_cookie: String,
    owner: Viewer,
}

async fn company(store: &Store) -> Company {
    let (company, owner) = CompanyBuilder::set_up(store, NOW).await;
    let an = company.person("an@saomai.vn", "Nguyễn Văn An").await;
    let binh = company.person("binh@saomai.vn", "Trần Bình").await;
    company
        .channel("secret", ChannelKind::Private)
        .by(&owner)
        .admin(&owner)
        .member(&an)
        .await;
    Company {
        an_cookie: company.cookie(&an).await,
        owner_cookie: company.cookie(&owner).await,
        binh_cookie: company.cookie(&binh).await,
        an,
        owner,
    }
}

const BOUNDARY: &str = "townhall-files-boundary";

/// A multipart body: text fields, then files as (field, file name, bytes).
fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    for (field, file_name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\n\
                 Content-Type: text/html\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A raw multipart POST; `accept` says whether a script (JSON) or a browser form asks.
fn multipart_post(path: &str, body: &[u8], cookie: &str, accept: &str) -> Vec<u8> {
    let mut raw = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nAccept: {accept}\r\n\
         Referer: http://127.0.0.1:3000/channels/secret\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n{cookie}\r\n",
        body.len()
    )
    .into_bytes();
    raw.extend_from_slice(body);
    raw
}

async fn upload(server: &InProcess, cookie: &str, name: &str, bytes: &[u8]) -> (u16, String) {
    let body = multipart(&[], &[("file", name, bytes)]);
    let (status, _, answer) = server
        .exchange(multipart_post("/files", &body, cookie, "application/json"))
        .await;
    (status, answer)
}

fn header<'a>(head: &'a str, name: &str) -> &'a str {
    head.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .unwrap_or_default()
}

fn a_png() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::new_rgb8(900, 600)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// Uploads, posts in `secret`, and checks who reads what: the story both backends and
/// both file stores run.
async fn round_trip(store: &Store, tag: &str) -> Viewer {
    let c = company(store).await;
    let server = InProcess::start(store, tag).await;

    let (status, answer) = upload(&server, &c.an_cookie, "Sơ đồ xưởng.png", &a_png()).await;
    assert_eq!(status, 200, "{answer}");
    let photo: Attachment = serde_json::from_str(&answer).unwrap();
    assert!(photo.previews);
    let (_, answer) = upload(
        &server,
        &c.an_cookie,
        "Hợp đồng.pdf",
        b"%PDF-1.7 the contract",
    )
    .await;
    let pdf: Attachment = serde_json::from_str(&answer).unwrap();
    let (_, answer) = upload(
        &server,
        &c.an_cookie,
        "trap.html",
        b"<script>alert(1)</script>",
    )
    .await;
    let trap: Attachment = serde_json::from_str(&answer).unwrap();

    // Pending: the uploader's alone.
    let (status, _, _) = server.get_with(&photo.href(), &c.owner_cookie).await;
    assert_eq!(status, 404);

    let keys = format!("{} {} {}", photo.key, pdf.key, trap.key);
    let form = format!("channel=secret&kind=update&body=Plans&files={keys}");
    let (status, _, answer) = server.post("/api/posts/create", &form, &c.an_cookie).await;
    assert_eq!(status, 200, "{answer}");

    // A member reads each, typed by its bytes.
    let (status, head, body) = server.get_with(&pdf.href(), &c.owner_cookie).await;
    assert_eq!(status, 200);
    assert_eq!(body, "%PDF-1.7 the contract");
    assert_eq!(header(&head, "content-type"), "application/pdf");
    assert!(header(&head, "content-disposition").starts_with("inline;"));
    assert!(header(&head, "content-disposition").contains("filename*=utf-8''h%e1%bb%a3p"));
    assert_eq!(header(&head, "x-content-type-options"), "nosniff");
    let (status, head, body) = server.get_with(&trap.href(), &c.owner_cookie).await;
    assert_eq!(status, 200);
    assert_eq!(body, "<script>alert(1)</script>");
    assert_eq!(header(&head, "content-type"), "application/octet-stream");
    assert!(header(&head, "content-disposition").starts_with("attachment;"));
    assert!(header(&head, "content-security-policy").contains("sandbox"));
    let (status, head, body) = server
        .get_with(
            &photo.preview_href(app::model::files::PreviewSize::Small),
            &c.owner_cookie,
        )
        .await;
    assert_eq!((status, header(&head, "content-type")), (200, "image/jpeg"));
    assert!(!body.is_empty());

    // An outsider, a signed-out browser and a made-up key: the same nothing.
    let (missing, _, missing_body) = server
        .get_with(
            "/files/0123456789abcdef0123456789abcdef/x.pdf",
            &c.owner_cookie,
        )
        .await;
    assert_eq!(missing, 404);
    for (path, cookie) in [
        (pdf.href(), c.binh_cookie.as_str()),
        (pdf.href(), ""),
        (
            photo.preview_href(app::model::files::PreviewSize::Large),
            c.binh_cookie.as_str(),
        ),
    ] {
        let (status, _, body) = server.get_with(&path, cookie).await;
        assert_eq!(
            (status, body.as_str()),
            (missing, missing_body.as_str()),
            "{path}"
        );
    }
    // The feed names the files only to those who read the post.
    let (_, _, page) = server.get_with("/channels/secret", &c.owner_cookie).await;
    assert!(
        page.contains("Hợp đồng.pdf")
            && page.contains(&photo.preview_href(app::model::files::PreviewSize::Small))
    );
    let (_, _, search) = server.get_with("/search?q=hop+dong", &c.binh_cookie).await;
    assert!(!search.contains("Hợp đồng.pdf") && !search.contains(&pdf.key));
    c.an
}

async fn files_over_http_follow_the_posts_rule(db: TestDb) {
    Box::pin(round_trip(&db.store, "files-rule")).await;
    db.finish().await;
}

async fn a_plain_form_posts_its_files_without_script(db: TestDb) {
    let c = company(&db.store).await;
    let server = InProcess::start(&db.store, "files-plain").await;
    let body = multipart(
        &[
            ("channel", "secret"),
            ("kind", "update"),
            ("body", "Bảng giá mới"),
            ("back", "/channels/secret"),
        ],
        &[
            ("upload", "Bảng giá.csv", b"item,price\nA,10\n"),
            // The empty file input a form sends when nothing more was picked.
            ("upload", "", b""),
        ],
    );
    let (status, head, _) = server
        .exchange(multipart_post(
            "/api/posts/create",
            &body,
            &c.an_cookie,
            "text/html",
        ))
        .await;
    assert_eq!(status, 302, "{head}");
    assert_eq!(header(&head, "location"), "/channels/secret");
    let feed = app::domain::feed::channel(&db.store, &c.owner, "secret", None)
        .await
        .unwrap();
    let post = feed
        .feed
        .posts
        .iter()
        .find(|p| p.body == "Bảng giá mới")
        .expect("posted");
    assert_eq!(post.attachments.len(), 1);
    let file = &post.attachments[0];
    assert_eq!(file.content_type, "text/csv; charset=utf-8");
    let (status, _, text) = server.get_with(&file.href(), &c.owner_cookie).await;
    assert_eq!((status, text.as_str()), (200, "item,price\nA,10\n"));
    db.finish().await;
}

async fn a_refused_upload_says_why_and_stores_nothing(db: TestDb) {
    let c = company(&db.store).await;
    app::domain::files::set_limits(&db.store, &c.owner, "1", "100")
        .await
        .unwrap();
    let server = InProcess::start(&db.store, "files-refused").await;
    let big = vec![7u8; 1024 * 1024 + 1];
    let body = multipart(&[], &[("file", "big.bin", &big)]);
    let (status, head, answer) = server
        .exchange(multipart_post(
            "/files",
            &body,
            &c.an_cookie,
            "application/json",
        ))
        .await;
    assert_eq!(status, 400);
    let error: app::error::AppError = serde_json::from_str(&answer).unwrap();
    assert_eq!(error, app::error::Invalid::FileTooLarge(1).into());
    // The picker's island shows the sentence the answer carries (in English here).
    let said = percent_encoding::percent_decode_str(header(&head, "x-townhall-message"))
        .decode_utf8()
        .unwrap()
        .to_lowercase();
    assert_eq!(
        said,
        error.message(app::i18n::Lang::En.texts()).to_lowercase()
    );
    // Without script: the post is refused with the same reason, and nothing is stored.
    let body = multipart(
        &[
            ("channel", "general"),
            ("kind", "update"),
            ("body", "Too big"),
        ],
        &[("upload", "big.bin", &big)],
    );
    let (status, head, _) = server
        .exchange(multipart_post(
            "/api/posts/create",
            &body,
            &c.an_cookie,
            "text/html",
        ))
        .await;
    assert_eq!(status, 302, "{head}");
    assert!(header(&head, "location").contains("__err="), "{head}");
    assert_eq!(db.store.files_bytes().await.unwrap(), 0);
    let home = app::domain::feed::home(&db.store, &c.owner, None)
        .await
        .unwrap();
    assert!(home.posts.iter().all(|p| p.body != "Too big"));
    // Signed out: nothing is read or kept.
    let (status, _) = upload(&server, "", "x.txt", b"x").await;
    assert_eq!(status, 401);
    let (status, _, _) = server
        .exchange(multipart_post("/api/posts/create", &body, "", "text/html"))
        .await;
    assert_eq!(
        status, 401,
        "a signed-out plain form is refused before its files are read"
    );
    // A plain form's own fields stay within the limit every form has (2 MiB).
    let huge = "x".repeat(3 * 1024 * 1024);
    let body = multipart(
        &[("channel", "general"), ("kind", "update"), ("body", &huge)],
        &[],
    );
    let (status, _, _) = server
        .exchange(multipart_post(
            "/api/posts/create",
            &body,
            &c.an_cookie,
            "text/html",
        ))
        .await;
    assert_eq!(status, 400);
    assert!(home_has_no(&db.store, &c.owner, &huge[..10]).await);
    db.finish().await;
}

async fn home_has_no(store: &Store, who: &Viewer, text: &str) -> bool {
    let home = app::domain::feed::home(store, who, None).await.unwrap();
    home.posts.iter().all(|p| !p.body.contains(text))
}

// Pages are rendered in this process: on serve's stack (`on_a_server_stack`).
#[test]
fn attachments_round_trip_through_an_s3_compatible_server() {
    common::in_process::on_a_server_stack(s3_round_trip);
}

async fn s3_round_trip() {
    let Some(s3) = common::s3::S3Server::start() else {
        return;
    };
    s3.create_bucket("townhall");
    let objects = s3.bucket("townhall");
    let db = TestDb::sqlite().await;
    let store = db.store.with_objects(objects.clone());
    let c = Box::pin(round_trip(&store, "files-s3")).await;
    // The bytes are in the bucket, and a discarded file leaves it.
    let file = app::domain::files::upload(&store, &c, "draft.txt", b"draft".to_vec(), NOW)
        .await
        .unwrap();
    assert_eq!(
        objects.read(&file.key).await.unwrap().as_deref(),
        Some(&b"draft"[..])
    );
    app::domain::files::discard(&store, &c, &file.key)
        .await
        .unwrap();
    assert!(objects.read(&file.key).await.unwrap().is_none());
    db.finish().await;
}

on_both_databases!(
    files_over_http_follow_the_posts_rule,
    a_plain_form_posts_its_files_without_script,
    a_refused_upload_says_why_and_stores_nothing,
);
