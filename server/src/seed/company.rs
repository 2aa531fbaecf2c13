//! `townhall seed --posts N …`: a large company for benchmarks, shaped like a real
//! one. A few channels are busy and most are quiet (Zipf), a few people write most
//! posts, posts carry comments, reactions, @mentions and #tags, and the announcement
//! channel holds company announcements (some must-read, some for a few departments
//! only) with who has seen and acknowledged them. Posts fall in working hours (more on
//! weekdays) over `days` days ending at `end`.
//!
//! The same shape and seed always give the same rows (password hashes aside), on
//! SQLite and PostgreSQL alike. Rows are loaded with multi-row INSERTs, many thousand
//! posts per transaction: a failed load leaves a partial database, to be thrown away.

use super::demo::{Outcome, UTC_OFFSET_MS};
use super::demo::{SeedError, COMMENTS, DAY, EMOJI, FAMILY, GIVEN, HOUR, MIDDLE, TIME_ZONE};
use app::calendar::{weekday, Calendar};
use app::model::{
    ChannelId, ChannelKind, CommentId, DepartmentId, PersonId, PostId, PostKind, Role,
};
use app::store::{Activity, ActivityAction};
use app::store::{Cell, NewChannel, NewUser, Rows, Store, Tx};
use fastrand::Rng;

pub const COMPANY: &str = "Townhall Benchmark JSC";
/// Every generated account signs in with this password.
pub const PASSWORD: &str = "townhall-bench";
/// The channel everyone is in, and the one for company announcements.
pub const GENERAL: &str = "general";
pub const ANNOUNCEMENTS: &str = "announcements";
/// Posts per transaction: big enough to be fast, small enough to keep SQLite's
/// write-ahead log and PostgreSQL's memory modest.
const POSTS_PER_COMMIT: usize = 50_000;
/// Rows held before they are written.
const FLUSH_AT: usize = 20_000;
/// Days of activity: the dashboard's longest period.
const ACTIVITY_DAYS: i64 = 90;
/// Activity events per generated post, visits included: five million for a million posts.
const EVENTS_PER_POST: usize = 5;
/// Events summed per call to `Tx::record_activity`.
const EVENTS_PER_BATCH: usize = 5_000;
/// Events written per transaction.
const EVENTS_PER_COMMIT: usize = 250_000;

/// How big the company is, and from which seed it grows.
#[derive(Clone, Debug)]
pub struct Shape {
    pub users: usize,
    pub departments: usize,
    pub channels: usize,
    pub posts: usize,
    pub days: i64,
    pub seed: u64,
    /// Unix ms of the newest post; every time is reckoned back from it.
    pub end: i64,
}

impl Shape {
    fn check(&self) -> Result<(), SeedError> {
        let problem = if self.departments == 0 {
            "--departments must be at least 1"
        } else if self.users < self.departments + 5 {
            "--users must be at least --departments + 5"
        } else if self.channels < self.departments + 3 {
            "--channels must be at least --departments + 3 (general, announcements, one per department, one more)"
        } else if self.posts == 0 {
            "--posts must be at least 1"
        } else if self.days < 1 {
            "--days must be at least 1"
        } else {
            return Ok(());
        };
        Err(SeedError::Shape(problem))
    }
}

/// What was written.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub users: usize,
    pub departments: usize,
    pub channels: usize,
    pub memberships: usize,
    pub posts: usize,
    pub comments: usize,
    pub reactions: usize,
    pub mentions: usize,
    pub tags: usize,
    pub announcements: usize,
    pub recipients: usize,
    pub notifications: usize,
    pub pins: usize,
    /// Questions whose asker accepted an answer.
    pub accepted: usize,
    /// Activity events generated, and the roll-up rows they were summed into.
    pub activity: usize,
    pub activity_rows: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} people in {} departments, {} channels ({} memberships), {} posts, {} comments, \
             {} reactions, {} mentions, {} tags, {} announcements ({} recipients), \
             {} notifications, {} pins, {} accepted answers, {} activity events ({} roll-up rows)",
            self.users,
            self.departments,
            self.channels,
            self.memberships,
            self.posts,
            self.comments,
            self.reactions,
            self.mentions,
            self.tags,
            self.announcements,
            self.recipients,
            self.notifications,
            self.pins,
            self.accepted,
            self.activity,
            self.activity_rows
        )
    }
}

