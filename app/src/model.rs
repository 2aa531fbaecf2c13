//! Types that travel between the server and the browser. Plain data, no behaviour beyond
//! parsing and naming; both renderings build their views from these.

use serde::{Deserialize, Serialize};

mod ids;
pub use ids::{ChannelId, CommentId, DepartmentId, PersonId, PostId};
// Knowledge pages: their wire types.
pub mod files;
pub mod journeys;
pub mod knowledge;
pub mod search;
pub use ids::PageId;

/// The most posts one "seen" report may name (a batch of impressions from a tab).
pub const MAX_SEEN_BATCH: usize = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PostKind {
    Update,
    Announcement,
    Question,
}

impl PostKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::Update => "update",
            PostKind::Announcement => "announcement",
            PostKind::Question => "question",
        }
    }

    pub fn parse(value: &str) -> Option<PostKind> {
        [PostKind::Update, PostKind::Announcement, PostKind::Question]
            .into_iter()
            .find(|k| k.as_str() == value)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChannelKind {
    Public,
    Private,
    /// Only channel admins post; everyone may comment and react.
    Announcement,
}

impl ChannelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Public => "public",
            ChannelKind::Private => "private",
            ChannelKind::Announcement => "announcement",
        }
    }

    pub fn parse(value: &str) -> Option<ChannelKind> {
        [
            ChannelKind::Public,
            ChannelKind::Private,
            ChannelKind::Announcement,
        ]
        .into_iter()
        .find(|k| k.as_str() == value)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Owner,
    Admin,
    Member,
    Guest,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Guest => "guest",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        [Role::Owner, Role::Admin, Role::Member, Role::Guest]
            .into_iter()
            .find(|r| r.as_str() == value)
    }
}

/// The largest photo accepted for an avatar, in megabytes.
pub const MAX_AVATAR_MB: usize = 5;
/// The most pixels a photo for an avatar may have, in millions (6000 × 4000), read from
/// its header before decoding.
pub const MAX_AVATAR_MEGAPIXELS: u64 = 24;

/// The time zones a profile offers: where Vietnamese companies' people usually are.
pub const TIME_ZONES: &[&str] = &[
    "Asia/Ho_Chi_Minh",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Singapore",
    "Asia/Kuala_Lumpur",
    "Asia/Manila",
    "Asia/Hong_Kong",
    "Asia/Shanghai",
    "Asia/Taipei",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Australia/Perth",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Amsterdam",
    "Europe/Moscow",
    "Africa/Johannesburg",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Toronto",
    "America/Chicago",
    "America/Mexico_City",
    "America/Denver",
    "America/Los_Angeles",
    "UTC",
];

/// Who wrote something, as shown next to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRef {
    pub id: PersonId,
    pub name: String,
    pub job_title: String,
    /// The avatar's version (part of its URL); `None` shows initials.
    pub avatar: Option<i64>,
}

