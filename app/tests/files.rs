//! Attachments on both backends, with real bytes in a real folder: a file is its
//! uploader's alone until posted, then read exactly by who may read its post or
//! comment (never by an outsider or a guest of another channel, never after the post
//! is deleted); a post names only its author's pending files, or is refused whole;
//! limits and the quota refuse before anything is stored; images get previews and
//! lose their location; search finds a post by its file's name, typed without accents.

use app::domain::files;
use app::domain::posts::{self, PostInput};
use app::error::{AppError, Field, Invalid};
use app::model::files::PreviewSize;
use app::model::{ChannelKind, Role};
use app::policy::Viewer;
use app::store::{Reader, Store};
use app::testing::{CompanyBuilder, TestDb, NOW};

app::storage_stories!(
    a_file_is_its_uploaders_until_posted_then_follows_the_posts_rule,
    a_post_names_only_its_authors_pending_files_or_is_refused_whole,
    comments_carry_files_read_by_the_same_rule,
    limits_and_the_quota_refuse_before_anything_is_stored,
    images_get_previews_and_lose_their_location,
    removed_and_forgotten_pending_files_leave_no_bytes,
    search_finds_a_post_by_its_files_name,
    search_finds_a_post_by_the_words_inside_its_file,
    a_knowledge_pages_files_follow_its_space_and_its_editors,
);

struct Company {
    owner: Viewer,
    secret: app::model::ChannelId,
    /// In `secret`.
    an: Viewer,
    /// In no private channel.
    binh: Viewer,
    /// A guest in `partners` only.
    guest: Viewer,
}

async fn company(store: &Store) -> Company {
    let (company, owner) = CompanyBuilder::set_up(store, NOW).await;
    let an = company.person("an@saomai.vn", "Nguyễn Văn An").await;
    let binh = company.person("binh@saomai.vn", "Trần Bình").await;
    let guest = company
        .person("khach@agency.vn", "Khách Hàng")
        .role(Role::Guest)
        .await;
    let secret = company
        .channel("secret", ChannelKind::Private)
        .by(&owner)
        .admin(&owner)
        .member(&an)
        .await;
    company
        .channel("partners", ChannelKind::Public)
        .by(&owner)
        .member(&guest)
        .await;
    Company {
        owner,
        secret,
        an,
        binh,
        guest,
    }
}

async fn post_with(
    store: &Store,
    who: &Viewer,
    channel: &str,
    body: &str,
    keys: &[String],
) -> Result<app::model::PostId, AppError> {
    let input = PostInput {
        channel,
        kind: "update",
        body,
        confirm_channel: false,
        files: keys,
    };
    Ok(posts::create_post(store, who, &input, NOW).await?.id)
}

async fn readable(store: &Store, who: &Viewer, key: &str) -> bool {
    files::readable(store, who, key).await.is_ok()
}

async fn bytes_of(store: &Store, name: &str) -> Option<Vec<u8>> {
    store.objects().unwrap().read(name).await.unwrap()
}

