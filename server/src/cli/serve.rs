//! `townhall serve`: checks the settings, opens the database, file store and mail,
//! starts the background tasks (scheduled posts, reviews, mail, push, backups, metrics)
//! and the web server, and stops them all in order on Ctrl-C or SIGTERM.

use super::args::ServeArgs;
use super::error::CliError;
use crate::site;
use app::store::{Backend, StoreError};
use std::net::SocketAddr;
use std::path::PathBuf;

pub(crate) async fn serve(args: ServeArgs, config: Option<PathBuf>) -> Result<(), CliError> {
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
    let unpacked = crate::precompress::missing(std::path::Path::new(options.site_root.as_ref()));
    if !unpacked.is_empty() {
        // Served uncompressed: slower for readers, but never compressed per request.
        tracing::warn!(
            files = unpacked.len(),
            "the site's wasm, js and css are not precompressed; run `townhall precompress`"
        );
    }
    // Held while serving: `townhall restore` will not replace this database.
    let _serving = crate::backup::serving_lock(&args.database.database_url)?;
    let store = args.database.connect().await?;
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
    let drain = std::time::Duration::from_secs(args.drain_seconds);
    let router = crate::http::router(store.clone(), options, live.clone(), args.trusted_proxies);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        // Behind a balancer: not ready, still answering, until it has noticed. Without
        // this a request it sent just as the connections closed came back 502.
        if !drain.is_zero() {
            crate::http::health::start_draining();
            tracing::info!(seconds = drain.as_secs(), "draining: /readyz answers 503");
            tokio::time::sleep(drain).await;
        }
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
