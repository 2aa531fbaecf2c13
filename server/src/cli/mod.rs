//! The command line: `townhall serve | doctor | migrate | seed | backup | restore |
//! reset-link | health | precompress | bench`. Settings come from flags, `TOWNHALL_*`
//! variables or a configuration file (`config`).

mod args;
mod error;
mod serve;

pub use error::CliError;

use args::Command;
use clap::{CommandFactory, FromArgMatches, Parser};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

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

/// The stack of each of the runtime's threads. Tokio's default (2 MiB) is plenty for the
/// release build, but a debug build's futures are many times larger: the test build
/// serving the browser tests overflowed it once, after pages began to be compressed with
/// zstd for Chrome. A Home page rendered by the debug build in one poll needs more than
/// 2 MiB (an in-process test overflowed its 2 MiB test thread at once; such tests now
/// run on this stack too). Only the pages a thread touches are used.
pub const WORKER_STACK: usize = 8 * 1024 * 1024;

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
        .thread_stack_size(WORKER_STACK)
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
        Command::Serve(args) => serve::serve(args, config).await,
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
                open_loop_scale: args.open_loop_scale,
                open_loop_duration: std::time::Duration::from_secs_f64(args.open_loop_seconds),
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
            let store = database.connect().await?;
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
            database.connect().await?.close().await;
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
            let store = database.connect().await?;
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
            args.connect().await?.close().await;
            println!("Database is up to date.");
            Ok(())
        }
        Command::Seed(args) => {
            let store = args.database.connect().await?;
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
