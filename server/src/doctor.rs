//! `townhall doctor`: checks a deployment with the settings `serve` would use and says
//! what to fix — the settings themselves, the database (reachable, this build's schema),
//! the clock, disk space, the compiled site, where attachments and backups go.
//!
//! It changes nothing: it never creates or migrates a database (the one exception is a
//! probe object it writes to the file storage and removes, the only way to know that
//! storage takes writes).

use app::store::{Backend, Store};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How bad a finding is, mildest first: `Fail` makes `doctor` exit non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Ok,
    Warn,
    Fail,
}

/// One thing `doctor` looked at.
#[derive(Debug)]
pub struct Finding {
    pub level: Level,
    pub topic: &'static str,
    pub said: String,
    /// What to do about it, when something should be done.
    pub fix: Option<String>,
}

impl Finding {
    fn ok(topic: &'static str, said: impl Into<String>) -> Finding {
        Finding {
            level: Level::Ok,
            topic,
            said: said.into(),
            fix: None,
        }
    }

    fn warn(topic: &'static str, said: impl Into<String>, fix: impl Into<String>) -> Finding {
        Finding {
            level: Level::Warn,
            topic,
            said: said.into(),
            fix: Some(fix.into()),
        }
    }

    fn fail(topic: &'static str, said: impl Into<String>, fix: impl Into<String>) -> Finding {
        Finding {
            level: Level::Fail,
            topic,
            said: said.into(),
            fix: Some(fix.into()),
        }
    }
}

/// The settings `doctor` checks: `serve`'s.
pub struct Deployment {
    pub database_url: String,
    pub files: Option<String>,
    pub site_root: Option<PathBuf>,
    pub addr: std::net::SocketAddr,
    pub backup_to: Option<String>,
    /// Where mail goes, when `--smtp-url` is set (and valid).
    pub mail: Option<app::mail::Mail>,
    /// The configuration file in use, if any.
    pub config: Option<PathBuf>,
    /// What `serve` would refuse to start with (`ServeArgs::problems`).
    pub setting_problems: Vec<String>,
}

/// Below this much free space a disk is a warning; below a tenth of it, a failure.
const LOW_DISK: u64 = 1 << 30;
/// Clocks further apart than this make scheduled posts and sessions misbehave.
const CLOCK_SLACK_MS: i64 = 2_000;
/// No clock this program runs under can honestly read earlier than this (2026-01-01).
const EARLIEST_SANE_MS: i64 = 1_767_225_600_000;

/// Looks at everything; never stops at the first problem.
pub async fn examine(deployment: &Deployment, now_ms: i64) -> Vec<Finding> {
    let mut found = settings(deployment);
    found.extend(database(deployment, now_ms).await);
    found.push(site(deployment));
    found.extend(files(deployment).await);
    found.push(mail(deployment).await);
    found.extend(disks(deployment));
    found
}

fn settings(d: &Deployment) -> Vec<Finding> {
    let mut found = Vec::new();
    for problem in &d.setting_problems {
        found.push(Finding::fail(
            "settings",
            problem.clone(),
            "change the flag, its TOWNHALL_* variable or the configuration file",
        ));
    }
    if let Some(file) = &d.config {
        let has_password = app::redact::redacted(&d.database_url) != d.database_url;
        if has_password && readable_by_everyone(file) {
            found.push(Finding::warn(
                "settings",
                format!(
                    "{} holds the database password and everyone on this machine may read it",
                    file.display()
                ),
                format!("chmod 600 {}", file.display()),
            ));
        }
    }
    if found.is_empty() {
        found.push(Finding::ok(
            "settings",
            match &d.config {
                Some(file) => format!("valid (configuration file {})", file.display()),
                None => "valid (flags and TOWNHALL_* variables; no configuration file)".into(),
            },
        ));
    }
    found
}

fn readable_by_everyone(file: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(file).is_ok_and(|m| m.permissions().mode() & 0o004 != 0)
}

