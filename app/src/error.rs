//! `AppError`: the one error type of the server-function layer.
//!
//! Every variant is something the interface can explain to a person in their language
//! ([`AppError::message`], in `i18n/errors.rs`: errors sit below the texts). Causes (driver errors, file paths, SQL) are logged on the
//! server where the error is created and never cross the wire, so no error page can
//! leak internals.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A form field, for messages that name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    CompanyName,
    Name,
    Email,
    Password,
    Search,
    JobTitle,
    Location,
    TimeZone,
    StartDate,
    Birthday,
    Expertise,
    Responsibilities,
    Department,
    Manager,
    Role,
    Channel,
    DepartmentName,
    ValidDays,
    Uses,
    Avatar,
    Post,
    Comment,
    Kind,
    Reaction,
    // Scheduled posts
    PublishAt,
    // The living feed
    Audience,
    ExpiresAt,
    NotifyLevel,
    // Channel management
    ChannelName,
    Description,
    Guidelines,
    Person,
    // The adoption dashboard
    Period,
    // Questions and answers
    /// Days before a reminder about a question (a company setting).
    ReminderDays,
    // Knowledge pages
    PageTitle,
    PageBody,
    ReviewDays,
    Space,
    ParentPage,
    PageOwner,
    // Onboarding journeys
    JourneyName,
    /// The day a step falls on.
    StepDay,
    /// A task's words, or the note beside a step.
    StepNote,
    /// The page, channel or person a step points at.
    StepTarget,
    /// The journey chosen (to give someone).
    Journey,
    /// Who gets a journey on joining (department, role).
    JoinRule,
    File,
    FileMaxMb,
    FileQuotaMb,
    // Push notifications
    PushDevice,
    PushGroups,
    QuietHours,
    /// A form's client-made id (the offline outbox's).
    ClientId,
}

/// Why a submitted value was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Invalid {
    Required(Field),
    TooLong(Field, usize),
    /// More entries than a list field takes.
    TooMany(Field, usize),
    /// Not a value the field accepts (an unknown department, a date that does not exist…).
    Unacceptable(Field),
    /// The chosen manager reports, directly or not, to the person.
    ManagerLoop,
    /// Another account already uses this e-mail address.
    EmailTaken,
    /// The invitation was mailed to another address: joining through it uses that one.
    NotInvitedAddress,
    /// Another department already has this name.
    DepartmentExists,
    /// The avatar is larger than the limit (in megabytes).
    AvatarTooLarge(usize),
    BadEmail,
    PasswordTooShort,
    PasswordTooCommon,
    PasswordIsEmail,
    // Scheduled posts
    /// The chosen publishing time has already passed.
    ScheduledInPast,
    // The living feed
    /// `@channel` would notify this many people: the author must confirm first.
    ConfirmChannelMention(i64),
    // Channel management
    /// Another channel already has this name (or one that makes the same address).
    ChannelExists,
    /// The name has nothing to make the channel's address from.
    ChannelNameNoLetters,
    // Bounded inputs
    /// A post or comment mentions more people than this; `@channel` reaches everyone.
    TooManyMentions(usize),
    /// A post has more tags than this.
    TooManyTags(usize),
    /// The text would render to too large a page (a huge table, a link repeated
    /// thousands of times).
    TooComplex(Field),
    // Knowledge pages
    /// A number outside the range the field takes (inclusive).
    OutOfRange(Field, i64, i64),
    /// The chosen parent page is the page itself or lies below it.
    PageLoop,
    // Attachments
    /// The file is larger than the company's limit (in megabytes).
    FileTooLarge(usize),
    /// The company's files have reached their quota.
    FilesQuotaFull,
    /// The file has no bytes.
    FileEmpty,
    /// Files cannot wait with a scheduled post.
    FilesWhenScheduled,
}

