//! The server-side logic, one module per domain, named as in every other layer
//! (`api/X` calls `domain/X`, which reads and writes through `store/X`; `pages/X` shows
//! it). A server function only parses and authorises its call, calls in here and shapes
//! the answer, so every rule here is callable — and tested — without HTTP.
//!
//! Dependencies point down: a domain may use the store, the policy, the model and the
//! other domains listed above it here; the store never uses a domain.

pub mod markdown;
// Results kept for a minute and shared by all who ask the same (the dashboard's reads).
pub mod kept;
// Attachments, which posts and comments carry.
pub mod files;

pub mod accounts;
pub mod activity;
pub mod announcements;
pub mod channels;
pub mod dashboard;
pub mod feed;
pub mod invitations;
pub mod journeys;
pub mod knowledge;
pub mod live;
// E-mail: resets asked for by "Forgot password?", and the digest.
pub mod mail;
// Writes done once however often they are sent (the browser's offline outbox).
pub mod once;
pub mod people;
pub mod posts;
// Web Push: notifications on a person's devices.
pub mod push;
pub mod questions;
pub mod routing;
pub mod scheduled;
pub mod search;
