//! `townhall backup` and `townhall restore` for the embedded SQLite database and the
//! attachments kept beside it.
//!
//! A backup is a folder `townhall-<UTC time>` holding `townhall.db` — a consistent copy
//! taken while the server keeps serving (`Store::copy_into`, SQLite's `VACUUM INTO`),
//! checked with `PRAGMA integrity_check` before the backup counts — and `files/`, the
//! objects that copy refers to. The database is copied first and the objects after:
//! objects never change once written, so every file the copy names is still there to
//! copy (unless deleted in between, which the report counts).
//!
//! Restoring refuses to touch a database a `townhall serve` has open (each one holds a
//! shared lock on `<database>.lock`; restore needs it exclusively), checks the backup's
//! integrity first, keeps the database it replaces (and its WAL and SHM files, which
//! belong to it) aside as `<database>.before-restore-<time>`, puts the copy in place
//! whole (written aside, then renamed), brings the objects back, and checks the result.
//!
//! A backup may also go to an S3-compatible bucket (`--to s3://BUCKET/PREFIX`): it is
//! written as above into a staging folder beside the database, uploaded as
//! `PREFIX/townhall-<time>/…` (the database in parts, streamed), and the staging folder
//! removed; restoring from `s3://BUCKET/PREFIX/townhall-<time>` downloads it into a
//! staging folder beside the database and restores from there.
//!
//! PostgreSQL has its own tools: `pg_dump`/`pg_restore` (docs/operations.md).

use app::objects::Objects;
use app::store::{Store, StoreError};
use std::fs::File;
use std::path::{Path, PathBuf};

/// The database's name inside a backup folder.
pub const DATABASE: &str = "townhall.db";
/// The objects' folder inside a backup folder.
pub const FILES: &str = "files";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}: {1}")]
    Io(String, #[source] std::io::Error),
    #[error(
        "backup and restore here are for SQLite; for PostgreSQL use pg_dump and pg_restore \
         (docs/operations.md)"
    )]
    NotSqlite,
    #[error("a Townhall is serving {0}; stop it before restoring")]
    InUse(String),
    #[error("{0} is not a sound database ({1}); nothing was changed")]
    Unsound(String, String),
    #[error("{0} is not a Townhall backup (no {DATABASE} in it)")]
    NotABackup(String),
    #[error("{0}: {1}")]
    Bucket(String, #[source] app::objects::ObjectsError),
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackupError {
    let what = what.into();
    move |e| BackupError::Io(what, e)
}

/// The file an `sqlite:` database URL names, if it names one.
pub fn sqlite_file(database_url: &str) -> Option<PathBuf> {
    let rest = database_url.strip_prefix("sqlite:")?;
    let path = rest.trim_start_matches("//").split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// The lock every `serve` holds shared on an SQLite database, and restore exclusively.
fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Held by `serve` while it runs on an SQLite file: restore cannot replace it meanwhile.
pub struct ServingLock(#[allow(dead_code)] File);

/// Takes the shared lock of the SQLite database `database_url` names (nothing for
/// PostgreSQL). Several instances may hold it at once.
pub fn serving_lock(database_url: &str) -> Result<Option<ServingLock>, BackupError> {
    let Some(database) = sqlite_file(database_url) else {
        return Ok(None);
    };
    let path = lock_path(&database);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(dir.display().to_string()))?;
    }
    let file = File::create(&path).map_err(io(path.display().to_string()))?;
    file.lock_shared().map_err(io(path.display().to_string()))?;
    Ok(Some(ServingLock(file)))
}

/// What a backup wrote.
#[derive(Debug)]
pub struct Written {
    pub folder: PathBuf,
    pub bytes: u64,
    pub objects: usize,
    /// Objects the copy names that were gone by the time they were copied.
    pub missing: usize,
}

/// `YYYYMMDDTHHMMSSZ` for a moment in milliseconds since 1970 (UTC).
fn stamp(unix_ms: i64) -> String {
    let day = unix_ms.div_euclid(86_400_000);
    let second = unix_ms.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{}T{:02}{:02}{:02}Z",
        app::calendar::day_to_date(day).replace('-', ""),
        second / 3600,
        second / 60 % 60,
        second % 60
    )
}

