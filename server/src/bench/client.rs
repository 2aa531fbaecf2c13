//! The load client: keep-alive HTTP/1.1 connections, as a browser tab holds them, and
//! scenarios that repeat one kind of request from N such clients at once.

use super::BenchError;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What Chrome on a phone offers (the users the bench stands for): the server answers
/// with zstd.
const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";

/// One request, as a scenario sends it.
#[derive(Clone, Debug)]
pub struct Call {
    pub method: Method,
    pub path: String,
    /// Form-encoded body: what a server function takes from a script or a plain form.
    pub form: Option<String>,
    /// The session token, sent as the `townhall_session` cookie.
    pub session: Option<Arc<str>>,
    /// Asks for a compressed answer, as browsers do ([`BROWSER_ENCODINGS`]).
    pub compressed: bool,
}

impl Call {
    pub fn get(path: impl Into<String>) -> Call {
        Call {
            method: Method::GET,
            path: path.into(),
            form: None,
            session: None,
            compressed: true,
        }
    }

    pub fn post(path: impl Into<String>, form: impl Into<String>) -> Call {
        Call {
            method: Method::POST,
            form: Some(form.into()),
            ..Call::get(path)
        }
    }

    pub fn as_(mut self, session: &Arc<str>) -> Call {
        self.session = Some(session.clone());
        self
    }

    pub fn uncompressed(mut self) -> Call {
        self.compressed = false;
        self
    }
}

pub struct Connection {
    sender: SendRequest<Full<Bytes>>,
    host: String,
}

impl Connection {
    pub async fn open(addr: SocketAddr) -> Result<Connection, BenchError> {
        let stream = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|e| BenchError::Connect(addr, e))?;
        stream.set_nodelay(true).ok();
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(BenchError::Http)?;
        tokio::spawn(connection);
        Ok(Connection {
            sender,
            host: addr.to_string(),
        })
    }

    /// Sends `call` and reads the whole answer.
    pub async fn send(&mut self, call: &Call) -> Result<(StatusCode, Bytes), BenchError> {
        let mut request = Request::builder()
            .method(call.method.clone())
            .uri(&call.path)
            .header("host", &self.host);
        if let Some(session) = &call.session {
            request = request.header("cookie", format!("townhall_session={session}"));
        }
        if call.compressed {
            request = request.header("accept-encoding", BROWSER_ENCODINGS);
        }
        let body = match &call.form {
            Some(form) => {
                request = request
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "application/json");
                Bytes::from(form.clone())
            }
            None => Bytes::new(),
        };
        let request = request
            .body(Full::new(body))
            .map_err(|e| BenchError::Request(e.to_string()))?;
        self.sender.ready().await.map_err(BenchError::Http)?;
        let response = self
            .sender
            .send_request(request)
            .await
            .map_err(BenchError::Http)?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(BenchError::Http)?
            .to_bytes();
        Ok((status, body))
    }
}

/// Latencies of one scenario, and how many answers were not 200.
#[derive(Clone, Debug, Default)]
pub struct Sample {
    /// Microseconds, sorted.
    pub latencies: Vec<u64>,
    pub failures: usize,
    pub first_failure: Option<String>,
    pub elapsed: Duration,
}

impl Sample {
    /// The `q`-quantile (0 to 1) in milliseconds, nearest rank.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let rank =
            ((q * self.latencies.len() as f64).ceil() as usize).clamp(1, self.latencies.len());
        self.latencies[rank - 1] as f64 / 1000.0
    }

    pub fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn merge(&mut self, other: Sample) {
        self.latencies.extend(other.latencies);
        self.failures += other.failures;
        self.first_failure = self.first_failure.take().or(other.first_failure);
    }
}

/// Runs `clients` clients for `duration`, each sending `next(client, n)` one after the
/// other on its own connection.
pub async fn measure(
    addr: SocketAddr,
    clients: usize,
    duration: Duration,
    next: super::Next,
) -> Result<Sample, BenchError> {
    let mut connections = Vec::with_capacity(clients);
    for _ in 0..clients {
        connections.push(Connection::open(addr).await?);
    }
    let started = Instant::now();
    let deadline = started + duration;
    let mut workers = tokio::task::JoinSet::new();
    for (client, mut connection) in connections.into_iter().enumerate() {
        let next = next.clone();
        workers.spawn(async move {
            let mut sample = Sample::default();
            let mut n = 0;
            while Instant::now() < deadline {
                let call = next(client, n);
                n += 1;
                let sent = Instant::now();
                match connection.send(&call).await {
                    Ok((status, body)) => {
                        sample.latencies.push(sent.elapsed().as_micros() as u64);
                        if status != StatusCode::OK {
                            sample.failures += 1;
                            sample.first_failure.get_or_insert_with(|| {
                                format!(
                                    "{} {} → {status}: {}",
                                    call.method,
                                    call.path,
                                    String::from_utf8_lossy(&body)
                                        .chars()
                                        .take(300)
                                        .collect::<String>()
                                )
                            });
                        }
                    }
                    Err(err) => {
                        sample.failures += 1;
                        sample.first_failure.get_or_insert_with(|| err.to_string());
                        connection = Connection::open(addr).await?;
                    }
                }
            }
            Ok::<_, BenchError>(sample)
        });
    }
    let mut total = Sample::default();
    while let Some(done) = workers.join_next().await {
        total.merge(done.map_err(|e| BenchError::Request(e.to_string()))??);
    }
    total.elapsed = started.elapsed();
    total.latencies.sort_unstable();
    Ok(total)
}
