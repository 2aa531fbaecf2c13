//! `townhall precompress`: the site's hashed files (wasm, js, css) compressed once, at
//! build time, beside the originals: `name.br` at brotli's best quality and `name.gz` at
//! gzip's. `/pkg` sends those as they are (`http::layers::immutable_assets`), so no static
//! file is ever compressed per request, and at quality 11 rather than the level 3 a
//! response compressed on the fly can afford.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The file extensions compressed: what a page loads from `/pkg`.
const COMPRESSED: [&str; 3] = ["wasm", "js", "css"];

/// A file compressed: its size raw, as brotli and as gzip.
pub struct Compressed {
    pub path: PathBuf,
    pub raw: usize,
    pub brotli: usize,
    pub gzip: usize,
}

/// Compresses every wasm, js and css file in `site_root/pkg` that has no up-to-date
/// `.br` and `.gz` beside it yet.
pub fn site(site_root: &Path) -> std::io::Result<Vec<Compressed>> {
    let pkg = site_root.join("pkg");
    let mut done = Vec::new();
    for entry in std::fs::read_dir(&pkg)? {
        let path = entry?.path();
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSED.contains(&e));
        if compressible && !fresh(&path)? {
            done.push(file(&path)?);
        }
    }
    done.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(done)
}

/// Whether `path`'s `.br` and `.gz` exist and are newer than it.
fn fresh(path: &Path) -> std::io::Result<bool> {
    let modified = std::fs::metadata(path)?.modified()?;
    for sibling in [with_suffix(path, "br"), with_suffix(path, "gz")] {
        match std::fs::metadata(&sibling).and_then(|m| m.modified()) {
            Ok(at) if at >= modified => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}

fn file(path: &Path) -> std::io::Result<Compressed> {
    let raw = std::fs::read(path)?;
    let brotli = brotli(&raw)?;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&raw)?;
    let gzip = gzip.finish()?;
    std::fs::write(with_suffix(path, "br"), &brotli)?;
    std::fs::write(with_suffix(path, "gz"), &gzip)?;
    Ok(Compressed {
        path: path.to_path_buf(),
        raw: raw.len(),
        brotli: brotli.len(),
        gzip: gzip.len(),
    })
}

/// `bytes` at brotli's best quality (11) and a 4 MiB window.
pub fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

/// `name.ext` → `name.ext.suffix`.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// The files in `site_root/pkg` a page loads that have no brotli copy beside them.
pub fn missing(site_root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(site_root.join("pkg")) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| COMPRESSED.contains(&e))
        })
        .filter(|p| !with_suffix(p, "br").exists())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_compressed_once_and_decompress_to_themselves() {
        let root =
            std::env::temp_dir().join(format!("townhall-precompress-{}", std::process::id()));
        let pkg = root.join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        let text = "let answer = 42; // ".repeat(500);
        std::fs::write(pkg.join("app.js"), &text).unwrap();
        std::fs::write(pkg.join("types.d.ts"), "declare const x: number;").unwrap();
        assert_eq!(missing(&root), vec![pkg.join("app.js")]);

        let done = site(&root).unwrap();
        assert_eq!(done.len(), 1, "only the js is compressed, not the .ts");
        assert!(done[0].brotli < done[0].raw / 10 && done[0].gzip < done[0].raw / 10);
        let mut unbrotli = Vec::new();
        brotli::BrotliDecompress(
            &mut &std::fs::read(pkg.join("app.js.br")).unwrap()[..],
            &mut unbrotli,
        )
        .unwrap();
        assert_eq!(unbrotli, text.as_bytes());
        let mut ungzip = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(&std::fs::read(pkg.join("app.js.gz")).unwrap()[..]),
            &mut ungzip,
        )
        .unwrap();
        assert_eq!(ungzip, text);
        assert!(missing(&root).is_empty());
        // Up to date: nothing to do a second time.
        assert!(site(&root).unwrap().is_empty());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