impl PersonRef {
    /// Up to two letters for the avatar: first and last word ("Nguyễn Văn An" → "NA").
    pub fn initials(&self) -> String {
        let mut words = self
            .name
            .split_whitespace()
            .filter_map(|w| w.chars().next());
        let first = words.next();
        let last = words.next_back();
        first
            .into_iter()
            .chain(last)
            .flat_map(char::to_uppercase)
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionCount {
    pub emoji: String,
    pub count: i64,
    /// Whether the reader is among them (pressing it again takes theirs back).
    pub mine: bool,
    /// The names of the first few who reacted, in the order they did.
    pub people: Vec<String>,
}

/// The reactions Townhall offers: a small set, the same for everyone.
pub const REACTIONS: [&str; 7] = ["👍", "❤️", "🎉", "😂", "😮", "🙏", "✅"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: CommentId,
    /// The comment this one replies to (replies go one level deep).
    pub parent_id: Option<CommentId>,
    pub author: PersonRef,
    /// Sanitised HTML rendered from the comment's Markdown.
    pub body_html: String,
    pub created_at: i64,
    /// The reader wrote it.
    pub own: bool,
    /// On a question: how many found this answer helpful, and whether the reader did.
    pub helpful: i64,
    pub helpful_mine: bool,
    /// On a question: this is the answer its asker (or a channel admin) accepted.
    pub accepted: bool,
    /// Files attached to it, in the order they were added.
    pub attachments: Vec<files::Attachment>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostCard {
    pub id: PostId,
    pub channel_slug: String,
    pub channel_name: String,
    pub author: PersonRef,
    pub kind: PostKind,
    /// The Markdown as written.
    pub body: String,
    /// Sanitised HTML rendered from it.
    pub body_html: String,
    pub created_at: i64,
    pub edited: bool,
    pub comment_count: i64,
    pub reactions: Vec<ReactionCount>,
    /// The latest few comments, oldest first.
    pub comments: Vec<CommentView>,
    /// Set when the post is a company announcement.
    pub announcement: Option<AnnouncementInfo>,
    /// Whether the reader administers the post's channel.
    pub reader_channel_admin: bool,
    /// Whether it is on its channel's pinned list.
    pub pinned: bool,
    /// What the reader may do to it, decided by the policy on the server.
    pub actions: PostActions,
    /// Someone else posted it since the reader last opened this feed.
    pub unread: bool,
    /// A question's accepted answer: set, the question shows "Answered".
    pub accepted_answer: Option<CommentId>,
    /// The knowledge pages (that the reader may read) this question was turned into.
    pub part_of: Vec<(PageId, String)>,
    /// Files attached to it, in the order they were added.
    pub attachments: Vec<files::Attachment>,
}

impl PostCard {
    /// A question whose asker (or a channel admin) accepted an answer.
    pub fn answered(&self) -> bool {
        self.kind == PostKind::Question && self.accepted_answer.is_some()
    }
}

/// A question already asked that looks like the one being typed, for the composer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimilarQuestion {
    pub id: PostId,
    /// Its first line, as plain text.
    pub title: String,
    pub channel_name: String,
    pub answered: bool,
    pub comment_count: i64,
}

/// The buttons a post card offers its reader.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostActions {
    pub edit: bool,
    pub delete: bool,
    pub pin: bool,
    pub history: bool,
    /// Accepting one of the question's answers (its asker, the channel's admins).
    pub accept: bool,
}

/// A post's earlier texts, newest first, with the company's offset from UTC to show
/// when each was replaced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostHistory {
    pub versions: Vec<PostVersion>,
    pub utc_offset_minutes: i32,
}

/// A text a post had before an edit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostVersion {
    pub body_html: String,
    /// When it was replaced, and by whom.
    pub replaced_at: i64,
    pub replaced_by: Option<PersonRef>,
}

/// What writing a post or comment did: its id (a [`PostId`] or a [`CommentId`]; a bare
/// number where it may be either a post's or a scheduled post's), and the people it
/// names who were not notified because they cannot read the channel (the author is
/// told).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posted<Id = i64> {
    pub id: Id,
    pub not_notified: Vec<String>,
}

/// A company announcement as one reader sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementInfo {
    pub must_read: bool,
    pub expires_at: Option<i64>,
    /// Whether the reader is among its recipients, and has acknowledged it.
    pub addressed_to_me: bool,
    pub acknowledged: bool,
    /// Who has seen and acknowledged it: for its author and admins only.
    pub reach: Option<Reach>,
}

/// Who an announcement reached: seen by `seen` and acknowledged by `acknowledged` of
/// `recipients`, and the people who have not acknowledged yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reach {
    pub post_id: PostId,
    pub recipients: i64,
    pub seen: i64,
    pub acknowledged: i64,
    pub must_read: bool,
    /// Who has not acknowledged, by name: all of them, or on a card in a list the first
    /// few (see [`Reach::pending_count`]).
    pub pending: Vec<PersonRef>,
}

