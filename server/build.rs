//! Names the commit the binary was built from, for `townhall --version`: `git describe`
//! of the source tree when there is one, else `TOWNHALL_COMMIT` from the environment
//! (a build from a tarball), else "unknown".

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=TOWNHALL_COMMIT");
    // Rebuilt when the checked-out commit moves: HEAD, the branch it names, packed refs.
    let git = Path::new("../.git");
    for watched in ["HEAD", "packed-refs"] {
        println!("cargo:rerun-if-changed={}", git.join(watched).display());
    }
    if let Ok(head) = std::fs::read_to_string(git.join("HEAD")) {
        if let Some(branch) = head.trim().strip_prefix("ref: ") {
            println!("cargo:rerun-if-changed={}", git.join(branch).display());
        }
    }
    let commit = Command::new("git")
        .args(["describe", "--always", "--dirty", "--abbrev=12"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("TOWNHALL_COMMIT").ok())
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=TOWNHALL_COMMIT={commit}");
}
