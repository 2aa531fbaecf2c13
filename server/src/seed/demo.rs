//! `townhall seed --demo`: a living demo company. Sao Mai Software has 60 people in
//! 6 departments, eight channels and a week of posts, comments and reactions, timed
//! relative to now so the first look is always a busy, recent feed, and thirty days of
//! adoption activity for the dashboard. The same seed always gives the same company.

use app::model::journeys::{JourneyId, StepId};
use app::model::{ChannelId, ChannelKind, PageId, PersonId, PostKind, Role};
use app::store::{
    now_ms, NewChannel, NewComment, NewNotification, NewPost, NewUser, ProfileUpdate, RoutedExpert,
    Store, StoreError, Tx,
};

pub const COMPANY: &str = "Sao Mai Software";
pub(super) const TIME_ZONE: &str = "Asia/Ho_Chi_Minh";
pub(super) const UTC_OFFSET_MS: i64 = 7 * HOUR;
pub(super) const HOUR: i64 = 60 * 60 * 1000;
pub(super) const DAY: i64 = 24 * HOUR;
const RNG_SEED: u64 = 20_261_126;
pub(super) const EMOJI: [&str; 7] = ["👍", "❤️", "🎉", "😂", "😮", "🙏", "✅"];
/// Every demo account signs in with this password (README, "Demo company").
pub const DEMO_PASSWORD: &str = "townhall-demo";
/// The owner's address, for the first sign-in.
pub const OWNER_EMAIL: &str = "tran.minh.quan@saomai.example";

/// `SeedError`: why seeding stopped. The demo company stores nothing when it does; a
/// benchmark company (`super::company`) may be left half-loaded.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot hash the password")]
    Hash,
    #[error("{0}")]
    Shape(&'static str),
}

pub enum Outcome {
    Seeded(String),
    AlreadyHasData,
}

struct Department {
    name: &'static str,
    /// Named, not drawn at random, so the documentation and tests can refer to them.
    head: &'static str,
    size: usize,
    head_title: &'static str,
    titles: &'static [&'static str],
    location: &'static str,
    /// "Ask me about" topics; each person gets two of them.
    expertise: &'static [&'static str],
    /// What the head is responsible for, shown on their profile.
    responsibilities: &'static [&'static str],
}

const DEPARTMENTS: [Department; 6] = [
    Department {
        name: "Ban điều hành",
        head: "Trần Minh Quân",
        size: 4,
        head_title: "Tổng giám đốc (CEO)",
        titles: &[
            "Giám đốc vận hành (COO)",
            "Giám đốc công nghệ (CTO)",
            "Trợ lý điều hành",
        ],
        location: "Hà Nội",
        expertise: &["Chiến lược", "OKR", "Gọi vốn", "Quan hệ đối tác"],
        responsibilities: &[
            "Chiến lược và OKR của công ty",
            "Phê duyệt ngân sách trên 50 triệu",
        ],
    },
    Department {
        name: "Kinh doanh",
        head: "Lê Hoàng Nam",
        size: 14,
        head_title: "Trưởng phòng Kinh doanh",
        titles: &[
            "Chuyên viên kinh doanh",
            "Account Manager",
            "Sales Executive",
        ],
        location: "TP. Hồ Chí Minh",
        expertise: &[
            "Đàm phán hợp đồng",
            "CRM",
            "Báo giá",
            "Khách hàng doanh nghiệp",
            "Đấu thầu",
        ],
        responsibilities: &["Báo giá và hợp đồng khách hàng", "Chỉ tiêu doanh số quý"],
    },
    Department {
        name: "Kỹ thuật",
        head: "Phạm Đức Anh",
        size: 18,
        head_title: "Engineering Manager",
        titles: &[
            "Kỹ sư phần mềm",
            "Senior Backend Engineer",
            "Frontend Engineer",
            "QA Engineer",
            "DevOps Engineer",
        ],
        location: "Hà Nội",
        expertise: &[
            "Rust",
            "Kubernetes",
            "PostgreSQL",
            "React",
            "CI/CD",
            "Bảo mật",
        ],
        responsibilities: &[
            "Tuyển dụng kỹ sư",
            "Lịch phát hành sản phẩm",
            "Sự cố hệ thống ngoài giờ",
        ],
    },
    Department {
        name: "Marketing",
        head: "Nguyễn Thu Trang",
        size: 8,
        head_title: "Trưởng phòng Marketing",
        titles: &[
            "Content Marketing",
            "Chuyên viên truyền thông",
            "Performance Marketing",
        ],
        location: "TP. Hồ Chí Minh",
        expertise: &["SEO", "Facebook Ads", "Sự kiện", "Thương hiệu", "Nội dung"],
        responsibilities: &["Ngân sách quảng cáo", "Logo và bộ nhận diện thương hiệu"],
    },
    Department {
        name: "Chăm sóc khách hàng",
        head: "Võ Thanh Tâm",
        size: 9,
        head_title: "Customer Success Lead",
        titles: &[
            "Chuyên viên CSKH",
            "Customer Success Manager",
            "Support Engineer",
        ],
        location: "Đà Nẵng",
        expertise: &["Zendesk", "Đào tạo khách hàng", "Xử lý khiếu nại", "SLA"],
        responsibilities: &["Khiếu nại của khách hàng", "Báo cáo hài lòng khách hàng"],
    },
    Department {
        name: "Nhân sự & Tài chính",
        head: "Đặng Thị Hương",
        size: 7,
        head_title: "Trưởng phòng Nhân sự",
        titles: &["Chuyên viên tuyển dụng", "Kế toán", "HR Business Partner"],
        location: "Hà Nội",
        expertise: &[
            "Bảo hiểm xã hội",
            "Hóa đơn VAT",
            "Bảng lương",
            "Tuyển dụng",
            "Thuế TNCN",
        ],
        responsibilities: &[
            "Bảng lương hằng tháng",
            "Nghỉ phép và chế độ",
            "Hoàn ứng công tác phí",
        ],
    },
];