impl Reach {
    /// How many recipients have not acknowledged (`pending` may name fewer).
    pub fn pending_count(&self) -> i64 {
        self.recipients - self.acknowledged
    }
}

/// What the announcement form offers to choose from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementOptions {
    pub departments: Vec<DepartmentRef>,
    pub channels: Vec<ChannelRef>,
}

/// Someone the composer offers to mention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionSuggestion {
    pub person: PersonRef,
    pub handle: String,
}

/// Who a company announcement is addressed to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    Everyone,
    Departments(Vec<DepartmentId>),
    /// The members of one channel (the announcement is posted there).
    Channel(String),
}

/// What a live stream tells a browser tab. Only ids: the tab fetches what it shows
/// through the same server functions (and the same policy) as any read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiveKind {
    /// A new post in a channel the tab's person may read.
    Post,
    /// A comment, or a change of reactions, on a post they may read.
    Comment,
    Reaction,
    /// Something new in their notification centre.
    Notification,
    /// Someone saw or acknowledged an announcement they wrote.
    Reach,
    /// A post was edited, deleted, pinned or unpinned.
    Changed,
    /// Their channel memberships changed (the stream re-reads them; never sent on).
    Membership,
}

impl LiveKind {
    pub const ALL: [LiveKind; 7] = [
        LiveKind::Post,
        LiveKind::Comment,
        LiveKind::Reaction,
        LiveKind::Notification,
        LiveKind::Reach,
        LiveKind::Changed,
        LiveKind::Membership,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LiveKind::Post => "post",
            LiveKind::Comment => "comment",
            LiveKind::Reaction => "reaction",
            LiveKind::Notification => "notification",
            LiveKind::Reach => "reach",
            LiveKind::Changed => "changed",
            LiveKind::Membership => "membership",
        }
    }

    pub fn parse(value: &str) -> Option<LiveKind> {
        LiveKind::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub id: i64,
    pub kind: LiveKind,
    pub post: Option<PostId>,
    pub channel: Option<ChannelId>,
    /// For a new post: whether it belongs in the person's home feed (their channel, or
    /// it mentions them).
    pub home: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotificationKind {
    Mention,
    ChannelMention,
    /// A new post in a channel whose level is "all posts".
    Post,
    /// A comment on the person's post.
    Comment,
    /// A reply to the person's comment.
    Reply,
    Reaction,
    Announcement,
    /// An announcement's author asked those who had not acknowledged it again.
    Reminder,
    /// A question was routed to the person: their profile says they are responsible
    /// for, or can be asked about, its topic.
    Question,
    /// An answer to the person's question.
    Answer,
    /// The person's answer was accepted.
    Accepted,
    /// Answers to the person's question have waited for their acceptance.
    AcceptReminder,
    /// A question in a channel the person administers has had no answer.
    Unanswered,
    /// A knowledge page passed to the person (its owner left, or it was handed over).
    PageOwner,
    /// A page the person owns is due for review.
    PageReview,
    /// An onboarding journey was assigned to the person (or to someone they manage).
    Journey,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 16] = [
        NotificationKind::Mention,
        NotificationKind::ChannelMention,
        NotificationKind::Post,
        NotificationKind::Comment,
        NotificationKind::Reply,
        NotificationKind::Reaction,
        NotificationKind::Announcement,
        NotificationKind::Reminder,
        NotificationKind::Question,
        NotificationKind::Answer,
        NotificationKind::Accepted,
        NotificationKind::AcceptReminder,
        NotificationKind::Unanswered,
        NotificationKind::PageOwner,
        NotificationKind::PageReview,
        NotificationKind::Journey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Mention => "mention",
            NotificationKind::ChannelMention => "channel_mention",
            NotificationKind::Post => "post",
            NotificationKind::Comment => "comment",
            NotificationKind::Reply => "reply",
            NotificationKind::Reaction => "reaction",
            NotificationKind::Announcement => "announcement",
            NotificationKind::Reminder => "reminder",
            NotificationKind::Question => "question",
            NotificationKind::Answer => "answer",
            NotificationKind::Accepted => "accepted",
            NotificationKind::AcceptReminder => "accept_reminder",
            NotificationKind::Unanswered => "unanswered",
            NotificationKind::PageOwner => "page_owner",
            NotificationKind::PageReview => "page_review",
            NotificationKind::Journey => "journey",
        }
    }

    pub fn parse(value: &str) -> Option<NotificationKind> {
        NotificationKind::ALL
            .into_iter()
            .find(|k| k.as_str() == value)
    }
}

