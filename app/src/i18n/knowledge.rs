//! Knowledge pages' words, in both languages (one struct, so a missing translation does
//! not compile; reached as `Texts::knowledge`), with the page templates.

pub struct KnowledgeTexts {
    pub nav: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub new_page: &'static str,
    pub company_space: &'static str,
    pub channel_space: fn(&str) -> String,
    pub department_space: fn(&str) -> String,
    pub empty: &'static str,
    pub reviews_title: &'static str,
    pub reviews_empty: &'static str,
    pub state_verified: &'static str,
    pub state_due: &'static str,
    pub state_stale: &'static str,
    /// Who verified, and the date.
    pub verified_by: fn(&str, &str) -> String,
    /// The next review's date.
    pub next_review: fn(&str) -> String,
    /// The date it fell due.
    pub due_warning: fn(&str) -> String,
    /// The date it fell due, and the owner's name.
    pub stale_warning: fn(&str, &str) -> String,
    pub owner: &'static str,
    /// Days between reviews.
    pub review_every: fn(i64) -> String,
    /// Version number, editor's name, date.
    pub version_line: fn(i64, &str, &str) -> String,
    pub still_true: &'static str,
    pub edit: &'static str,
    pub history: &'static str,
    pub children: &'static str,
    pub linked_from: &'static str,
    pub breadcrumbs: &'static str,
    pub new_title: &'static str,
    pub edit_title: &'static str,
    pub templates: &'static str,
    pub blank: &'static str,
    pub template_policy: &'static str,
    pub template_how_to: &'static str,
    pub template_process: &'static str,
    pub template_onboarding: &'static str,
    pub top_of_space: &'static str,
    pub create: &'static str,
    pub save: &'static str,
    pub markdown_hint: &'static str,
    pub history_title: fn(&str) -> String,
    pub history_intro: &'static str,
    /// The version it restored.
    pub restored_from: fn(i64) -> String,
    pub first_version: &'static str,
    pub current: &'static str,
    pub restore: &'static str,
    pub back_to_page: &'static str,
    pub no_spaces: &'static str,
    pub verified_done: &'static str,
    pub no_change: &'static str,
    // Handing a page over, deleting it
    pub hand_over_heading: &'static str,
    pub hand_over_hint: &'static str,
    pub hand_over: &'static str,
    pub handed_over: &'static str,
    pub delete_heading: &'static str,
    pub delete_hint: &'static str,
    pub delete: &'static str,
    pub deleted: &'static str,
    // Form fields and refusals
    pub field_title: &'static str,
    pub field_body: &'static str,
    pub field_review_days: &'static str,
    pub field_space: &'static str,
    pub field_parent: &'static str,
    /// Field, lowest, highest.
    pub error_out_of_range: fn(&str, i64, i64) -> String,
    pub error_page_loop: &'static str,
    /// Templates: (title, body) for policy, how-to, process, onboarding.
    pub template_texts: [(&'static str, &'static str); 4],
}

