//! What each command takes: its flags, their `TOWNHALL_*` variables and defaults (clap),
//! and the checks and derived settings that belong to them.

use super::error::CliError;
use app::store::{Backend, Store, StoreError};
use clap::{Args, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

pub(crate) const DEFAULT_DATABASE_URL: &str = "sqlite:data/townhall.db";

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Serve the web site (applies pending migrations first).
    Serve(ServeArgs),
    /// Check a deployment with the settings `serve` would use — database reachable and
    /// migrated, clock, disk space, site files, file storage — and say what to fix.
    /// Changes nothing; exits 1 when something fails.
    Doctor(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseArgs),
    /// Fill an empty database: the demo company, or a benchmark company of any size.
    Seed(SeedArgs),
    /// Start `serve` on a seeded database, measure it, stop it (see BENCHMARKS.md).
    Bench(BenchArgs),
    /// Compress the compiled site's wasm, js and css once (brotli 11 and gzip, beside
    /// them), for `serve` to send as they are. `make build` runs it.
    Precompress {
        /// Folder with the compiled site (its `pkg/` is compressed).
        #[arg(long, default_value = "target/site")]
        site_root: PathBuf,
    },
    /// Back the SQLite database and its attachments up into a new folder under `--to`,
    /// while the server keeps serving (a consistent copy, checked for integrity).
    Backup {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        files: FilesArgs,
        /// Where backups go: a folder, or `s3://BUCKET[/PREFIX]` (with the `AWS_*`
        /// variables, as for `--files`); each one a `townhall-<UTC time>` folder in it.
        #[arg(long, value_name = "FOLDER|s3://BUCKET/PREFIX")]
        to: String,
    },
    /// Restore a backup folder as the SQLite database (refused while a server has it
    /// open); the database it replaces is kept aside as `<file>.before-restore-<time>`.
    Restore {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        files: FilesArgs,
        /// A backup (`…/townhall-<UTC time>`) that `townhall backup` wrote: a folder or
        /// `s3://BUCKET/PREFIX/townhall-<UTC time>`.
        #[arg(long, value_name = "FOLDER|s3://…")]
        from: String,
    },
    /// Print a one-time password reset link for the account with this e-mail address
    /// (the way back for the company's owner, for whom no admin may make one). It works
    /// once, for 24 hours, and signs the person out everywhere when used.
    ResetLink {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The account's e-mail address.
        #[arg(long)]
        email: String,
        /// The address people reach Townhall at, to print the whole link.
        #[arg(long, default_value = "http://localhost:3000")]
        origin: String,
    },
    /// Exit 0 when the server at `--addr` answers `/readyz` within three seconds: the
    /// container image's health check (it has no shell and no curl).
    Health {
        #[arg(long, env = "TOWNHALL_ADDR", default_value = "127.0.0.1:3000")]
        addr: SocketAddr,
    },
    /// A session for the phone benchmark (`make bench-phone`): prints
    /// `{"session": TOKEN, "mention": LETTER}` for one of the company's staff.
    #[command(hide = true)]
    BenchSession(DatabaseArgs),
    /// The benchmark's ceiling: a trivial JSON handler (started by `bench`).
    #[command(hide = true)]
    BenchCeiling {
        #[arg(long)]
        addr: SocketAddr,
    },
}

#[derive(Args)]
pub(crate) struct DatabaseArgs {
    /// `sqlite:PATH` (created when missing) or `postgres://USER@HOST:PORT/DATABASE`.
    #[arg(long, env = "TOWNHALL_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub(crate) database_url: String,
}

impl DatabaseArgs {
    /// Connects and migrates: every command works on an up-to-date schema.
    pub(crate) async fn connect(&self) -> Result<Store, CliError> {
        let store = Store::connect(&self.database_url).await?;
        store.migrate().await?;
        app::domain::search::catch_up(&store).await?;
        Ok(store)
    }
}

#[derive(Args)]
pub(crate) struct FilesArgs {
    /// Where attachments are kept, as for `serve`.
    #[arg(long, env = "TOWNHALL_FILES", value_name = "FOLDER|s3://BUCKET")]
    pub(crate) files: Option<String>,
}

impl FilesArgs {
    pub(crate) fn objects(&self, database_url: &str) -> Result<app::objects::Objects, CliError> {
        Ok(match &self.files {
            Some(location) => app::objects::Objects::from_url(location),
            None => app::objects::Objects::beside(database_url),
        }
        .map_err(StoreError::from)?)
    }
}