impl From<Invalid> for AppError {
    fn from(problem: Invalid) -> Self {
        AppError::Invalid(problem)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationProblem {
    /// No such link (mistyped, or never existed).
    Unknown,
    Expired,
    UsedUp,
    Revoked,
    /// Its channel is archived, or no longer one its admin may manage.
    ChannelClosed,
}

/// Rules that keep every channel usable, whoever asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChannelRule {
    /// The last channel admin can neither leave nor stop being one.
    LastAdmin,
    /// Everyone stays in the company-wide channel, and it stays open.
    DefaultChannel,
}

/// What questions and their answers allow, whoever asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionRule {
    /// Only the asker (or the channel's admins) accepts an answer.
    NotYourQuestion,
    /// Only a question has answers to accept.
    NotAQuestion,
    /// The comment is not an answer to this question (a reply, or another post's).
    NotAnAnswer,
    /// One's own answer is not marked helpful by oneself.
    OwnAnswer,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// A submitted value broke a rule; nothing was stored.
    #[error("invalid input: {0:?}")]
    Invalid(Invalid),
    /// The request needs a signed-in person.
    #[error("not signed in")]
    NotSignedIn,
    /// The person asking may not do this.
    #[error("forbidden")]
    Forbidden,
    #[error("wrong e-mail or password")]
    WrongCredentials,
    #[error("account deactivated")]
    Deactivated,
    #[error("too many failed sign-in attempts")]
    TooManyAttempts { minutes: i64 },
    /// The invitation link cannot be used, and why.
    #[error("invitation unusable: {0:?}")]
    Invitation(InvitationProblem),
    /// The password reset link is unknown, expired, used or replaced — one answer for
    /// all, so that a link says nothing about the account it was for.
    #[error("reset link unusable")]
    ResetLink,
    /// A link in a mail (unsubscribe, acknowledge) is unknown, expired, or for someone
    /// who is no longer here — one answer for all.
    #[error("mail link unusable")]
    MailLink,
    /// This Townhall sends no e-mail (no SMTP server is set up).
    #[error("e-mail is off")]
    MailOff,
    /// The channel is archived: it can be read, not changed.
    #[error("channel archived")]
    ChannelArchived,
    /// Only the channel's admins post in an announcement channel.
    #[error("announcement channel")]
    AnnouncementsOnly,
    /// Only the channel's admins notify everyone in it with `@channel`.
    #[error("@channel is for channel admins")]
    ChannelMentionAdminsOnly,
    /// A channel-management rule refused the change.
    #[error("channel rule: {0:?}")]
    ChannelRule(ChannelRule),
    /// A question-and-answer rule refused the change.
    #[error("question rule: {0:?}")]
    Question(QuestionRule),
    /// First run was already completed.
    #[error("already set up")]
    AlreadySetUp,
    /// The thing asked for does not exist (or the asker may not know it exists).
    #[error("not found")]
    NotFound,
    /// The request carried a value the server does not accept.
    #[error("bad request")]
    BadRequest,
    /// The database could not be reached; the request may succeed later.
    #[error("service unavailable")]
    Unavailable,
    /// Too much heavy work (password hashing, photo decoding) is under way: try again.
    #[error("busy")]
    Busy,
    /// The browser could not reach the server (or got an unreadable answer).
    #[error("network error")]
    Network,
    /// Anything else: a bug. Details are in the server log.
    #[error("internal error")]
    Internal,
}

/// The header in which the server words a refused call for the reader, percent-encoded
/// (UTF-8): the islands show it, and so carry no error texts of their own.
pub const MESSAGE_HEADER: &str = "x-townhall-message";

impl AppError {
    /// The HTTP status a server-function call answers with when it fails this way.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) | AppError::BadRequest => 400,
            AppError::NotSignedIn | AppError::WrongCredentials => 401,
            AppError::Forbidden
            | AppError::Deactivated
            | AppError::ChannelArchived
            | AppError::AnnouncementsOnly
            | AppError::ChannelMentionAdminsOnly
            | AppError::Question(QuestionRule::NotYourQuestion) => 403,
            AppError::Question(_) => 400,
            AppError::NotFound | AppError::Invitation(InvitationProblem::Unknown) => 404,
            AppError::Invitation(_) | AppError::ResetLink | AppError::MailLink => 410,
            AppError::MailOff => 409,
            AppError::AlreadySetUp | AppError::ChannelRule(_) => 409,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Unavailable | AppError::Busy => 503,
            AppError::Network | AppError::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_)
            | ServerFnErrorErr::Response(_)
            | ServerFnErrorErr::Deserialization(_) => AppError::Network,
            // The request's arguments did not parse: a hand-made or stale form.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest,
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                AppError::Internal
            }
        }
    }
}
