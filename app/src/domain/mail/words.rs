//! The mails' words, in both languages (one struct, so a missing translation does not
//! compile). Server-only: they never ship to the browser.

use crate::i18n::Lang;

pub struct MailWords {
    pub hello: fn(&str) -> String,
    pub reset_subject: fn(&str) -> String,
    pub reset_body: fn(&str, &str) -> String,
    pub reset_button: &'static str,
    pub reset_not_you: &'static str,
    pub invitation_subject: fn(&str, &str) -> String,
    pub invitation_body: fn(&str, &str) -> String,
    pub invitation_button: &'static str,
    pub invitation_terms: fn(&str, i64) -> String,
    pub invitation_not_you: &'static str,
    pub digest_subject_week: fn(&str) -> String,
    pub digest_subject_day: fn(&str) -> String,
    pub must_reads: &'static str,
    pub mentions: &'static str,
    pub questions: &'static str,
    pub top: &'static str,
    pub read: &'static str,
    pub acknowledge: &'static str,
    pub in_channel: fn(&str, &str) -> String,
    pub why_week: &'static str,
    pub why_day: &'static str,
    pub change: &'static str,
    pub unsubscribe: &'static str,
}

static EN: MailWords = MailWords {
    hello: |name| format!("Hello {name},"),
    reset_subject: |company| format!("Set a new password for {company} on Townhall"),
    reset_body: |email, company| {
        format!("Someone asked to set a new password for {email} at {company}. This link works once, for 24 hours, and signs you out everywhere else when you use it:")
    },
    reset_button: "Set a new password",
    reset_not_you: "If it was not you, ignore this mail: your password stays as it is.",
    invitation_subject: |inviter, company| {
        format!("{inviter} invited you to {company} on Townhall")
    },
    invitation_body: |inviter, company| {
        format!("{inviter} invited you to join {company} on Townhall, where the company shares its news, questions and answers.")
    },
    invitation_button: "Accept the invitation",
    invitation_terms: |email, days| {
        format!(
            "The link works once, for {email}, for the next {days} day{}.",
            if days == 1 { "" } else { "s" }
        )
    },
    invitation_not_you:
        "Not expecting this? Ignore this mail: nothing happens unless you open the link.",
    digest_subject_week: |company| format!("Your week at {company}"),
    digest_subject_day: |company| format!("Your day at {company}"),
    must_reads: "Must-reads waiting for you",
    mentions: "You were mentioned",
    questions: "Questions you could answer",
    top: "Top posts in your channels",
    read: "Read",
    acknowledge: "Acknowledge",
    in_channel: |author, channel| format!("{author} in #{channel}"),
    why_week: "You get this digest every Monday at 08:00.",
    why_day: "You get this digest every day at 08:00.",
    change: "Change how often",
    unsubscribe: "Stop the digest",
};

static VI: MailWords = MailWords {
    hello: |name| format!("Chào {name},"),
    reset_subject: |company| format!("Đặt mật khẩu mới cho {company} trên Townhall"),
    reset_body: |email, company| {
        format!("Có người đã yêu cầu đặt mật khẩu mới cho {email} tại {company}. Liên kết này dùng được một lần trong 24 giờ, và khi dùng sẽ đăng xuất bạn ở mọi nơi khác:")
    },
    reset_button: "Đặt mật khẩu mới",
    reset_not_you: "Nếu không phải bạn, hãy bỏ qua e-mail này: mật khẩu của bạn vẫn giữ nguyên.",
    invitation_subject: |inviter, company| {
        format!("{inviter} mời bạn tham gia {company} trên Townhall")
    },
    invitation_body: |inviter, company| {
        format!("{inviter} mời bạn tham gia {company} trên Townhall, nơi công ty chia sẻ tin tức, câu hỏi và câu trả lời.")
    },
    invitation_button: "Nhận lời mời",
    invitation_terms: |email, days| {
        format!("Liên kết dùng được một lần, cho {email}, trong {days} ngày tới.")
    },
    invitation_not_you:
        "Không chờ e-mail này? Hãy bỏ qua: không có gì xảy ra nếu bạn không mở liên kết.",
    digest_subject_week: |company| format!("Tuần qua ở {company}"),
    digest_subject_day: |company| format!("Hôm qua ở {company}"),
    must_reads: "Thông báo cần đọc đang chờ bạn",
    mentions: "Bạn được nhắc đến",
    questions: "Câu hỏi bạn có thể trả lời",
    top: "Bài nổi bật trong các kênh của bạn",
    read: "Đọc",
    acknowledge: "Xác nhận đã đọc",
    in_channel: |author, channel| format!("{author} trong #{channel}"),
    why_week: "Bạn nhận bản tin này vào 08:00 mỗi thứ Hai.",
    why_day: "Bạn nhận bản tin này vào 08:00 mỗi ngày.",
    change: "Đổi tần suất",
    unsubscribe: "Ngừng nhận bản tin",
};

pub fn of(lang: Lang) -> &'static MailWords {
    match lang {
        Lang::En => &EN,
        Lang::Vi => &VI,
    }
}