pub(super) const FAMILY: [&str; 12] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
];
pub(super) const MIDDLE: [&str; 8] = ["Văn", "Thị", "Minh", "Thu", "Quốc", "Ngọc", "Đức", "Thanh"];
pub(super) const GIVEN: [&str; 24] = [
    "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương",
    "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Phong", "Phương", "Quân", "Tâm", "Trang",
    "Tuấn",
];
/// Colleagues from abroad, so the demo shows both languages in use.
const FOREIGN: [&str; 6] = [
    "Sarah Johnson",
    "David Miller",
    "Emily Chen",
    "Tom Becker",
    "Priya Nair",
    "Lucas Martin",
];

struct ChannelSpec {
    slug: &'static str,
    name: &'static str,
    description: &'static str,
    guidelines: &'static str,
    kind: ChannelKind,
    /// Departments (by index) whose people join; `None` means everyone.
    departments: Option<&'static [usize]>,
}

const CHANNELS: [ChannelSpec; 8] = [
    ChannelSpec {
        slug: "general",
        name: "toan-cong-ty",
        description: "Kênh chung của cả công ty — company-wide news and conversation.",
        guidelines: "Tin chung cho mọi người. Việc của từng nhóm xin đăng ở kênh của nhóm.",
        kind: ChannelKind::Public,
        departments: None,
    },
    ChannelSpec {
        slug: "announcements",
        name: "thong-bao",
        description: "Thông báo chính thức từ Ban điều hành và Nhân sự.",
        guidelines: "Chỉ quản trị kênh đăng bài; mọi người có thể bình luận và thả cảm xúc.",
        kind: ChannelKind::Announcement,
        departments: None,
    },
    ChannelSpec {
        slug: "sales-wins",
        name: "chot-don",
        description: "Hợp đồng mới, khách hàng mới — cùng nhau ăn mừng!",
        guidelines: "Mỗi hợp đồng một bài: khách hàng, giá trị, ai đã góp sức.",
        kind: ChannelKind::Public,
        departments: Some(&[0, 1, 3, 4]),
    },
    ChannelSpec {
        slug: "engineering",
        name: "ky-thuat",
        description: "Release notes, sự cố, kiến trúc và chia sẻ kỹ thuật.",
        guidelines: "Sự cố đang diễn ra: ghi rõ ảnh hưởng và người phụ trách.",
        kind: ChannelKind::Public,
        departments: Some(&[0, 2]),
    },
    ChannelSpec {
        slug: "it-help",
        name: "hoi-dap-it",
        description: "Hỏi gì về máy tính, VPN, tài khoản — có người trả lời.",
        guidelines: "Đăng dưới dạng câu hỏi; đánh dấu câu trả lời đúng khi đã xong.",
        kind: ChannelKind::Public,
        departments: None,
    },
    ChannelSpec {
        slug: "marketing",
        name: "marketing",
        description: "Chiến dịch, nội dung và số liệu marketing.",
        guidelines: "Chia sẻ bản nháp sớm để mọi người góp ý.",
        kind: ChannelKind::Public,
        departments: Some(&[0, 1, 3]),
    },
    ChannelSpec {
        slug: "coffee",
        name: "ca-phe",
        description: "Chuyện ngoài lề, ảnh team, sinh nhật và cuối tuần.",
        guidelines: "Vui vẻ, tôn trọng, không bàn việc.",
        kind: ChannelKind::Public,
        departments: None,
    },
    ChannelSpec {
        slug: "leadership",
        name: "ban-dieu-hanh",
        description: "Trao đổi nội bộ Ban điều hành.",
        guidelines: "Riêng tư: chỉ thành viên Ban điều hành.",
        kind: ChannelKind::Private,
        departments: Some(&[0]),
    },
];