#[derive(Args)]
pub(crate) struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "TOWNHALL_ADDR", default_value = "127.0.0.1:3000")]
    pub(crate) addr: SocketAddr,
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
    /// Folder with the compiled site (pkg/, icons, service worker). Found next to the
    /// binary (`../site`) or in `./target/site` when not given.
    #[arg(long, env = "TOWNHALL_SITE_ROOT")]
    pub(crate) site_root: Option<PathBuf>,
    /// Reverse proxies in front of Townhall, as comma-separated CIDRs (`10.0.0.0/8,
    /// 127.0.0.1/32`). Only requests from these may name the client in
    /// `X-Forwarded-For` (sign-in throttling counts per client address).
    #[arg(
        long,
        env = "TOWNHALL_TRUSTED_PROXIES",
        default_value = "",
        value_name = "CIDRS"
    )]
    pub(crate) trusted_proxies: crate::http::TrustedProxies,
    /// Where attachments are kept: a folder (`/var/lib/townhall/files`, `file:///…`) or
    /// an S3-compatible bucket (`s3://BUCKET[/PREFIX]`, with the standard `AWS_*`
    /// variables; `AWS_ENDPOINT` names a server other than Amazon's). Several instances
    /// need a bucket (or one shared folder). Default: a folder beside the SQLite file,
    /// or `./townhall-files` with PostgreSQL.
    #[arg(long, env = "TOWNHALL_FILES", value_name = "FOLDER|s3://BUCKET")]
    pub(crate) files: Option<String>,
    /// Take a backup (as `townhall backup`) into this folder or `s3://BUCKET/PREFIX`
    /// every `--backup-every-hours`, keeping the newest `--backup-keep` (SQLite only).
    #[arg(
        long,
        env = "TOWNHALL_BACKUP_TO",
        value_name = "FOLDER|s3://BUCKET/PREFIX"
    )]
    pub(crate) backup_to: Option<String>,
    #[arg(long, env = "TOWNHALL_BACKUP_EVERY_HOURS", default_value_t = 24, value_parser = clap::value_parser!(u64).range(1..=24 * 30))]
    pub(crate) backup_every_hours: u64,
    #[arg(long, env = "TOWNHALL_BACKUP_KEEP", default_value_t = 7, value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub(crate) backup_keep: u64,
    /// Asked to stop (SIGTERM, Ctrl-C), first answer `/readyz` with 503 for this many
    /// seconds while still serving, so that a balancer stops sending requests before
    /// the connections close: a rolling restart without a 502. Set it a little above the
    /// balancer's time to notice (HAProxy's `inter` × `fall`). 0, the default, stops at
    /// once: an instance alone has nobody to hand over to.
    #[arg(long, env = "TOWNHALL_DRAIN_SECONDS", default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=300))]
    pub(crate) drain_seconds: u64,
    /// Serve Prometheus metrics at `http://ADDR/metrics` (off unless given). Its own
    /// address, so that only those it is opened to can read it.
    #[arg(long, env = "TOWNHALL_METRICS_ADDR", value_name = "ADDR")]
    pub(crate) metrics_addr: Option<SocketAddr>,
    /// Send e-mail (password resets, digests) through this SMTP server:
    /// `smtp://HOST:25`, `smtp://USER:PASSWORD@HOST:587?tls=required` (STARTTLS) or
    /// `smtps://USER:PASSWORD@HOST` (TLS). Off unless given; needs `--mail-from` and
    /// `--site-url`.
    #[arg(long, env = "TOWNHALL_SMTP_URL", value_name = "URL")]
    pub(crate) smtp_url: Option<String>,
    /// The sender of Townhall's mail, e.g. `Townhall <townhall@example.com>`.
    #[arg(long, env = "TOWNHALL_MAIL_FROM", value_name = "ADDRESS")]
    pub(crate) mail_from: Option<String>,
    /// The address people open Townhall at (`https://townhall.example.com`): links in
    /// mail lead there.
    #[arg(long, env = "TOWNHALL_SITE_URL", value_name = "URL")]
    pub(crate) site_url: Option<String>,
    /// Accept push subscriptions whose endpoint is on this machine (127.0.0.1,
    /// localhost): for tests and a push service run beside Townhall. Off: only the
    /// browsers' own push services, so nobody can make Townhall call into its network.
    #[arg(long, env = "TOWNHALL_ALLOW_LOCAL_PUSH")]
    pub(crate) allow_local_push: bool,
}