/// Backs the SQLite database of `store` and its `objects` up into a new folder under
/// `to`, while the server goes on serving.
pub async fn backup(
    store: &Store,
    objects: &Objects,
    to: &Path,
    now_ms: i64,
) -> Result<Written, BackupError> {
    if store.backend() != app::store::Backend::Sqlite {
        return Err(BackupError::NotSqlite);
    }
    let folder = to.join(format!("townhall-{}", stamp(now_ms)));
    std::fs::create_dir_all(&folder).map_err(io(folder.display().to_string()))?;
    let database = folder.join(DATABASE);
    if database.exists() {
        return Err(BackupError::Io(
            database.display().to_string(),
            std::io::ErrorKind::AlreadyExists.into(),
        ));
    }
    store.copy_into(&database.to_string_lossy()).await?;
    let copy = open(&database).await?;
    let outcome = check_and_copy_objects(&copy, objects, &folder.join(FILES)).await;
    copy.close().await;
    let (objects, missing) = outcome?;
    let bytes = std::fs::metadata(&database)
        .map_err(io(database.display().to_string()))?
        .len();
    Ok(Written {
        folder,
        bytes,
        objects,
        missing,
    })
}

async fn open(database: &Path) -> Result<Store, BackupError> {
    Ok(Store::connect(&format!("sqlite:{}", database.display())).await?)
}

/// Refuses an unsound copy; copies the objects it names into `files`.
async fn check_and_copy_objects(
    copy: &Store,
    objects: &Objects,
    files: &Path,
) -> Result<(usize, usize), BackupError> {
    let problems = copy.integrity_problems().await?;
    if let Some(first) = problems.first() {
        return Err(BackupError::Unsound("the copy".into(), first.clone()));
    }
    std::fs::create_dir_all(files).map_err(io(files.display().to_string()))?;
    let (mut copied, mut missing) = (0, 0);
    for name in copy.object_names().await? {
        match objects.read(&name).await.map_err(StoreError::from)? {
            Some(bytes) => {
                let path = files.join(&name);
                std::fs::write(&path, bytes).map_err(io(path.display().to_string()))?;
                copied += 1;
            }
            None => missing += 1,
        }
    }
    Ok((copied, missing))
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    /// Where the database it replaced was kept, if there was one.
    pub kept_aside: Option<PathBuf>,
    pub objects: usize,
}

/// Restores the backup in `from` as the SQLite database `database_url` names, with its
/// objects into `objects`. Refuses while a server has the database open.
pub async fn restore(
    from: &Path,
    database_url: &str,
    objects: &Objects,
    now_ms: i64,
) -> Result<Restored, BackupError> {
    let target = sqlite_file(database_url).ok_or(BackupError::NotSqlite)?;
    let source = from.join(DATABASE);
    if !source.is_file() {
        return Err(BackupError::NotABackup(from.display().to_string()));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(dir.display().to_string()))?;
    }
    // Held until the restore is over: no server starts on a half-restored database.
    let lock_file = lock_path(&target);
    let lock = File::create(&lock_file).map_err(io(lock_file.display().to_string()))?;
    if lock.try_lock().is_err() {
        return Err(BackupError::InUse(target.display().to_string()));
    }
    // The backup itself first: an unsound one changes nothing.
    let backup = open(&source).await?;
    let problems = backup.integrity_problems().await;
    backup.close().await;
    if let Some(first) = problems?.first() {
        return Err(BackupError::Unsound(
            source.display().to_string(),
            first.clone(),
        ));
    }
    let incoming = with_suffix(&target, ".restoring");
    std::fs::copy(&source, &incoming).map_err(io(incoming.display().to_string()))?;
    let kept_aside = if target.exists() {
        let aside = with_suffix(&target, &format!(".before-restore-{}", stamp(now_ms)));
        std::fs::rename(&target, &aside).map_err(io(aside.display().to_string()))?;
        Some(aside)
    } else {
        None
    };
    // The WAL and SHM files beside the old database are the old database's: moved aside
    // with it, or SQLite would replay them into the restored one.
    for suffix in ["-wal", "-shm"] {
        let stale = with_suffix(&target, suffix);
        if stale.exists() {
            match &kept_aside {
                Some(aside) => std::fs::rename(&stale, with_suffix(aside, suffix)),
                None => std::fs::remove_file(&stale),
            }
            .map_err(io(stale.display().to_string()))?;
        }
    }
    std::fs::rename(&incoming, &target).map_err(io(target.display().to_string()))?;
    let restored = open(&target).await?;
    let outcome = restore_objects(&restored, objects, &from.join(FILES)).await;
    restored.close().await;
    drop(lock);
    Ok(Restored {
        kept_aside,
        objects: outcome?,
    })
}