const DEPARTMENTS: [&str; 20] = [
    "Ban điều hành",
    "Kinh doanh",
    "Kỹ thuật",
    "Marketing",
    "Chăm sóc khách hàng",
    "Nhân sự",
    "Tài chính",
    "Sản phẩm",
    "Thiết kế",
    "Vận hành",
    "Pháp chế",
    "Mua hàng",
    "Kho vận",
    "Đào tạo",
    "Dữ liệu",
    "Bảo mật",
    "Hạ tầng",
    "Đối tác",
    "Truyền thông",
    "Nghiên cứu",
];
const TOPICS: [&str; 16] = [
    "du-an",
    "hoi-dap",
    "release",
    "khach-hang",
    "su-kien",
    "dao-tao",
    "ca-phe",
    "the-thao",
    "sach",
    "am-thuc",
    "y-tuong",
    "bao-cao",
    "tuyen-dung",
    "van-phong",
    "cong-nghe",
    "du-lich",
];
pub(crate) const TAGS: [&str; 20] = [
    "release",
    "sales",
    "hr",
    "it",
    "tet",
    "okr",
    "security",
    "customer",
    "hiring",
    "training",
    "event",
    "incident",
    "design",
    "marketing",
    "finance",
    "kudos",
    "welcome",
    "policy",
    "roadmap",
    "office",
];
const OPENERS: [&str; 10] = [
    "Cập nhật:",
    "Team update:",
    "Quick question:",
    "FYI",
    "Nhắc nhở:",
    "Tin vui!",
    "Góp ý giúp mình:",
    "Heads-up:",
    "Chia sẻ:",
    "Mọi người ơi,",
];
const SUBJECTS: [&str; 12] = [
    "bản phát hành",
    "hợp đồng với khách hàng",
    "kế hoạch quý",
    "the new onboarding guide",
    "báo cáo doanh số",
    "lịch họp toàn công ty",
    "the incident review",
    "chương trình đào tạo",
    "the office move",
    "quy trình hoàn ứng",
    "buổi demo sản phẩm",
    "our customer survey",
];
const DETAILS: [&str; 10] = [
    "đã xong sớm hơn dự kiến, cảm ơn cả nhóm đã hỗ trợ",
    "cần thêm ý kiến trước thứ Sáu",
    "is now on the wiki, comments welcome",
    "có vài thay đổi nhỏ so với bản trước",
    "went better than we hoped",
    "mọi người xem giúp và phản hồi trong tuần này nhé",
    "needs two more volunteers",
    "đã được ban điều hành phê duyệt",
    "will be discussed at Monday's meeting",
    "số liệu chi tiết nằm trong tài liệu đính kèm",
];

struct Person {
    id: PersonId,
    department: usize,
    role: Role,
    handle: String,
    active: bool,
    /// How much this person writes and reacts, relative to the others (Zipf).
    weight: f64,
}

struct Channel {
    id: ChannelId,
    members: Vec<usize>,
    /// Who writes here: members, by how active each is.
    authors: Weighted,
    pins: usize,
}

