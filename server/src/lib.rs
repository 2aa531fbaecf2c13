//! The `townhall` binary: command line, configuration, HTTP server and data seeding.
//! Pages, server functions and storage live in the `app` crate.

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