/// The groups of notifications a person lets reach their devices by push (reactions,
/// pages and journeys never do: they can wait for the notification centre).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PushGroup {
    /// Mentions of them, and `@channel`.
    Mentions,
    /// Comments on their posts, replies to their comments, answers to their questions
    /// and accepted answers.
    Replies,
    /// Announcements, and reminders to acknowledge them.
    Announcements,
    /// Questions routed to them, and questions waiting for an answer or an acceptance.
    Questions,
    /// New posts in the channels they set to "all posts".
    Posts,
}

impl PushGroup {
    pub const ALL: [PushGroup; 5] = [
        PushGroup::Mentions,
        PushGroup::Replies,
        PushGroup::Announcements,
        PushGroup::Questions,
        PushGroup::Posts,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PushGroup::Mentions => "mentions",
            PushGroup::Replies => "replies",
            PushGroup::Announcements => "announcements",
            PushGroup::Questions => "questions",
            PushGroup::Posts => "posts",
        }
    }

    pub fn parse(value: &str) -> Option<PushGroup> {
        PushGroup::ALL.into_iter().find(|g| g.as_str() == value)
    }

    /// The group `kind` belongs to, if it is ever pushed.
    pub fn of(kind: NotificationKind) -> Option<PushGroup> {
        use NotificationKind as K;
        match kind {
            K::Mention | K::ChannelMention => Some(PushGroup::Mentions),
            K::Comment | K::Reply | K::Answer | K::Accepted => Some(PushGroup::Replies),
            K::Announcement | K::Reminder => Some(PushGroup::Announcements),
            K::Question | K::AcceptReminder | K::Unanswered => Some(PushGroup::Questions),
            K::Post => Some(PushGroup::Posts),
            K::Reaction | K::PageOwner | K::PageReview | K::Journey => None,
        }
    }
}

/// A person's push settings, for the account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSettings {
    /// The VAPID public key (base64url) a device subscribes with.
    pub public_key: String,
    pub groups: Vec<PushGroup>,
    /// Quiet hours, minutes after local midnight: from, to (`None`: none).
    pub quiet: Option<(i64, i64)>,
    /// How many devices receive their notifications.
    pub devices: i64,
}

/// One line of the notification centre. Reactions to one post are summarised in one
/// line: `actor` and `others` more.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub kind: NotificationKind,
    pub actor: Option<PersonRef>,
    pub others: i64,
    pub post_id: Option<PostId>,
    /// The start of the post, as plain text.
    pub excerpt: String,
    pub channel_name: Option<String>,
    pub created_at: i64,
    pub read: bool,
    /// The knowledge page it names, with its title, if the reader may still read it.
    #[serde(default)]
    pub page: Option<(PageId, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notifications {
    pub items: Vec<NotificationView>,
    pub unread: i64,
    pub utc_offset_minutes: i32,
}

/// How much a channel member hears about it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotifyLevel {
    All,
    #[default]
    Mentions,
    Nothing,
}

impl NotifyLevel {
    pub const ALL: [NotifyLevel; 3] = [
        NotifyLevel::All,
        NotifyLevel::Mentions,
        NotifyLevel::Nothing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotifyLevel::All => "all",
            NotifyLevel::Mentions => "mentions",
            NotifyLevel::Nothing => "none",
        }
    }

    pub fn parse(value: &str) -> Option<NotifyLevel> {
        NotifyLevel::ALL.into_iter().find(|l| l.as_str() == value)
    }
}

