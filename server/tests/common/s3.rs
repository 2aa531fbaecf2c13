//! An S3-compatible server for the tests: moto's, from PyPI (`.ci/setup` installs it
//! into `~/.cache/townhall/s3`; `TOWNHALL_S3_SERVER` names another binary). A real HTTP
//! server speaking S3, started per test and stopped when dropped.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct S3Server {
    pub addr: SocketAddr,
    child: Child,
}

/// The credentials and region the tests use (moto accepts any).
pub const ACCESS_KEY: &str = "test-key";
pub const SECRET_KEY: &str = "test-secret";
pub const REGION: &str = "ap-southeast-1";

fn binary() -> Option<std::path::PathBuf> {
    if let Ok(path) = std::env::var("TOWNHALL_S3_SERVER") {
        return Some(path.into());
    }
    let home = std::env::var("HOME").ok()?;
    let path = std::path::Path::new(&home).join(".cache/townhall/s3/bin/moto_server");
    path.exists().then_some(path)
}

impl S3Server {
    /// A running server; `None` (said on stderr) when none is installed, which `CI=true`
    /// does not allow.
    pub fn start() -> Option<S3Server> {
        let Some(binary) = binary() else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true requires the S3-compatible test server: run .ci/setup"
            );
            eprintln!("skipped: no S3-compatible test server (run .ci/setup)");
            return None;
        };
        let addr = super::free_addr();
        let mut child = Command::new(binary)
            .args(["-H", "127.0.0.1", "-p", &addr.port().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the S3-compatible server");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(child.try_wait().unwrap().is_none(), "the S3 server exited");
            assert!(Instant::now() < deadline, "the S3 server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(S3Server { addr, child })
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// CreateBucket: a PUT on the bucket's path.
    pub fn create_bucket(&self, name: &str) {
        let addr = self.addr;
        let (status, _, body) = super::exchange(
            addr,
            &format!(
                "PUT /{name} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            ),
        );
        assert_eq!(status, 200, "create bucket {name}: {body}");
    }

    /// The bucket, as the app reaches it.
    pub fn bucket(&self, name: &str) -> app::objects::Objects {
        app::objects::Objects::s3_compatible(&self.endpoint(), name, ACCESS_KEY, SECRET_KEY, REGION)
            .unwrap()
    }

    /// The `AWS_*` variables that point `townhall` at this server.
    pub fn env(&self) -> [(&'static str, String); 5] {
        [
            ("AWS_ENDPOINT", self.endpoint()),
            ("AWS_ALLOW_HTTP", "true".into()),
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY.into()),
            ("AWS_SECRET_ACCESS_KEY", SECRET_KEY.into()),
            ("AWS_REGION", REGION.into()),
        ]
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
