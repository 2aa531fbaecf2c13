pub mod announce;
pub mod charts;
pub mod composer;
pub mod live;
pub mod notice;
pub mod post_card;
pub mod prefs_controls;
pub mod shell;
