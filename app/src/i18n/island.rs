//! The only words the browser's code (the islands) carries, in both languages. Every
//! other text is rendered on the server, so the wasm does not grow with the interface:
//! the islands reach these through [`super::Lang::island_texts`], never through
//! [`super::Texts`] (which would compile every page's words, in both languages, into
//! the wasm). A refusal's sentence comes from the server with the refusal (see
//! `server/src/http/layers.rs`, `explain_refusals`). Pages reach these as `Texts::island`.

pub struct IslandTexts {
    /// The network failed: the one error the server cannot put into words.
    pub network: &'static str,
    /// A refusal that came without the server's words (from a proxy, say).
    pub refused: &'static str,
    /// A post or comment written offline, kept to be sent when the network returns.
    pub queued_offline: &'static str,
    /// Above the reason and the text of a kept write the server refused.
    pub kept_refused: &'static str,
    /// Before the channel's link, once a scheduled post was published now.
    pub published_scheduled: &'static str,
    /// The bar above a list that new posts arrived.
    pub new_posts: fn(i64) -> String,
    /// After an announcement's reminder was sent.
    pub renotified: fn(i64) -> String,
    /// The unread badge's label.
    pub unread_count: fn(i64) -> String,
}

pub static EN: IslandTexts = IslandTexts {
    network: "Your device could not reach Townhall. Check your connection and try again.",
    refused: "Townhall could not do that. Try again, or reload the page.",
    queued_offline: "Saved on this device: it goes out when you are back online.",
    kept_refused: "Something you wrote offline could not be sent. Here it is, to copy:",
    published_scheduled: "Published in",
    new_posts: |n| {
        if n == 1 {
            "1 new post — show".to_owned()
        } else {
            format!("{n} new posts — show")
        }
    },
    renotified: |n| {
        if n == 1 {
            "Reminded 1 person.".to_owned()
        } else {
            format!("Reminded {n} people.")
        }
    },
    unread_count: |n| format!("{n} unread"),
};

pub static VI: IslandTexts = IslandTexts {
    network: "Thiết bị của bạn không kết nối được với Townhall. Hãy kiểm tra mạng và thử lại.",
    refused: "Townhall không thực hiện được việc này. Hãy thử lại hoặc tải lại trang.",
    queued_offline: "Đã lưu trên thiết bị này: sẽ được gửi khi có mạng trở lại.",
    kept_refused:
        "Một nội dung bạn viết khi mất mạng không gửi được. Nội dung đó đây, để bạn sao chép:",
    published_scheduled: "Đã đăng trong",
    new_posts: |n| format!("{n} bài viết mới — xem ngay"),
    renotified: |n| format!("Đã nhắc {n} người."),
    unread_count: |n| format!("{n} chưa đọc"),
};