impl ServeArgs {
    /// What `serve` refuses to start with, each said so the operator can fix it; checked
    /// before anything is opened or connected.
    pub(crate) fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let backend = Backend::from_url(&self.database.database_url);
        if let Err(error) = &backend {
            problems.push(error.to_string());
        }
        if self.metrics_addr == Some(self.addr) {
            problems.push(format!(
                "--metrics-addr {} is the site's own address: metrics need one of their own",
                self.addr
            ));
        }
        if let Some(location) = &self.files {
            if let Err(error) = app::objects::Objects::check_url(location) {
                problems.push(error.to_string());
            }
        }
        if self.backup_to.is_some() && matches!(backend, Ok(Backend::Postgres)) {
            problems.push(crate::backup::BackupError::NotSqlite.to_string());
        }
        match self.backup_to.as_deref() {
            Some(to) if to.starts_with("s3://") => {
                if let Err(error) = app::objects::Objects::check_url(to) {
                    problems.push(format!("--backup-to: {error}"));
                }
            }
            Some(to) if !std::path::Path::new(to).is_dir() => problems.push(format!(
                "--backup-to {to}: no such folder (create it, owned by the user Townhall runs as)"
            )),
            _ => {}
        }
        problems.extend(app::mail::Mail::problems(
            self.smtp_url.as_deref(),
            self.mail_from.as_deref(),
            self.site_url.as_deref(),
        ));
        problems
    }

    /// Where mail goes, when `--smtp-url` is given (already checked by [`Self::problems`]).
    pub(crate) fn mail(&self) -> Option<app::mail::Mail> {
        match (&self.smtp_url, &self.mail_from, &self.site_url) {
            (Some(url), Some(from), Some(site)) => app::mail::Mail::new(url, from, site).ok(),
            _ => None,
        }
    }

    pub(crate) fn deployment(&self, config: Option<PathBuf>) -> crate::doctor::Deployment {
        crate::doctor::Deployment {
            database_url: self.database.database_url.clone(),
            files: self.files.clone(),
            site_root: self.site_root.clone(),
            addr: self.addr,
            backup_to: self.backup_to.clone(),
            mail: self.mail(),
            config,
            setting_problems: self.problems(),
        }
    }
}

#[derive(Args)]
pub(crate) struct SeedArgs {
    /// A living demo company: 60 people in 6 departments, channels, a week of posts.
    #[arg(long, required_unless_present = "posts", conflicts_with = "posts")]
    pub(crate) demo: bool,
    #[command(flatten)]
    pub(crate) company: CompanyArgs,
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
}

/// A benchmark company (`--posts N`): see `seed::company`.
#[derive(Args)]
pub(crate) struct CompanyArgs {
    /// Posts to write: a benchmark company of this size instead of the demo.
    #[arg(long)]
    pub(crate) posts: Option<usize>,
    #[arg(long, default_value_t = 1000)]
    pub(crate) users: usize,
    #[arg(long, default_value_t = 20)]
    pub(crate) departments: usize,
    #[arg(long, default_value_t = 200)]
    pub(crate) channels: usize,
    /// Days of history the posts are spread over, ending at `--end`.
    #[arg(long, default_value_t = 365)]
    pub(crate) days: i64,
    /// The same seed (and `--end`) always gives the same company.
    #[arg(long, default_value_t = 42)]
    pub(crate) seed: u64,
    /// Unix milliseconds of the newest post (default: now).
    #[arg(long)]
    pub(crate) end: Option<i64>,
}

#[derive(Args)]
pub(crate) struct BenchArgs {
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
    /// The compiled site: served, and weighed.
    #[arg(long, default_value = "target/site")]
    pub(crate) site_root: PathBuf,
    /// Where `serve` listens; the ceiling listens on the next port.
    #[arg(long, default_value = "127.0.0.1:3500")]
    pub(crate) addr: SocketAddr,
    /// Seconds each load scenario runs, per concurrency level.
    #[arg(long, default_value_t = 10.0)]
    pub(crate) seconds: f64,
    /// Concurrent clients of the feed scenarios.
    #[arg(long, value_delimiter = ',', default_value = "1,10,100")]
    pub(crate) clients: Vec<usize>,
    /// Live streams to fan one post out to.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000")]
    pub(crate) streams: Vec<usize>,
    /// How many days back the deep feed page starts.
    #[arg(long, default_value_t = 30)]
    pub(crate) deep_days: i64,
    /// Also write the results (Markdown) to this file.
    #[arg(long)]
    pub(crate) report: Option<PathBuf>,
    /// Requests of the mixed pages run (signed-in people browsing server-rendered
    /// pages); any 5xx fails the run. 0 skips it.
    #[arg(long, default_value_t = 100_000)]
    pub(crate) mixed_pages: usize,
    /// Concurrent clients of the mixed pages run.
    #[arg(long, default_value_t = 48)]
    pub(crate) mixed_clients: usize,
    /// Milliseconds each mixed client pauses between pages (±50 %): people browsing.
    /// 0 sends back to back (saturation).
    #[arg(long, default_value_t = 0)]
    pub(crate) mixed_think_ms: u64,
    /// Serve with this binary instead of this one (e.g. the image's static binary).
    #[arg(long)]
    pub(crate) server_binary: Option<PathBuf>,
    /// The open-loop mix's scale: requests arrive at this many times a 500-person
    /// company's busiest hour, with as many times 300 live streams open. 0 skips it.
    #[arg(long, default_value_t = 30.0)]
    pub(crate) open_loop_scale: f64,
    /// Seconds the open-loop mix runs.
    #[arg(long, default_value_t = 30.0)]
    pub(crate) open_loop_seconds: f64,
}
