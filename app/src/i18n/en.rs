use super::Texts;

fn plural(n: i64, one: &str, many: &str) -> String {
    let word = if n == 1 { one } else { many };
    format!("{} {word}", super::format_number(super::Lang::En, n))
}

pub static TEXTS: Texts = Texts {
    app_name: "Townhall",
    skip_to_content: "Skip to content",
    main_navigation: "Main navigation",
    nav_feed: "Feed",
    nav_channels: "Channels",
    nav_people: "People",
    nav_dashboard: "Dashboard",
    switch_language: "Language",
    switch_theme: "Switch between light and dark theme",
    theme_dark: "Dark",
    theme_light: "Light",
    loading: "Loading…",

    feed_title: "Company feed",
    feed_intro: "Updates, announcements and questions from across the company.",
    feed_empty: "Nothing has been posted yet.",
    pinned: "Pinned",
    older_posts: "Older posts",
    newest_posts: "Back to the newest posts",
    edited: "edited",
    kind_update: "Update",
    kind_announcement: "Announcement",
    kind_question: "Question",
    in_channel: "in",
    comments: |n| plural(n, "comment", "comments"),
    show_comments: |n| format!("Show {}", plural(n, "comment", "comments")),
    hide_comments: "Hide comments",
    reactions_label: "Reactions",

    channels_title: "Channels",
    channels_intro: "Where each kind of conversation belongs.",
    channel_public: "Public",
    channel_announcement: "Announcements only",
    members: |n| plural(n, "member", "members"),
    posts: |n| plural(n, "post", "posts"),
    default_channel: "Everyone is here",

    people_title: "People",
    people_intro: |n| format!("{} across the company.", plural(n, "person", "people")),
    no_department: "No department",

    dashboard_title: "Dashboard",
    dashboard_intro: "How the company used Townhall over the last 7 days.",
    stat_people: "Active people",
    stat_channels: "Channels",
    stat_posts_week: "Posts",
    stat_comments_week: "Comments",
    stat_reactions_week: "Reactions",

    not_found_title: "Page not found",
    not_found_body: "The page you asked for does not exist or has moved.",
    back_to_feed: "Back to the feed",
    error_title: "Something went wrong",
    error_unavailable: "Townhall cannot reach its database right now. Please try again in a moment.",
    error_internal: "An unexpected error occurred. It has been logged; please try again.",
    error_network: "Your device could not reach Townhall. Check your connection and try again.",
    error_bad_request: "The request contained a value Townhall does not accept.",
    error_not_found: "That item does not exist or has been removed.",
    try_again: "Try again",

    offline_title: "You are offline",
    offline_body: "Townhall needs a network connection for this page. It will work again as soon as you are back online.",

    months_short: [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
};
