//! `AppError`: the one error type of the server-function layer.
//!
//! Every variant is something the interface can explain to a person in their language
//! ([`AppError::message`]). Causes (driver errors, file paths, SQL) are logged on the
//! server where the error is created and never cross the wire, so no error page can
//! leak internals.

use crate::i18n::Texts;
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
            | AppError::ChannelMentionAdminsOnly => 403,
            AppError::NotFound | AppError::Invitation(InvitationProblem::Unknown) => 404,
            AppError::Invitation(_) => 410,
            AppError::AlreadySetUp | AppError::ChannelRule(_) => 409,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Unavailable | AppError::Busy => 503,
            AppError::Network | AppError::Internal => 500,
        }
    }

    pub fn message(&self, t: &Texts) -> String {
        let field = |f: &Field| match f {
            Field::CompanyName => t.field_company_name,
            Field::Name => t.field_name,
            Field::Email => t.field_email,
            Field::Password => t.field_password,
            Field::Search => t.field_search,
            Field::JobTitle => t.field_job_title,
            Field::Location => t.field_location,
            Field::TimeZone => t.field_time_zone,
            Field::StartDate => t.field_start_date,
            Field::Birthday => t.field_birthday,
            Field::Expertise => t.field_expertise,
            Field::Responsibilities => t.field_responsibilities,
            Field::Department => t.field_department,
            Field::Manager => t.field_manager,
            Field::Role => t.field_role,
            Field::Channel => t.field_channel,
            Field::DepartmentName => t.field_department_name,
            Field::ValidDays => t.field_valid_days,
            Field::Uses => t.field_uses,
            Field::Avatar => t.field_avatar,
            Field::Post => t.field_post,
            Field::Comment => t.field_comment,
            Field::Kind => t.field_kind,
            Field::Reaction => t.field_reaction,
            Field::PublishAt => t.field_publish_at,
            Field::Audience => t.field_audience,
            Field::ExpiresAt => t.field_expires_at,
            Field::Period => t.field_period,
            Field::NotifyLevel => t.field_notify_level,
            Field::ChannelName => t.field_channel_name,
            Field::Description => t.field_description,
            Field::Guidelines => t.field_guidelines,
            Field::Person => t.field_person,
        };
        let text = match self {
            AppError::Invalid(Invalid::Required(f)) => return (t.error_required)(field(f)),
            AppError::Invalid(Invalid::TooLong(f, max)) => {
                return (t.error_too_long)(field(f), *max as i64)
            }
            AppError::Invalid(Invalid::TooMany(f, max)) => {
                return (t.error_too_many)(field(f), *max as i64)
            }
            AppError::Invalid(Invalid::Unacceptable(f)) => return (t.error_unacceptable)(field(f)),
            AppError::Invalid(Invalid::ManagerLoop) => t.error_manager_loop,
            AppError::Invalid(Invalid::EmailTaken) => t.error_email_taken,
            AppError::Invalid(Invalid::DepartmentExists) => t.error_department_exists,
            AppError::Invalid(Invalid::AvatarTooLarge(mb)) => {
                return (t.error_avatar_too_large)(*mb as i64)
            }
            AppError::Invitation(InvitationProblem::Unknown) => t.error_invitation_unknown,
            AppError::Invitation(InvitationProblem::Expired) => t.error_invitation_expired,
            AppError::Invitation(InvitationProblem::UsedUp) => t.error_invitation_used_up,
            AppError::Invitation(InvitationProblem::Revoked) => t.error_invitation_revoked,
            AppError::Invitation(InvitationProblem::ChannelClosed) => {
                t.error_invitation_channel_closed
            }
            AppError::Invalid(Invalid::BadEmail) => t.error_bad_email,
            AppError::Invalid(Invalid::PasswordTooShort) => t.error_password_short,
            AppError::Invalid(Invalid::PasswordTooCommon) => t.error_password_common,
            AppError::Invalid(Invalid::PasswordIsEmail) => t.error_password_is_email,
            AppError::Invalid(Invalid::ConfirmChannelMention(n)) => {
                return (t.error_confirm_channel_mention)(*n)
            }
            AppError::ChannelMentionAdminsOnly => t.error_channel_mention_admins_only,
            AppError::Invalid(Invalid::ScheduledInPast) => t.error_scheduled_in_past,
            AppError::Invalid(Invalid::ChannelExists) => t.error_channel_exists,
            AppError::Invalid(Invalid::ChannelNameNoLetters) => t.error_channel_name_letters,
            AppError::Invalid(Invalid::TooManyMentions(max)) => {
                return (t.error_too_many_mentions)(*max as i64)
            }
            AppError::Invalid(Invalid::TooManyTags(max)) => {
                return (t.error_too_many_tags)(*max as i64)
            }
            AppError::Invalid(Invalid::TooComplex(f)) => return (t.error_too_complex)(field(f)),
            AppError::ChannelRule(ChannelRule::LastAdmin) => t.error_last_channel_admin,
            AppError::ChannelRule(ChannelRule::DefaultChannel) => t.error_default_channel,
            AppError::ChannelArchived => t.error_channel_archived,
            AppError::AnnouncementsOnly => t.error_announcements_only,
            AppError::NotSignedIn => t.error_not_signed_in,
            AppError::Forbidden => t.error_forbidden,
            AppError::WrongCredentials => t.error_wrong_credentials,
            AppError::Deactivated => t.error_deactivated,
            AppError::TooManyAttempts { minutes } => return (t.error_too_many_attempts)(*minutes),
            AppError::AlreadySetUp => t.error_already_set_up,
            AppError::NotFound => t.error_not_found,
            AppError::BadRequest => t.error_bad_request,
            AppError::Unavailable => t.error_unavailable,
            AppError::Busy => t.error_busy,
            AppError::Network => t.error_network,
            AppError::Internal => t.error_internal,
        };
        text.to_owned()
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
