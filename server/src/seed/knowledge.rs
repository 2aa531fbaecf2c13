//! Knowledge pages for the seeded companies: the demo's HR and Engineering pages (in
//! Vietnamese, one of them overdue for review) and a few pages per department for the
//! benchmark company.

use app::model::knowledge::SpaceKey;
use app::model::{DepartmentId, PageId, PersonId};
use app::store::{NewPage, StoreError, Tx};

const DAY: i64 = 86_400_000;

/// One page to write: where, under which of the earlier ones, by whom, how long ago.
struct Seeded {
    space: SpaceKey,
    parent: Option<usize>,
    title: &'static str,
    body: &'static str,
    owner: PersonId,
    review_days: i64,
    days_ago: i64,
}

async fn write(tx: &mut Tx, pages: &[Seeded], now: i64) -> Result<Vec<PageId>, StoreError> {
    let mut ids: Vec<PageId> = Vec::with_capacity(pages.len());
    for page in pages {
        let id = tx
            .create_page(&NewPage {
                space: page.space,
                parent_id: page.parent.map(|i| ids[i]),
                title: page.title,
                body: page.body,
                owner_id: page.owner,
                review_days: page.review_days,
                by: page.owner,
                at: now - page.days_ago * DAY,
            })
            .await?;
        ids.push(id);
    }
    Ok(ids)
}

const TRAVEL: &str = "Áp dụng cho mọi chuyến công tác đã được quản lý trực tiếp duyệt.\n\n\
## Các bước\n\n\
1. Trong vòng **10 ngày làm việc** sau khi về, điền *Giấy đề nghị thanh toán* (xem [mẫu đơn](/pages/{form})).\n\
2. Đính kèm hoá đơn VAT gốc, vé máy bay hoặc vé tàu, thẻ lên máy bay.\n\
3. Quản lý trực tiếp ký duyệt.\n\
4. Gửi hồ sơ cho phòng Nhân sự & Tài chính (tầng 3).\n\
5. Kế toán chuyển khoản trong vòng 5 ngày làm việc kể từ khi nhận đủ hồ sơ.\n\n\
## Định mức\n\n\
| Khoản | Hà Nội, TP.HCM | Tỉnh khác |\n|---|---|---|\n\
| Khách sạn / đêm | 1.200.000 ₫ | 800.000 ₫ |\n| Phụ cấp ăn / ngày | 300.000 ₫ | 250.000 ₫ |\n\n\
## Lưu ý\n\n- Taxi, Grab: cần hoá đơn điện tử.\n- Chi phí vượt định mức cần Giám đốc duyệt trước chuyến đi.\n";

const FORM: &str = "Giấy đề nghị thanh toán gồm:\n\n\
- Họ tên, phòng ban, mã nhân viên\n- Mục đích và thời gian chuyến công tác\n\
- Bảng kê chi phí (ngày, khoản, số tiền, số hoá đơn)\n- Chữ ký người đề nghị và quản lý trực tiếp\n\n\
Mẫu Excel nằm trong thư mục *Biểu mẫu* của phòng Nhân sự & Tài chính.\n";

const ONBOARDING: &str = "Chào mừng bạn đến với Sao Mai! 👋\n\n\
## Ngày đầu tiên\n\n- [ ] Nhận máy tính, thẻ ra vào và tài khoản e-mail\n\
- [ ] Gặp quản lý trực tiếp và người hướng dẫn (buddy)\n- [ ] Đọc nội quy lao động\n\n\
## Tuần đầu tiên\n\n- [ ] Tham gia kênh #toan-cong-ty và kênh của phòng\n\
- [ ] Cập nhật hồ sơ trên Townhall: ảnh, chức danh, \"hỏi tôi về\"\n\
- [ ] Đăng ký bảo hiểm sức khoẻ với phòng Nhân sự\n\n\
## Tháng đầu tiên\n\n- [ ] Hoàn thành khoá đào tạo an toàn thông tin\n- [ ] Buổi trao đổi 1-1 cuối tháng với quản lý\n";

const LEAVE: &str = "Mỗi nhân viên chính thức có **12 ngày phép năm**, cộng thêm 1 ngày cho mỗi 5 năm làm việc.\n\n\
Đăng ký nghỉ trên hệ thống ít nhất 3 ngày trước (trừ trường hợp ốm đau, việc gia đình khẩn cấp).\n\
Phép chưa dùng được chuyển sang năm sau tối đa 5 ngày và dùng hết trước 31/3.\n";

const DEPLOY: &str = "Hướng dẫn đưa một thay đổi lên môi trường production.\n\n\
## Trước khi triển khai\n\n- Pull request đã được ít nhất 1 người review (xem [quy tắc review code](/pages/{review})).\n\
- CI xanh trên nhánh `main`.\n- Đã ghi chú thay đổi vào kênh #ky-thuat.\n\n\
## Các bước\n\n1. Tạo tag phiên bản: `git tag vX.Y.Z && git push --tags`.\n\
2. Pipeline tự build và đưa lên staging; kiểm tra nhanh các luồng chính.\n\
3. Bấm *Promote to production* trong pipeline.\n4. Theo dõi dashboard lỗi 30 phút.\n\n\
## Khi có sự cố\n\nRollback bằng cách promote lại tag trước đó, rồi báo trong #ky-thuat.\n";

