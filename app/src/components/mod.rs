pub mod announce;
pub mod auth_fields;
pub mod charts;
pub mod notice;
pub mod post_card;
pub mod prefs_controls;
pub mod schedule_fields;
pub mod session;