async fn a_file_is_its_uploaders_until_posted_then_follows_the_posts_rule(db: &TestDb) {
    let c = company(&db.store).await;
    let file = files::upload(
        &db.store,
        &c.an,
        "Hợp đồng Q3.pdf",
        b"%PDF-1.7 contract".to_vec(),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(file.content_type, "application/pdf");
    assert_eq!(file.key.len(), 32);
    assert!(
        readable(&db.store, &c.an, &file.key).await,
        "the uploader reads it"
    );
    for other in [&c.owner, &c.binh, &c.guest] {
        assert!(
            !readable(&db.store, other, &file.key).await,
            "pending is the uploader's"
        );
    }
    let post = post_with(
        &db.store,
        &c.an,
        "secret",
        "The contract",
        std::slice::from_ref(&file.key),
    )
    .await
    .unwrap();
    assert!(
        readable(&db.store, &c.owner, &file.key).await,
        "a member reads it"
    );
    for outsider in [&c.binh, &c.guest] {
        assert_eq!(
            files::readable(&db.store, outsider, &file.key).await,
            Err(AppError::NotFound),
            "an outsider learns nothing, not even that it exists"
        );
    }
    // The card carries it, for those who read the card.
    let page = app::domain::feed::post(&db.store, &c.owner, post, false, false)
        .await
        .unwrap();
    let card = &page.posts[0];
    assert_eq!(card.attachments.len(), 1);
    assert_eq!(card.attachments[0].name, "Hợp đồng Q3.pdf");
    assert_eq!(
        bytes_of(&db.store, &file.key).await.as_deref(),
        Some(&b"%PDF-1.7 contract"[..])
    );
    // A deleted post takes its files' reading with it.
    posts::delete_post(&db.store, &c.an, post, NOW + 1)
        .await
        .unwrap();
    assert!(!readable(&db.store, &c.owner, &file.key).await);
    assert!(!readable(&db.store, &c.an, &file.key).await);
}

async fn a_post_names_only_its_authors_pending_files_or_is_refused_whole(db: &TestDb) {
    let c = company(&db.store).await;
    let mine = files::upload(&db.store, &c.an, "a.txt", b"mine".to_vec(), NOW)
        .await
        .unwrap();
    let theirs = files::upload(&db.store, &c.binh, "b.txt", b"theirs".to_vec(), NOW)
        .await
        .unwrap();
    let refused = post_with(
        &db.store,
        &c.an,
        "general",
        "Taking Binh's file",
        &[mine.key.clone(), theirs.key.clone()],
    )
    .await;
    assert_eq!(refused, Err(Invalid::Unacceptable(Field::File).into()));
    // Nothing of the refused post is left: no post, and both files still pending.
    let feed = app::domain::feed::home(&db.store, &c.an, None)
        .await
        .unwrap();
    assert!(feed.posts.iter().all(|p| !p.body.contains("Taking")));
    assert!(!readable(&db.store, &c.owner, &mine.key).await);
    assert!(readable(&db.store, &c.binh, &theirs.key).await);
    assert!(!readable(&db.store, &c.an, &theirs.key).await);

    // Posted once, a file cannot be posted again elsewhere.
    post_with(
        &db.store,
        &c.an,
        "general",
        "Mine",
        std::slice::from_ref(&mine.key),
    )
    .await
    .unwrap();
    assert_eq!(
        post_with(
            &db.store,
            &c.an,
            "general",
            "Again",
            std::slice::from_ref(&mine.key)
        )
        .await,
        Err(Invalid::Unacceptable(Field::File).into())
    );
    // A made-up key is refused before anything else.
    assert_eq!(
        post_with(&db.store, &c.an, "general", "x", &["../etc/passwd".into()]).await,
        Err(Invalid::Unacceptable(Field::File).into())
    );
}

async fn comments_carry_files_read_by_the_same_rule(db: &TestDb) {
    let c = company(&db.store).await;
    let post = post_with(&db.store, &c.owner, "secret", "Quote please", &[])
        .await
        .unwrap();
    let file = files::upload(
        &db.store,
        &c.an,
        "Báo giá.xlsx",
        b"PK\x03\x04 sheet".to_vec(),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(
        file.content_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    posts::comment(
        &db.store,
        &c.an,
        post,
        None,
        "Here it is",
        std::slice::from_ref(&file.key),
        NOW + 1,
    )
    .await
    .unwrap();
    assert!(readable(&db.store, &c.owner, &file.key).await);
    assert!(!readable(&db.store, &c.binh, &file.key).await);
    let page = app::domain::feed::post(&db.store, &c.owner, post, false, true)
        .await
        .unwrap();
    let comment = &page.posts[0].comments[0];
    assert_eq!(comment.attachments.len(), 1);
    assert_eq!(comment.attachments[0].name, "Báo giá.xlsx");
}

async fn limits_and_the_quota_refuse_before_anything_is_stored(db: &TestDb) {
    let c = company(&db.store).await;
    files::set_limits(&db.store, &c.owner, "1", "2")
        .await
        .unwrap();
    assert_eq!(
        files::set_limits(&db.store, &c.an, "5", "5").await,
        Err(AppError::Forbidden)
    );
    assert!(matches!(
        files::set_limits(&db.store, &c.owner, "0", "5").await,
        Err(AppError::Invalid(Invalid::OutOfRange(
            Field::FileMaxMb,
            1,
            _
        )))
    ));
    let mb = 1024 * 1024;
    assert_eq!(
        files::upload(&db.store, &c.an, "big.bin", vec![1; mb + 1], NOW).await,
        Err(Invalid::FileTooLarge(1).into())
    );
    assert_eq!(db.store.files_bytes().await.unwrap(), 0, "nothing stored");
    files::upload(&db.store, &c.an, "one.bin", vec![1; mb], NOW)
        .await
        .unwrap();
    files::upload(&db.store, &c.an, "two.bin", vec![1; mb - 10], NOW)
        .await
        .unwrap();
    assert_eq!(
        files::upload(&db.store, &c.an, "three.bin", vec![1; 100], NOW).await,
        Err(Invalid::FilesQuotaFull.into())
    );
    assert_eq!(
        files::upload(&db.store, &c.an, "empty.txt", Vec::new(), NOW).await,
        Err(Invalid::FileEmpty.into())
    );
    assert_eq!(db.store.files_bytes().await.unwrap(), 2 * mb as i64 - 10);
    // Eleven files are too many for one post.
    let eleven: Vec<String> = (0..11).map(|i| format!("{i:032x}")).collect();
    assert_eq!(
        post_with(&db.store, &c.an, "general", "Many", &eleven).await,
        Err(Invalid::TooMany(Field::File, 10).into())
    );
}

/// A JPEG whose EXIF block says "turn a quarter" and carries a GPS position.
fn photo_with_location() -> Vec<u8> {
    use img_parts::{Bytes, ImageEXIF};
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::new_rgb8(2000, 1000)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    let mut jpeg = img_parts::jpeg::Jpeg::from_bytes(Bytes::from(out.into_inner())).unwrap();
    let mut exif = b"MM\x00\x2a\x00\x00\x00\x08\x00\x02".to_vec();
    exif.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    exif.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38, 0, 0, 0, 0]);
    exif.extend_from_slice(b"GPS 10.7769 N 106.7009 E");
    jpeg.set_exif(Some(Bytes::from(exif)));
    jpeg.encoder().bytes().to_vec()
}

async fn images_get_previews_and_lose_their_location(db: &TestDb) {
    let c = company(&db.store).await;
    let photo = photo_with_location();
    assert!(photo.windows(3).any(|w| w == b"GPS"));
    let file = files::upload(&db.store, &c.an, "xưởng.jpg", photo, NOW)
        .await
        .unwrap();
    assert!(file.previews);
    assert_eq!(
        (file.width, file.height),
        (Some(1000), Some(2000)),
        "upright"
    );
    let original = bytes_of(&db.store, &file.key).await.unwrap();
    assert!(
        !original.windows(3).any(|w| w == b"GPS"),
        "no location in the original"
    );
    for size in PreviewSize::ALL {
        let preview = bytes_of(&db.store, &files::preview_object(&file.key, size))
            .await
            .expect("the preview is stored");
        let decoded = image::load_from_memory(&preview).unwrap();
        assert_eq!(decoded.height(), size.side().min(2000), "{size:?}");
        assert!(!preview.windows(3).any(|w| w == b"GPS"));
    }
    // Not an image after all: kept as a plain file, without previews.
    let fake = files::upload(
        &db.store,
        &c.an,
        "fake.png",
        b"\x89PNG\r\n\x1a\nbroken".to_vec(),
        NOW,
    )
    .await
    .unwrap();
    assert!(!fake.previews);
}

async fn removed_and_forgotten_pending_files_leave_no_bytes(db: &TestDb) {
    let c = company(&db.store).await;
    let file = files::upload(&db.store, &c.an, "draft.txt", b"draft".to_vec(), NOW)
        .await
        .unwrap();
    assert_eq!(
        files::discard(&db.store, &c.binh, &file.key).await,
        Err(AppError::NotFound),
        "only its uploader takes it out"
    );
    files::discard(&db.store, &c.an, &file.key).await.unwrap();
    assert!(bytes_of(&db.store, &file.key).await.is_none());
    assert!(!readable(&db.store, &c.an, &file.key).await);

    let left = files::upload(&db.store, &c.an, "left.txt", b"left".to_vec(), NOW)
        .await
        .unwrap();
    let posted = files::upload(&db.store, &c.an, "kept.txt", b"kept".to_vec(), NOW)
        .await
        .unwrap();
    post_with(
        &db.store,
        &c.an,
        "general",
        "Kept",
        std::slice::from_ref(&posted.key),
    )
    .await
    .unwrap();
    files::sweep(&db.store, NOW + files::PENDING_FOR_MS + 1).await;
    assert!(
        bytes_of(&db.store, &left.key).await.is_none(),
        "a day later it is gone"
    );
    assert!(
        bytes_of(&db.store, &posted.key).await.is_some(),
        "posted files stay"
    );
    assert!(db
        .store
        .file_for(Reader::of(&c.owner), &posted.key)
        .await
        .unwrap()
        .is_some());
}

async fn search_finds_a_post_by_its_files_name(db: &TestDb) {
    let c = company(&db.store).await;
    let file = files::upload(
        &db.store,
        &c.an,
        "Đề xuất ngân sách.docx",
        b"PK\x03\x04".to_vec(),
        NOW,
    )
    .await
    .unwrap();
    post_with(&db.store, &c.an, "secret", "For the board", &[file.key])
        .await
        .unwrap();
    let found = app::domain::search::search(
        &db.store,
        &c.owner,
        "de xuat ngan sach".into(),
        Default::default(),
        0,
        NOW + 1,
    )
    .await
    .unwrap();
    assert_eq!(found.hits.len(), 1);
    let outsider = app::domain::search::search(
        &db.store,
        &c.binh,
        "de xuat ngan sach".into(),
        Default::default(),
        0,
        NOW + 1,
    )
    .await
    .unwrap();
    assert!(outsider.hits.is_empty());
}

async fn search_finds_a_post_by_the_words_inside_its_file(db: &TestDb) {
    let c = company(&db.store).await;
    let notes = "Quy trình hoàn ứng công tác phí: nộp hoá đơn trong năm ngày làm việc.";
    let file = files::upload(
        &db.store,
        &c.an,
        "quy-trinh.txt",
        notes.as_bytes().to_vec(),
        NOW,
    )
    .await
    .unwrap();
    post_with(
        &db.store,
        &c.an,
        "secret",
        "See the attached",
        std::slice::from_ref(&file.key),
    )
    .await
    .unwrap();
    let find = |who| {
        app::domain::search::search(
            &db.store,
            who,
            "hoan ung cong tac phi".into(),
            Default::default(),
            0,
            NOW + 1,
        )
    };
    let found = find(&c.owner).await.unwrap();
    assert_eq!(found.hits.len(), 1, "found by a word inside the file");
    assert!(
        find(&c.binh).await.unwrap().hits.is_empty(),
        "never by an outsider"
    );
}

async fn a_knowledge_pages_files_follow_its_space_and_its_editors(db: &TestDb) {
    use app::domain::knowledge::{self, PageInput};
    use app::model::knowledge::SpaceKey;
    let c = company(&db.store).await;
    let form = files::upload(
        &db.store,
        &c.owner,
        "Mẫu đề nghị tạm ứng.txt",
        "tạm ứng công tác".as_bytes().to_vec(),
        NOW,
    )
    .await
    .unwrap();
    let input = |files| PageInput {
        title: "Tạm ứng",
        body: "How to ask for an advance.",
        parent: None,
        review_days: 90,
        files,
    };
    let page = knowledge::create(
        &db.store,
        &c.owner,
        SpaceKey::Channel(c.secret),
        &input(std::slice::from_ref(&form.key)),
        NOW,
    )
    .await
    .unwrap();
    // The space's rule: the channel's members read the file, nobody else.
    assert!(readable(&db.store, &c.an, &form.key).await);
    for outsider in [&c.binh, &c.guest] {
        assert!(!readable(&db.store, outsider, &form.key).await);
    }
    let view = knowledge::page(&db.store, &c.an, page, NOW).await.unwrap();
    assert_eq!(view.attachments.len(), 1);
    // An edit adds files after those it has.
    let second = files::upload(&db.store, &c.owner, "b.txt", b"hai".to_vec(), NOW)
        .await
        .unwrap();
    knowledge::edit(
        &db.store,
        &c.owner,
        page,
        &input(std::slice::from_ref(&second.key)),
        NOW + 1,
    )
    .await
    .unwrap();
    let view = knowledge::page(&db.store, &c.an, page, NOW + 1)
        .await
        .unwrap();
    let names: Vec<&str> = view.attachments.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["Mẫu đề nghị tạm ứng.txt", "b.txt"]);
    // Found by the words inside, by a member.
    let found = app::domain::search::search(
        &db.store,
        &c.an,
        "de nghi tam ung".into(),
        Default::default(),
        0,
        NOW + 2,
    )
    .await
    .unwrap();
    assert_eq!(found.hits.len(), 1);
    // Only its editors take a file off; then it is gone, bytes and all.
    assert!(knowledge::remove_file(&db.store, &c.binh, page, &form.key)
        .await
        .is_err());
    knowledge::remove_file(&db.store, &c.owner, page, &form.key)
        .await
        .unwrap();
    assert!(!readable(&db.store, &c.an, &form.key).await);
    assert!(bytes_of(&db.store, &form.key).await.is_none());
    let found = app::domain::search::search(
        &db.store,
        &c.an,
        "de nghi tam ung".into(),
        Default::default(),
        0,
        NOW + 2,
    )
    .await
    .unwrap();
    assert!(
        found.hits.iter().all(|h| h.title != "Tạm ứng"),
        "no longer found by it"
    );
}
