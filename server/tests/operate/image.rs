//! The release image (`make image`): what is in it, and that the binary in it starts
//! from the image's own file system and answers `/readyz`. Building the image takes a
//! static release build (a quarter of an hour on two cores) and an OCI builder, so
//! `make test-image` builds it and runs this with `TOWNHALL_IMAGE` naming the archive;
//! under `make test` it is skipped, saying so.

use crate::common::*;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The ceiling for the image as a registry stores and a host downloads it: its layers
/// gzip-compressed. (Unpacked it is larger; both are printed.)
const MAX_IMAGE_BYTES: u64 = 40 * 1024 * 1024;

#[test]
fn the_image_holds_a_static_binary_that_serves_from_its_own_files() {
    let Ok(archive) = std::env::var("TOWNHALL_IMAGE") else {
        eprintln!(
            "skipped: no TOWNHALL_IMAGE; `make test-image` builds the image (buildah, podman \
             or docker) and checks it"
        );
        return;
    };
    let work = temp_dir("image");
    untar(Path::new(&archive), &work);
    // A docker-archive: manifest.json names the image's config and its layers.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(work.join("manifest.json")).unwrap()).unwrap();
    let config: serde_json::Value = serde_json::from_slice(
        &std::fs::read(work.join(manifest[0]["Config"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    let config = &config["config"];
    assert_eq!(config["User"], "65532:65532", "{config}");
    assert_eq!(
        config["Entrypoint"],
        serde_json::json!(["/app/bin/townhall"])
    );
    assert_eq!(config["Cmd"], serde_json::json!(["serve"]));
    assert_eq!(
        config["Healthcheck"]["Test"],
        serde_json::json!(["CMD", "/app/bin/townhall", "health"]),
        "{config}"
    );
    let env: Vec<&str> = config["Env"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        env.contains(&"TOWNHALL_DATABASE_URL=sqlite:/data/townhall.db"),
        "{env:?}"
    );
    assert!(env.contains(&"TOWNHALL_ADDR=0.0.0.0:3000"), "{env:?}");

    let root = work.join("root");
    std::fs::create_dir_all(&root).unwrap();
    let (mut unpacked, mut compressed) = (0, 0);
    for layer in manifest[0]["Layers"].as_array().unwrap() {
        let layer = work.join(layer.as_str().unwrap());
        unpacked += std::fs::metadata(&layer).unwrap().len();
        compressed += gzipped_size(&layer);
        untar(&layer, &root);
    }
    let binary = root.join("app/bin/townhall");
    let binary_bytes = std::fs::metadata(&binary).unwrap().len();
    eprintln!(
        "image: {:.1} MB to download (gzip layers), {:.1} MB unpacked, the binary {:.1} MB",
        compressed as f64 / 1e6,
        unpacked as f64 / 1e6,
        binary_bytes as f64 / 1e6
    );
    assert!(compressed <= MAX_IMAGE_BYTES, "{compressed} bytes");
    // What `docker images` shows: the unpacked size, 40 MB at most (the operate issue).
    assert!(unpacked <= 40_000_000, "unpacked: {unpacked} bytes");
    // Nothing but the binary, its site, CA certificates and the two writable folders:
    // no shell to exec into, no libc to patch.
    assert!(!root.join("bin/sh").exists() && !root.join("lib").exists());
    assert!(root.join("etc/ssl/certs/ca-certificates.crt").is_file());
    assert!(root.join("app/site/hash.txt").is_file());
    // Static: the dynamic loader has nothing to load.
    let ldd = Command::new("ldd").arg(&binary).output().unwrap();
    assert!(
        !ldd.status.success() || text(&ldd.stdout).contains("statically linked"),
        "{}",
        text(&ldd.stdout)
    );

    // Started as the image starts it, from the unpacked root: its site is found beside
    // it (`../site`), its database is created where it is told.
    let data = work.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let addr = free_addr();
    let started = Instant::now();
    let mut server = Command::new(&binary)
        .arg("serve")
        .env_clear()
        .env("TOWNHALL_ADDR", addr.to_string())
        .env(
            "TOWNHALL_DATABASE_URL",
            format!("sqlite:{}/townhall.db", data.display()),
        )
        .env("TOWNHALL_LOG_FORMAT", "json")
        .current_dir(&data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let ready = loop {
        let health = Command::new(&binary)
            .args(["health", "--addr", &addr.to_string()])
            .output()
            .unwrap();
        if health.status.success() {
            break started.elapsed();
        }
        assert!(
            server.try_wait().unwrap().is_none(),
            "the image's binary exited"
        );
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "not ready: {}",
            text(&health.stderr)
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    eprintln!("image: an empty company ready in {} ms", ready.as_millis());
    // The image's own checkup passes on what it was just started with: its site beside
    // the binary, its database, a writable files folder.
    let doctor = Command::new(&binary)
        .arg("doctor")
        .env_clear()
        .env(
            "TOWNHALL_DATABASE_URL",
            format!("sqlite:{}/townhall.db", data.display()),
        )
        .current_dir(&data)
        .output()
        .unwrap();
    assert!(doctor.status.success(), "{}", text(&doctor.stdout));
    let (status, _, page) = get(addr, "/sign-in");
    assert_eq!(status, 200);
    let wasm = page
        .split('"')
        .find(|part| part.starts_with("/pkg/") && part.ends_with(".wasm"))
        .unwrap_or_else(|| panic!("no wasm in the page:\n{page}"));
    // The site's files went in precompressed: sent as they are, never compressed per request.
    let (status, headers, _) = get_with(addr, wasm, "Accept-Encoding: br\r\n");
    assert_eq!(status, 200, "{wasm}");
    assert!(headers.contains("content-encoding: br"), "{headers}");
    // A working company: the first-run form creates it and its owner, signed in.
    let form =
        "company_name=C%C3%B4ng+ty+M%E1%BA%ABu&name=Nguy%E1%BB%85n+An&email=an%40mau.example\
                &password=a-long-enough-password";
    let (status, headers, _) = post(addr, "/api/account/set-up", form, "");
    assert_eq!(status, 200, "{headers}");
    let cookie = headers
        .lines()
        .find_map(|line| line.strip_prefix("set-cookie: "))
        .and_then(|cookie| cookie.split(';').next())
        .unwrap_or_else(|| panic!("no session: {headers}"))
        .to_owned();
    let (status, _, home) = get_with(addr, "/", &format!("Cookie: {cookie}\r\n"));
    assert_eq!(status, 200);
    assert!(home.contains("Công ty Mẫu"), "{home}");
    eprintln!(
        "image: from start to a company set up in {} ms",
        started.elapsed().as_millis()
    );
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.id())).unwrap();
    let rss = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .unwrap_or("?")
        .trim()
        .to_owned();
    eprintln!("image: resident memory after that, {rss}");
    let version = Command::new(&binary).arg("--version").output().unwrap();
    assert!(
        !text(&version.stdout).contains("unknown"),
        "{}",
        text(&version.stdout)
    );
    server.kill().unwrap();
    let _ = server.wait();
}

fn untar(archive: &Path, into: &Path) {
    let status = Command::new("tar")
        .arg("-xf")
        .arg(archive)
        .arg("-C")
        .arg(into)
        .arg("--no-same-owner")
        .status()
        .unwrap();
    assert!(status.success(), "cannot unpack {}", archive.display());
}

/// The size of `file` gzip-compressed, as a registry stores a layer.
fn gzipped_size(file: &Path) -> u64 {
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::copy(&mut std::fs::File::open(file).unwrap(), &mut gzip).unwrap();
    gzip.finish().unwrap().len() as u64
}
