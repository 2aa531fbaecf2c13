//! Backups that restore: a backup taken while posts are being written holds exactly a
//! whole prefix of what was committed (everything answered before it began, nothing
//! answered after it ended, nothing half-written), passes the integrity check, and
//! brings its attachments back; restoring refuses a database a server has open, and
//! replaces one that is not, keeping it (and its WAL) aside. Backups also go to an
//! S3-compatible bucket and come back from it, and the oldest there are pruned.

use crate::common::s3::S3Server;
use crate::common::{temp_dir, text, BIN};
use app::domain::posts::{self, PostInput};
use app::objects::Objects;
use app::store::Store;
use app::testing::{CompanyBuilder, NOW};
use server::backup::{self, BackupError};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// The numbers of the load's posts a database holds.
async fn load_posts(url: &str) -> BTreeSet<usize> {
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM posts WHERE body LIKE 'load %'")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    bodies
        .iter()
        .map(|b| b.trim_start_matches("load ").parse().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_writes_restores_exactly_what_was_committed() {
    sqlx::any::install_default_drivers();
    let dir = temp_dir("backup");
    let url = format!("sqlite:{}", dir.join("live.db").display());
    let objects = Objects::local(&dir.join("live-files")).unwrap();
    let store = Store::connect(&url)
        .await
        .unwrap()
        .with_objects(objects.clone());
    store.migrate().await.unwrap();
    let (_company, owner) = CompanyBuilder::set_up(&store, NOW).await;

    // A post with a file, before anything else.
    let file = app::domain::files::upload(&store, &owner, "quy-che.txt", b"Quy che".to_vec(), NOW)
        .await
        .unwrap();
    posts::create_post(
        &store,
        &owner,
        &PostInput {
            channel: "general",
            kind: "update",
            body: "the handbook",
            confirm_channel: false,
            files: std::slice::from_ref(&file.key),
        },
        NOW,
    )
    .await
    .unwrap();

    // The load: posts "load 0", "load 1", … one after another; `answered` counts those
    // whose write returned.
    let answered = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (store, owner, answered, stop) =
            (store.clone(), owner.clone(), answered.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                let body = format!("load {n}");
                posts::create_post(
                    &store,
                    &owner,
                    &PostInput {
                        channel: "general",
                        kind: "update",
                        body: &body,
                        confirm_channel: false,
                        files: &[],
                    },
                    NOW + n as i64,
                )
                .await
                .unwrap();
                n += 1;
                answered.store(n, Ordering::SeqCst);
            }
        })
    };
    while answered.load(Ordering::SeqCst) < 30 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let before = answered.load(Ordering::SeqCst);
    let written = backup::backup(&store, &objects, &dir.join("backups"), NOW)
        .await
        .unwrap();
    let after = answered.load(Ordering::SeqCst);
    // More writes after the backup, then the server is gone.
    while answered.load(Ordering::SeqCst) < after + 30 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    store.close().await;
    assert_eq!(written.objects, 1);
    assert_eq!(written.missing, 0);
    assert!(written.folder.ends_with("townhall-20270115T080000Z"));

    // A restore into a new place: a whole prefix of the load, at least what had been
    // answered before the backup began and at most what had been by its end.
    let restored_url = format!("sqlite:{}", dir.join("restored/th.db").display());
    let restored_objects = Objects::local(&dir.join("restored/th-files")).unwrap();
    let outcome = backup::restore(&written.folder, &restored_url, &restored_objects, NOW)
        .await
        .unwrap();
    assert!(outcome.kept_aside.is_none());
    assert_eq!(outcome.objects, 1);
    let kept = load_posts(&restored_url).await;
    let k = kept.len();
    assert!(before <= k && k <= after, "{before} <= {k} <= {after}");
    assert_eq!(kept, (0..k).collect::<BTreeSet<_>>(), "a whole prefix");
    let restored = Store::connect(&restored_url)
        .await
        .unwrap()
        .with_objects(restored_objects);
    assert!(restored.integrity_problems().await.unwrap().is_empty());
    assert_eq!(
        restored
            .objects()
            .unwrap()
            .read(&file.key)
            .await
            .unwrap()
            .as_deref(),
        Some(&b"Quy che"[..])
    );

    // While a server has it open, a restore is refused and changes nothing.
    let serving = backup::serving_lock(&restored_url).unwrap();
    let refused = backup::restore(
        &written.folder,
        &restored_url,
        &Objects::local(&dir.join("x")).unwrap(),
        NOW + 1,
    )
    .await;
    assert!(matches!(refused, Err(BackupError::InUse(_))), "{refused:?}");
    drop(serving);
    restored.close().await;

    // Restoring over the live database (now stopped, its WAL beside it): it holds the
    // backup's posts again, and the database it replaced is kept aside, WAL and all.
    let live = load_posts(&url).await;
    assert!(live.len() >= after + 30);
    std::fs::write(dir.join("live.db-wal"), b"").unwrap();
    let outcome = backup::restore(&written.folder, &url, &objects, NOW + 2)
        .await
        .unwrap();
    let aside = outcome.kept_aside.unwrap();
    assert!(aside.is_file());
    // The stale WAL went aside with its database. (A WAL beside the restored file may
    // be the restored database's own, left a moment by its closing connection.)
    let aside_wal = format!("{}-wal", aside.display());
    assert!(std::path::Path::new(&aside_wal).is_file(), "{aside_wal}");
    assert_eq!(load_posts(&url).await, kept);
    assert_eq!(
        load_posts(&format!("sqlite:{}", aside.display())).await,
        live
    );

    // A folder that is not a backup is refused.
    assert!(matches!(
        backup::restore(&dir, &url, &objects, NOW + 3).await,
        Err(BackupError::NotABackup(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_serving_instance_takes_backups_on_schedule_and_keeps_the_newest() {
    let dir = temp_dir("scheduled-backups");
    let url = format!("sqlite:{}", dir.join("live.db").display());
    let objects = Objects::local(&dir.join("live-files")).unwrap();
    let store = Store::connect(&url)
        .await
        .unwrap()
        .with_objects(objects.clone());
    store.migrate().await.unwrap();
    CompanyBuilder::set_up(&store, NOW).await;
    // Something else in the folder is never pruned.
    let to = dir.join("backups");
    std::fs::create_dir_all(to.join("keep-me")).unwrap();
    let every = std::time::Duration::from_millis(1100);
    let scheduled = backup::Scheduled::start(
        store.clone(),
        objects,
        backup::Destination::Folder(to.clone()),
        every,
        2,
    );
    let folders = || {
        let mut names: Vec<String> = std::fs::read_dir(&to)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("townhall-"))
            .collect();
        names.sort();
        names
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    // Three backups taken (a second apart): the oldest is gone, two are kept.
    let mut seen = BTreeSet::new();
    while seen.len() < 3 {
        assert!(std::time::Instant::now() < deadline, "{seen:?}");
        seen.extend(folders());
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    scheduled.stop().await;
    let kept = folders();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert_eq!(
        kept,
        seen.iter().rev().take(2).rev().cloned().collect::<Vec<_>>()
    );
    assert!(to.join("keep-me").is_dir());
    for folder in &kept {
        assert!(to.join(folder).join(backup::DATABASE).is_file());
    }
    store.close().await;
}

/// The operator's commands against a real S3-compatible server: `townhall backup --to
/// s3://…` while the database is in use, `townhall restore --from s3://…` into a new
/// place (the post and its attachment come back), a name that is not a backup refused,
/// and pruning keeps the newest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backups_go_to_a_bucket_and_come_back() {
    let Some(s3) = S3Server::start() else {
        return;
    };
    s3.create_bucket("th-backups");
    let dir = temp_dir("bucket-backups");
    let url = format!("sqlite:{}", dir.join("live.db").display());
    let files = dir.join("live-files");
    let objects = Objects::local(&files).unwrap();
    let store = Store::connect(&url)
        .await
        .unwrap()
        .with_objects(objects.clone());
    store.migrate().await.unwrap();
    let (_company, owner) = CompanyBuilder::set_up(&store, NOW).await;
    let file = app::domain::files::upload(&store, &owner, "bao-gia.txt", b"Bao gia".to_vec(), NOW)
        .await
        .unwrap();
    posts::create_post(
        &store,
        &owner,
        &PostInput {
            channel: "general",
            kind: "update",
            body: "the quote",
            confirm_channel: false,
            files: std::slice::from_ref(&file.key),
        },
        NOW,
    )
    .await
    .unwrap();

    // The store stays open, as a serving instance's would.
    let townhall = |args: &[&str]| {
        std::process::Command::new(BIN)
            .args(args)
            .envs(s3.env())
            .output()
            .unwrap()
    };
    let files_arg = files.display().to_string();
    let done = townhall(&[
        "backup",
        "--database-url",
        &url,
        "--files",
        &files_arg,
        "--to",
        "s3://th-backups/nightly",
    ]);
    assert!(done.status.success(), "{}", text(&done.stderr));
    let said = text(&done.stdout);
    let location = said
        .strip_prefix("Backed up to ")
        .and_then(|rest| rest.split(": database").next())
        .unwrap_or_else(|| panic!("{said}"))
        .to_owned();
    assert!(
        location.starts_with("s3://th-backups/nightly/townhall-"),
        "{said}"
    );
    assert!(said.contains("1 files"), "{said}");
    // In the bucket: the database and the attachment; nothing staged is left behind.
    let bucket = s3.bucket("th-backups");
    let name = location.trim_start_matches("s3://th-backups/");
    let mut stored = bucket.list(name).await.unwrap();
    stored.sort();
    assert_eq!(
        stored,
        vec![
            format!("{name}/files/{}", file.key),
            format!("{name}/townhall.db")
        ]
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Restored into a new place from the bucket.
    let restored_url = format!("sqlite:{}", dir.join("restored/th.db").display());
    let restored_files = dir.join("restored/th-files");
    let restored_files_arg = restored_files.display().to_string();
    let done = townhall(&[
        "restore",
        "--database-url",
        &restored_url,
        "--files",
        &restored_files_arg,
        "--from",
        &location,
    ]);
    assert!(done.status.success(), "{}", text(&done.stderr));
    assert!(
        text(&done.stdout).contains("1 files put back"),
        "{}",
        text(&done.stdout)
    );
    let bodies: Vec<String> = {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&restored_url).await.unwrap();
        let bodies = sqlx::query_scalar("SELECT body FROM posts ORDER BY id")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        bodies
    };
    assert!(bodies.iter().any(|b| b == "the quote"), "{bodies:?}");
    let restored = Store::connect(&restored_url).await.unwrap();
    assert!(restored.integrity_problems().await.unwrap().is_empty());
    restored.close().await;
    assert_eq!(
        std::fs::read(restored_files.join(&file.key)).unwrap(),
        b"Bao gia"
    );

    // A name in the bucket that is not a backup: refused, nothing changed.
    let before = std::fs::read(dir.join("restored/th.db")).unwrap();
    let refused = townhall(&[
        "restore",
        "--database-url",
        &restored_url,
        "--from",
        "s3://th-backups/nightly/townhall-19700101T000000Z",
    ]);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("is not a Townhall backup"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(std::fs::read(dir.join("restored/th.db")).unwrap(), before);

    // Scheduled-style backups into a bucket keep the newest two.
    s3.create_bucket("th-pruned");
    let destination = backup::Destination::Bucket {
        objects: s3.bucket("th-pruned"),
        url: "s3://th-pruned".into(),
    };
    let mut taken = Vec::new();
    for k in 0..3 {
        let written = backup::backup_to(&store, &objects, &destination, NOW + k * 1000)
            .await
            .unwrap();
        taken.push(written.folder.display().to_string());
    }
    assert_eq!(backup::prune_destination(&destination, 2).await.unwrap(), 1);
    let mut kept = s3.bucket("th-pruned").folders().await.unwrap();
    kept.sort();
    assert_eq!(
        kept,
        taken[1..]
            .iter()
            .map(|t| t.trim_start_matches("s3://th-pruned/").to_owned())
            .collect::<Vec<_>>()
    );
    store.close().await;
}