/// A position in a newest-first list: the (created_at, id) of the last item seen.
/// Written as `created_at.id` in URLs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub created_at: i64,
    pub id: i64,
}

impl Cursor {
    /// Before everything: the first page.
    pub const NEWEST: Cursor = Cursor {
        created_at: i64::MAX,
        id: i64::MAX,
    };

    pub fn encode(self) -> String {
        format!("{}.{}", self.created_at, self.id)
    }

    pub fn decode(text: &str) -> Option<Cursor> {
        let (at, id) = text.split_once('.')?;
        Some(Cursor {
            created_at: at.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedPage {
    pub pinned: Vec<PostCard>,
    pub posts: Vec<PostCard>,
    pub next: Option<Cursor>,
    /// The company's offset from UTC now, for writing times as people there read them.
    pub utc_offset_minutes: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSummary {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub kind: ChannelKind,
    pub is_default: bool,
    pub member_count: i64,
    pub post_count: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSummary {
    pub person: PersonRef,
    pub department: Option<String>,
    pub location: String,
}

/// A department as a choice in a form or a line on a profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentRef {
    pub id: DepartmentId,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: DepartmentId,
    pub name: String,
    /// Active people in it.
    pub people: i64,
}

/// A page of the directory: who matched, and the departments to filter by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    pub people: Vec<PersonSummary>,
    pub departments: Vec<Department>,
}

/// Everything a profile page shows. Private fields (the birthday unless shared, the
/// e-mail for guests) are left empty by the server for people who may not see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub person: PersonRef,
    pub email: String,
    pub role: Role,
    pub active: bool,
    /// Has the leader permission (reads the adoption dashboard).
    pub leader: bool,
    pub department: Option<DepartmentRef>,
    /// Their manager, that manager's manager, and so on up.
    pub managers: Vec<PersonRef>,
    pub reports: Vec<PersonRef>,
    pub location: String,
    pub time_zone: Option<String>,
    /// The person's offset from UTC now, when they have a time zone.
    pub utc_offset_minutes: Option<i32>,
    /// `YYYY-MM-DD`.
    pub start_date: Option<String>,
    /// `MM-DD`.
    pub birthday: Option<String>,
    pub birthday_public: bool,
    pub expertise: Vec<String>,
    pub responsibilities: Vec<String>,
    /// What the viewer may do here, decided by the policy on the server.
    pub may_edit: bool,
    pub may_manage: bool,
    /// The viewer may make them a password reset link (and they are active).
    pub may_reset: bool,
    /// This site's address as the viewer reached it, for the reset link shown to them
    /// (empty unless `may_reset`).
    pub origin: String,
    /// When the server read it: the moment "local time now" refers to, the same for
    /// the server render and the hydrated page.
    pub now_ms: i64,
}

/// What an edit form starts from: the profile plus the choices its selects offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub profile: Profile,
    pub departments: Vec<DepartmentRef>,
    /// Active people who may be chosen as manager (never the person themself).
    pub managers: Vec<PersonRef>,
    /// Whether the viewer may change department and manager (admins only).
    pub may_edit_organisation: bool,
}

/// A pending invitation as its list shows it (the link itself is shown only once).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationSummary {
    pub id: i64,
    pub role: Role,
    pub department: Option<String>,
    pub channel: Option<String>,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub expires_at: i64,
    pub created_by: Option<String>,
    pub created_at: i64,
    /// The address it was mailed to, if it was.
    pub email: Option<String>,
}

/// What creating invitations gave: a link to pass on, or mails on their way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Invited {
    Link(String),
    Mailed {
        /// Addresses an invitation is on its way to.
        to: Vec<String>,
        /// Addresses that already have an account here: nothing was sent to them.
        already_here: Vec<String>,
    },
}

