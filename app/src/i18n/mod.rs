//! The one translation layer. Every user-visible string lives in a [`Texts`] value, one
//! per language; a missing translation is a compile error because both languages fill
//! the same struct. Pages get the active language's texts with [`crate::prefs::use_texts`].

mod dashboard;
mod en;
mod errors;
pub mod files;
mod format;
pub mod island;
mod journeys;
mod knowledge;
pub mod mail;
pub mod push;
mod questions;
pub mod search;
mod vi;

pub use format::{
    count_up_to_shown, format_clock, format_date, format_datetime, format_day_month,
    format_decimal, format_number, iso_instant, local_date, one_line,
};

use serde::{Deserialize, Serialize};

/// A language Townhall speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Hash)]
pub enum Lang {
    #[default]
    En,
    Vi,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Vi];

    /// The BCP 47 tag used in `<html lang>`, cookies and `Accept-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Vi => "vi",
        }
    }

    /// Parses a tag such as `vi`, `vi-VN` or `en-GB`; unknown languages give `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// Picks the best language from an `Accept-Language` header value, honouring
    /// q-values; `None` when no offered language is one we speak.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let lang = Lang::from_tag(pieces.next()?)?;
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                (q > 0.0).then_some((lang, q))
            })
            // Stable max: on equal weight the first listed language wins.
            .fold(None, |best: Option<(Lang, f32)>, cur| match best {
                Some(b) if b.1 >= cur.1 => Some(b),
                _ => Some(cur),
            })
            .map(|(lang, _)| lang)
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &en::TEXTS,
            Lang::Vi => &vi::TEXTS,
        }
    }

    /// The words the islands show; islands use this, never [`Lang::texts`].
    pub fn island_texts(self) -> &'static island::IslandTexts {
        match self {
            Lang::En => &island::EN,
            Lang::Vi => &island::VI,
        }
    }

    /// The language's own name, shown on the switch so a reader finds their language
    /// even when they cannot read the current one.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Vi => "Tiếng Việt",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Vi,
            Lang::Vi => Lang::En,
        }
    }
}

/// Every string the interface shows. Counted phrases are functions because English
/// needs plural forms and Vietnamese does not.
pub struct Texts {
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub main_navigation: &'static str,
    pub nav_feed: &'static str,
    pub nav_channels: &'static str,
    pub nav_people: &'static str,
    pub nav_dashboard: &'static str,
    pub switch_language: &'static str,
    pub switch_theme: &'static str,
    pub theme_dark: &'static str,
    pub theme_light: &'static str,
    pub loading: &'static str,

    pub feed_title: &'static str,
    pub feed_intro: &'static str,
    pub feed_empty: &'static str,
    pub pinned: &'static str,
    pub older_posts: &'static str,
    pub newest_posts: &'static str,
    pub edited: &'static str,
    pub kind_update: &'static str,
    pub kind_announcement: &'static str,
    pub kind_question: &'static str,
    pub in_channel: &'static str,
    pub comments: fn(i64) -> String,
    pub reactions_label: &'static str,

    pub channels_title: &'static str,
    pub channels_intro: &'static str,
    pub channel_public: &'static str,
    pub channel_announcement: &'static str,
    pub members: fn(i64) -> String,
    pub posts: fn(i64) -> String,
    pub default_channel: &'static str,

    pub people_title: &'static str,
    pub no_department: &'static str,

    pub dashboard_title: &'static str,
    pub dash: &'static dashboard::DashboardTexts,
    pub qa: &'static questions::QuestionTexts,
    /// Knowledge pages' words (`i18n/knowledge.rs`).
    pub knowledge: &'static knowledge::KnowledgeTexts,
    /// Onboarding journeys' words (`i18n/journeys.rs`).
    pub journeys: &'static journeys::JourneyTexts,
    /// Search's words (`i18n/search.rs`).
    pub search: &'static search::SearchTexts,
    /// Attachments' words (`i18n/files.rs`).
    pub files: &'static files::FileTexts,
    /// E-mail's words on the pages (`i18n/mail.rs`).
    pub mail: &'static mail::MailTexts,
    /// Push notifications' words (`i18n/push.rs`).
    pub push: &'static push::PushTexts,
    /// The few words the islands carry (`i18n/island.rs`).
    pub island: &'static island::IslandTexts,

    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_to_feed: &'static str,
    pub error_title: &'static str,
    pub error_unavailable: &'static str,
    pub error_busy: &'static str,
    pub error_internal: &'static str,
    pub error_bad_request: &'static str,
    pub error_not_found: &'static str,
    pub try_again: &'static str,

