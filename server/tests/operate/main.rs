//! Townhall as an operator meets it: the binary's flags, errors, health probes, metrics
//! and shutdown (`cli`), settings and `doctor` (`settings`), backups and restores (`backup`), surviving SIGKILL
//! (`durability`), two instances behind a balancer (`failover`), and the release image (`image`).
//!
//! One test binary for all of them: each file under `tests/` is a binary of its own,
//! linking the whole app, and every link is time CI spends.

#[path = "../common/mod.rs"]
mod common;

mod backup;
mod cli;
mod durability;
mod failover;
mod image;
mod settings;