pub static EN: KnowledgeTexts = KnowledgeTexts {
    nav: "Knowledge",
    title: "Knowledge",
    intro: "Pages the company keeps true: each has an owner who reviews it on a schedule.",
    new_page: "New page",
    company_space: "Company-wide",
    channel_space: |name| format!("#{name}"),
    department_space: |name| format!("Department: {name}"),
    empty: "No pages here yet.",
    reviews_title: "Your pages to review",
    reviews_empty: "Nothing to review: all your pages are verified.",
    state_verified: "Verified",
    state_due: "Due for review",
    state_stale: "Stale",
    verified_by: |who, date| format!("Verified by {who} on {date}"),
    next_review: |date| format!("Next review by {date}"),
    due_warning: |date| {
        format!("Due for review since {date}: this page may no longer be accurate.")
    },
    stale_warning: |date, owner| {
        format!(
            "Stale: this page has not been reviewed since it fell due on {date}. \
             Check with its owner, {owner}, before relying on it."
        )
    },
    owner: "Owner",
    review_every: |days| format!("Reviewed every {days} days"),
    version_line: |version, who, date| format!("Version {version}, by {who} on {date}"),
    still_true: "Still true",
    edit: "Edit",
    history: "History",
    children: "Pages below",
    linked_from: "Linked from",
    breadcrumbs: "Where this page is",
    new_title: "New page",
    edit_title: "Edit page",
    templates: "Start from a template:",
    blank: "Blank page",
    template_policy: "Policy",
    template_how_to: "How-to",
    template_process: "Process",
    template_onboarding: "Onboarding",
    top_of_space: "(top of its space)",
    create: "Create page",
    save: "Save",
    markdown_hint: "Markdown. Link to another page with [its title](/pages/12).",
    history_title: |title| format!("History of “{title}”"),
    history_intro: "Every saved version, newest first, with what changed from the one before. Restoring makes a new version: nothing is lost.",
    restored_from: |version| format!("restored from version {version}"),
    first_version: "First version",
    current: "Current version",
    restore: "Restore this version",
    back_to_page: "Back to the page",
    no_spaces: "You may not start pages anywhere. Ask a channel admin or your department.",
    verified_done: "Verified: thank you for keeping it true.",
    no_change: "No change to the title or text.",
    hand_over_heading: "Owner",
    hand_over_hint: "The owner keeps this page true and is reminded when it is due for review. The new owner is told.",
    hand_over: "Hand over",
    handed_over: "The page has a new owner, who has been told.",
    delete_heading: "Delete this page",
    delete_hint: "Nobody will be able to open or find it any more. The pages under it move up one level.",
    delete: "Delete page",
    deleted: "The page was deleted.",
    field_title: "Title",
    field_body: "Text",
    field_review_days: "Review every (days)",
    field_space: "Space",
    field_parent: "Under page",
    error_out_of_range: |field, min, max| format!("{field} must be between {min} and {max}."),
    error_page_loop: "A page cannot go under itself or under one of its own sub-pages.",
    template_texts: [
        (
            "Policy: ",
            "## Purpose\n\nWhy this policy exists and what it protects.\n\n\
             ## Who it applies to\n\nEveryone at the company / these teams.\n\n\
             ## The policy\n\n1. …\n2. …\n\n\
             ## Exceptions\n\nWho may grant one, and how to ask.\n\n\
             ## Contact\n\nWho answers questions about it.\n",
        ),
        (
            "How to ",
            "## Before you start\n\nWhat you need: access, tools, documents.\n\n\
             ## Steps\n\n1. …\n2. …\n3. …\n\n\
             ## Check that it worked\n\nWhat you should see.\n\n\
             ## If something goes wrong\n\nCommon problems and who can help.\n",
        ),
        (
            "Process: ",
            "## When to use it\n\nWhat starts this process.\n\n\
             ## Roles\n\n- **Requester**: …\n- **Approver**: …\n\n\
             ## Steps\n\n1. …\n2. …\n\n\
             ## Deadlines\n\nHow long each step may take.\n\n\
             ## Records\n\nWhat is kept, where, and for how long.\n",
        ),
        (
            "Onboarding: ",
            "## Welcome\n\nA few words for the newcomer.\n\n\
             ## First day\n\n- [ ] Laptop and accounts\n- [ ] Meet your manager and buddy\n\n\
             ## First week\n\n- [ ] Read the company-wide policies\n- [ ] Join your team's channels\n\n\
             ## First month\n\n- [ ] A first task of your own\n\n\
             ## Who to ask\n\nYour buddy, your manager, and HR.\n",
        ),
    ],
};