/// What the admin page needs: pending invitations, departments, and channels a guest
/// may be invited to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Administration {
    pub invitations: Vec<InvitationSummary>,
    pub departments: Vec<Department>,
    pub channels: Vec<ChannelRef>,
    pub utc_offset_minutes: i32,
    /// This site's address as the admin reached it, to write invitation links in full.
    pub origin: String,
    /// Whether this Townhall sends mail (invitations may then go by e-mail).
    pub mail: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelRef {
    pub id: ChannelId,
    pub slug: String,
    pub name: String,
}

/// What someone opening an invitation link sees before joining.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationDetails {
    pub company_name: String,
    pub role: Role,
    pub department: Option<String>,
    /// The address it was mailed to: the account is made with it.
    pub email: Option<String>,
}

/// What someone opening a password reset link sees before choosing a new password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetDetails {
    pub company_name: String,
    /// Whose password the link sets.
    pub name: String,
}

/// What a link in a mail offers, for its page (no sign-in: the link is the credential).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailLinkDetails {
    /// Stop the digest sent to `email`.
    Unsubscribe { email: String },
    /// Acknowledge the must-read `post`.
    Acknowledge {
        post: PostId,
        author: String,
        /// The start of the announcement, as plain text.
        excerpt: String,
        acknowledged: bool,
    },
}

/// A channel's header and its first page of posts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelPage {
    pub channel_id: ChannelId,
    pub channel: ChannelSummary,
    pub guidelines: String,
    pub feed: FeedPage,
    /// The kinds of post the viewer may write here; empty when they may not post.
    pub post_kinds: Vec<PostKind>,
    /// How much the viewer hears about it; `None` when they are not a member.
    pub notify: Option<NotifyLevel>,
    pub standing: ChannelStanding,
}

/// Where the viewer stands in a channel, and so which buttons its pages offer (the
/// server asks the policy again when one is pressed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelStanding {
    pub member: bool,
    pub channel_admin: bool,
    pub archived: bool,
    pub may_join: bool,
    pub may_leave: bool,
    pub may_manage: bool,
}

/// A line of the channel list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelListing {
    pub channel: ChannelSummary,
    pub standing: ChannelStanding,
    /// Posts by others since the viewer last opened the channel (0 when not a member),
    /// counted up to [`UNREAD_SHOWN_UP_TO`] + 1, which shows as "99+".
    pub unread: i64,
}

/// The largest count of new posts a channel's line shows; past it, "99+". Counting
/// further would cost a read of every post someone missed while away.
pub const UNREAD_SHOWN_UP_TO: i64 = 99;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelMember {
    pub person: PersonRef,
    pub admin: bool,
}

/// A channel's members page, with its settings for those who manage it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelRoster {
    pub channel: ChannelSummary,
    pub guidelines: String,
    pub standing: ChannelStanding,
    pub members: Vec<ChannelMember>,
    /// Whom the viewer may add; empty unless they manage the channel.
    pub candidates: Vec<PersonRef>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub company_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_first_and_last_word() {
        let p = |name: &str| PersonRef {
            id: PersonId(1),
            name: name.into(),
            job_title: String::new(),
            avatar: None,
        };
        assert_eq!(p("Nguyễn Văn An").initials(), "NA");
        assert_eq!(p("đặng thu").initials(), "ĐT");
        assert_eq!(p("Cher").initials(), "C");
        assert_eq!(p("  ").initials(), "");
    }

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let c = Cursor {
            created_at: 1_700_000_000_000,
            id: 42,
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("12"), None);
        assert_eq!(Cursor::decode("a.b"), None);
    }

    #[test]
    fn kinds_round_trip() {
        for k in [PostKind::Update, PostKind::Announcement, PostKind::Question] {
            assert_eq!(PostKind::parse(k.as_str()), Some(k));
        }
        for k in [
            ChannelKind::Public,
            ChannelKind::Private,
            ChannelKind::Announcement,
        ] {
            assert_eq!(ChannelKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(PostKind::parse("poll"), None);
    }
}

/// A figure for the dashboard's period and for the period of the same length before it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    pub now: f64,
    pub before: f64,
}