/// Checks the restored database and puts back every object it names that the backup
/// holds and the store lacks.
async fn restore_objects(
    restored: &Store,
    objects: &Objects,
    files: &Path,
) -> Result<usize, BackupError> {
    if let Some(first) = restored.integrity_problems().await?.first() {
        return Err(BackupError::Unsound(
            "the restored database".into(),
            first.clone(),
        ));
    }
    let mut put = 0;
    for name in restored.object_names().await? {
        let path = files.join(&name);
        if !path.is_file()
            || objects
                .read(&name)
                .await
                .map_err(StoreError::from)?
                .is_some()
        {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(io(path.display().to_string()))?;
        objects.put(&name, bytes).await.map_err(StoreError::from)?;
        put += 1;
    }
    Ok(put)
}

/// Removes the oldest backup folders under `to` beyond the newest `keep` (their names
/// sort by time); returns those removed. Anything else in `to` is left alone.
pub fn prune(to: &Path, keep: usize) -> Result<Vec<PathBuf>, BackupError> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(to)
        .map_err(io(to.display().to_string()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_dir()
                && path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("townhall-") && n.ends_with('Z'))
        })
        .collect();
    folders.sort();
    let excess = folders.len().saturating_sub(keep);
    let removed: Vec<PathBuf> = folders.into_iter().take(excess).collect();
    for folder in &removed {
        std::fs::remove_dir_all(folder).map_err(io(folder.display().to_string()))?;
    }
    Ok(removed)
}

/// Backups taken by `serve` itself every `every`, keeping the newest `keep`
/// (`--backup-to`, `--backup-every-hours`, `--backup-keep`).
pub struct Scheduled {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Scheduled {
    /// Starts taking backups of `store` (SQLite only: checked by the caller) into `to`.
    pub fn start(
        store: Store,
        objects: Objects,
        to: Destination,
        every: std::time::Duration,
        keep: usize,
    ) -> Scheduled {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(every) => {}
                    _ = stopped.changed() => return,
                }
                match backup_to(&store, &objects, &to, app::store::now_ms()).await {
                    Ok(written) => {
                        tracing::info!(backup = %written.folder.display(), bytes = written.bytes, files = written.objects, "backup written");
                        match prune_destination(&to, keep).await {
                            Ok(removed) if removed > 0 => {
                                tracing::info!(removed, "old backups removed")
                            }
                            Ok(_) => {}
                            Err(error) => {
                                app::telemetry::background_error("backups");
                                tracing::error!(%error, "old backups could not be removed")
                            }
                        }
                    }
                    Err(error) => {
                        app::telemetry::background_error("backups");
                        tracing::error!(%error, "backup failed")
                    }
                }
            }
        });
        Scheduled { stop, task }
    }

    /// Stops after the backup under way, if any.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Where backups go: a folder, or a bucket (and prefix) on an S3-compatible server.
#[derive(Clone, Debug)]
pub enum Destination {
    Folder(PathBuf),
    Bucket {
        objects: Objects,
        /// `s3://BUCKET/PREFIX`, as the operator gave it (for messages).
        url: String,
    },
}

impl Destination {
    /// `s3://BUCKET[/PREFIX]` (credentials and endpoint from the `AWS_*` variables, as
    /// for attachments) or a folder.
    pub fn parse(location: &str) -> Result<Destination, BackupError> {
        if location.starts_with("s3://") {
            let objects = Objects::from_url(location)
                .map_err(|e| BackupError::Bucket(location.to_owned(), e))?;
            Ok(Destination::Bucket {
                objects,
                url: location.trim_end_matches('/').to_owned(),
            })
        } else {
            Ok(Destination::Folder(PathBuf::from(location)))
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Destination::Folder(folder) => folder.display().to_string(),
            Destination::Bucket { url, .. } => url.clone(),
        }
    }
}

/// Backs up into `destination`: a folder directly, a bucket through a staging folder
/// beside the database. `Written::folder` names the backup as `restore_from` takes it.
pub async fn backup_to(
    store: &Store,
    objects: &Objects,
    destination: &Destination,
    now_ms: i64,
) -> Result<Written, BackupError> {
    let (bucket, url) = match destination {
        Destination::Folder(folder) => return backup(store, objects, folder, now_ms).await,
        Destination::Bucket { objects, url } => (objects, url),
    };
    let staging = staging_beside(store.url(), now_ms)?;
    let uploaded = async {
        let written = backup(store, objects, &staging, now_ms).await?;
        let name = folder_name(&written.folder);
        upload(bucket, &written.folder, &name)
            .await
            .map_err(|e| BackupError::Bucket(format!("{url}/{name}"), e))?;
        Ok(Written {
            folder: PathBuf::from(format!("{url}/{name}")),
            ..written
        })
    }
    .await;
    let _ = std::fs::remove_dir_all(&staging);
    uploaded
}

