//! The `townhall` binary: command line, configuration, HTTP server and data seeding.
//! Pages, server functions and storage live in the `app` crate.

// The crate only denies unsafe code, for main.rs's one foreign call (server/Cargo.toml);
// the library forbids it, as the workspace does.
#![forbid(unsafe_code)]

pub mod backup;
pub mod bench;
pub mod cli;
pub mod config;
pub mod doctor;
pub mod http;
pub mod metrics;
pub mod precompress;
pub mod seed;
pub mod site;
pub mod testing;