async fn database(d: &Deployment, now_ms: i64) -> Vec<Finding> {
    let shown = app::redact::redacted(&d.database_url);
    let backend = match Backend::from_url(&d.database_url) {
        Ok(backend) => backend,
        Err(error) => {
            return vec![Finding::fail(
                "database",
                error.to_string(),
                "set --database-url (TOWNHALL_DATABASE_URL)",
            )]
        }
    };
    if let Some(file) = crate::backup::sqlite_file(&d.database_url) {
        if !file.is_file() {
            return vec![Finding::fail(
                "database",
                format!("there is no database at {}", file.display()),
                "`townhall migrate` creates it (so does `townhall serve` when it starts); \
                 if it was moved, point --database-url at it",
            )];
        }
    }
    let store = match Store::connect(&d.database_url).await {
        Ok(store) => store,
        Err(error) => {
            return vec![Finding::fail(
                "database",
                format!("{shown}: {error}"),
                match backend {
                    Backend::Postgres => {
                        "check the host, port, user and password, and that the database exists \
                         (`createdb`)"
                    }
                    Backend::Sqlite => "check the file's permissions and the disk",
                },
            )]
        }
    };
    let mut found = Vec::new();
    match store.migration_state().await {
        Ok(state) if state.unknown > 0 => found.push(Finding::fail(
            "database",
            format!(
                "{shown} was migrated by a newer Townhall ({} migrations this build does not know)",
                state.unknown
            ),
            "run the newer version, or restore the backup taken before the upgrade",
        )),
        Ok(state) if !state.pending.is_empty() => found.push(Finding::fail(
            "database",
            format!(
                "{shown}: {} of this build's migrations are not applied (first: {})",
                state.pending.len(),
                state.pending[0]
            ),
            "run `townhall migrate` (`townhall serve` also applies them when it starts)",
        )),
        Ok(state) => found.push(Finding::ok(
            "database",
            format!(
                "{shown} answers; its schema is this build's ({} migrations)",
                state.applied
            ),
        )),
        Err(error) => found.push(Finding::fail(
            "database",
            format!("{shown}: cannot read its migrations: {error}"),
            "check the database user may read `_sqlx_migrations`",
        )),
    }
    found.push(clock(&store, now_ms).await);
    store.close().await;
    found
}

async fn clock(store: &Store, now_ms: i64) -> Finding {
    if now_ms < EARLIEST_SANE_MS {
        return Finding::fail(
            "clock",
            format!(
                "this machine's clock reads {}",
                app::i18n::iso_instant(now_ms)
            ),
            "set the time (NTP: systemd-timesyncd or chrony)",
        );
    }
    match store.server_clock_ms().await {
        Ok(Some(theirs)) if (theirs - now_ms).abs() > CLOCK_SLACK_MS => {
            return Finding::fail(
                "clock",
                format!(
                    "this machine's clock and the database server's differ by {:.1} s",
                    (theirs - now_ms).abs() as f64 / 1000.0
                ),
                "run NTP on both machines: scheduled posts and sessions follow the clock",
            )
        }
        Ok(_) => {}
        Err(error) => {
            return Finding::warn(
                "clock",
                format!("cannot read the database server's clock: {error}"),
                "check the database connection",
            )
        }
    }
    match store.newest_post_ms().await {
        Ok(Some(newest)) if newest > now_ms + 60_000 => Finding::fail(
            "clock",
            format!(
                "the newest post was written at {}, after this machine's time {}: the clock was set back",
                app::i18n::iso_instant(newest),
                app::i18n::iso_instant(now_ms)
            ),
            "set the time (NTP); posts written meanwhile sort out of order",
        ),
        Ok(_) => Finding::ok("clock", app::i18n::iso_instant(now_ms)),
        Err(error) => Finding::warn(
            "clock",
            format!("cannot read the newest post: {error}"),
            "check the database",
        ),
    }
}