/// The week's posts: (channel slug, author's department, kind, body).
const POSTS: &[(&str, usize, PostKind, &str)] = &[
    ("general", 0, PostKind::Update, "Chào buổi sáng cả nhà! Tuần này chúng ta chính thức chuyển sang dùng Townhall cho mọi thông tin chung. Email nội bộ sẽ chỉ dành cho việc với khách hàng."),
    ("sales-wins", 1, PostKind::Update, "Chốt hợp đồng 12 tháng với chuỗi nhà thuốc Phúc Khang 🎉 Cảm ơn team CSKH đã demo rất thuyết phục và team Kỹ thuật đã hỗ trợ tích hợp thử nghiệm trong 2 ngày."),
    ("engineering", 2, PostKind::Update, "Release 4.12 đã lên production lúc 22:00 tối qua: báo cáo tồn kho nhanh hơn 3 lần, sửa lỗi xuất hoá đơn điện tử. Không có sự cố nào được ghi nhận."),
    ("it-help", 1, PostKind::Question, "VPN trên MacBook mới của mình cứ báo lỗi chứng chỉ, có ai gặp chưa ạ?"),
    ("coffee", 3, PostKind::Update, "Chiều thứ Sáu này team Marketing mời cả văn phòng HCM trà sữa nhé, mừng chiến dịch Tết đạt 140% KPI 🧋"),
    ("marketing", 3, PostKind::Update, "Bản nháp landing page cho sản phẩm POS mới đã có, mọi người góp ý giúp trước thứ Năm nhé. Đặc biệt cần góp ý của team Sales về phần bảng giá."),
    ("general", 5, PostKind::Update, "Nhắc nhở: hạn nộp bảng chấm công tháng này là thứ Sáu. Ai cần hỗ trợ cứ nhắn phòng Nhân sự."),
    ("engineering", 2, PostKind::Question, "Mọi người đang dùng gì để test tải cho API thanh toán? Mình định thử k6 nhưng muốn nghe kinh nghiệm thực tế."),
    ("sales-wins", 1, PostKind::Update, "Signed: Saigon Fresh Market renewed for two more years and added 8 new stores. Huge thanks to the onboarding team!"),
    ("it-help", 4, PostKind::Question, "Làm sao để đổi mật khẩu email công ty trên điện thoại ạ?"),
    ("coffee", 2, PostKind::Update, "Ai đi đá bóng tối thứ Tư không? Sân Mỹ Đình, 19:30, đang thiếu 3 người ⚽"),
    ("general", 0, PostKind::Update, "Kết quả quý III: doanh thu tăng 28% so với cùng kỳ, khách hàng mới tăng 35%. Cảm ơn tất cả mọi người — chi tiết sẽ có trong buổi họp toàn công ty thứ Sáu."),
    ("engineering", 2, PostKind::Update, "Post-mortem sự cố chậm đồng bộ đơn hàng sáng thứ Ba: nguyên nhân là index bị thiếu sau migration. Đã bổ sung kiểm tra EXPLAIN vào CI để không lặp lại."),
    ("marketing", 3, PostKind::Update, "Webinar \"Chuyển đổi số cho nhà thuốc\" có 412 người đăng ký, 63% tham dự. Bản ghi đã có trên kênh YouTube của công ty."),
    ("sales-wins", 4, PostKind::Update, "Khách hàng Minh Long Retail vừa gửi thư cảm ơn team CSKH vì hỗ trợ xuyên đêm mùa sale 11.11 🙏"),
    ("it-help", 3, PostKind::Question, "Máy in tầng 5 văn phòng HCM báo kẹt giấy liên tục, có cần báo ai không ạ?"),
    ("coffee", 5, PostKind::Update, "Chúc mừng sinh nhật các bạn sinh tháng 11! Bánh kem ở pantry tầng 3 lúc 15:00 chiều nay 🎂"),
    ("general", 2, PostKind::Update, "Welcome to our new colleagues joining Engineering this week — say hi when you see them in the Hanoi office!"),
    ("engineering", 2, PostKind::Update, "Chia sẻ: slide buổi tech talk về tối ưu truy vấn PostgreSQL đã được đưa lên wiki nội bộ."),
    ("marketing", 1, PostKind::Question, "Team Marketing có sẵn case study nào về ngành F&B không? Khách hàng tuần sau muốn xem."),
    ("it-help", 2, PostKind::Update, "Tối thứ Bảy 23:00–01:00 sẽ bảo trì hệ thống email, mọi người lưu ý nhé."),
    ("sales-wins", 1, PostKind::Update, "Tháng này team Kinh doanh miền Trung lần đầu vượt chỉ tiêu 120% 💪"),
    ("coffee", 4, PostKind::Update, "Góc khoe: ảnh team Đà Nẵng leo Bà Nà cuối tuần vừa rồi, nắng đẹp lắm mọi người ạ."),
    ("general", 5, PostKind::Update, "Chương trình giới thiệu ứng viên đã mở lại: thưởng 10 triệu cho mỗi vị trí kỹ sư được tuyển thành công qua giới thiệu."),
    ("engineering", 2, PostKind::Question, "Có ai có kinh nghiệm migrate từ Redis Sentinel sang Redis Cluster chưa? Xin ít lời khuyên."),
    ("marketing", 3, PostKind::Update, "Số liệu tuần: lượt truy cập website +18%, tỉ lệ chuyển đổi demo 4,2%. Kênh hiệu quả nhất vẫn là Zalo OA."),
    ("it-help", 5, PostKind::Question, "Phần mềm kế toán báo hết hạn license trên máy mình, ai phụ trách gia hạn ạ?"),
    ("sales-wins", 1, PostKind::Update, "New logo: Hanoi Book Corner chose our POS for all 5 stores after a two-week pilot."),
    ("general", 0, PostKind::Update, "Lịch nghỉ Tết Nguyên đán đã được chốt: nghỉ từ 26 tháng Chạp đến hết mùng 6. Chi tiết trong kênh Thông báo."),
    ("coffee", 1, PostKind::Update, "Quán cơm mới ở ngõ 12 ngon và rẻ, trưa nay ai đi cùng không?"),
    ("engineering", 2, PostKind::Update, "Đã bật cảnh báo tự động khi thời gian phản hồi API vượt 300ms, thông báo sẽ về kênh này."),
    ("leadership", 0, PostKind::Update, "Dự thảo kế hoạch ngân sách năm sau đã có trong thư mục chung, mọi người xem trước buổi họp thứ Hai."),
];