    pub sign_in_title: &'static str,
    pub sign_in_intro: &'static str,
    pub sign_in_button: &'static str,
    pub sign_out: &'static str,
    pub signed_in_as: &'static str,
    pub welcome_title: &'static str,
    pub welcome_intro: &'static str,
    pub welcome_button: &'static str,
    pub password_hint: &'static str,
    pub default_channel_name: &'static str,
    pub field_company_name: &'static str,
    pub field_name: &'static str,
    pub field_email: &'static str,
    pub field_password: &'static str,
    pub error_required: fn(&str) -> String,
    pub error_too_long: fn(&str, i64) -> String,
    pub error_bad_email: &'static str,
    pub error_password_short: &'static str,
    pub error_password_common: &'static str,
    pub error_password_is_email: &'static str,
    pub error_not_signed_in: &'static str,
    pub error_forbidden: &'static str,
    pub error_wrong_credentials: &'static str,
    pub error_deactivated: &'static str,
    pub error_too_many_attempts: fn(i64) -> String,
    pub error_already_set_up: &'static str,
    pub field_search: &'static str,
    pub search_people: &'static str,
    pub search_placeholder: &'static str,
    pub search_button: &'static str,
    pub department_label: &'static str,
    pub all_departments: &'static str,
    pub people_matching: fn(i64) -> String,
    pub nobody_matches: &'static str,
    pub account_title: &'static str,
    pub sessions_title: &'static str,
    pub sign_out_everywhere: &'static str,
    pub sign_out_everywhere_hint: &'static str,
    pub role_owner: &'static str,
    pub role_admin: &'static str,
    pub role_member: &'static str,
    pub role_guest: &'static str,
    pub offline_title: &'static str,
    pub offline_body: &'static str,

    pub nav_admin: &'static str,
    pub field_job_title: &'static str,
    pub field_location: &'static str,
    pub field_time_zone: &'static str,
    pub field_start_date: &'static str,
    pub field_birthday: &'static str,
    pub field_expertise: &'static str,
    pub field_responsibilities: &'static str,
    pub field_department: &'static str,
    pub field_manager: &'static str,
    pub field_role: &'static str,
    pub field_channel: &'static str,
    pub field_department_name: &'static str,
    pub field_valid_days: &'static str,
    pub field_uses: &'static str,
    pub field_avatar: &'static str,
    pub error_too_many: fn(&str, i64) -> String,
    pub error_unacceptable: fn(&str) -> String,
    pub error_manager_loop: &'static str,
    pub error_email_taken: &'static str,
    pub error_department_exists: &'static str,
    pub error_avatar_too_large: fn(i64) -> String,
    pub error_avatar_unreadable: &'static str,
    pub error_avatar_too_many_pixels: fn(i64) -> String,
    pub error_invitation_unknown: &'static str,
    pub error_invitation_expired: &'static str,
    pub error_invitation_used_up: &'static str,
    pub error_invitation_revoked: &'static str,
    pub error_invitation_channel_closed: &'static str,
    pub forbidden_title: &'static str,
    pub invitation_problem_title: &'static str,
    pub profile_title: &'static str,
    pub local_time: &'static str,
    pub reports_to: &'static str,
    pub direct_reports: &'static str,
    pub no_manager: &'static str,
    pub edit_profile: &'static str,
    pub edit_profile_of: fn(&str) -> String,
    pub save: &'static str,
    pub cancel: &'static str,
    pub none_option: &'static str,
    pub birthday_public_label: &'static str,
    pub birthday_private_note: &'static str,
    pub day_label: &'static str,
    pub month_label: &'static str,
    pub expertise_hint: &'static str,
    pub responsibilities_hint: &'static str,
    pub organisation_hint: &'static str,
    pub deactivated_badge: &'static str,
    pub upload_photo: &'static str,
    pub remove_photo: &'static str,
    pub avatar_hint: &'static str,
    pub manage_access: &'static str,
    pub change_role: &'static str,
    pub deactivate: &'static str,
    pub reactivate: &'static str,
    pub deactivate_hint: &'static str,
    pub show_deactivated: &'static str,
    pub show_active: &'static str,
    pub admin_title: &'static str,
    pub invitations_title: &'static str,
    pub invitations_intro: &'static str,
    pub invite_button: &'static str,
    pub uses_one: &'static str,
    pub uses_many: &'static str,
    pub guest_channel_hint: &'static str,
    pub guest_keeps_channel: &'static str,
    pub guest_keeps_none: &'static str,
    pub guest_keeps_hint: &'static str,
    pub invitation_created: &'static str,
    pub pending_invitations: &'static str,
    pub no_invitations: &'static str,
    pub revoke: &'static str,
    pub invitation_uses: fn(i64, Option<i64>) -> String,
    pub expires: &'static str,
    pub created_by: &'static str,
    pub departments_title: &'static str,
    pub add_department: &'static str,
    pub rename: &'static str,
    pub people_count: fn(i64) -> String,
    pub join_title: fn(&str) -> String,
    pub join_intro: &'static str,
    pub join_as: &'static str,
    pub join_button: &'static str,
    pub error_reset_link: &'static str,
    pub reset_problem_title: &'static str,
    pub reset_link_heading: &'static str,
    pub reset_link_hint: &'static str,
    pub reset_link_make: &'static str,
    pub reset_link_made: &'static str,
    pub reset_title: &'static str,
    pub reset_intro: fn(&str, &str) -> String,
    pub reset_button: &'static str,
    pub forgot_link: &'static str,
    pub forgot_title: &'static str,
    pub forgot_body: &'static str,
    pub back_to_sign_in: &'static str,
    pub channel_guidelines: &'static str,
    pub channel_private: &'static str,
    pub channel_empty: &'static str,
    pub open_profile: &'static str,

