//! What the server's integration tests share: a fresh folder, a site folder that
//! `serve` accepts, a running `townhall serve`, and raw HTTP/1.1 requests to it — or
//! the same requests to the real router in this process ([`in_process`]).
// Each test crate includes this module and uses only part of it.
#![allow(dead_code)]

pub mod in_process;
pub mod s3;

/// Runs each story (an `async fn(TestDb)`) on a new SQLite file and on a new PostgreSQL
/// database (which, outside CI, may be skipped: see `TestDb::postgres`). For the test
/// crates that include this module with `#[macro_use]`.
#[allow(unused_macros)]
macro_rules! on_both_databases {
    ($($story:ident),* $(,)?) => {
        // On serve's stack: some stories render pages in this process.
        mod on_sqlite {
            $(
                #[test]
                fn $story() {
                    crate::common::in_process::on_a_server_stack(|| async {
                        super::$story(crate::TestDb::sqlite().await).await;
                    });
                }
            )*
        }
        mod on_postgres {
            $(
                #[test]
                fn $story() {
                    crate::common::in_process::on_a_server_stack(|| async {
                        if let Some(db) = crate::TestDb::postgres().await {
                            super::$story(db).await;
                        }
                    });
                }
            )*
        }
    };
}

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_townhall");

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("townhall-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A site folder with what `serve` checks for; pages render without real wasm.
pub fn fake_site(tag: &str) -> PathBuf {
    let dir = temp_dir(&format!("site-{tag}"));
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(dir.join("hash.txt"), "js: a\nwasm: b\ncss: c\n").unwrap();
    std::fs::write(dir.join("manifest.webmanifest"), "{}").unwrap();
    dir
}

pub fn free_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

pub fn spawn_serve(addr: SocketAddr, url: &str, site: &std::path::Path) -> Child {
    Command::new(BIN)
        .args([
            "serve",
            "--addr",
            &addr.to_string(),
            "--database-url",
            url,
            "--site-root",
            site.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start townhall serve")
}

pub fn wait_until_healthy(addr: SocketAddr, server: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(addr).is_err() {
        assert!(
            server.try_wait().unwrap().is_none(),
            "townhall serve exited early"
        );
        assert!(Instant::now() < deadline, "townhall serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A plain HTTP/1.1 GET: status, lower-cased headers, body.
pub fn get(addr: SocketAddr, path: &str) -> (u16, String, String) {
    get_with(addr, path, "")
}

/// A GET with extra header lines (each ending in CRLF).
pub fn get_with(addr: SocketAddr, path: &str, extra_headers: &str) -> (u16, String, String) {
    exchange(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{extra_headers}Connection: close\r\n\r\n"),
    )
}

/// Sends one raw HTTP/1.1 request; returns status, lower-cased headers and the body.
pub fn exchange(addr: SocketAddr, request: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = text(&raw);
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if head.to_lowercase().contains("transfer-encoding: chunked") {
        dechunk(body)
    } else {
        body.to_owned()
    };
    (status, head.to_lowercase(), body)
}

pub fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// A form-encoded POST as a script would send it (it asks for JSON).
pub fn post(
    addr: SocketAddr,
    path: &str,
    body: &str,
    extra_headers: &str,
) -> (u16, String, String) {
    exchange(
        addr,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n{extra_headers}\
             Connection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

/// A multipart form with one `photo` field holding `bytes`.
pub fn photo_form(bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "townhall-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"x.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