/// What the dashboard shows of a group: its figures, or only that it has fewer than
/// five people (no figure is ever broken down to fewer).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Guarded<T> {
    Shown(T),
    FewerThanFive,
}

/// The dashboard's period and filters, parsed from the page's address at the edge.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardFilter {
    pub period: Period,
    pub department: Option<DepartmentId>,
    pub channel: Option<ChannelId>,
}

/// The dashboard's period: the last 7, 30 or 90 days up to today, or two dates (days
/// since 1970-01-01 in the company's calendar, both counted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Period {
    Last(i64),
    Custom { from: i64, to: i64 },
}

impl Default for Period {
    fn default() -> Period {
        Period::Last(30)
    }
}

impl Period {
    /// The lengths `Last` may have.
    pub const LASTS: [i64; 3] = [7, 30, 90];

    /// From the page's `range` (`7`, `30`, `90`, `custom` or empty for 30) and, for
    /// `custom`, its `from` and `to` (`YYYY-MM-DD`). Whether the dates make a period
    /// that may be read (in order, not ahead, not too long) depends on today, which the
    /// dashboard checks. Parsed on the server only (the calendar is server-side).
    #[cfg(feature = "ssr")]
    pub fn parse(range: &str, from: &str, to: &str) -> Result<Period, crate::error::Invalid> {
        use crate::calendar::date_to_day;
        let bad = crate::error::Invalid::Unacceptable(crate::error::Field::Period);
        match range.trim() {
            "" => Ok(Period::default()),
            "custom" => Ok(Period::Custom {
                from: date_to_day(from.trim()).ok_or(bad)?,
                to: date_to_day(to.trim()).ok_or(bad)?,
            }),
            days => match days.parse() {
                Ok(days) if Period::LASTS.contains(&days) => Ok(Period::Last(days)),
                _ => Err(bad),
            },
        }
    }

    /// The `range` value the page's form sends for this period.
    pub fn range(&self) -> String {
        match self {
            Period::Last(days) => days.to_string(),
            Period::Custom { .. } => "custom".to_owned(),
        }
    }
}

/// A figure of the dashboard that downloads as CSV, by the name in
/// `/dashboard/export/{name}.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Metric {
    People,
    Participation,
    DailyActive,
    Content,
    Kinds,
    Announcements,
    Departments,
    Channels,
    Joiners,
    Leaders,
    Hours,
}

impl Metric {
    pub const ALL: [Metric; 11] = [
        Metric::People,
        Metric::Participation,
        Metric::DailyActive,
        Metric::Content,
        Metric::Kinds,
        Metric::Announcements,
        Metric::Departments,
        Metric::Channels,
        Metric::Joiners,
        Metric::Leaders,
        Metric::Hours,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Metric::People => "people",
            Metric::Participation => "participation",
            Metric::DailyActive => "daily-active",
            Metric::Content => "content",
            Metric::Kinds => "kinds",
            Metric::Announcements => "announcements",
            Metric::Departments => "departments",
            Metric::Channels => "channels",
            Metric::Joiners => "joiners",
            Metric::Leaders => "leaders",
            Metric::Hours => "hours",
        }
    }

    /// The metric a download's name asks for, if any.
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// The adoption dashboard for one period and filter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The period as shown: first and last day (`YYYY-MM-DD`), and how many days.
    pub from: String,
    pub to: String,
    pub days: i64,
    pub filter: DashboardFilter,
    pub departments: Vec<DepartmentRef>,
    pub channels: Vec<ChannelRef>,
    pub figures: Guarded<Figures>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Invited → joined → active, for invitations sent in the period.
    pub invited: Trend,
    pub joined: Trend,
    pub joined_active: Trend,
    /// People active on an average day, in the last 7 and the last 30 days of the period.
    pub dau: Trend,
    pub wau: Trend,
    pub mau: Trend,
    /// DAU ÷ MAU, in percent.
    pub stickiness: Trend,
    pub active: Trend,
    /// Shares of active people, in percent.
    pub readers: Trend,
    pub contributors: Trend,
    pub creators: Trend,
    /// Active people per day (`YYYY-MM-DD`, count).
    pub daily_active: Vec<(String, i64)>,
    pub content: ContentFigures,
    pub announcements: Vec<AnnouncementFigures>,
    pub departments: Vec<GroupFigures>,
    pub channels: Vec<GroupFigures>,
    pub joiners: Guarded<JoinerFigures>,
    /// Onboarding journeys of the people who joined in the period.
    pub onboarding: Guarded<OnboardingFigures>,
    pub leaders: Guarded<LeaderFigures>,
    /// Actions by weekday (Monday first) and hour, company time: 7 rows of 24.
    pub heat_map: Vec<Vec<i64>>,
    pub suggestions: Vec<Suggestion>,
}