pub static VI: KnowledgeTexts = KnowledgeTexts {
    nav: "Kiến thức",
    title: "Kiến thức",
    intro: "Những trang công ty luôn giữ cho đúng: mỗi trang có một người phụ trách rà soát định kỳ.",
    new_page: "Trang mới",
    company_space: "Toàn công ty",
    channel_space: |name| format!("#{name}"),
    department_space: |name| format!("Phòng ban: {name}"),
    empty: "Chưa có trang nào ở đây.",
    reviews_title: "Trang bạn cần rà soát",
    reviews_empty: "Không có gì cần rà soát: mọi trang của bạn đều đã được xác nhận.",
    state_verified: "Đã xác nhận",
    state_due: "Đến hạn rà soát",
    state_stale: "Đã cũ",
    verified_by: |who, date| format!("{who} đã xác nhận ngày {date}"),
    next_review: |date| format!("Rà soát tiếp theo trước ngày {date}"),
    due_warning: |date| {
        format!("Đến hạn rà soát từ ngày {date}: nội dung trang này có thể không còn chính xác.")
    },
    stale_warning: |date, owner| {
        format!(
            "Đã cũ: trang này chưa được rà soát từ khi đến hạn ngày {date}. \
             Hãy hỏi người phụ trách, {owner}, trước khi dựa vào nó."
        )
    },
    owner: "Người phụ trách",
    review_every: |days| format!("Rà soát mỗi {days} ngày"),
    version_line: |version, who, date| format!("Phiên bản {version}, bởi {who} ngày {date}"),
    still_true: "Vẫn đúng",
    edit: "Sửa",
    history: "Lịch sử",
    children: "Trang con",
    linked_from: "Được liên kết từ",
    breadcrumbs: "Vị trí của trang",
    new_title: "Trang mới",
    edit_title: "Sửa trang",
    templates: "Bắt đầu từ một mẫu:",
    blank: "Trang trống",
    template_policy: "Chính sách",
    template_how_to: "Hướng dẫn",
    template_process: "Quy trình",
    template_onboarding: "Hội nhập",
    top_of_space: "(cấp cao nhất của không gian)",
    create: "Tạo trang",
    save: "Lưu",
    markdown_hint: "Markdown. Liên kết tới trang khác bằng [tiêu đề](/pages/12).",
    history_title: |title| format!("Lịch sử của “{title}”"),
    history_intro: "Mọi phiên bản đã lưu, mới nhất trước, kèm những gì thay đổi so với bản trước. Khôi phục tạo một phiên bản mới: không mất gì cả.",
    restored_from: |version| format!("khôi phục từ phiên bản {version}"),
    first_version: "Phiên bản đầu tiên",
    current: "Phiên bản hiện tại",
    restore: "Khôi phục phiên bản này",
    back_to_page: "Quay lại trang",
    no_spaces: "Bạn chưa thể tạo trang ở đâu cả. Hãy nhờ quản trị kênh hoặc phòng ban của bạn.",
    verified_done: "Đã xác nhận: cảm ơn bạn đã giữ trang luôn đúng.",
    no_change: "Tiêu đề và nội dung không thay đổi.",
    hand_over_heading: "Người phụ trách",
    hand_over_hint: "Người phụ trách giữ cho trang luôn đúng và được nhắc khi đến hạn rà soát. Người mới sẽ được thông báo.",
    hand_over: "Chuyển giao",
    handed_over: "Trang đã có người phụ trách mới và họ đã được thông báo.",
    delete_heading: "Xoá trang này",
    delete_hint: "Sẽ không ai mở hay tìm thấy trang này nữa. Các trang con được chuyển lên một cấp.",
    delete: "Xoá trang",
    deleted: "Trang đã được xoá.",
    field_title: "Tiêu đề",
    field_body: "Nội dung",
    field_review_days: "Rà soát mỗi (ngày)",
    field_space: "Không gian",
    field_parent: "Nằm dưới trang",
    error_out_of_range: |field, min, max| format!("{field} phải từ {min} đến {max}."),
    error_page_loop: "Một trang không thể nằm dưới chính nó hoặc dưới một trang con của nó.",
    template_texts: [
        (
            "Chính sách: ",
            "## Mục đích\n\nVì sao có chính sách này và nó bảo vệ điều gì.\n\n\
             ## Phạm vi áp dụng\n\nToàn công ty / các nhóm sau.\n\n\
             ## Nội dung chính sách\n\n1. …\n2. …\n\n\
             ## Ngoại lệ\n\nAi được phép duyệt ngoại lệ, và cách đề nghị.\n\n\
             ## Liên hệ\n\nAi giải đáp thắc mắc về chính sách này.\n",
        ),
        (
            "Hướng dẫn: ",
            "## Chuẩn bị\n\nNhững gì bạn cần: quyền truy cập, công cụ, tài liệu.\n\n\
             ## Các bước\n\n1. …\n2. …\n3. …\n\n\
             ## Kiểm tra kết quả\n\nBạn sẽ thấy gì khi làm đúng.\n\n\
             ## Khi gặp sự cố\n\nLỗi thường gặp và ai có thể giúp.\n",
        ),
        (
            "Quy trình: ",
            "## Khi nào áp dụng\n\nĐiều gì khởi động quy trình này.\n\n\
             ## Vai trò\n\n- **Người đề nghị**: …\n- **Người duyệt**: …\n\n\
             ## Các bước\n\n1. …\n2. …\n\n\
             ## Thời hạn\n\nMỗi bước được phép mất bao lâu.\n\n\
             ## Hồ sơ lưu trữ\n\nLưu gì, ở đâu, và trong bao lâu.\n",
        ),
        (
            "Hội nhập: ",
            "## Chào mừng\n\nVài lời gửi đến thành viên mới.\n\n\
             ## Ngày đầu tiên\n\n- [ ] Máy tính và tài khoản\n- [ ] Gặp quản lý và người hướng dẫn\n\n\
             ## Tuần đầu tiên\n\n- [ ] Đọc các chính sách chung của công ty\n- [ ] Tham gia các kênh của nhóm\n\n\
             ## Tháng đầu tiên\n\n- [ ] Một nhiệm vụ đầu tiên của riêng bạn\n\n\
             ## Hỏi ai\n\nNgười hướng dẫn, quản lý của bạn và phòng Nhân sự.\n",
        ),
    ],
};
