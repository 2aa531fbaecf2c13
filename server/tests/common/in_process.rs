//! The real router in this process: what `townhall serve` answers, without a binary to
//! start or a socket to open. Requests are written as raw HTTP/1.1, like the ones the
//! tests send over TCP, and carry what the server gives every request it accepts (the
//! peer's address, `ConnectInfo`); answers come back as (status, lower-cased head, body).

use app::domain::live::LiveHub;
use app::store::Store;
use axum::body::Body;
use axum::extract::ConnectInfo;
use http_body_util::BodyExt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

/// How long an answer may take to end, or a live stream to say what is awaited.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(20);

/// `server::http::router` as `serve` builds it, on `store`, with a site folder that
/// passes `serve`'s checks. Its live hub closes when it is dropped.
pub struct InProcess {
    router: axum::Router,
    live: Arc<LiveHub>,
    /// Where requests come from, as `serve`'s listener would report it.
    pub peer: SocketAddr,
    /// The site folder it serves (`pkg/` may be filled in by a test).
    pub site: std::path::PathBuf,
}

impl InProcess {
    pub async fn start(store: &Store, tag: &str) -> InProcess {
        let site = super::fake_site(tag);
        let addr: SocketAddr = "127.0.0.1:3000".parse().unwrap();
        let options = server::site::leptos_options(Some(site.clone()), addr).unwrap();
        let live = LiveHub::start(store.clone()).await.unwrap();
        let router = server::http::router(
            store.clone(),
            options,
            live.clone(),
            server::http::TrustedProxies::default(),
        );
        InProcess {
            router,
            live,
            peer: "127.0.0.1:50000".parse().unwrap(),
            site,
        }
    }

    /// Sends one raw HTTP/1.1 request (head, blank line, body); the body is what follows
    /// the blank line, so it may hold any bytes. A live stream (`text/event-stream`)
    /// never ends: its answer is what it sent at once.
    pub async fn exchange(&self, raw: impl AsRef<[u8]>) -> (u16, String, String) {
        self.answer(self.request(raw.as_ref()), None).await
    }

    /// Like [`InProcess::exchange`], but a live stream is read until `until` has
    /// arrived (failing after 20 s): the way to know it has said all it will about what
    /// happened before.
    pub async fn stream_until(&self, raw: impl AsRef<[u8]>, until: &str) -> (u16, String, String) {
        self.answer(self.request(raw.as_ref()), Some(until)).await
    }

    /// Sends a request built by the caller (it gets `ConnectInfo` if it has none).
    pub async fn send(&self, request: http::Request<Body>) -> (u16, String, String) {
        self.answer(request, None).await
    }

    fn request(&self, raw: &[u8]) -> http::Request<Body> {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a request head ends with a blank line");
        let head = std::str::from_utf8(&raw[..split]).expect("a readable request head");
        let body = raw[split + 4..].to_vec();
        let mut lines = head.split("\r\n");
        let mut start = lines.next().unwrap().split_whitespace();
        let (method, target) = (start.next().unwrap(), start.next().unwrap());
        let mut request = http::Request::builder().method(method).uri(target);
        for line in lines {
            let (name, value) = line.split_once(':').expect("a header line");
            request = request.header(name.trim(), value.trim());
        }
        request.body(Body::from(body)).unwrap()
    }

    async fn answer(
        &self,
        mut request: http::Request<Body>,
        until: Option<&str>,
    ) -> (u16, String, String) {
        if request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .is_none()
        {
            request.extensions_mut().insert(ConnectInfo(self.peer));
        }
        // A handler that never answers fails the test, naming the request, rather than
        // hanging the whole run.
        let described = format!("{} {}", request.method(), request.uri());
        // Answered in a task of its own, as the server answers each connection: polled
        // inside the test's own future (a large state machine in a debug build), the
        // router's layers and a page's render overflowed the test thread's 2 MiB stack.
        let answering = tokio::spawn(self.router.clone().oneshot(request));
        let response = tokio::time::timeout(ANSWER_TIMEOUT, answering)
            .await
            .unwrap_or_else(|_| panic!("within {ANSWER_TIMEOUT:?}, {described} was not answered"))
            .expect("the request's task failed")
            .unwrap();
        let status = response.status();
        let mut head = format!("HTTP/1.1 {status}\r\n");
        for (name, value) in response.headers() {
            head.push_str(&format!(
                "{name}: {}\r\n",
                String::from_utf8_lossy(value.as_bytes())
            ));
        }
        let head = head.to_lowercase();
        let stream = head.contains("content-type: text/event-stream");
        // A stream with nothing awaited is read only as far as it has already answered.
        let wait = if stream && until.is_none() {
            Duration::ZERO
        } else {
            ANSWER_TIMEOUT
        };
        let mut body = response.into_body();
        let mut bytes = Vec::new();
        loop {
            if let (true, Some(until)) = (stream, until) {
                if String::from_utf8_lossy(&bytes).contains(until) {
                    break;
                }
            }
            match tokio::time::timeout(wait, body.frame()).await {
                Ok(Some(frame)) => {
                    if let Ok(data) = frame.expect("reading the answer").into_data() {
                        bytes.extend_from_slice(&data);
                    }
                }
                Ok(None) => break,
                Err(_) if stream && until.is_none() => break,
                Err(_) => panic!(
                    "within {wait:?}, the answer did not end or {until:?} did not arrive: {}",
                    String::from_utf8_lossy(&bytes)
                ),
            }
        }
        (
            status.as_u16(),
            head,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    /// A plain GET with extra header lines (each ending in CRLF).
    pub async fn get_with(&self, path: &str, extra_headers: &str) -> (u16, String, String) {
        self.exchange(get_request(path, extra_headers)).await
    }

    /// A form-encoded POST as a script would send it (it asks for JSON).
    pub async fn post(&self, path: &str, body: &str, extra_headers: &str) -> (u16, String, String) {
        self.exchange(format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nAccept: application/json\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
             {extra_headers}\r\n{body}",
            body.len()
        ))
        .await
    }
}

/// Runs the future `test` makes as `#[tokio::test(flavor = "multi_thread", worker_threads = 2)]` would,
/// but with the stack `serve`'s threads have (`server::cli::WORKER_STACK`) on the
/// workers and on the thread that waits for `test`. The debug build renders a whole
/// page in one poll, and a Home page needs more than the 2 MiB a test thread or one of
/// tokio's workers gets by default.
pub fn on_a_server_stack<F, Fut>(test: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    std::thread::Builder::new()
        .stack_size(server::cli::WORKER_STACK)
        .spawn(move || {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_stack_size(server::cli::WORKER_STACK)
                .enable_all()
                .build()
                .expect("a runtime")
                .block_on(test())
        })
        .expect("a thread")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
}

/// A raw GET request with extra header lines (each ending in CRLF).
pub fn get_request(path: &str, extra_headers: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:3000\r\n{extra_headers}\r\n")
}

impl Drop for InProcess {
    fn drop(&mut self) {
        self.live.close();
    }
}
