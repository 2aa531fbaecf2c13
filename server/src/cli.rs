//! The command line: `townhall serve | doctor | migrate | seed | backup | restore |
//! reset-link | health | precompress | bench`. Settings come from flags, `TOWNHALL_*`
//! variables or a configuration file (`config`).

use crate::site::{self, SiteError};
use app::store::{Backend, Store, StoreError};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

const DEFAULT_DATABASE_URL: &str = "sqlite:data/townhall.db";

#[derive(Parser)]
#[command(
    name = "townhall",
    version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("TOWNHALL_COMMIT"), ")"),
    about = "Townhall: the self-hosted social network for your company."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Log lines as text for people, or one JSON object per line for a log collector.
    #[arg(long, global = true, env = "TOWNHALL_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// Which log lines to write: a level (`info`, `debug`) or per-module directives
    /// (`info,sqlx=warn`).
    #[arg(long, global = true, env = "TOWNHALL_LOG", default_value = "info", value_name = "FILTER", value_parser = log_filter)]
    log: String,
    /// A TOML file of settings, keyed by the flags' long names (`database-url = "…"`).
    /// A flag beats its variable, which beats the file.
    #[arg(long, global = true, env = crate::config::ENV, value_name = "FILE")]
    config: Option<PathBuf>,
}

fn log_filter(value: &str) -> Result<String, String> {
    tracing_subscriber::EnvFilter::try_new(value)
        .map(|_| value.to_owned())
        .map_err(|e| format!("not a log filter: {e}"))
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
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
struct DatabaseArgs {
    /// `sqlite:PATH` (created when missing) or `postgres://USER@HOST:PORT/DATABASE`.
    #[arg(long, env = "TOWNHALL_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
}

#[derive(Args)]
struct FilesArgs {
    /// Where attachments are kept, as for `serve`.
    #[arg(long, env = "TOWNHALL_FILES", value_name = "FOLDER|s3://BUCKET")]
    files: Option<String>,
}

impl FilesArgs {
    fn objects(&self, database_url: &str) -> Result<app::objects::Objects, CliError> {
        Ok(match &self.files {
            Some(location) => app::objects::Objects::from_url(location),
            None => app::objects::Objects::beside(database_url),
        }
        .map_err(StoreError::from)?)
    }
}

#[derive(Args)]
struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "TOWNHALL_ADDR", default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    #[command(flatten)]
    database: DatabaseArgs,
    /// Folder with the compiled site (pkg/, icons, service worker). Found next to the
    /// binary (`../site`) or in `./target/site` when not given.
    #[arg(long, env = "TOWNHALL_SITE_ROOT")]
    site_root: Option<PathBuf>,
    /// Reverse proxies in front of Townhall, as comma-separated CIDRs (`10.0.0.0/8,
    /// 127.0.0.1/32`). Only requests from these may name the client in
    /// `X-Forwarded-For` (sign-in throttling counts per client address).
    #[arg(
        long,
        env = "TOWNHALL_TRUSTED_PROXIES",
        default_value = "",
        value_name = "CIDRS"
    )]
    trusted_proxies: crate::http::TrustedProxies,
    /// Where attachments are kept: a folder (`/var/lib/townhall/files`, `file:///…`) or
    /// an S3-compatible bucket (`s3://BUCKET[/PREFIX]`, with the standard `AWS_*`
    /// variables; `AWS_ENDPOINT` names a server other than Amazon's). Several instances
    /// need a bucket (or one shared folder). Default: a folder beside the SQLite file,
    /// or `./townhall-files` with PostgreSQL.
    #[arg(long, env = "TOWNHALL_FILES", value_name = "FOLDER|s3://BUCKET")]
    files: Option<String>,
    /// Take a backup (as `townhall backup`) into this folder or `s3://BUCKET/PREFIX`
    /// every `--backup-every-hours`, keeping the newest `--backup-keep` (SQLite only).
    #[arg(
        long,
        env = "TOWNHALL_BACKUP_TO",
        value_name = "FOLDER|s3://BUCKET/PREFIX"
    )]
    backup_to: Option<String>,
    #[arg(long, env = "TOWNHALL_BACKUP_EVERY_HOURS", default_value_t = 24, value_parser = clap::value_parser!(u64).range(1..=24 * 30))]
    backup_every_hours: u64,
    #[arg(long, env = "TOWNHALL_BACKUP_KEEP", default_value_t = 7, value_parser = clap::value_parser!(u64).range(1..=1000))]
    backup_keep: u64,
    /// Serve Prometheus metrics at `http://ADDR/metrics` (off unless given). Its own
    /// address, so that only those it is opened to can read it.
    #[arg(long, env = "TOWNHALL_METRICS_ADDR", value_name = "ADDR")]
    metrics_addr: Option<SocketAddr>,
    /// Send e-mail (password resets, digests) through this SMTP server:
    /// `smtp://HOST:25`, `smtp://USER:PASSWORD@HOST:587?tls=required` (STARTTLS) or
    /// `smtps://USER:PASSWORD@HOST` (TLS). Off unless given; needs `--mail-from` and
    /// `--site-url`.
    #[arg(long, env = "TOWNHALL_SMTP_URL", value_name = "URL")]
    smtp_url: Option<String>,
    /// The sender of Townhall's mail, e.g. `Townhall <townhall@example.com>`.
    #[arg(long, env = "TOWNHALL_MAIL_FROM", value_name = "ADDRESS")]
    mail_from: Option<String>,
    /// The address people open Townhall at (`https://townhall.example.com`): links in
    /// mail lead there.
    #[arg(long, env = "TOWNHALL_SITE_URL", value_name = "URL")]
    site_url: Option<String>,
    /// Accept push subscriptions whose endpoint is on this machine (127.0.0.1,
    /// localhost): for tests and a push service run beside Townhall. Off: only the
    /// browsers' own push services, so nobody can make Townhall call into its network.
    #[arg(long, env = "TOWNHALL_ALLOW_LOCAL_PUSH")]
    allow_local_push: bool,
}