/// Picks indexes with probability proportional to their weights.
struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    fn new(weights: impl IntoIterator<Item = f64>) -> Weighted {
        let mut total = 0.0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Weighted { cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.f64() * total;
        self.cumulative
            .partition_point(|c| *c <= x)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

/// Zipf's weight for the `rank`-th (0-based) most active.
fn zipf(rank: usize, exponent: f64) -> f64 {
    1.0 / ((rank + 1) as f64).powf(exponent)
}

/// A random number of things with mean about `mean`, most often few, sometimes many.
fn geometric(rng: &mut Rng, mean: f64, cap: usize) -> usize {
    let keep = mean / (1.0 + mean);
    let mut n = 0;
    while n < cap && rng.f64() < keep {
        n += 1;
    }
    n
}

/// Working hours (08:00–18:00 in the company's time zone) over the last `days` days,
/// weekends at a seventh of a weekday: where the n-th of N posts falls.
struct Timeline {
    windows: Vec<(i64, i64)>,
    weights: Weighted,
}

impl Timeline {
    fn new(end: i64, days: i64) -> Timeline {
        let last_day = (end + UTC_OFFSET_MS).div_euclid(DAY);
        let mut windows = Vec::new();
        let mut weights = Vec::new();
        for day in last_day - days + 1..=last_day {
            let midnight = day * DAY - UTC_OFFSET_MS;
            let (start, stop) = (midnight + 8 * HOUR, (midnight + 18 * HOUR).min(end));
            if stop <= start {
                continue;
            }
            // 1970-01-01 was a Thursday: weekday 5 and 6 are Saturday and Sunday.
            let weekend = (day + 3).rem_euclid(7) >= 5;
            let share = if weekend { 1.0 / 7.0 } else { 1.0 };
            windows.push((start, stop));
            weights.push(share * (stop - start) as f64);
        }
        if windows.is_empty() {
            // The only day had not begun its working hours: post in the hour before `end`.
            windows.push((end - HOUR, end));
            weights.push(1.0);
        }
        Timeline {
            windows,
            weights: Weighted::new(weights),
        }
    }

    fn start(&self) -> i64 {
        self.windows[0].0
    }

    /// The time at `position` (0 to 1) along the working hours.
    fn at(&self, position: f64) -> i64 {
        let cumulative = &self.weights.cumulative;
        let x = position.clamp(0.0, 1.0) * cumulative[cumulative.len() - 1];
        let i = cumulative
            .partition_point(|c| *c <= x)
            .min(cumulative.len() - 1);
        let before = if i == 0 { 0.0 } else { cumulative[i - 1] };
        let fraction = ((x - before) / (cumulative[i] - before)).clamp(0.0, 1.0);
        let (start, stop) = self.windows[i];
        start + (fraction * (stop - start) as f64) as i64
    }
}

/// Fills an empty database with the company `shape` describes.
pub async fn seed(store: &Store, shape: &Shape) -> Result<Outcome, SeedError> {
    shape.check()?;
    if store.company().await?.is_some() {
        return Ok(Outcome::AlreadyHasData);
    }
    Ok(Outcome::Seeded(load(store, shape).await?.to_string()))
}

/// Writes the company and returns what it wrote.
pub async fn load(store: &Store, shape: &Shape) -> Result<Summary, SeedError> {
    let mut rng = Rng::with_seed(shape.seed);
    let timeline = Timeline::new(shape.end, shape.days);
    let joined = timeline.start() - 60 * DAY;
    let password_hash = app::domain::accounts::password::hash(PASSWORD.to_owned())
        .await
        .map_err(|_| SeedError::Hash)?;
    let mut summary = Summary::default();
    let mut tx = store.begin().await?;
    tx.create_company(COMPANY, TIME_ZONE).await?;
    let (departments, people) = people(&mut tx, &mut rng, shape, joined, &password_hash).await?;
    let mut channels = channels(&mut tx, &mut rng, shape, &people, joined, &mut summary).await?;
    // A few knowledge pages per department, owned by its first active person.
    let heads: Vec<(DepartmentId, PersonId)> = departments
        .iter()
        .enumerate()
        .filter_map(|(d, id)| {
            let head = people.iter().find(|p| p.department == d && p.active)?;
            Some((*id, head.id))
        })
        .collect();
    super::knowledge::bench(&mut tx, &heads, people[0].id, shape.end).await?;
    tx.commit().await?;
    summary.users = people.len();
    summary.departments = shape.departments;
    summary.channels = channels.len();
    let company = Company {
        shape,
        timeline: &timeline,
        departments: &departments,
        people: &people,
        busy_channels: busy_channels(&mut rng, channels.len()),
    };
    posts(store, &mut rng, &company, &mut channels, &mut summary).await?;
    activity(store, &mut rng, &company, &channels, &mut summary).await?;
    store.refresh_statistics().await?;
    Ok(summary)
}

async fn people(
    tx: &mut Tx,
    rng: &mut Rng,
    shape: &Shape,
    joined: i64,
    password_hash: &str,
) -> Result<(Vec<DepartmentId>, Vec<Person>), SeedError> {
    let mut departments = Vec::new();
    for d in 0..shape.departments {
        let name = match DEPARTMENTS.get(d) {
            Some(name) => (*name).to_owned(),
            None => format!(
                "{} {}",
                DEPARTMENTS[d % DEPARTMENTS.len()],
                d / DEPARTMENTS.len() + 1
            ),
        };
        departments.push(tx.create_department(&name).await?);
    }
    // Activity ranks are shuffled so the busiest people are spread over departments.
    let mut ranks: Vec<usize> = (0..shape.users).collect();
    rng.shuffle(&mut ranks);
    let mut heads: Vec<Option<PersonId>> = vec![None; shape.departments];
    let mut people = Vec::with_capacity(shape.users);
    for (i, rank) in ranks.into_iter().enumerate() {
        // The first of each department heads it; the rest are spread round-robin.
        let department = i % shape.departments;
        let (family, middle, given) = (
            FAMILY[rng.usize(..FAMILY.len())],
            MIDDLE[rng.usize(..MIDDLE.len())],
            GIVEN[rng.usize(..GIVEN.len())],
        );
        let name = format!("{family} {middle} {given}");
        let handle = app::folding::fold(&format!("{given}.{family}{}", i + 1));
        let email = format!("{handle}@bench.example");
        let role = match i {
            0 => Role::Owner,
            1..=4 => Role::Admin,
            _ if i % 50 == 49 => Role::Guest,
            _ => Role::Member,
        };
        let head = heads[department];
        let id = tx
            .create_user(&NewUser {
                email: &email,
                display_name: &name,
                job_title: if head.is_none() {
                    "Trưởng phòng"
                } else {
                    "Chuyên viên"
                },
                department_id: Some(departments[department]),
                manager_id: head.or(people.first().map(|p: &Person| p.id)),
                role,
                location: "Hà Nội",
                start_date: None,
                created_at: joined,
            })
            .await?;
        tx.set_password_hash(id, password_hash).await?;
        // About one in a hundred has left the company.
        let active = i % 97 != 96;
        if !active {
            tx.set_active(id, false, joined + DAY).await?;
        }
        heads[department] = head.or(Some(id));
        people.push(Person {
            id,
            department,
            role,
            handle,
            active,
            weight: zipf(rank, 0.9),
        });
    }
    Ok((departments, people))
}

async fn channels(
    tx: &mut Tx,
    rng: &mut Rng,
    shape: &Shape,
    people: &[Person],
    created: i64,
    summary: &mut Summary,
) -> Result<Vec<Channel>, SeedError> {
    let staff = |p: &Person| matches!(p.role, Role::Owner | Role::Admin);
    let insiders: Vec<usize> = (0..people.len())
        .filter(|&i| people[i].role != Role::Guest)
        .collect();
    let mut specs: Vec<(String, ChannelKind, bool, Vec<usize>)> = vec![
        (GENERAL.into(), ChannelKind::Public, true, insiders.clone()),
        (
            ANNOUNCEMENTS.into(),
            ChannelKind::Announcement,
            false,
            insiders.clone(),
        ),
    ];
    for d in 0..shape.departments {
        let members = insiders
            .iter()
            .copied()
            .filter(|&i| people[i].department == d || staff(&people[i]))
            .collect();
        specs.push((
            format!("phong-{}", d + 1),
            ChannelKind::Public,
            false,
            members,
        ));
    }
    let topics = shape.channels - specs.len();
    for t in 0..topics {
        // Bigger channels first; one in seven is private.
        let size = ((insiders.len() as f64 * 0.6 * zipf(t, 0.7)) as usize).clamp(3, insiders.len());
        let mut members = insiders.clone();
        rng.shuffle(&mut members);
        members.truncate(size);
        let kind = if t % 7 == 3 {
            ChannelKind::Private
        } else {
            ChannelKind::Public
        };
        specs.push((
            format!("{}-{}", TOPICS[t % TOPICS.len()], t + 1),
            kind,
            false,
            members,
        ));
    }
    // Each guest is in one open topic channel (the first one when there is none).
    let open: Vec<usize> = (2 + shape.departments..specs.len())
        .filter(|&c| specs[c].1 == ChannelKind::Public)
        .collect();
    for (i, person) in people.iter().enumerate() {
        if person.role == Role::Guest {
            let c = open
                .get(rng.usize(..open.len().max(1)))
                .copied()
                .unwrap_or(0);
            specs[c].3.push(i);
        }
    }
    let mut memberships = Rows::new(
        "channel_members",
        &["channel_id", "user_id", "role", "joined_at", "notify"],
    );
    let mut channels = Vec::with_capacity(specs.len());
    for (slug, kind, is_default, mut members) in specs {
        members.sort_unstable();
        members.dedup();
        let creator = members
            .iter()
            .copied()
            .find(|&i| staff(&people[i]))
            .unwrap_or(members[0]);
        let id = tx
            .create_channel(&NewChannel {
                slug: &slug,
                name: &slug,
                description: "",
                guidelines: "",
                kind,
                is_default,
                created_by: Some(people[creator].id),
                created_at: created,
            })
            .await?;
        for &m in &members {
            let admin = m == creator || staff(&people[m]);
            // A few members hear about every post, a few about nothing.
            let notify = match rng.u8(..20) {
                0 => "all",
                1 => "none",
                _ => "mentions",
            };
            memberships.push([
                id.into(),
                people[m].id.into(),
                if admin { "admin" } else { "member" }.into(),
                created.into(),
                notify.into(),
            ]);
        }
        summary.memberships += members.len();
        channels.push(Channel {
            id,
            authors: Weighted::new(members.iter().map(|&m| people[m].weight)),
            members,
            pins: 0,
        });
    }
    tx.insert_rows(&mut memberships).await?;
    // One quiet channel in fifty was archived yesterday.
    for channel in channels
        .iter()
        .skip(2 + shape.departments)
        .step_by(50)
        .skip(1)
    {
        tx.set_channel_archived(channel.id, Some(shape.end - DAY))
            .await?;
    }
    Ok(channels)
}

/// Rows of everything a post brings with it, written together.
struct Batch {
    posts: Rows,
    comments: Rows,
    reactions: Rows,
    mentions: Rows,
    tags: Rows,
    announcements: Rows,
    audiences: Rows,
    recipients: Rows,
    notifications: Rows,
    pins: Rows,
    /// Questions and the answer their asker accepted: set once both rows are in (a
    /// post and its comment refer to each other).
    accepted: Vec<(PostId, CommentId, i64)>,
}

impl Batch {
    fn new() -> Batch {
        Batch {
            posts: Rows::new(
                "posts",
                &[
                    "id",
                    "channel_id",
                    "author_id",
                    "kind",
                    "body",
                    "comment_count",
                    "reaction_count",
                    "created_at",
                    "audience_only",
                    "first_reply_at",
                ],
            ),
            comments: Rows::new(
                "comments",
                &[
                    "id",
                    "post_id",
                    "parent_id",
                    "author_id",
                    "body",
                    "created_at",
                ],
            ),
            reactions: Rows::new("reactions", &["post_id", "user_id", "emoji", "created_at"]),
            mentions: Rows::new("post_mentions", &["post_id", "user_id"]),
            tags: Rows::new("post_tags", &["post_id", "tag"]),
            announcements: Rows::new(
                "announcements",
                &["post_id", "audience", "must_read", "expires_at"],
            ),
            audiences: Rows::new("announcement_departments", &["post_id", "department_id"]),
            recipients: Rows::new(
                "announcement_recipients",
                &[
                    "post_id",
                    "user_id",
                    "seen_at",
                    "acknowledged_at",
                    "notified_at",
                ],
            ),
            notifications: Rows::new(
                "notifications",
                &[
                    "user_id",
                    "kind",
                    "actor_id",
                    "post_id",
                    "comment_id",
                    "created_at",
                    "read_at",
                ],
            ),
            pins: Rows::new(
                "pins",
                &[
                    "channel_id",
                    "post_id",
                    "position",
                    "pinned_by",
                    "pinned_at",
                ],
            ),
            accepted: Vec::new(),
        }
    }

    fn all(&mut self) -> [&mut Rows; 10] {
        // Referenced tables first: foreign keys are checked row by row.
        [
            &mut self.posts,
            &mut self.comments,
            &mut self.reactions,
            &mut self.mentions,
            &mut self.tags,
            &mut self.announcements,
            &mut self.audiences,
            &mut self.recipients,
            &mut self.notifications,
            &mut self.pins,
        ]
    }

    /// Writes what is held once enough has gathered (or always, with `now`).
    async fn flush(
        &mut self,
        tx: &mut Tx,
        now: bool,
        summary: &mut Summary,
    ) -> Result<(), SeedError> {
        let held: usize = self.all().iter().map(|r| r.len()).sum();
        if now || held >= FLUSH_AT {
            summary.recipients += self.recipients.len();
            summary.notifications += self.notifications.len();
            for rows in self.all() {
                tx.insert_rows(rows).await?;
            }
            for (post, comment, at) in self.accepted.drain(..) {
                tx.accept_answer(post, comment, at).await?;
            }
        }
        Ok(())
    }
}

/// A notification about a post (and a comment on it), from `actor` to `to`.
struct Notice {
    to: PersonId,
    kind: &'static str,
    actor: PersonId,
    post: PostId,
    comment: Option<CommentId>,
    at: i64,
}

impl Batch {
    /// Holds a notification, read an hour later unless it is from the last three days.
    fn notify(&mut self, n: Notice, end: i64) {
        let read = (n.at < end - 3 * DAY).then_some(n.at + HOUR);
        self.notifications.push([
            n.to.into(),
            n.kind.into(),
            n.actor.into(),
            n.post.into(),
            n.comment.into(),
            n.at.into(),
            read.into(),
        ]);
    }
}

/// What every post draws on.
struct Company<'a> {
    shape: &'a Shape,
    timeline: &'a Timeline,
    departments: &'a [DepartmentId],
    people: &'a [Person],
    /// Where posts go: everything but the announcement channel, by how busy it is.
    busy_channels: Weighted,
}

/// General the busiest channel, the others (the announcement channel aside) ranked at
/// random, weighted by Zipf.
fn busy_channels(rng: &mut Rng, channels: usize) -> Weighted {
    let mut order: Vec<usize> = (2..channels).collect();
    rng.shuffle(&mut order);
    order.insert(0, 0);
    let mut by_rank = vec![0.0; channels];
    for (rank, &c) in order.iter().enumerate() {
        by_rank[c] = zipf(rank, 1.05);
    }
    Weighted::new(by_rank)
}

async fn posts(
    store: &Store,
    rng: &mut Rng,
    company: &Company<'_>,
    channels: &mut [Channel],
    summary: &mut Summary,
) -> Result<(), SeedError> {
    let (shape, timeline, people) = (company.shape, company.timeline, company.people);
    let end = shape.end;
    let channel_weights = &company.busy_channels;
    let staff: Vec<usize> = (0..people.len())
        .filter(|&i| matches!(people[i].role, Role::Owner | Role::Admin) && people[i].active)
        .collect();
    // About one announcement per 5,000 posts, evenly spread.
    let announcement_every = (shape.posts / (shape.posts / 5000).max(2)).max(1);

    let mut batch = Batch::new();
    let mut tx = store.begin().await?;
    let mut comment_id = CommentId(0);
    for n in 0..shape.posts {
        let post_id = PostId(n as i64 + 1);
        let at = timeline.at((n as f64 + rng.f64()) / shape.posts as f64);
        let announcement = n % announcement_every == announcement_every / 2;
        let c = if announcement {
            1
        } else {
            channel_weights.pick(rng)
        };
        let author = if announcement {
            staff[rng.usize(..staff.len())]
        } else {
            channels[c].members[channels[c].authors.pick(rng)]
        };
        let author_id = people[author].id;
        let kind = if announcement {
            "announcement"
        } else if rng.u8(..100) < 12 {
            "question"
        } else {
            "update"
        };
        let mut body = format!(
            "{} {} {} {}",
            OPENERS[rng.usize(..OPENERS.len())],
            SUBJECTS[rng.usize(..SUBJECTS.len())],
            rng.u16(1..1000),
            DETAILS[rng.usize(..DETAILS.len())]
        );
        if rng.bool() {
            body.push_str(". ");
            body.push_str(DETAILS[rng.usize(..DETAILS.len())]);
        }
        // Mentions: about one post in fourteen names one or two members.
        let members = &channels[c].members;
        let mut mentioned: Vec<usize> = Vec::new();
        if !announcement && rng.u8(..14) == 0 {
            for _ in 0..rng.usize(1..=2) {
                let m = members[rng.usize(..members.len())];
                if m != author && !mentioned.contains(&m) {
                    mentioned.push(m);
                    body.push_str(&format!(" @{}", people[m].handle));
                }
            }
        }
        for &m in &mentioned {
            batch.mentions.push([post_id.into(), people[m].id.into()]);
            let notice = Notice {
                to: people[m].id,
                kind: "mention",
                actor: author_id,
                post: post_id,
                comment: None,
                at,
            };
            batch.notify(notice, end);
        }
        summary.mentions += mentioned.len();
        if rng.u8(..10) == 0 {
            let first = rng.usize(..TAGS.len());
            let mut tags = vec![TAGS[first]];
            if rng.bool() {
                tags.push(TAGS[(first + 1 + rng.usize(..TAGS.len() - 1)) % TAGS.len()]);
            }
            for tag in tags {
                body.push_str(&format!(" #{tag}"));
                batch.tags.push([post_id.into(), tag.into()]);
                summary.tags += 1;
            }
        }

        let mut audience_only = 0;
        if announcement {
            audience_only = announce(
                &mut batch,
                rng,
                company,
                author,
                post_id,
                at,
                summary.announcements,
            );
            summary.announcements += 1;
        }

        // Comments: busier for announcements; some answer an earlier comment.
        let comments = geometric(rng, if announcement { 6.0 } else { 1.2 }, 60);
        let (mut thread, mut last) = (Vec::new(), at);
        let mut first_reply: Option<i64> = None;
        let mut first_answer: Option<(CommentId, i64)> = None;
        for _ in 0..comments {
            comment_id.0 += 1;
            last = (last + rng.i64(1..=120) * 60_000).min(end);
            let by = members[rng.usize(..members.len())];
            let parent =
                (!thread.is_empty() && rng.u8(..5) == 0).then(|| thread[rng.usize(..thread.len())]);
            batch.comments.push([
                comment_id.into(),
                post_id.into(),
                parent.into(),
                people[by].id.into(),
                COMMENTS[rng.usize(..COMMENTS.len())].into(),
                last.into(),
            ]);
            if by != author {
                first_reply.get_or_insert(last);
                if parent.is_none() {
                    first_answer.get_or_insert((comment_id, last));
                }
                let notice = Notice {
                    to: author_id,
                    kind: "comment",
                    actor: people[by].id,
                    post: post_id,
                    comment: Some(comment_id),
                    at: last,
                };
                batch.notify(notice, end);
            }
            if parent.is_none() {
                thread.push(comment_id);
            }
        }
        summary.comments += comments;

        // Reactions: one emoji per person, most people reach for the first few.
        let wanted = geometric(rng, if announcement { 12.0 } else { 2.5 }, members.len());
        let mut reactors: Vec<usize> = Vec::with_capacity(wanted);
        for _ in 0..wanted {
            let r = members[rng.usize(..members.len())];
            if reactors.contains(&r) {
                continue;
            }
            reactors.push(r);
            let emoji = EMOJI[rng.usize(..3).min(rng.usize(..EMOJI.len()))];
            let reacted = (at + rng.i64(1..=240) * 60_000).min(end);
            batch.reactions.push([
                post_id.into(),
                people[r].id.into(),
                emoji.into(),
                reacted.into(),
            ]);
        }
        summary.reactions += reactors.len();

        // Three questions in five that found an answer have it accepted, an hour later
        // (decided by the id, so the random draws and the rest of the company stay as
        // they were).
        if let (true, Some((answer, answered_at))) = (kind == "question", first_answer) {
            if post_id.0 % 5 < 3 {
                batch
                    .accepted
                    .push((post_id, answer, (answered_at + HOUR).min(end)));
                summary.accepted += 1;
            }
        }
        batch.posts.push([
            post_id.into(),
            channels[c].id.into(),
            author_id.into(),
            kind.into(),
            body.into(),
            (comments as i64).into(),
            (reactors.len() as i64).into(),
            at.into(),
            audience_only.into(),
            first_reply.into(),
        ]);
        // A handful of posts per channel get pinned, the general channel's included.
        if channels[c].pins < 3 && rng.u32(..4000) == 0 {
            batch.pins.push([
                channels[c].id.into(),
                post_id.into(),
                (channels[c].pins as i64).into(),
                author_id.into(),
                (at + HOUR).min(end).into(),
            ]);
            channels[c].pins += 1;
            summary.pins += 1;
        }
        summary.posts += 1;

        batch.flush(&mut tx, false, summary).await?;
        if (n + 1) % POSTS_PER_COMMIT == 0 {
            batch.flush(&mut tx, true, summary).await?;
            tx.commit().await?;
            tx = store.begin().await?;
        }
    }
    batch.flush(&mut tx, true, summary).await?;
    tx.recount_channel_posts().await?;
    tx.continue_ids("posts").await?;
    tx.continue_ids("comments").await?;
    tx.commit().await?;
    // Statistics first (PostgreSQL's ANALYZE): before any, the catch-up's "next 500
    // posts after id N" was planned as a scan and sort of every post, about 2 s per
    // batch on 200,000 posts (the hot-paths issue's point about fresh tables).
    store.refresh_statistics().await?;
    // Rows loaded in bulk bypass the write paths that index; index them all now.
    app::domain::search::catch_up(store).await?;
    Ok(())
}

/// Makes post `post_id` an announcement from `author`: to everyone, or (one in four)
/// to a few departments only; one in three must be acknowledged. Older ones have been
/// seen and acknowledged by most. Returns the post's `audience_only` flag.
fn announce(
    batch: &mut Batch,
    rng: &mut Rng,
    company: &Company<'_>,
    author: usize,
    post_id: PostId,
    at: i64,
    company_announcements: usize,
) -> i64 {
    let (shape, people) = (company.shape, company.people);
    let must_read = rng.u8(..3) == 0;
    // Every fourth announcement, from the second on, is for some departments only.
    let departments: Vec<usize> = if company_announcements % 4 == 1 {
        let first = rng.usize(..shape.departments);
        (0..rng.usize(1..=3))
            .map(|k| (first + k) % shape.departments)
            .collect()
    } else {
        Vec::new()
    };
    let restricted = !departments.is_empty();
    batch.announcements.push([
        post_id.into(),
        if restricted {
            "departments"
        } else {
            "everyone"
        }
        .into(),
        i64::from(must_read).into(),
        Cell::Null,
    ]);
    for &d in &departments {
        batch
            .audiences
            .push([post_id.into(), company.departments[d].into()]);
    }
    let old = at < shape.end - 14 * DAY;
    for (i, person) in people.iter().enumerate() {
        let addressed = person.active
            && person.role != Role::Guest
            && i != author
            && (!restricted || departments.contains(&person.department));
        if !addressed {
            continue;
        }
        let seen = rng.u8(..100) < if old { 95 } else { 60 };
        let acknowledged = must_read && seen && rng.u8(..100) < if old { 95 } else { 50 };
        let when = (at + rng.i64(1..=48) * HOUR).min(shape.end);
        batch.recipients.push([
            post_id.into(),
            person.id.into(),
            seen.then_some(when).into(),
            acknowledged.then_some(when).into(),
            at.into(),
        ]);
    }
    i64::from(restricted)
}

/// What people did over the last [`ACTIVITY_DAYS`] days, for the adoption dashboard:
/// a visit on most workdays by most people (the busier the person, the likelier), then
/// impressions, reactions, comments, posts and acknowledgements, [`EVENTS_PER_POST`]
/// events per post in all, in busy channels by busy members as the posts themselves.
/// The dashboard reads only the roll-ups, so these actions are drawn afresh rather than
/// replayed from the rows written above.
async fn activity(
    store: &Store,
    rng: &mut Rng,
    company: &Company<'_>,
    channels: &[Channel],
    summary: &mut Summary,
) -> Result<(), SeedError> {
    let (shape, people) = (company.shape, company.people);
    let timeline = Timeline::new(shape.end, ACTIVITY_DAYS);
    let mut log = ActivityLog {
        tx: Some(store.begin().await?),
        calendar: Calendar::of(TIME_ZONE),
        held: Vec::with_capacity(EVENTS_PER_BATCH),
        uncommitted: 0,
        written: 0,
    };
    let mut visits = 0;
    for &(start, stop) in &timeline.windows {
        let weekend = weekday((start + UTC_OFFSET_MS).div_euclid(DAY)) >= 5;
        for person in people.iter().filter(|p| p.active) {
            // The busiest come nearly every workday, the quietest on about three in five.
            let chance = 0.6 + 0.35 * person.weight.powf(0.25);
            if rng.f64() < if weekend { chance / 7.0 } else { chance } {
                visits += 1;
                let visit = Activity {
                    user_id: person.id,
                    at: rng.i64(start..stop),
                    action: ActivityAction::Visited,
                    post: None,
                };
                log.push(store, visit).await?;
            }
        }
    }
    for _ in visits..shape.posts * EVENTS_PER_POST {
        let at = timeline.at(rng.f64());
        // Mostly impressions; posts, comments and reactions as often as the posts have them.
        let action = match rng.u8(..100) {
            0..=59 => ActivityAction::Saw,
            60..=79 => ActivityAction::Reacted,
            80..=89 => ActivityAction::Commented,
            90..=97 => ActivityAction::Posted,
            _ => ActivityAction::Acknowledged,
        };
        let on_announcement = action == ActivityAction::Acknowledged
            || (action == ActivityAction::Saw && rng.u8(..10) == 0);
        let c = if on_announcement {
            1
        } else {
            company.busy_channels.pick(rng)
        };
        let channel = &channels[c];
        let actor = &people[channel.members[channel.authors.pick(rng)]];
        if !actor.active {
            continue;
        }
        let kind = if on_announcement {
            PostKind::Announcement
        } else if rng.u8(..100) < 12 {
            PostKind::Question
        } else {
            PostKind::Update
        };
        let event = Activity::on_post(actor.id, at, action, channel.id, kind);
        log.push(store, event).await?;
    }
    summary.activity = log.finish().await?;
    summary.activity_rows = store.activity_rows().await?;
    Ok(())
}

/// Activity on its way to the roll-ups: summed a batch at a time, committed now and then.
struct ActivityLog {
    /// Always `Some` between batches; taken only to commit it.
    tx: Option<Tx>,
    calendar: Calendar,
    held: Vec<Activity>,
    uncommitted: usize,
    written: usize,
}

impl ActivityLog {
    async fn push(&mut self, store: &Store, event: Activity) -> Result<(), SeedError> {
        self.held.push(event);
        if self.held.len() >= EVENTS_PER_BATCH {
            self.write().await?;
            if self.uncommitted >= EVENTS_PER_COMMIT {
                // Committed before the next begins: on SQLite a transaction takes the
                // write lock when it begins, so the other order would wait for itself.
                if let Some(done) = self.tx.take() {
                    done.commit().await?;
                }
                self.tx = Some(store.begin().await?);
                self.uncommitted = 0;
            }
        }
        Ok(())
    }

    async fn write(&mut self) -> Result<(), SeedError> {
        if let Some(tx) = self.tx.as_mut() {
            tx.record_activity(&self.calendar, &self.held).await?;
        }
        self.uncommitted += self.held.len();
        self.written += self.held.len();
        self.held.clear();
        Ok(())
    }

    /// Writes what is held and commits; answers how many events were written.
    async fn finish(mut self) -> Result<usize, SeedError> {
        self.write().await?;
        if let Some(tx) = self.tx.take() {
            tx.commit().await?;
        }
        Ok(self.written)
    }
}