pub(super) const COMMENTS: [&str; 24] = [
    "Tuyệt vời quá! 👏",
    "Cảm ơn anh/chị đã chia sẻ.",
    "Congrats team!",
    "Mình tham gia với nhé.",
    "Đã ghi nhận, cảm ơn bạn.",
    "Mình gặp lỗi này rồi, thử cài lại chứng chỉ trong Keychain là được.",
    "Great work, everyone!",
    "Cho mình xin thêm chi tiết được không?",
    "Hay quá, mình sẽ áp dụng cho dự án tới.",
    "+1, rất cần cái này.",
    "Team mình hỗ trợ được, nhắn riêng mình nhé.",
    "Đã xử lý xong, bạn thử lại giúp mình.",
    "Số liệu ấn tượng thật!",
    "Thanks for the heads-up.",
    "Mình đăng ký một suất!",
    "Chúc mừng chúc mừng 🎉",
    "Bạn liên hệ anh Hùng bên IT nhé.",
    "Có bản ghi hình không ạ?",
    "Quá đỉnh 💪",
    "Ghi chú lại để làm tài liệu cho người mới nhé.",
    "Mình sẽ cập nhật trong hôm nay.",
    "Looking forward to it.",
    "Cảm ơn cả team đã cố gắng!",
    "Nhất trí với ý kiến trên.",
];

/// Fills the database with the demo company, unless it already holds one.
pub async fn seed(store: &Store) -> Result<Outcome, SeedError> {
    if store.company().await?.is_some() {
        return Ok(Outcome::AlreadyHasData);
    }
    let mut rng = fastrand::Rng::with_seed(RNG_SEED);
    let now = now_ms();
    // One hash for everyone: hashing sixty passwords would take seconds for nothing.
    let password_hash = app::domain::accounts::password::hash(DEMO_PASSWORD.to_owned())
        .await
        .map_err(|_| SeedError::Hash)?;
    let mut tx = store.begin().await?;
    tx.create_company(COMPANY, TIME_ZONE).await?;
    let people = create_people(&mut tx, &mut rng, now).await?;
    for person in &people {
        tx.set_password_hash(person.id, &password_hash).await?;
    }
    let channels = create_channels(&mut tx, &people).await?;
    let mut counts = create_posts(&mut tx, &mut rng, &people, &channels, now).await?;
    let questions = create_questions(&mut tx, &people, &channels, now).await?;
    counts.0 += questions.0;
    counts.1 += questions.1;
    create_activity(&mut tx, &mut rng, &people, &channels, now).await?;
    // Knowledge pages in HR and Engineering, each owned by the department's head.
    let head = |d: usize| {
        let p = people.iter().find(|p| p.department == d).expect("a head");
        (p.department_id, p.id)
    };
    let pages = super::knowledge::demo(&mut tx, head(5), head(2), now).await?;
    let newcomer = create_journey(&mut tx, &people, &channels, &pages, now).await?;
    tx.commit().await?;
    tick_first_steps(store, newcomer, now).await?;
    store.refresh_statistics().await?;
    Ok(Outcome::Seeded(format!(
        "{} people in {} departments, {} channels, {} posts, {} comments, {} reactions, {} pages",
        people.len(),
        DEPARTMENTS.len(),
        channels.len(),
        counts.0,
        counts.1,
        counts.2,
        pages.len()
    )))
}

struct Person {
    id: PersonId,
    department: usize,
    department_id: app::model::DepartmentId,
}

