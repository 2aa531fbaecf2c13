use super::Texts;

fn counted(n: i64, noun: &str) -> String {
    format!("{} {noun}", super::format_number(super::Lang::Vi, n))
}

pub static TEXTS: Texts = Texts {
    app_name: "Townhall",
    skip_to_content: "Chuyển đến nội dung",
    main_navigation: "Điều hướng chính",
    nav_feed: "Bảng tin",
    nav_channels: "Kênh",
    nav_people: "Mọi người",
    nav_dashboard: "Tổng quan",
    switch_language: "Ngôn ngữ",
    switch_theme: "Chuyển giữa giao diện sáng và tối",
    theme_dark: "Tối",
    theme_light: "Sáng",
    loading: "Đang tải…",

    feed_title: "Bảng tin công ty",
    feed_intro: "Cập nhật, thông báo và câu hỏi từ khắp công ty.",
    feed_empty: "Chưa có bài đăng nào.",
    pinned: "Đã ghim",
    older_posts: "Bài cũ hơn",
    newest_posts: "Về các bài mới nhất",
    edited: "đã sửa",
    kind_update: "Cập nhật",
    kind_announcement: "Thông báo",
    kind_question: "Câu hỏi",
    in_channel: "trong",
    comments: |n| counted(n, "bình luận"),
    show_comments: |n| format!("Xem {}", counted(n, "bình luận")),
    hide_comments: "Ẩn bình luận",
    reactions_label: "Cảm xúc",

    channels_title: "Kênh",
    channels_intro: "Mỗi loại trao đổi có một nơi riêng.",
    channel_public: "Công khai",
    channel_announcement: "Chỉ dành cho thông báo",
    members: |n| counted(n, "thành viên"),
    posts: |n| counted(n, "bài đăng"),
    default_channel: "Mọi người đều ở đây",

    people_title: "Mọi người",
    people_intro: |n| format!("{} trong công ty.", counted(n, "người")),
    no_department: "Chưa có phòng ban",

    dashboard_title: "Tổng quan",
    dashboard_intro: "Công ty đã dùng Townhall thế nào trong 7 ngày qua.",
    stat_people: "Người đang hoạt động",
    stat_channels: "Kênh",
    stat_posts_week: "Bài đăng",
    stat_comments_week: "Bình luận",
    stat_reactions_week: "Cảm xúc",

    not_found_title: "Không tìm thấy trang",
    not_found_body: "Trang bạn yêu cầu không tồn tại hoặc đã được chuyển đi.",
    back_to_feed: "Quay lại bảng tin",
    error_title: "Đã có lỗi xảy ra",
    error_unavailable:
        "Townhall hiện không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.",
    error_internal: "Đã xảy ra lỗi ngoài dự kiến. Lỗi đã được ghi lại; vui lòng thử lại.",
    error_network:
        "Thiết bị của bạn không kết nối được với Townhall. Hãy kiểm tra mạng và thử lại.",
    error_bad_request: "Yêu cầu chứa giá trị mà Townhall không chấp nhận.",
    error_not_found: "Mục này không tồn tại hoặc đã bị xoá.",
    try_again: "Thử lại",

    offline_title: "Bạn đang ngoại tuyến",
    offline_body: "Trang này cần kết nối mạng. Townhall sẽ hoạt động lại ngay khi bạn có mạng.",

    months_short: [
        "thg 1", "thg 2", "thg 3", "thg 4", "thg 5", "thg 6", "thg 7", "thg 8", "thg 9", "thg 10",
        "thg 11", "thg 12",
    ],
};
