//! The axum router: Leptos pages and server functions, static assets, health probes,
//! and the layers every response passes through.

mod avatars;
mod dashboard_csv;
mod files;
mod handles;
pub(crate) mod health;
mod layers;
mod live;
mod mail;
mod observe;
mod offline;
mod proxies;
mod session;

pub use proxies::TrustedProxies;

use app::store::Store;
use axum::extract::FromRef;
use axum::handler::Handler;
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::services::ServeDir;

/// What every handler may need. Nothing here is per-instance state that another
/// instance would lack: the database holds all of that.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    /// The hashed stylesheet, for pages rendered outside Leptos.
    pub stylesheet: std::sync::Arc<str>,
    /// This instance's reader of the event log; it holds no state another instance
    /// lacks (every event is in the database).
    pub live: std::sync::Arc<app::domain::live::LiveHub>,
    /// Who was noted active today by this instance: only spares writes, since the
    /// database row is an idempotent upsert.
    pub presence: std::sync::Arc<app::domain::activity::Presence>,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: std::sync::Arc<TrustedProxies>,
}

/// The compression level of pages and server functions, for whichever encoding the
/// browser takes: zstd where it is offered (Chrome, Edge and Firefox offer it; the
/// compression layer prefers it among equals), brotli or gzip otherwise. Level 3 is
/// zstd's own default. Brotli at this level costs a fraction of its default (11, meant
/// for files compressed once), but the Rust encoder allocates and zeroes large buffers
/// for every response: on the million-post company a 220 KB home page took 1.5–3 ms
/// longer in brotli than uncompressed, and about 0.5–1 ms longer in zstd, whose output
/// is as small (BENCHMARKS.md, "Pages in zstd, the live stream outside compression").
const DYNAMIC_COMPRESSION: i32 = 3;

/// The largest request body a page or server function reads (the avatar upload has its
/// own): reading stops there and the call fails. The longest form anyone fills in, a
/// 20,000-character post, is at most about 240 KB once percent-encoded; every field is
/// then measured against its own limit before any other work is done with it.
pub const MAX_REQUEST_BYTES: usize = 2 * 1024 * 1024;

/// The layers every route passes through inside the compression, outermost last: the
/// request's body limit and plain-form uploads, the session, the cross-site check, the
/// translated refusals, the state, and the security headers.
fn guarded(routes: Router<AppState>, state: &AppState) -> Router {
    routes
        // Said here rather than left to axum's default; the avatar route's own limit,
        // set nearer its handler, wins over this one.
        .layer(axum::extract::DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        // Inside the session (it needs the viewer), outside the server functions.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            files::plain_form_uploads,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::resolve,
        ))
        .layer(axum::middleware::from_fn(session::reject_cross_site))
        .layer(axum::middleware::from_fn(layers::explain_refusals))
        .with_state(state.clone())
        .layer(axum::middleware::from_fn(layers::security_headers))
}

/// The app's routes, generated once per process. Generating them runs the app with
/// resource loading suppressed by a process-wide flag (leptos_server's
/// `SuppressResourceLoad`); a page whose resource is first polled while the flag is up
/// waits forever (leptos-rs/leptos#4773). A server builds its router once, before it
/// renders anything, but the in-process tests build one per test while other tests
/// render: that is how one of their requests went unanswered now and then.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

pub fn router(
    store: Store,
    leptos_options: LeptosOptions,
    live: std::sync::Arc<app::domain::live::LiveHub>,
    trusted_proxies: TrustedProxies,
) -> Router {
    let routes = route_list();
    let context = {
        let store = store.clone();
        move || provide_context(store.clone())
    };
    let state = AppState {
        stylesheet: crate::site::stylesheet_href(&leptos_options).into(),
        leptos_options,
        store,
        live,
        presence: Default::default(),
        trusted_proxies: std::sync::Arc::new(trusted_proxies),
    };
    let pkg = layers::immutable_assets(&state.leptos_options);
    let site_root = state.leptos_options.site_root.to_string();
    let not_found = leptos_axum::file_and_error_handler_with_context::<AppState, _>(
        context.clone(),
        app::shell,
    )
    .with_state(state.clone());
    let pages = Router::new()
        .route("/healthz", get(health::live))
        .route("/readyz", get(health::ready))
        .route("/offline", get(offline::page))
        .route("/u/{handle}", get(handles::profile))
        .route("/avatars/{person}", get(avatars::serve))
        .route("/dashboard/export/{file}", get(dashboard_csv::download))
        .route(
            "/people/{person}/avatar",
            axum::routing::post(avatars::upload).layer(axum::extract::DefaultBodyLimit::max(
                avatars::MAX_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/files",
            axum::routing::post(files::upload)
                .layer(axum::extract::DefaultBodyLimit::max(files::MAX_UPLOAD_BODY)),
        )
        .route(
            "/mail/one-click/{token}",
            get(mail::one_click_page).post(mail::one_click),
        )
        .route("/files/{key}/preview/{size}", get(files::preview))
        .route("/files/{key}/{name}", get(files::serve))
        .nest_service("/pkg", pkg)
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || app::shell(options.clone())
        })
        // Files from public/ are served by ServeDir itself, so revalidations get their 304
        // (leptos_axum's combined handler turns anything but a 200 into the 404 page);
        // only paths with no file behind them reach the translated 404 page.
        .fallback_service(ServeDir::new(site_root).not_found_service(not_found));
    // Pages and server functions are compressed as they are sent; the live stream is
    // not (its events are a few dozen bytes, and text/event-stream is never compressed
    // anyway), and it is left out of the layer altogether: the compression layer wraps
    // every body it passes with room for an encoder's state, kept for as long as each
    // idle tab's stream is open (leaving it saved 3 KB of the 23 KB per idle stream, the
    // hot-paths issue's figure).
    let pages = guarded(pages, &state)
        // At `DYNAMIC_COMPRESSION`. The site's hashed files are never compressed here:
        // `/pkg` sends the copies `townhall precompress` made.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Precise(DYNAMIC_COMPRESSION))
                .compress_when(layers::compress_on_the_fly()),
        );
    let live = guarded(Router::new().route("/live", get(live::stream)), &state);
    pages
        .merge(live)
        .layer(
            // One line per request at INFO: an access log operators get by default. The
            // path only: query strings carry searches and, after a plain-form invitation,
            // the new link's secret, neither of which belongs in a log; an invitation
            // link's own path is its secret too (`layers::loggable_path`).
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(|request: &axum::extract::Request| {
                    tracing::info_span!(
                        "request",
                        id = %observe::id_of(request),
                        method = %request.method(),
                        path = %layers::loggable_path(request.uri().path())
                    )
                })
                .on_response(
                    tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO),
                ),
        )
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            layers::panic_response,
        ))
        .layer(axum::middleware::from_fn(observe::count))
        // Outermost: the access log's span and every response carry the id.
        .layer(axum::middleware::from_fn(observe::request_id))
}