async fn create_people(
    tx: &mut Tx,
    rng: &mut fastrand::Rng,
    now: i64,
) -> Result<Vec<Person>, StoreError> {
    let mut people = Vec::new();
    let mut ceo = None;
    let mut foreign = FOREIGN.iter();
    let mut used_names: std::collections::HashSet<String> =
        DEPARTMENTS.iter().map(|d| d.head.to_owned()).collect();
    for (dept_index, dept) in DEPARTMENTS.iter().enumerate() {
        let dept_id = tx.create_department(dept.name).await?;
        let mut head = None;
        for i in 0..dept.size {
            // Every seventh colleague comes from abroad, while the list lasts.
            let foreign_turn = i > 0 && people.len() % 7 == 6;
            let name = match (i == 0)
                .then_some(dept.head)
                .or_else(|| foreign_turn.then(|| foreign.next()).flatten().copied())
            {
                Some(name) => name.to_owned(),
                None => loop {
                    let candidate = format!(
                        "{} {} {}",
                        FAMILY[rng.usize(..FAMILY.len())],
                        MIDDLE[rng.usize(..MIDDLE.len())],
                        GIVEN[rng.usize(..GIVEN.len())]
                    );
                    if used_names.insert(candidate.clone()) {
                        break candidate;
                    }
                },
            };
            let title = if i == 0 {
                dept.head_title
            } else {
                dept.titles[rng.usize(..dept.titles.len())]
            };
            let role = match (dept_index, i) {
                (0, 0) => Role::Owner,
                (0, _) | (5, 0) => Role::Admin,
                _ => Role::Member,
            };
            let email = format!(
                "{}@saomai.example",
                app::folding::fold(&name).replace([' ', '\''], ".")
            );
            let start = 2015 + rng.i64(0..11);
            let start_date = format!("{start}-{:02}-{:02}", rng.u8(1..=12), rng.u8(1..=28));
            let id = tx
                .create_user(&NewUser {
                    email: &email,
                    display_name: &name,
                    job_title: title,
                    department_id: Some(dept_id),
                    manager_id: if i == 0 { ceo } else { head },
                    role,
                    location: dept.location,
                    start_date: Some(&start_date),
                    created_at: now - 30 * DAY,
                })
                .await?;
            let topics = {
                let first = rng.usize(..dept.expertise.len());
                let second =
                    (first + 1 + rng.usize(..dept.expertise.len() - 1)) % dept.expertise.len();
                format!("{}\n{}", dept.expertise[first], dept.expertise[second])
            };
            let responsibilities = if i == 0 {
                dept.responsibilities.join("\n")
            } else {
                String::new()
            };
            // About half share a birthday; the rest keep it to themselves.
            let birthday = format!("{:02}-{:02}", rng.u8(1..=12), rng.u8(1..=28));
            tx.update_profile(
                id,
                &ProfileUpdate {
                    display_name: &name,
                    job_title: title,
                    location: dept.location,
                    time_zone: Some(TIME_ZONE),
                    start_date: Some(&start_date),
                    birthday: Some(&birthday),
                    birthday_public: rng.bool(),
                    expertise: &topics,
                    responsibilities: &responsibilities,
                    organisation: None,
                },
            )
            .await?;
            if i == 0 {
                head = Some(id);
                ceo = ceo.or(Some(id));
            }
            people.push(Person {
                id,
                department: dept_index,
                department_id: dept_id,
            });
        }
    }
    Ok(people)
}

async fn create_channels(
    tx: &mut Tx,
    people: &[Person],
) -> Result<Vec<(ChannelId, &'static str)>, StoreError> {
    let owner = people[0].id;
    let mut channels = Vec::new();
    for spec in &CHANNELS {
        let id = tx
            .create_channel(&NewChannel {
                slug: spec.slug,
                name: spec.name,
                description: spec.description,
                guidelines: spec.guidelines,
                kind: spec.kind,
                is_default: spec.slug == "general",
                created_by: Some(owner),
                created_at: now_ms() - 30 * DAY,
            })
            .await?;
        for person in people {
            let member = spec
                .departments
                .is_none_or(|d| d.contains(&person.department));
            if member {
                // Leadership and department heads administer the channels they are in.
                let admin = person.department == 0 || is_head(people, person);
                tx.add_member(id, person.id, admin).await?;
            }
        }
        channels.push((id, spec.slug));
    }
    Ok(channels)
}

fn is_head(people: &[Person], person: &Person) -> bool {
    people
        .iter()
        .find(|p| p.department == person.department)
        .is_some_and(|first| first.id == person.id)
}