    // Channel management
    pub field_channel_name: &'static str,
    pub field_description: &'static str,
    pub field_guidelines: &'static str,
    pub field_channel_kind: &'static str,
    pub field_person: &'static str,
    pub channel_public_hint: &'static str,
    pub channel_private_hint: &'static str,
    pub channel_announcement_hint: &'static str,
    pub new_channel: &'static str,
    pub create_channel: &'static str,
    pub join_channel: &'static str,
    pub leave_channel: &'static str,
    pub you_are_member: &'static str,
    pub members_of: fn(&str) -> String,
    pub channel_admin_role: &'static str,
    pub channel_member_role: &'static str,
    pub add_member: &'static str,
    pub everyone_is_member: &'static str,
    pub remove_member: &'static str,
    pub make_channel_admin: &'static str,
    pub unmake_channel_admin: &'static str,
    pub channel_settings: &'static str,
    pub archive_channel: &'static str,
    pub unarchive_channel: &'static str,
    pub archive_hint: &'static str,
    pub archived_badge: &'static str,
    pub show_archived: &'static str,
    pub hide_archived: &'static str,
    pub no_archived_channels: &'static str,
    pub back_to_channel: &'static str,
    pub error_channel_exists: &'static str,
    pub error_channel_name_letters: &'static str,
    pub error_last_channel_admin: &'static str,
    pub error_default_channel: &'static str,

    pub field_post: &'static str,
    pub field_comment: &'static str,
    pub field_kind: &'static str,
    pub field_reaction: &'static str,
    pub error_channel_archived: &'static str,
    pub error_announcements_only: &'static str,
    pub new_post: &'static str,
    pub composer_placeholder: &'static str,
    pub markdown_hint: &'static str,
    pub preview: &'static str,
    pub post_button: &'static str,
    pub add_reaction: &'static str,
    pub write_comment: &'static str,
    pub write_reply: &'static str,
    pub comment_button: &'static str,
    pub reply: &'static str,

    // Scheduled posts
    pub field_publish_at: &'static str,
    pub schedule_date: &'static str,
    pub schedule_time: &'static str,
    pub schedule_hint: &'static str,
    pub scheduled_title: &'static str,
    pub scheduled_intro: fn(&str) -> String,
    pub scheduled_empty: &'static str,
    pub scheduled_link: &'static str,
    pub scheduled_done: &'static str,
    pub scheduled_for: &'static str,
    pub scheduled_failed: &'static str,
    pub edit_scheduled: &'static str,
    pub save_scheduled: &'static str,
    /// A scheduled post's button that publishes it at once, and what follows it.
    pub publish_scheduled_now: &'static str,
    pub cancel_scheduled: &'static str,
    pub error_scheduled_in_past: &'static str,