impl ServeArgs {
    /// What `serve` refuses to start with, each said so the operator can fix it; checked
    /// before anything is opened or connected.
    fn problems(&self) -> Vec<String> {
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
    fn mail(&self) -> Option<app::mail::Mail> {
        match (&self.smtp_url, &self.mail_from, &self.site_url) {
            (Some(url), Some(from), Some(site)) => app::mail::Mail::new(url, from, site).ok(),
            _ => None,
        }
    }

    fn deployment(&self, config: Option<PathBuf>) -> crate::doctor::Deployment {
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
struct SeedArgs {
    /// A living demo company: 60 people in 6 departments, channels, a week of posts.
    #[arg(long, required_unless_present = "posts", conflicts_with = "posts")]
    demo: bool,
    #[command(flatten)]
    company: CompanyArgs,
    #[command(flatten)]
    database: DatabaseArgs,
}

/// A benchmark company (`--posts N`): see `seed::company`.
#[derive(Args)]
struct CompanyArgs {
    /// Posts to write: a benchmark company of this size instead of the demo.
    #[arg(long)]
    posts: Option<usize>,
    #[arg(long, default_value_t = 1000)]
    users: usize,
    #[arg(long, default_value_t = 20)]
    departments: usize,
    #[arg(long, default_value_t = 200)]
    channels: usize,
    /// Days of history the posts are spread over, ending at `--end`.
    #[arg(long, default_value_t = 365)]
    days: i64,
    /// The same seed (and `--end`) always gives the same company.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Unix milliseconds of the newest post (default: now).
    #[arg(long)]
    end: Option<i64>,
}

#[derive(Args)]
struct BenchArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The compiled site: served, and weighed.
    #[arg(long, default_value = "target/site")]
    site_root: PathBuf,
    /// Where `serve` listens; the ceiling listens on the next port.
    #[arg(long, default_value = "127.0.0.1:3500")]
    addr: SocketAddr,
    /// Seconds each load scenario runs, per concurrency level.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Concurrent clients of the feed scenarios.
    #[arg(long, value_delimiter = ',', default_value = "1,10,100")]
    clients: Vec<usize>,
    /// Live streams to fan one post out to.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000")]
    streams: Vec<usize>,
    /// How many days back the deep feed page starts.
    #[arg(long, default_value_t = 30)]
    deep_days: i64,
    /// Also write the results (Markdown) to this file.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Requests of the mixed pages run (signed-in people browsing server-rendered
    /// pages); any 5xx fails the run. 0 skips it.
    #[arg(long, default_value_t = 100_000)]
    mixed_pages: usize,
    /// Concurrent clients of the mixed pages run.
    #[arg(long, default_value_t = 48)]
    mixed_clients: usize,
    /// Milliseconds each mixed client pauses between pages (±50 %): people browsing.
    /// 0 sends back to back (saturation).
    #[arg(long, default_value_t = 0)]
    mixed_think_ms: u64,
    /// Serve with this binary instead of this one (e.g. the image's static binary).
    #[arg(long)]
    server_binary: Option<PathBuf>,
}

/// `CliError`: the one error type of the binary. Each message is written for the
/// operator who typed the command; none carries a backtrace.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Site(#[from] SiteError),
    #[error(transparent)]
    Seed(#[from] crate::seed::demo::SeedError),
    #[error(transparent)]
    Bench(#[from] crate::bench::BenchError),
    #[error("cannot listen on {0}: {1}")]
    Listen(SocketAddr, #[source] std::io::Error),
    #[error("the server stopped unexpectedly: {0}")]
    Serve(#[source] std::io::Error),
    #[error("cannot compress the site: {0}")]
    Precompress(#[source] std::io::Error),
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
    #[error(transparent)]
    Metrics(#[from] crate::metrics::MetricsError),
    #[error("no reset link: {0}")]
    ResetLink(&'static str),
    #[error("not ready: {0}")]
    Unhealthy(String),
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("cannot start with these settings:\n  {}", .0.join("\n  "))]
    Settings(Vec<String>),
    #[error("the deployment has problems to fix (above)")]
    Doctor,
}

pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut command = Cli::command();
    if let Some(file) = crate::config::named(&args) {
        command = match crate::config::apply(command, &file) {
            Ok(command) => command,
            Err(error) => {
                eprintln!("townhall: {error}");
                return ExitCode::from(2);
            }
        };
    }
    let cli = Cli::from_arg_matches(&command.get_matches_from(args)).unwrap_or_else(|e| e.exit());
    init_tracing(cli.log_format, &cli.log);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build();
    let result = runtime
        .map_err(CliError::Runtime)
        .and_then(|rt| rt.block_on(run(cli.command, cli.config)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("townhall: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Option<PathBuf>) -> Result<(), CliError> {
    match command {
        Command::Doctor(args) => {
            let found =
                crate::doctor::examine(&args.deployment(config), app::store::now_ms()).await;
            let (report, failed) = crate::doctor::report(&found);
            print!("{report}");
            if failed {
                return Err(CliError::Doctor);
            }
            Ok(())
        }
        Command::Serve(args) => {
            let problems = args.problems();
            if !problems.is_empty() {
                return Err(CliError::Settings(problems));
            }
            if let Some(file) = &config {
                tracing::info!(
                    "settings from {} (flags and TOWNHALL_* variables win)",
                    file.display()
                );
            }
            let mail = args.mail();
            let options = site::leptos_options(args.site_root, args.addr)?;
            let unpacked =
                crate::precompress::missing(std::path::Path::new(options.site_root.as_ref()));
            if !unpacked.is_empty() {
                // Served uncompressed: slower for readers, but never compressed per request.
                tracing::warn!(
                    files = unpacked.len(),
                    "the site's wasm, js and css are not precompressed; run `townhall precompress`"
                );
            }
            // Held while serving: `townhall restore` will not replace this database.
            let _serving = crate::backup::serving_lock(&args.database.database_url)?;
            let store = connect(&args.database.database_url).await?;
            let objects = match &args.files {
                Some(location) => app::objects::Objects::from_url(location),
                None => app::objects::Objects::beside(&args.database.database_url),
            }
            .map_err(StoreError::from)?;
            tracing::info!("attachments are kept in {}", objects.describe());
            let mut store = store.with_objects(objects);
            if let Some(mail) = mail {
                tracing::info!(
                    server = mail.server(),
                    "e-mail goes through {}",
                    mail.server()
                );
                store = store.with_mail(mail);
            }
            if args.allow_local_push {
                tracing::warn!("push endpoints on this machine are accepted (--allow-local-push)");
                store = store.with_local_push();
            }
            // Before anything records: what is recorded earlier goes nowhere.
            let metrics = match args.metrics_addr {
                Some(addr) => {
                    let handle = crate::metrics::install()?;
                    let task = crate::metrics::serve(addr, handle, store.clone()).await?;
                    tracing::info!("metrics at http://{addr}/metrics");
                    Some(task)
                }
                None => None,
            };
            let listener = tokio::net::TcpListener::bind(args.addr)
                .await
                .map_err(|e| CliError::Listen(args.addr, e))?;
            tracing::info!("Townhall is listening on http://{}", args.addr);
            let live = app::domain::live::LiveHub::start(store.clone()).await?;
            // Publishes scheduled posts as they fall due (and at once, those that fell
            // due while no instance ran); several instances never publish one twice.
            let scheduler = app::domain::scheduled::Scheduler::start(store.clone());
            // Reminds owners of knowledge pages due for review, once per review period.
            let reviewer = app::domain::knowledge::Reviewer::start(store.clone());
            // Sends password resets and queues and sends digests (when mail is set up).
            let postman = app::domain::mail::Postman::start(store.clone());
            // Sends notifications to the devices that turned push on.
            let pusher = app::domain::push::Pusher::start(store.clone());
            let backups = match args.backup_to {
                Some(to) if store.backend() == Backend::Sqlite => {
                    let to = crate::backup::Destination::parse(&to)?;
                    tracing::info!(to = %to.describe(), every_hours = args.backup_every_hours, keep = args.backup_keep, "backups scheduled");
                    Some(crate::backup::Scheduled::start(
                        store.clone(),
                        store.objects()?.clone(),
                        to,
                        std::time::Duration::from_secs(args.backup_every_hours * 3600),
                        args.backup_keep as usize,
                    ))
                }
                Some(_) => return Err(crate::backup::BackupError::NotSqlite.into()),
                None => None,
            };
            let router =
                crate::http::router(store.clone(), options, live.clone(), args.trusted_proxies);
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async move {
                shutdown_signal().await;
                // Live streams never finish on their own; end them so the server can.
                live.close();
            })
            .await
            .map_err(CliError::Serve)?;
            scheduler.stop().await;
            reviewer.stop().await;
            if let Some(postman) = postman {
                postman.stop().await;
            }
            pusher.stop().await;
            if let Some(metrics) = metrics {
                metrics.abort();
            }
            if let Some(backups) = backups {
                backups.stop().await;
            }
            store.close().await;
            tracing::info!("Townhall stopped");
            Ok(())
        }
        Command::Precompress { site_root } => {
            for file in crate::precompress::site(&site_root).map_err(CliError::Precompress)? {
                println!(
                    "{}: {} bytes, brotli {}, gzip {}",
                    file.path.display(),
                    file.raw,
                    file.brotli,
                    file.gzip
                );
            }
            Ok(())
        }
        Command::Bench(args) => {
            let addr = args.addr;
            let ceiling_addr = SocketAddr::new(addr.ip(), addr.port() + 1);
            crate::bench::run(crate::bench::Options {
                database_url: args.database.database_url,
                site_root: args.site_root,
                addr,
                ceiling_addr,
                duration: std::time::Duration::from_secs_f64(args.seconds),
                clients: args.clients,
                streams: args.streams,
                deep_days: args.deep_days,
                report: args.report,
                mixed_pages: args.mixed_pages,
                mixed_clients: args.mixed_clients,
                mixed_think: std::time::Duration::from_millis(args.mixed_think_ms),
                server_binary: args.server_binary,
            })
            .await?;
            Ok(())
        }
        Command::Backup {
            database,
            files,
            to,
        } => {
            let objects = files.objects(&database.database_url)?;
            let to = crate::backup::Destination::parse(&to)?;
            let store = connect(&database.database_url).await?;
            let written =
                crate::backup::backup_to(&store, &objects, &to, app::store::now_ms()).await;
            store.close().await;
            let written = written?;
            println!(
                "Backed up to {}: database {} bytes (integrity checked), {} files{}.",
                written.folder.display(),
                written.bytes,
                written.objects,
                if written.missing > 0 {
                    format!(", {} deleted before they could be copied", written.missing)
                } else {
                    String::new()
                }
            );
            Ok(())
        }
        Command::Restore {
            database,
            files,
            from,
        } => {
            let objects = files.objects(&database.database_url)?;
            let restored = crate::backup::restore_from(
                &from,
                &database.database_url,
                &objects,
                app::store::now_ms(),
            )
            .await?;
            // Brought up to this version's schema, as `serve` would.
            connect(&database.database_url).await?.close().await;
            match restored.kept_aside {
                Some(aside) => println!(
                    "Restored {} ({} files put back); the database it replaced is kept as {}.",
                    from,
                    restored.objects,
                    aside.display()
                ),
                None => println!("Restored {} ({} files put back).", from, restored.objects),
            }
            Ok(())
        }
        Command::Health { addr } => {
            use crate::bench::client::{Call, Connection};
            let asked = async {
                let mut connection = Connection::open(addr).await?;
                connection.send(&Call::get("/readyz")).await
            };
            match tokio::time::timeout(std::time::Duration::from_secs(3), asked).await {
                Ok(Ok((status, _))) if status.is_success() => Ok(()),
                Ok(Ok((status, body))) => Err(CliError::Unhealthy(format!(
                    "{addr} answered {status}: {}",
                    String::from_utf8_lossy(&body)
                ))),
                Ok(Err(error)) => Err(CliError::Unhealthy(error.to_string())),
                Err(_) => Err(CliError::Unhealthy(format!(
                    "{addr} did not answer within 3 s"
                ))),
            }
        }
        Command::ResetLink {
            database,
            email,
            origin,
        } => {
            let store = connect(&database.database_url).await?;
            let made = app::domain::accounts::reset::create_for_operator(
                &store,
                &email,
                app::store::now_ms(),
            )
            .await;
            store.close().await;
            let token = made.map_err(|e| {
                CliError::ResetLink(match e {
                    app::error::AppError::NotFound => "nobody has that e-mail address",
                    app::error::AppError::Deactivated => "that account is deactivated",
                    _ => "the database refused it (see the log)",
                })
            })?;
            println!("{}/reset/{token}", origin.trim_end_matches('/'));
            Ok(())
        }
        Command::BenchSession(args) => {
            println!("{}", crate::bench::phone_session(&args.database_url).await?);
            Ok(())
        }
        Command::BenchCeiling { addr } => Ok(crate::bench::serve_ceiling(addr).await?),
        Command::Migrate(args) => {
            connect(&args.database_url).await?.close().await;
            println!("Database is up to date.");
            Ok(())
        }
        Command::Seed(args) => {
            let store = connect(&args.database.database_url).await?;
            let started = std::time::Instant::now();
            let outcome = match args.company.posts {
                None => crate::seed::demo::seed(&store).await,
                Some(posts) => {
                    let c = args.company;
                    let shape = crate::seed::company::Shape {
                        users: c.users,
                        departments: c.departments,
                        channels: c.channels,
                        posts,
                        days: c.days,
                        seed: c.seed,
                        end: c.end.unwrap_or_else(app::store::now_ms),
                    };
                    crate::seed::company::seed(&store, &shape).await
                }
            };
            store.close().await;
            match outcome? {
                crate::seed::demo::Outcome::Seeded(summary) => {
                    if args.demo {
                        println!("Demo company created: {summary}.")
                    } else {
                        let seconds = started.elapsed().as_secs_f64();
                        println!("Benchmark company created in {seconds:.1} s: {summary}.")
                    }
                }
                crate::seed::demo::Outcome::AlreadyHasData => {
                    println!("The database already holds a company; it was left untouched.")
                }
            }
            Ok(())
        }
    }
}

/// Connects and migrates: every command works on an up-to-date schema.
async fn connect(url: &str) -> Result<Store, CliError> {
    let store = Store::connect(url).await?;
    store.migrate().await?;
    app::domain::search::catch_up(&store).await?;
    Ok(store)
}

fn init_tracing(format: LogFormat, filter: &str) {
    // Checked by `log_filter` when parsed.
    let filter = tracing_subscriber::EnvFilter::new(filter);
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => logs.init(),
        // The request's span (its id, method and path) flattened into each line's
        // `span` object, as collectors index it.
        LogFormat::Json => logs
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