fn site(d: &Deployment) -> Finding {
    let options = match crate::site::leptos_options(d.site_root.clone(), d.addr) {
        Ok(options) => options,
        Err(error) => {
            return Finding::fail(
                "site",
                error.to_string(),
                "the image and the tarball carry it beside the binary (`../site`)",
            )
        }
    };
    let root = PathBuf::from(options.site_root.as_ref());
    let missing = crate::site::missing_assets(&options);
    if !missing.is_empty() {
        return Finding::fail(
            "site",
            format!(
                "{} lacks the files its hash.txt names: {}",
                root.display(),
                missing.join(", ")
            ),
            "copy the whole site folder of the same build (`make site`)",
        );
    }
    let unpacked = crate::precompress::missing(&root);
    if !unpacked.is_empty() {
        return Finding::warn(
            "site",
            format!(
                "{}: {} files are not precompressed and go out uncompressed",
                root.display(),
                unpacked.len()
            ),
            format!("townhall precompress --site-root {}", root.display()),
        );
    }
    Finding::ok(
        "site",
        format!(
            "{} (wasm, js and css present, precompressed)",
            root.display()
        ),
    )
}

async fn files(d: &Deployment) -> Vec<Finding> {
    let objects = match &d.files {
        Some(location) => app::objects::Objects::from_url(location),
        None => app::objects::Objects::beside(&d.database_url),
    };
    let mut found = vec![match objects {
        Ok(objects) => probe("files", &objects).await,
        Err(error) => Finding::fail(
            "files",
            error.to_string(),
            "set --files (TOWNHALL_FILES) to a folder or s3://BUCKET",
        ),
    }];
    if let Some(bucket) = d.backup_to.as_deref().filter(|to| to.starts_with("s3://")) {
        found.push(match app::objects::Objects::from_url(bucket) {
            Ok(objects) => probe("backups", &objects).await,
            Err(error) => Finding::fail(
                "backups",
                error.to_string(),
                "set --backup-to (TOWNHALL_BACKUP_TO) to a folder or s3://BUCKET/PREFIX",
            ),
        });
    }
    found
}

/// Connects to the SMTP server and says hello (nothing is sent).
async fn mail(d: &Deployment) -> Finding {
    let Some(mail) = &d.mail else {
        return Finding::ok(
            "mail",
            "off: no --smtp-url (\"Forgot password?\" points to an admin; no digests)",
        );
    };
    let answered =
        tokio::time::timeout(std::time::Duration::from_secs(15), mail.check_connection()).await;
    match answered {
        Ok(Ok(())) => Finding::ok("mail", format!("{} answers", mail.server())),
        Ok(Err(error)) => Finding::fail(
            "mail",
            format!("{}: {error}", mail.server()),
            "check --smtp-url (TOWNHALL_SMTP_URL): host, port, TLS and password",
        ),
        Err(_) => Finding::fail(
            "mail",
            format!("{} did not answer within 15 s", mail.server()),
            "check --smtp-url and that this machine may reach that port",
        ),
    }
}

/// Writes, reads back and removes a small object: whether `objects` takes writes.
async fn probe(topic: &'static str, objects: &app::objects::Objects) -> Finding {
    let probe = format!(".doctor-probe-{}", std::process::id());
    let written = async {
        objects.put(&probe, b"townhall doctor".to_vec()).await?;
        let back = objects.read(&probe).await?;
        objects.delete(&probe).await?;
        Ok::<_, app::objects::ObjectsError>(back.as_deref() == Some(b"townhall doctor".as_slice()))
    };
    match tokio::time::timeout(std::time::Duration::from_secs(10), written).await {
        Ok(Ok(true)) => Finding::ok(topic, format!("{} takes writes", objects.describe())),
        Ok(Ok(false)) => Finding::fail(
            topic,
            format!(
                "{} gave back other bytes than were written",
                objects.describe()
            ),
            "check the storage",
        ),
        Ok(Err(error)) => Finding::fail(
            topic,
            format!("cannot write to {}: {error}", objects.describe()),
            "check the folder's owner and permissions, or the bucket's credentials \
             (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT)",
        ),
        Err(_) => Finding::fail(
            topic,
            format!("{} did not answer within 10 s", objects.describe()),
            "check the storage's address and the network",
        ),
    }
}