    // The living feed
    pub nav_home: &'static str,
    pub nav_notifications: &'static str,
    pub home_intro: &'static str,
    pub home_empty: &'static str,
    pub feed_tabs: &'static str,
    pub tab_company: &'static str,
    pub mentions_title: &'static str,
    pub mentions_intro: &'static str,
    pub mentions_empty: &'static str,
    pub tag_intro: &'static str,
    pub tag_empty: &'static str,
    /// On a card someone else posted since the reader last opened the feed.
    pub unread_badge: &'static str,
    pub unread_since: fn(i64) -> String,
    /// Beside a channel in the list: its posts since the reader last opened it.
    pub unread_in_channel: fn(i64) -> String,
    pub loading_older: &'static str,
    /// Who reacted with an emoji: the first names, and how many there are in all.
    pub reacted_by: fn(&[String], i64) -> String,
    pub search_title: &'static str,
    /// The channel page's menu of settings (how much one hears about it).
    pub channel_menu: &'static str,
    /// The phone's bottom-bar item that opens the sheet of other places and settings.
    pub nav_more: &'static str,
    pub search_everything: &'static str,
    pub search_everything_placeholder: &'static str,
    pub search_nothing: fn(&str) -> String,
    pub schedule_later: &'static str,
    pub must_read: &'static str,
    pub must_read_until: &'static str,
    pub acknowledge: &'static str,
    pub acknowledged: &'static str,
    pub reach_summary: fn(i64, i64, i64) -> String,
    pub reach_pending: &'static str,
    /// The pending people a card does not name: "and N more", linking to the post.
    pub reach_more: fn(i64) -> String,
    pub renotify: &'static str,
    pub announce_title: &'static str,
    pub audience_everyone: &'static str,
    pub audience_departments: &'static str,
    pub audience_channel: &'static str,
    pub announce_must_read: &'static str,
    pub announce_submit: &'static str,
    pub notifications_empty: &'static str,
    pub mark_all_read: &'static str,
    pub mark_read: &'static str,
    pub notification_text: fn(crate::model::NotificationKind, &str, i64) -> String,
    pub notify_all: &'static str,
    pub notify_mentions: &'static str,
    pub notify_none: &'static str,
    pub not_notified: fn(&str) -> String,
    pub confirm_channel_mention: &'static str,
    pub mention_suggestions: &'static str,
    pub post_title: &'static str,
    pub field_audience: &'static str,
    pub field_expires_at: &'static str,
    pub field_period: &'static str,
    pub field_notify_level: &'static str,
    pub error_confirm_channel_mention: fn(i64) -> String,
    pub error_channel_mention_admins_only: &'static str,
    pub error_too_many_mentions: fn(i64) -> String,
    pub error_too_many_tags: fn(i64) -> String,
    pub error_too_complex: fn(&str) -> String,

    pub post_actions_label: &'static str,
    pub edit_post: &'static str,
    pub save_edit: &'static str,
    pub delete_post: &'static str,
    pub pin_post: &'static str,
    pub unpin_post: &'static str,
    pub history_link: &'static str,
    pub history_intro: &'static str,
    pub history_empty: &'static str,
    pub replaced_by: fn(&str) -> String,
    pub profile_posts: &'static str,
    pub months_short: [&'static str; 12],
    pub months_long: [&'static str; 12],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_honours_order_and_weights() {
        assert_eq!(
            Lang::from_accept_language("vi-VN,vi;q=0.9,en;q=0.8"),
            Some(Lang::Vi)
        );
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Some(Lang::En));
        assert_eq!(
            Lang::from_accept_language("fr;q=1, vi;q=0.5, en;q=0.7"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("fr, de"), None);
        assert_eq!(
            Lang::from_accept_language("vi;q=0, en;q=0.1"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn new_post_counts_stop_at_99_plus() {
        assert_eq!((Lang::En.texts().unread_in_channel)(7), "7 new");
        assert_eq!((Lang::En.texts().unread_in_channel)(99), "99 new");
        assert_eq!((Lang::En.texts().unread_in_channel)(100), "99+ new");
        assert_eq!((Lang::Vi.texts().unread_in_channel)(100), "99+ mới");
    }

    #[test]
    fn tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("VI_vn"), Some(Lang::Vi));
        assert_eq!(Lang::from_tag("xx"), None);
    }

    #[test]
    fn counted_phrases_differ_by_language() {
        assert_eq!((Lang::En.texts().comments)(1), "1 comment");
        assert_eq!((Lang::En.texts().comments)(2), "2 comments");
        assert_eq!((Lang::Vi.texts().comments)(2), "2 bình luận");
    }

    #[test]
    fn who_reacted_reads_naturally() {
        let names = |list: &[&str]| list.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let en = Lang::En.texts().reacted_by;
        assert_eq!(en(&names(&["Lan"]), 1), "Lan");
        assert_eq!(en(&names(&["Lan", "Minh", "Hà"]), 3), "Lan, Minh and Hà");
        assert_eq!(en(&names(&["Lan", "Minh"]), 3), "Lan, Minh and 1 other");
        assert_eq!(en(&names(&["Lan"]), 12), "Lan and 11 others");
        let vi = Lang::Vi.texts().reacted_by;
        assert_eq!(vi(&names(&["Lan", "Minh"]), 2), "Lan và Minh");
        assert_eq!(vi(&names(&["Lan"]), 5), "Lan và 4 người khác");
    }
}