const REVIEW: &str = "## Quy tắc\n\n1. Mỗi pull request nhỏ hơn 400 dòng thay đổi khi có thể.\n\
2. Người review phản hồi trong vòng 1 ngày làm việc.\n3. Góp ý về mã, không về người viết.\n\
4. Hai lượt \"request changes\" liên tiếp: trao đổi trực tiếp thay vì bình luận.\n";

const FLEXIBLE: &str = "Từ tháng 12, mỗi người được làm việc từ xa **2 ngày mỗi tuần**.\n\n\
- Đăng ký lịch với quản lý trực tiếp trước ngày 30 của tháng trước.\n\
- Ngày thứ Ba là ngày cả công ty cùng có mặt ở văn phòng.\n\
- Khi làm việc từ xa, trạng thái trên Townhall và lịch phải luôn cập nhật.\n";

/// The demo's pages: HR's travel-expense process (with its form below it), onboarding
/// (overdue for review) and leave; Engineering's deployment how-to and code-review
/// policy; the company-wide flexible-work policy. Each owned by its department's head.
pub async fn demo(
    tx: &mut Tx,
    hr: (DepartmentId, PersonId),
    engineering: (DepartmentId, PersonId),
    now: i64,
) -> Result<Vec<PageId>, StoreError> {
    let (hr_space, hr_head) = (SpaceKey::Department(hr.0), hr.1);
    let (eng_space, eng_head) = (SpaceKey::Department(engineering.0), engineering.1);
    let page = |space, parent, title, body, owner, review_days, days_ago| Seeded {
        space,
        parent,
        title,
        body,
        owner,
        review_days,
        days_ago,
    };
    let pages = [
        page(
            hr_space,
            None,
            "Quy trình hoàn ứng công tác phí",
            TRAVEL,
            hr_head,
            90,
            20,
        ),
        page(
            hr_space,
            Some(0),
            "Mẫu giấy đề nghị thanh toán",
            FORM,
            hr_head,
            180,
            40,
        ),
        // Verified 100 days ago on a 90-day review: due for review for ten days.
        page(
            hr_space,
            None,
            "Hội nhập nhân viên mới: tháng đầu tiên",
            ONBOARDING,
            hr_head,
            90,
            100,
        ),
        page(
            hr_space,
            None,
            "Chính sách nghỉ phép năm",
            LEAVE,
            hr_head,
            365,
            60,
        ),
        page(
            eng_space,
            None,
            "Hướng dẫn triển khai lên production",
            DEPLOY,
            eng_head,
            90,
            10,
        ),
        page(
            eng_space,
            Some(4),
            "Quy tắc review code",
            REVIEW,
            eng_head,
            180,
            30,
        ),
        page(
            SpaceKey::Company,
            None,
            "Chính sách làm việc linh hoạt",
            FLEXIBLE,
            hr_head,
            90,
            5,
        ),
    ];
    let ids = write(tx, &pages, now).await?;
    // The links name pages by id, known only now: the travel process names its form,
    // the deployment how-to the review policy.
    for (page, target, body) in [(0, 1, TRAVEL), (4, 5, DEPLOY)] {
        let linked = body
            .replace("{form}", &ids[target].to_string())
            .replace("{review}", &ids[target].to_string());
        let p = &pages[page];
        tx.save_page(
            ids[page],
            p.title,
            &linked,
            p.parent.map(|i| ids[i]),
            p.review_days,
            false,
            None,
            p.owner,
            now - p.days_ago * DAY,
        )
        .await?;
    }
    Ok(ids)
}

/// The demo's onboarding page and leave policy, by their place in [`demo`]'s answer.
pub const DEMO_ONBOARDING: usize = 2;
pub const DEMO_LEAVE: usize = 3;

/// The benchmark company's pages: three per department (the last overdue), owned by
/// the department's first active person, and three company-wide ones by the owner.
pub async fn bench(
    tx: &mut Tx,
    departments: &[(DepartmentId, PersonId)],
    owner: PersonId,
    now: i64,
) -> Result<usize, StoreError> {
    let mut pages = Vec::new();
    for (department, head) in departments {
        let space = SpaceKey::Department(*department);
        for (i, (title, body, days_ago)) in [
            ("Quy trình làm việc của phòng", TRAVEL, 10),
            ("Hội nhập thành viên mới", ONBOARDING, 40),
            ("Chính sách nghỉ phép", LEAVE, 130),
        ]
        .into_iter()
        .enumerate()
        {
            pages.push(Seeded {
                space,
                parent: None,
                title,
                body,
                owner: *head,
                review_days: 90,
                days_ago: days_ago + i as i64,
            });
        }
    }
    for (title, body) in [
        ("Chính sách làm việc linh hoạt", FLEXIBLE),
        ("Hướng dẫn triển khai", DEPLOY),
        ("Quy tắc review code", REVIEW),
    ] {
        pages.push(Seeded {
            space: SpaceKey::Company,
            parent: None,
            title,
            body,
            owner,
            review_days: 90,
            days_ago: 20,
        });
    }
    Ok(write(tx, &pages, now).await?.len())
}