/// Free space where the database, the attachments and the backups are written.
fn disks(d: &Deployment) -> Vec<Finding> {
    let mut places: Vec<(&'static str, PathBuf)> = Vec::new();
    if let Some(file) = crate::backup::sqlite_file(&d.database_url) {
        places.push(("database", folder_of(&file)));
    }
    match &d.files {
        Some(location) if location.starts_with("s3://") => {}
        Some(location) => places.push((
            "files",
            PathBuf::from(location.strip_prefix("file://").unwrap_or(location)),
        )),
        None => {
            if let Some(file) = crate::backup::sqlite_file(&d.database_url) {
                places.push(("files", folder_of(&file)));
            }
        }
    }
    if let Some(to) = d.backup_to.as_deref().filter(|to| !to.starts_with("s3://")) {
        let to = PathBuf::from(to);
        if !to.is_dir() {
            return vec![Finding::fail(
                "disk",
                format!("the backup folder {} does not exist", to.display()),
                format!(
                    "mkdir -p {} (owned by the user Townhall runs as)",
                    to.display()
                ),
            )];
        }
        places.push(("backups", to));
    }
    let mut said = String::new();
    let mut worst = Level::Ok;
    let mut seen = Vec::new();
    for (what, place) in places {
        let Ok(stat) = nix::sys::statvfs::statvfs(&place) else {
            continue;
        };
        // One disk holding several of them is reported once.
        if seen.contains(&stat.filesystem_id()) {
            continue;
        }
        seen.push(stat.filesystem_id());
        let free = stat.blocks_available() * stat.fragment_size();
        let total = stat.blocks() * stat.fragment_size();
        let level = if free < LOW_DISK / 10 {
            Level::Fail
        } else if free < LOW_DISK || free * 20 < total {
            Level::Warn
        } else {
            Level::Ok
        };
        worst = worst.max(level);
        let _ = write!(
            said,
            "{}{what} {}: {} free of {}",
            if said.is_empty() { "" } else { "; " },
            place.display(),
            bytes(free),
            bytes(total)
        );
    }
    if said.is_empty() {
        return Vec::new();
    }
    vec![match worst {
        Level::Ok => Finding::ok("disk", said),
        level => Finding {
            level,
            topic: "disk",
            said,
            fix: Some(
                "free space or grow the volume: SQLite needs room to write, backups a copy \
                 of the database"
                    .into(),
            ),
        },
    }]
}

fn folder_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn bytes(n: u64) -> String {
    const GIB: f64 = (1u64 << 30) as f64;
    if n as f64 >= GIB {
        format!("{:.1} GiB", n as f64 / GIB)
    } else {
        format!("{} MiB", n >> 20)
    }
}

/// The report as the operator reads it, and whether it found anything to fail.
pub fn report(found: &[Finding]) -> (String, bool) {
    let mut out = String::new();
    for f in found {
        let mark = match f.level {
            Level::Ok => "ok  ",
            Level::Warn => "warn",
            Level::Fail => "FAIL",
        };
        let _ = writeln!(out, "{mark}  {:<9} {}", f.topic, f.said);
        if let Some(fix) = &f.fix {
            let _ = writeln!(out, "      {:<9} fix: {fix}", "");
        }
    }
    let failed = found.iter().filter(|f| f.level == Level::Fail).count();
    let warned = found.iter().filter(|f| f.level == Level::Warn).count();
    let _ = match (failed, warned) {
        (0, 0) => writeln!(out, "All good."),
        (0, w) => writeln!(out, "Nothing fails; {w} to look at."),
        (f, _) => writeln!(out, "{f} to fix before Townhall can serve well."),
    };
    (out, failed > 0)
}