/// A folder for staging beside the SQLite file: on the same disk, which has room for
/// the database already (the temporary folder may be small, or absent in the image).
fn staging_beside(database_url: &str, now_ms: i64) -> Result<PathBuf, BackupError> {
    let database = sqlite_file(database_url).ok_or(BackupError::NotSqlite)?;
    let dir = match database.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let staging = dir.join(format!(
        ".townhall-staging-{}-{}",
        stamp(now_ms),
        std::process::id()
    ));
    std::fs::create_dir_all(&staging).map_err(io(staging.display().to_string()))?;
    Ok(staging)
}

fn folder_name(folder: &Path) -> String {
    folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Uploads the backup folder `local` as `name/…`: the files first and the database
/// last, so that a backup whose database is in the bucket is whole (restore looks for
/// the database). On failure, what was uploaded is removed.
async fn upload(
    bucket: &Objects,
    local: &Path,
    name: &str,
) -> Result<(), app::objects::ObjectsError> {
    let sent = async {
        let files = local.join(FILES);
        if let Ok(entries) = std::fs::read_dir(&files) {
            for entry in entries.flatten() {
                let file = entry.file_name().to_string_lossy().into_owned();
                bucket
                    .put_file(&format!("{name}/{FILES}/{file}"), &entry.path())
                    .await?;
            }
        }
        bucket
            .put_file(&format!("{name}/{DATABASE}"), &local.join(DATABASE))
            .await?;
        Ok(())
    }
    .await;
    if sent.is_err() {
        remove_from_bucket(bucket, name).await;
    }
    sent
}

async fn remove_from_bucket(bucket: &Objects, name: &str) {
    if let Ok(names) = bucket.list(name).await {
        for object in names {
            let _ = bucket.delete(&object).await;
        }
    }
}

/// Restores from a backup folder or from `s3://BUCKET/PREFIX/townhall-<time>`.
pub async fn restore_from(
    from: &str,
    database_url: &str,
    objects: &Objects,
    now_ms: i64,
) -> Result<Restored, BackupError> {
    if !from.starts_with("s3://") {
        return restore(Path::new(from), database_url, objects, now_ms).await;
    }
    let (base, name) = from
        .trim_end_matches('/')
        .rsplit_once('/')
        .filter(|(base, _)| base.len() > "s3://".len())
        .ok_or_else(|| BackupError::NotABackup(from.to_owned()))?;
    let bucket = Objects::from_url(base).map_err(|e| BackupError::Bucket(base.to_owned(), e))?;
    let staging = staging_beside(database_url, now_ms)?;
    let restored = async {
        let local = staging.join(name);
        let listed = bucket
            .list(name)
            .await
            .map_err(|e| BackupError::Bucket(from.to_owned(), e))?;
        for object in listed {
            let Some(relative) = object.strip_prefix(&format!("{name}/")) else {
                continue;
            };
            bucket
                .get_file(&object, &local.join(relative))
                .await
                .map_err(|e| BackupError::Bucket(from.to_owned(), e))?;
        }
        if !local.join(DATABASE).is_file() {
            return Err(BackupError::NotABackup(from.to_owned()));
        }
        restore(&local, database_url, objects, now_ms).await
    }
    .await;
    let _ = std::fs::remove_dir_all(&staging);
    restored
}

/// Removes the oldest backups in `destination` beyond the newest `keep`; returns how
/// many went.
pub async fn prune_destination(
    destination: &Destination,
    keep: usize,
) -> Result<usize, BackupError> {
    let bucket = match destination {
        Destination::Folder(folder) => return Ok(prune(folder, keep)?.len()),
        Destination::Bucket { objects, .. } => objects,
    };
    let failed = |e| BackupError::Bucket(destination.describe(), e);
    let mut folders: Vec<String> = bucket
        .folders()
        .await
        .map_err(failed)?
        .into_iter()
        .filter(|n| n.starts_with("townhall-") && n.ends_with('Z'))
        .collect();
    folders.sort();
    let excess = folders.len().saturating_sub(keep);
    for name in folders.iter().take(excess) {
        for object in bucket.list(name).await.map_err(failed)? {
            bucket.delete(&object).await.map_err(failed)?;
        }
    }
    Ok(excess)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::{sqlite_file, stamp};
    use std::path::PathBuf;

    #[test]
    fn stamps_and_database_files() {
        assert_eq!(stamp(0), "19700101T000000Z");
        assert_eq!(stamp(1_800_000_000_000), "20270115T080000Z");
        assert_eq!(
            sqlite_file("sqlite:data/townhall.db?mode=rwc"),
            Some(PathBuf::from("data/townhall.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///srv/th.db"),
            Some(PathBuf::from("/srv/th.db"))
        );
        assert_eq!(sqlite_file("postgres://x@y/z"), None);
    }
}