/// Posts, comments, reactions and acknowledgements.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentFigures {
    pub posts: Trend,
    pub comments: Trend,
    pub reactions: Trend,
    pub acknowledgements: Trend,
    /// Per day: date, posts, comments, reactions, acknowledgements.
    pub per_day: Vec<(String, [i64; 4])>,
    pub kinds: Vec<KindFigures>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KindFigures {
    pub kind: PostKind,
    pub posts: i64,
    pub comments: i64,
    pub reactions: i64,
    pub acknowledgements: i64,
    pub impressions: i64,
    /// (Reactions + comments) per 100 impressions; `None` without impressions.
    pub engagement: Option<f64>,
    pub engagement_before: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnnouncementFigures {
    pub post_id: PostId,
    /// The beginning of its text.
    pub title: String,
    pub published_at: i64,
    pub must_read: bool,
    pub reach: Guarded<Reached>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reached {
    pub recipients: i64,
    /// Percent of recipients.
    pub seen: f64,
    pub acknowledged: f64,
    pub median_ack_ms: Option<i64>,
}

/// A department or channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupFigures {
    pub id: i64,
    pub name: String,
    /// A channel's address (empty for a department).
    pub slug: String,
    pub figures: Guarded<GroupNumbers>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupNumbers {
    pub people: i64,
    /// Percent of its people active in the period.
    pub active: Trend,
    pub posts_per_active: Trend,
    /// Clearly below the company's level, or dropping against the previous period.
    pub lagging: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JoinerFigures {
    pub joined: i64,
    /// Posted or commented within 14 days of joining.
    pub contributed: i64,
    pub share: f64,
}

/// How the period's joiners got on: their journeys, and how soon they first spoke up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OnboardingFigures {
    /// Joiners given at least one journey with steps, and those who finished every step.
    pub on_journey: i64,
    pub completed: i64,
    pub completion: f64,
    /// Median days from joining to the first post and to the first answer to someone
    /// else's question, among those who did (`None`: nobody yet).
    pub days_to_first_post: Option<i64>,
    pub days_to_first_answer: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeaderFigures {
    pub leaders: i64,
    pub posts: Trend,
    /// Reactions and comments per post.
    pub engagement: Trend,
}

/// Something the figures suggest doing, and where it is done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Suggestion {
    /// A department's active share against the company's (percent).
    LaggingDepartment {
        id: DepartmentId,
        name: String,
        active: f64,
        company: f64,
    },
    LaggingChannel {
        slug: String,
        name: String,
        active: f64,
        company: f64,
    },
    /// Must-read announcements under half acknowledged; the first one's post.
    Renotify { count: i64, post_id: PostId },
    /// Average days a question waits for someone else's answer in a channel.
    UnansweredQuestions { slug: String, days: f64 },
    /// Share of new joiners who contributed in their first 14 days (percent).
    WelcomeJoiners { share: f64 },
}
