pub mod composer;
pub mod notice;
pub mod post_card;
pub mod prefs_controls;
pub mod shell;
