//! Live fan-out: N `GET /live` streams held open at once, one post, and how long after
//! the create call returned each stream heard of it; and what an idle stream costs the
//! server in memory.

use super::client::{Call, Connection, Sample};
use super::BenchError;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Streams opened at once while connecting.
const OPENING: usize = 200;
/// How long a stream may wait for the post before it counts as missed.
const PATIENCE: Duration = Duration::from_secs(30);

pub struct FanOut {
    pub streams: usize,
    /// Time from the create call returning to each stream receiving the post, in µs
    /// (zero when the event beat the create call's answer).
    pub delays: Sample,
    /// Streams that never received it.
    pub missed: usize,
    /// Growth of the server's resident memory per open stream, in bytes.
    pub bytes_per_stream: f64,
}

/// Opens one stream per session in `listeners`, then posts as `poster` in `channel`.
pub async fn fan_out(
    addr: SocketAddr,
    server_pid: u32,
    listeners: &[Arc<str>],
    poster: &Arc<str>,
    channel: &str,
) -> Result<FanOut, BenchError> {
    let before = resident_bytes(server_pid)?;
    let gate = Arc::new(tokio::sync::Semaphore::new(OPENING));
    let mut opening = tokio::task::JoinSet::new();
    for session in listeners {
        let (gate, session) = (gate.clone(), session.clone());
        opening.spawn(async move {
            let _turn = gate.acquire_owned().await;
            open_stream(addr, &session).await
        });
    }
    let mut streams = Vec::with_capacity(listeners.len());
    while let Some(opened) = opening.join_next().await {
        streams.push(opened.map_err(|e| BenchError::Request(e.to_string()))??);
    }
    // Let every stream reach its idle state (subscribed, backlog read) before measuring.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = resident_bytes(server_pid)?;
    let bytes_per_stream = after.saturating_sub(before) as f64 / streams.len() as f64;

    let (posted_tx, posted_rx) = tokio::sync::watch::channel(None::<Instant>);
    let mut readers = tokio::task::JoinSet::new();
    for (mut stream, mut seen) in streams {
        let mut posted = posted_rx.clone();
        readers.spawn(async move {
            let mut buf = [0u8; 4096];
            let deadline = tokio::time::Instant::now() + PATIENCE;
            while !seen.contains("\"kind\":\"post\"") {
                match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
                    Ok(Ok(n)) if n > 0 => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                    _ => return None,
                }
            }
            let arrived = Instant::now();
            // The event may arrive before the create call's answer does.
            let returned = posted
                .wait_for(Option::is_some)
                .await
                .ok()
                .and_then(|r| *r)?;
            Some(arrived.saturating_duration_since(returned))
        });
    }
    let mut connection = Connection::open(addr).await?;
    let form = format!("channel={channel}&kind=update&body=Live+fan-out+check+%23bench");
    let (status, body) = connection
        .send(
            &Call::post("/api/posts/create", form)
                .as_(poster)
                .uncompressed(),
        )
        .await?;
    posted_tx.send_replace(Some(Instant::now()));
    if !status.is_success() {
        return Err(BenchError::Refused(format!(
            "creating the fan-out post: {status} {}",
            String::from_utf8_lossy(&body)
        )));
    }
    let mut delays = Sample::default();
    let mut missed = 0;
    while let Some(done) = readers.join_next().await {
        match done.ok().flatten() {
            Some(delay) => delays.latencies.push(delay.as_micros() as u64),
            None => missed += 1,
        }
    }
    delays.latencies.sort_unstable();
    Ok(FanOut {
        streams: listeners.len(),
        delays,
        missed,
        bytes_per_stream,
    })
}

/// Sends `GET /live` and reads the answer's head; returns the stream and what arrived
/// after the head.
pub(super) async fn open_stream(
    addr: SocketAddr,
    session: &str,
) -> Result<(TcpStream, String), BenchError> {
    let mut stream = TcpStream::connect(addr)
        .await
        .map_err(|e| BenchError::Connect(addr, e))?;
    let request = format!(
        "GET /live HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\
         Cookie: townhall_session={session}\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| BenchError::Connect(addr, e))?;
    let mut head = String::new();
    let mut buf = [0u8; 1024];
    while !head.contains("\r\n\r\n") {
        let n = stream
            .read(&mut buf)
            .await
            .map_err(|e| BenchError::Connect(addr, e))?;
        if n == 0 {
            return Err(BenchError::Refused(format!("/live closed: {head}")));
        }
        head.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    if !head.starts_with("HTTP/1.1 200") {
        return Err(BenchError::Refused(format!("/live answered {head}")));
    }
    let rest = head.split_once("\r\n\r\n").map(|(_, rest)| rest.to_owned());
    Ok((stream, rest.unwrap_or_default()))
}

/// The process's resident memory (VmRSS), in bytes.
pub fn resident_bytes(pid: u32) -> Result<u64, BenchError> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| BenchError::Process("read /proc/<pid>/status".into(), e))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map(|kb| kb * 1024)
        .ok_or_else(|| BenchError::Request("no VmRSS in /proc/<pid>/status".into()))
}
