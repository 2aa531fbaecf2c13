//! What each [`AppError`] says to a person, in their language. It lives with the texts,
//! not with the error: errors are the bottom floor (the model and every layer use them),
//! and the texts name model types, so the error type must not reach up to them.

use super::Texts;
use crate::error::{AppError, ChannelRule, Field, Invalid, InvitationProblem, QuestionRule};

impl AppError {
    /// The error as a sentence in the language of `t`.
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
            Field::ReminderDays => t.qa.field_reminder_days,
            Field::PageTitle => t.knowledge.field_title,
            Field::PageBody => t.knowledge.field_body,
            Field::ReviewDays => t.knowledge.field_review_days,
            Field::Space => t.knowledge.field_space,
            Field::ParentPage => t.knowledge.field_parent,
            Field::PageOwner => t.knowledge.owner,
            Field::JourneyName => t.journeys.field_name,
            Field::StepDay => t.journeys.field_day,
            Field::StepNote => t.journeys.field_note,
            Field::StepTarget => t.journeys.field_target,
            Field::Journey => t.journeys.field_journey,
            Field::JoinRule => t.journeys.field_join_rule,
            Field::File => t.files.field_file,
            Field::FileMaxMb => t.files.field_max_mb,
            Field::FileQuotaMb => t.files.field_quota_mb,
            Field::PushDevice => t.push.field_device,
            Field::PushGroups => t.push.field_groups,
            Field::QuietHours => t.push.field_quiet,
            Field::ClientId => t.field_post,
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
            AppError::Invalid(Invalid::NotInvitedAddress) => t.mail.error_not_invited_address,
            AppError::Invalid(Invalid::DepartmentExists) => t.error_department_exists,
            AppError::Invalid(Invalid::AvatarTooLarge(mb)) => {
                return (t.error_avatar_too_large)(*mb as i64)
            }
            AppError::Invitation(InvitationProblem::Unknown) => t.error_invitation_unknown,
            AppError::ResetLink => t.error_reset_link,
            AppError::MailLink => t.mail.error_link,
            AppError::MailOff => t.mail.error_mail_off,
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
            AppError::Invalid(Invalid::OutOfRange(f, min, max)) => {
                return (t.knowledge.error_out_of_range)(field(f), *min, *max)
            }
            AppError::Invalid(Invalid::PageLoop) => t.knowledge.error_page_loop,
            AppError::Invalid(Invalid::FileTooLarge(mb)) => {
                return (t.files.error_too_large)(*mb as i64)
            }
            AppError::Invalid(Invalid::FilesQuotaFull) => t.files.error_quota_full,
            AppError::Invalid(Invalid::FileEmpty) => t.files.error_empty,
            AppError::Invalid(Invalid::FilesWhenScheduled) => t.files.error_scheduled,
            AppError::ChannelRule(ChannelRule::LastAdmin) => t.error_last_channel_admin,
            AppError::ChannelRule(ChannelRule::DefaultChannel) => t.error_default_channel,
            AppError::Question(QuestionRule::NotYourQuestion) => t.qa.error_not_your_question,
            AppError::Question(QuestionRule::NotAQuestion) => t.qa.error_not_a_question,
            AppError::Question(QuestionRule::NotAnAnswer) => t.qa.error_not_an_answer,
            AppError::Question(QuestionRule::OwnAnswer) => t.qa.error_own_answer,
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
            AppError::Network => t.island.network,
            AppError::Internal => t.error_internal,
        };
        text.to_owned()
    }
}