/// Thirty days of adoption activity, so the dashboard has something to show: most
/// people are active on most working days, reading and sometimes reacting, commenting
/// or posting; customer care lags behind. Department heads get the leader permission.
async fn create_activity(
    tx: &mut Tx,
    rng: &mut fastrand::Rng,
    people: &[Person],
    channels: &[(ChannelId, &'static str)],
    now: i64,
) -> Result<(), StoreError> {
    use app::calendar::Calendar;
    use app::store::{Activity, ActivityAction};
    let mut activity = Vec::new();
    for person in people {
        if is_head(people, person) {
            tx.set_leader(person.id, true).await?;
        }
        // Customer care: only one in four has ever opened Townhall.
        if person.department == 4 && person.id.0 % 4 != 0 {
            continue;
        }
        for days_ago in 0..30 {
            if rng.f64() >= 0.7 {
                continue;
            }
            let at = working_time(now, days_ago, 8 + rng.i64(0..10), rng.i64(0..60));
            let on = |action, channel: ChannelId| {
                Activity::on_post(person.id, at, action, channel, PostKind::Update)
            };
            activity.push(Activity {
                user_id: person.id,
                at,
                action: ActivityAction::Visited,
                post: None,
            });
            for _ in 0..rng.usize(1..8) {
                let channel = channels[rng.usize(..channels.len())].0;
                activity.push(on(ActivityAction::Saw, channel));
                let roll = rng.f64();
                if roll < 0.05 {
                    activity.push(on(ActivityAction::Posted, channel));
                } else if roll < 0.15 {
                    activity.push(on(ActivityAction::Commented, channel));
                } else if roll < 0.4 {
                    activity.push(on(ActivityAction::Reacted, channel));
                }
            }
        }
    }
    tx.record_activity(&Calendar::of(TIME_ZONE), &activity)
        .await
}

/// Returns (posts, comments, reactions) created.
async fn create_posts(
    tx: &mut Tx,
    rng: &mut fastrand::Rng,
    people: &[Person],
    channels: &[(ChannelId, &'static str)],
    now: i64,
) -> Result<(usize, usize, usize), StoreError> {
    let channel_id = |slug: &str| {
        channels
            .iter()
            .find(|(_, s)| *s == slug)
            .map(|(id, _)| *id)
            .unwrap_or(channels[0].0)
    };
    let in_department = |d: usize| {
        people
            .iter()
            .filter(move |p| p.department == d)
            .collect::<Vec<_>>()
    };
    let (mut comments, mut reactions) = (0, 0);

    // The pinned welcome, a week old, and a fresh announcement.
    let owner = people[0].id;
    let welcome = tx
        .create_post(&NewPost {
            channel_id: channel_id("general"),
            author_id: owner,
            kind: PostKind::Announcement,
            body: "Chào mừng mọi người đến với Townhall của Sao Mai! 👋\n\nĐây là nơi cập nhật tin tức toàn công ty, chia sẻ thành tích của các nhóm và hỏi đáp. Hãy ghé kênh của phòng mình, cập nhật hồ sơ và giới thiệu bản thân nhé.\n\nWelcome to Townhall, everyone — the place for company news, team wins and questions.",
            created_at: working_time(now, 6, 9, 0),
        })
        .await?;
    tx.pin_post(welcome, owner, working_time(now, 6, 9, 5))
        .await?;
    let hr_head = in_department(5)[0].id;
    tx.create_post(&NewPost {
        channel_id: channel_id("announcements"),
        author_id: hr_head,
        kind: PostKind::Announcement,
        body: "Thông báo: từ tháng 12, công ty áp dụng chính sách làm việc linh hoạt — mỗi người được làm việc từ xa 2 ngày mỗi tuần. Vui lòng đăng ký lịch với quản lý trực tiếp trước ngày 30/11.",
        created_at: working_time(now, 1, 10, 30),
    })
    .await?;
    let mut created = 2;

    for (i, (slug, dept, kind, body)) in POSTS.iter().enumerate() {
        let days_ago = 6 - (i * 7 / POSTS.len()) as i64;
        let authors = in_department(*dept);
        let author = authors[rng.usize(..authors.len())].id;
        let at = working_time(now, days_ago, 8 + rng.i64(0..10), rng.i64(0..60));
        let post_id = tx
            .create_post(&NewPost {
                channel_id: channel_id(slug),
                author_id: author,
                kind: *kind,
                body,
                created_at: at,
            })
            .await?;
        created += 1;
        for c in 0..rng.usize(0..=5) {
            let commenter = &people[rng.usize(..people.len())];
            let comment_at = (at + (c as i64 + 1) * rng.i64(5..90) * 60_000).min(now);
            tx.create_comment(&NewComment {
                post_id,
                parent_id: None,
                author_id: commenter.id,
                body: COMMENTS[rng.usize(..COMMENTS.len())],
                created_at: comment_at,
            })
            .await?;
            comments += 1;
        }
        for _ in 0..rng.usize(0..=14) {
            let reactor = &people[rng.usize(..people.len())];
            // Most people reach for the first few emoji.
            let emoji = EMOJI[rng.usize(..3).min(rng.usize(..EMOJI.len()))];
            let reacted_at = (at + rng.i64(1..240) * 60_000).min(now);
            if tx
                .add_reaction(post_id, reactor.id, emoji, reacted_at)
                .await?
            {
                reactions += 1;
            }
        }
    }
    Ok((created, comments, reactions))
}

/// Questions people asked this week, as a living knowledge base: one about travel
/// expense claims answered by HR and accepted (with a second answer others found
/// helpful), the VPN question answered and accepted, and one routed to HR still open.
async fn create_questions(
    tx: &mut Tx,
    people: &[Person],
    channels: &[(ChannelId, &'static str)],
    now: i64,
) -> Result<(usize, usize), StoreError> {
    let channel_id = |slug: &str| {
        channels
            .iter()
            .find(|(_, s)| *s == slug)
            .map(|(id, _)| *id)
            .unwrap_or(channels[0].0)
    };
    let in_department = |d: usize| {
        people
            .iter()
            .filter(move |p| p.department == d)
            .map(|p| p.id)
            .collect::<Vec<_>>()
    };
    let (sales, engineering, support, hr) = (
        in_department(1),
        in_department(2),
        in_department(4),
        in_department(5),
    );
    let hr_head = hr[0];
    let (mut posts, mut comments) = (0, 0);

    // Travel expenses: routed to HR's head (responsible for "Hoàn ứng công tác phí").
    let asked_at = working_time(now, 4, 9, 15);
    let travel = tx
        .create_post(&NewPost {
            channel_id: channel_id("general"),
            author_id: sales[1],
            kind: PostKind::Question,
            body: "Mọi người ơi, hoàn ứng công tác phí sau chuyến đi Đà Nẵng thì làm thế nào ạ? Cần những giấy tờ gì?",
            created_at: asked_at,
        })
        .await?;
    tx.add_question_experts(
        travel,
        &[RoutedExpert {
            user_id: hr_head,
            topic: "Hoàn ứng công tác phí".to_owned(),
            responsible: true,
        }],
        asked_at,
    )
    .await?;
    let accepted = tx
        .create_comment(&NewComment {
            post_id: travel,
            parent_id: None,
            author_id: hr_head,
            body: "Bạn điền mẫu **HR-07** (thư mục Nhân sự trên Drive), đính kèm hoá đơn VAT đứng tên công ty, vé máy bay và thẻ lên máy bay, rồi gửi phòng Nhân sự trước ngày 25 hằng tháng. Khoản hoàn ứng sẽ vào kỳ lương gần nhất.",
            created_at: asked_at + 40 * 60_000,
        })
        .await?;
    let tip = tx
        .create_comment(&NewComment {
            post_id: travel,
            parent_id: None,
            author_id: support[0],
            body:
                "Mình nộp tháng trước: nhớ xin hoá đơn đỏ ngay tại khách sạn, xin lại sau rất khó.",
            created_at: asked_at + 2 * HOUR,
        })
        .await?;
    comments += 2;
    tx.accept_answer(travel, accepted, asked_at + 3 * HOUR)
        .await?;
    for voter in [sales[0], engineering[0], engineering[1]] {
        tx.set_helpful(tip, voter, true, asked_at + 4 * HOUR)
            .await?;
    }
    tx.set_helpful(accepted, sales[0], true, asked_at + 4 * HOUR)
        .await?;

    // The VPN question, answered by engineering and accepted.
    let vpn_at = working_time(now, 3, 14, 0);
    let vpn = tx
        .create_post(&NewPost {
            channel_id: channel_id("it-help"),
            author_id: support[1],
            kind: PostKind::Question,
            body:
                "Cài VPN trên MacBook mới thì báo lỗi \"chứng chỉ không hợp lệ\", phải làm sao ạ?",
            created_at: vpn_at,
        })
        .await?;
    let fix = tx
        .create_comment(&NewComment {
            post_id: vpn,
            parent_id: None,
            author_id: engineering[0],
            body: "Tải lại cấu hình VPN mới ở trang IT nội bộ: chứng chỉ cũ hết hạn từ tháng trước. Xoá hồ sơ cũ trong System Settings → VPN rồi nhập file mới.",
            created_at: vpn_at + 25 * 60_000,
        })
        .await?;
    comments += 1;
    tx.accept_answer(vpn, fix, vpn_at + HOUR).await?;

    // Still open, routed to HR's head and waiting for them.
    let leave_at = working_time(now, 1, 11, 20);
    let leave = tx
        .create_post(&NewPost {
            channel_id: channel_id("general"),
            author_id: engineering[2],
            kind: PostKind::Question,
            body: "Ngày nghỉ phép năm chưa dùng hết có được chuyển sang năm sau không ạ?",
            created_at: leave_at,
        })
        .await?;
    tx.add_question_experts(
        leave,
        &[RoutedExpert {
            user_id: hr_head,
            topic: "Nghỉ phép và chế độ".to_owned(),
            responsible: true,
        }],
        leave_at,
    )
    .await?;
    tx.notify(
        &[NewNotification {
            user_id: hr_head,
            kind: app::model::NotificationKind::Question,
            actor_id: Some(engineering[2]),
            post_id: Some(leave),
            comment_id: None,
        }],
        leave_at,
    )
    .await?;
    posts += 3;
    Ok((posts, comments))
}

/// `days_ago` days before today at `hour:minute` in the company's time zone. A time
/// still ahead today moves to the day before, so the demo never posts from the future
/// or at night.
fn working_time(now: i64, days_ago: i64, hour: i64, minute: i64) -> i64 {
    let local_midnight = (now + UTC_OFFSET_MS).div_euclid(DAY) * DAY - UTC_OFFSET_MS;
    let at = local_midnight - days_ago * DAY + hour * HOUR + minute * 60_000;
    if at > now {
        at - DAY
    } else {
        at
    }
}

/// The demo's onboarding journey: company-wide, given to everyone who joins from now on,
/// and to the latest engineer six days ago (who has done the first days' steps), so the
/// home page, `/journey` and the journey's travellers show something lived in.
async fn create_journey(
    tx: &mut Tx,
    people: &[Person],
    channels: &[(ChannelId, &'static str)],
    pages: &[PageId],
    now: i64,
) -> Result<(JourneyId, PersonId, Vec<StepId>), StoreError> {
    use super::knowledge::{DEMO_LEAVE, DEMO_ONBOARDING};
    use app::model::journeys::StepKind;
    use app::store::{NewJourney, NewStep};
    let channel = |slug: &str| channels.iter().find(|c| c.1 == slug).map(|c| c.0);
    let hr_head = people
        .iter()
        .find(|p| p.department == 5)
        .expect("an HR head");
    let journey = tx
        .create_journey(
            &NewJourney {
                name: "Tháng đầu tiên ở Sao Mai",
                description: "Những việc nên làm trong 30 ngày đầu. Đánh dấu từng bước khi xong.",
                department_id: None,
                assign_on_join: true,
                join_role: None,
            },
            people[0].id,
            now - 30 * DAY,
        )
        .await?;
    let step = |day, kind, note| NewStep {
        day,
        kind,
        page_id: None,
        channel_id: None,
        person_id: None,
        note,
    };
    let steps = [
        NewStep {
            page_id: Some(pages[DEMO_ONBOARDING]),
            ..step(1, StepKind::Page, "Đọc trước buổi gặp HR")
        },
        NewStep {
            channel_id: channel("general"),
            ..step(1, StepKind::Channel, "")
        },
        step(2, StepKind::Task, "Ký hợp đồng và nộp hồ sơ nhân sự"),
        NewStep {
            person_id: Some(hr_head.id),
            ..step(3, StepKind::Person, "Hỏi về phúc lợi và ngày phép")
        },
        NewStep {
            page_id: Some(pages[DEMO_LEAVE]),
            ..step(5, StepKind::Page, "")
        },
        NewStep {
            channel_id: channel("it-help"),
            ..step(7, StepKind::Channel, "Nơi hỏi khi máy tính trục trặc")
        },
        step(14, StepKind::Task, "Hẹn buổi 1:1 đầu tiên với quản lý"),
        step(30, StepKind::Task, "Gửi góp ý về tháng đầu tiên cho HR"),
    ];
    let mut ids = Vec::with_capacity(steps.len());
    for s in &steps {
        ids.push(tx.add_step(journey, s, now - 30 * DAY).await?);
    }
    let engineer = people
        .iter()
        .rev()
        .find(|p| p.department == 2)
        .expect("an engineer");
    tx.assign_journey(journey, engineer.id, None, now - 6 * DAY)
        .await?;
    Ok((journey, engineer.id, ids))
}

/// Ticks the newcomer's first page, task and meeting (channel steps are done by being in
/// the channel).
async fn tick_first_steps(
    store: &Store,
    (journey, who, steps): (JourneyId, PersonId, Vec<StepId>),
    now: i64,
) -> Result<(), StoreError> {
    let Some(assignment) = store.assignment(who, journey).await? else {
        return Ok(());
    };
    let mut tx = store.begin().await?;
    for (i, step) in [0, 2, 3].into_iter().enumerate() {
        tx.tick_step(assignment, steps[step], now - (5 - i as i64) * DAY)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_times_are_in_the_past_and_in_local_hours() {
        let now = 1_795_676_700_000; // 14:05 in Hanoi
        let morning = working_time(now, 0, 9, 0);
        assert_eq!(now - morning, 5 * HOUR + 5 * 60_000);
        // 17:00 has not come yet today: it is yesterday's 17:00.
        assert_eq!(working_time(now, 0, 17, 0), morning + 8 * HOUR - DAY);
        assert_eq!(working_time(now, 2, 9, 0), morning - 2 * DAY);
    }

    #[test]
    fn departments_add_up_to_sixty_people() {
        assert_eq!(DEPARTMENTS.iter().map(|d| d.size).sum::<usize>(), 60);
    }
}
