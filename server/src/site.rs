//! Finding the compiled site (wasm, js, css, icons, service worker) at run time, so the
//! binary runs on its own without cargo-leptos.

use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The name cargo-leptos gives the compiled assets (`[[workspace.metadata.leptos]] name`).
const OUTPUT_NAME: &str = "townhall";
const PKG_DIR: &str = "pkg";
const HASH_FILE: &str = "hash.txt";

/// `SiteError`: the compiled site could not be found or is incomplete.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error(
        "cannot find the compiled site (looked in {0}); build it with `make build` \
         or point --site-root / TOWNHALL_SITE_ROOT at it"
    )]
    NotFound(String),
    #[error("the compiled site in {0} has no {HASH_FILE}; rebuild it with `make build`")]
    NoHashFile(String),
}

/// Options for serving the site found in `explicit`, next to the binary, or in `./target/site`.
pub fn leptos_options(
    explicit: Option<PathBuf>,
    addr: SocketAddr,
) -> Result<LeptosOptions, SiteError> {
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    let candidates: Vec<PathBuf> = match explicit {
        Some(root) => vec![root],
        None => exe_dir
            .iter()
            .map(|dir| dir.join("../site"))
            .chain([PathBuf::from("target/site")])
            .collect(),
    };
    let root = candidates
        .iter()
        .find(|dir| dir.join(PKG_DIR).is_dir())
        .ok_or_else(|| {
            SiteError::NotFound(
                candidates
                    .iter()
                    .map(|c| c.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })?;
    let root = root.canonicalize().unwrap_or_else(|_| root.clone());
    // cargo-leptos writes the asset hashes next to the binary it builds; a site copied
    // elsewhere carries its own copy.
    let hash_file = [
        Some(root.join(HASH_FILE)),
        exe_dir.map(|d| d.join(HASH_FILE)),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.is_file())
    .ok_or_else(|| SiteError::NoHashFile(root.display().to_string()))?;
    Ok(LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(root.display().to_string())
        .site_pkg_dir(PKG_DIR)
        .site_addr(addr)
        .hash_files(true)
        .hash_file(std::sync::Arc::from(hash_file.display().to_string()))
        .build())
}

/// The hashed stylesheet path (`/pkg/townhall.HASH.css`) for pages rendered outside Leptos.
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    let hash = std::fs::read_to_string(options.hash_file.as_ref())
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("css:").map(|h| h.trim().to_owned()))
        });
    match hash {
        Some(hash) => format!("/{PKG_DIR}/{OUTPUT_NAME}.{hash}.css"),
        None => format!("/{PKG_DIR}/{OUTPUT_NAME}.css"),
    }
}

/// The files the site's `hash.txt` names (`css: HASH`, `js: …`, `wasm: …`) that its
/// `pkg/` lacks: a site copied in part, or from another build.
pub fn missing_assets(options: &LeptosOptions) -> Vec<String> {
    let Ok(hashes) = std::fs::read_to_string(options.hash_file.as_ref()) else {
        return vec![HASH_FILE.to_owned()];
    };
    let present: Vec<String> =
        std::fs::read_dir(Path::new(options.site_root.as_ref()).join(PKG_DIR))
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
    hashes
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(ext, hash)| (ext.trim(), hash.trim()))
        .filter(|(ext, hash)| {
            !present
                .iter()
                .any(|name| name.ends_with(&format!(".{hash}.{ext}")))
        })
        .map(|(ext, hash)| format!("{PKG_DIR}/*.{hash}.{ext}"))
        .collect()
}
