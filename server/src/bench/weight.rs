//! The front end's weight: what a browser downloads on a first visit, raw and as
//! brotli at its best setting (what a precompressing server or CDN would send).

use super::BenchError;
use std::path::Path;

pub struct Asset {
    pub name: String,
    pub raw: u64,
    pub brotli: u64,
}

/// The wasm, js and css files in the site's `pkg` folder.
pub fn front_end(site_root: &Path) -> Result<Vec<Asset>, BenchError> {
    let pkg = site_root.join("pkg");
    let read = |e| BenchError::Process(format!("read {}", pkg.display()), e);
    let mut assets = Vec::new();
    for entry in std::fs::read_dir(&pkg).map_err(read)? {
        let path = entry.map_err(read)?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if ![".wasm", ".js", ".css"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(read)?;
        assets.push(Asset {
            raw: bytes.len() as u64,
            brotli: crate::precompress::brotli(&bytes).map_err(read)?.len() as u64,
            name,
        });
    }
    assets.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(assets)
}
