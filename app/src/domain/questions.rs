//! Questions and answers (routing a question to the people who know its topic is
//! `domain::routing`, which posting calls): accepting an answer and marking answers helpful, similar questions
//! while one is typed, and the reminders (to the asker when answers wait for their
//! acceptance, to a channel's admins when a question has no answer).
//!
//! An answer is a top-level comment on a question (`domain::posts::comment` writes
//! it); replies under an answer are discussion. Everything here passes the same read
//! rule as posts: a question one may not read is `NotFound`, never named or suggested.

use crate::calendar::Calendar;
use crate::domain::posts::{respondable, visible_post};
use crate::domain::routing::words;
use crate::error::{AppError, Field, Invalid, QuestionRule};
use crate::model::{CommentId, LiveKind, NotificationKind, PostId, PostKind, SimilarQuestion};
use crate::policy::{allows, Action, Viewer};
use crate::store::{DueQuestion, NewNotification, QuestionSettings, Reader, Store};
use std::collections::BTreeSet;

/// The most similar questions shown under the composer.
pub const MAX_SIMILAR: usize = 5;
/// The longest draft similar questions are looked for with (longer is cut).
pub const MAX_DRAFT: usize = 2_000;
/// The longest a reminder may wait, in days.
pub const MAX_REMINDER_DAYS: i64 = 90;

const DAY_MS: i64 = 86_400_000;

/// Words too common to say what a question is about (Vietnamese and English, folded).
/// "chi" (expense, as in "chi phí") and "ung" (advance) stay: they carry meaning.
const STOP_WORDS: &[&str] = &[
    "la", "co", "khong", "cua", "va", "cho", "nhu", "the", "nao", "minh", "toi", "ban", "em",
    "anh", "a", "oi", "nhe", "voi", "de", "thi", "ma", "nay", "do", "duoc", "can", "muon", "hoi",
    "lam", "sao", "gi", "o", "trong", "khi", "ai", "mot", "cac", "nhung", "se", "da", "dang", "ve",
    "tu", "ra", "vao", "len", "how", "do", "does", "i", "we", "you", "the", "a", "an", "to", "of",
    "in", "on", "for", "is", "are", "what", "who", "where", "when", "can", "my", "our", "and",
    "or", "it", "with", "should", "anyone", "there", "this", "that", "be",
];

/// The words of `text` that say what it is about.
fn significant(text: &str) -> BTreeSet<String> {
    words(text)
        .into_iter()
        .filter(|w| w.chars().count() >= 2 && !STOP_WORDS.contains(&w.as_str()))
        .collect()
}

/// Accepts `comment` as the answer to question `post` (`on`), replacing any other, or
/// takes the acceptance back: the asker or the channel's admins. The answer's author
/// is told.
pub async fn accept(
    store: &Store,
    viewer: &Viewer,
    post: PostId,
    comment: CommentId,
    on: bool,
    now: i64,
) -> Result<(), AppError> {
    let (place, channel) = visible_post(store, viewer, post).await?;
    if place.kind != PostKind::Question {
        return Err(AppError::Question(QuestionRule::NotAQuestion));
    }
    let action = Action::AcceptAnswer {
        asker: place.author_id,
        channel_admin: channel.membership == Some(true),
        archived: channel.archived,
    };
    if !allows(Some(viewer), action) {
        return Err(if channel.archived {
            AppError::ChannelArchived
        } else {
            AppError::Question(QuestionRule::NotYourQuestion)
        });
    }
    let answerer = match store.comment_place(comment).await? {
        Some((of, None, author)) if of == post => author,
        _ => return Err(AppError::Question(QuestionRule::NotAnAnswer)),
    };
    let mut tx = store.begin().await?;
    let changed = if on {
        tx.accept_answer(post, comment, now).await?
    } else {
        tx.unaccept_answer(post, comment).await?
    };
    if changed && on && answerer != viewer.user_id {
        tx.notify(
            &[NewNotification {
                user_id: answerer,
                kind: NotificationKind::Accepted,
                actor_id: Some(viewer.user_id),
                post_id: Some(post),
                comment_id: Some(comment),
            }],
            now,
        )
        .await?;
    }
    if changed {
        crate::domain::posts::post_changed(
            &mut tx,
            LiveKind::Changed,
            &place,
            &channel,
            post,
            viewer.user_id,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Marks an answer helpful (`on`) or takes that back: anyone who may respond to the
/// question, except the answer's author. Returns whether it is marked now.
pub async fn helpful(
    store: &Store,
    viewer: &Viewer,
    comment: CommentId,
    on: bool,
    now: i64,
) -> Result<bool, AppError> {
    let (post, parent, author) = store
        .comment_place(comment)
        .await?
        .ok_or(AppError::NotFound)?;
    let (place, channel) = respondable(store, viewer, post).await?;
    if place.kind != PostKind::Question {
        return Err(AppError::Question(QuestionRule::NotAQuestion));
    }
    if parent.is_some() {
        return Err(AppError::Question(QuestionRule::NotAnAnswer));
    }
    if author == viewer.user_id {
        return Err(AppError::Question(QuestionRule::OwnAnswer));
    }
    let mut tx = store.begin().await?;
    if tx.set_helpful(comment, viewer.user_id, on, now).await? {
        crate::domain::posts::post_changed(
            &mut tx,
            LiveKind::Changed,
            &place,
            &channel,
            post,
            viewer.user_id,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(on)
}

/// Questions already asked that look like `draft`, among those `viewer` may read:
/// answered ones first, then the closest. Empty for a draft with too little to go on.
pub async fn similar(
    store: &Store,
    viewer: &Viewer,
    draft: &str,
) -> Result<Vec<SimilarQuestion>, AppError> {
    let draft: String = draft.chars().take(MAX_DRAFT).collect();
    let asked = significant(&draft);
    if asked.len() < 2 {
        return Ok(Vec::new());
    }
    // The longest words find candidates; every word scores them.
    let mut longest: Vec<&String> = asked.iter().collect();
    longest.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let patterns: Vec<String> = longest
        .into_iter()
        .take(6)
        .map(|w| format!("%{w}%"))
        .collect();
    let candidates = store
        .question_candidates(Reader::of(viewer), &patterns)
        .await?;
    let mut scored: Vec<(bool, usize, SimilarQuestion)> = candidates
        .into_iter()
        .filter_map(|(mut question, text)| {
            let theirs: BTreeSet<String> = text
                .split(|c: char| !c.is_alphanumeric())
                .map(str::to_owned)
                .collect();
            let shared = asked.iter().filter(|w| theirs.contains(*w)).count();
            // Two words in common, and a third of what is being asked.
            if shared < 2 || shared * 3 < asked.len() {
                return None;
            }
            question.title = title_of(&question.title);
            Some((question.answered, shared, question))
        })
        .collect();
    scored.sort_by_key(|(answered, shared, q)| {
        (
            !answered,
            std::cmp::Reverse(*shared),
            std::cmp::Reverse(q.id),
        )
    });
    Ok(scored
        .into_iter()
        .take(MAX_SIMILAR)
        .map(|(_, _, q)| q)
        .collect())
}

/// What a knowledge page made from question `post` starts with ("Turn into a page"): a
/// title from the question's first line, the question and its accepted answer as the
/// body, and the question's channel as the space to suggest. Only a question `viewer`
/// may read that has an accepted answer.
pub async fn page_source(
    store: &Store,
    viewer: &Viewer,
    post: PostId,
    t: &crate::i18n::Texts,
) -> Result<(String, String, crate::model::ChannelId), AppError> {
    let (place, _) = visible_post(store, viewer, post).await?;
    if place.kind != PostKind::Question {
        return Err(AppError::Question(QuestionRule::NotAQuestion));
    }
    let reader = Reader::of(viewer);
    let card = store
        .post_card(reader, post)
        .await?
        .ok_or(AppError::NotFound)?;
    let accepted = card
        .accepted_answer
        .ok_or(AppError::Question(QuestionRule::NotAnAnswer))?;
    let answer = store
        .thread(reader, post, Some(accepted), true)
        .await?
        .into_iter()
        .find(|c| c.accepted)
        .ok_or(AppError::Question(QuestionRule::NotAnAnswer))?;
    // `body_html` holds the Markdown until a page renders it.
    let body = format!(
        "{}\n\n---\n\n**{}** — {}\n\n{}",
        card.body.trim(),
        t.qa.accepted_answer,
        answer.author.name,
        answer.body_html.trim()
    );
    Ok((title_of(&card.body), body, place.channel_id))
}

/// The first line of a question's Markdown, as plain text, short enough for a list.
pub(crate) fn title_of(body: &str) -> String {
    let line = body
        .lines()
        .map(|l| l.trim().trim_start_matches(['#', '>', '-', '*', ' ']))
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let plain: String = line
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`'))
        .collect();
    if plain.chars().count() > 140 {
        format!("{}…", plain.chars().take(140).collect::<String>())
    } else {
        plain
    }
}

/// Reads the reminder settings.
pub async fn settings(store: &Store, viewer: &Viewer) -> Result<QuestionSettings, AppError> {
    if !allows(Some(viewer), Action::ManagePeople) {
        return Err(AppError::Forbidden);
    }
    Ok(store.question_settings().await?)
}

/// Changes how long the reminders wait (company admins; 0 to [`MAX_REMINDER_DAYS`]).
pub async fn set_settings(
    store: &Store,
    viewer: &Viewer,
    accept_days: &str,
    unanswered_days: &str,
) -> Result<QuestionSettings, AppError> {
    if !allows(Some(viewer), Action::ManagePeople) {
        return Err(AppError::Forbidden);
    }
    let days = |text: &str| {
        text.trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=MAX_REMINDER_DAYS).contains(d))
            .ok_or(AppError::from(Invalid::Unacceptable(Field::ReminderDays)))
    };
    let settings = QuestionSettings {
        accept_reminder_days: days(accept_days)?,
        unanswered_reminder_days: days(unanswered_days)?,
    };
    let mut tx = store.begin().await?;
    tx.set_question_settings(settings).await?;
    tx.commit().await?;
    Ok(settings)
}

/// The instant `n` working days (Monday to Friday, in the company's time zone) before
/// `now`: a question asked by then has waited that long.
pub fn working_days_before(calendar: &Calendar, now: i64, n: i64) -> i64 {
    let mut at = now;
    let mut counted = 0;
    while counted < n {
        at -= DAY_MS;
        if crate::calendar::weekday(calendar.day(at)) < 5 {
            counted += 1;
        }
    }
    at
}

/// Sends the reminders that are due at `now`, each question's at most once: the asker
/// of a question whose first answer has waited the company's days for acceptance, and
/// the admins of a channel whose question has had no answer for its working days.
/// Returns how many questions were reminded about. Several instances may run it at
/// once: each reminder is claimed by a conditional update in its own transaction.
pub async fn remind(store: &Store, now: i64) -> Result<usize, AppError> {
    let settings = store.question_settings().await?;
    let mut sent = 0;
    if settings.accept_reminder_days > 0 {
        let due = store
            .questions_due(true, now - settings.accept_reminder_days * DAY_MS)
            .await?;
        for question in due {
            sent +=
                usize::from(send_reminder(store, question, &[question.asker], true, now).await?);
        }
    }
    if settings.unanswered_reminder_days > 0 {
        let calendar = store.calendar().await?;
        let before = working_days_before(&calendar, now, settings.unanswered_reminder_days);
        for question in store.questions_due(false, before).await? {
            let admins: Vec<_> = store
                .channel_admin_ids(question.channel_id)
                .await?
                .into_iter()
                .filter(|id| *id != question.asker)
                .collect();
            sent += usize::from(send_reminder(store, question, &admins, false, now).await?);
        }
    }
    Ok(sent)
}

/// Claims one reminder and notifies `to`; false when another instance claimed it.
async fn send_reminder(
    store: &Store,
    question: DueQuestion,
    to: &[crate::model::PersonId],
    accept: bool,
    now: i64,
) -> Result<bool, AppError> {
    let mut tx = store.begin().await?;
    let claimed = if accept {
        tx.mark_accept_reminded(question.post_id, now).await?
    } else {
        tx.mark_unanswered_reminded(question.post_id, now).await?
    };
    if !claimed {
        return Ok(false);
    }
    let list: Vec<NewNotification> = to
        .iter()
        .map(|user_id| NewNotification {
            user_id: *user_id,
            kind: if accept {
                NotificationKind::AcceptReminder
            } else {
                NotificationKind::Unanswered
            },
            // The unanswered reminder names the asker; the asker's own names no one.
            actor_id: (!accept).then_some(question.asker),
            post_id: Some(question.post_id),
            comment_id: None,
        })
        .collect();
    tx.notify(&list, now).await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_titles_first_line_is_plain_and_short() {
        assert_eq!(
            title_of("## **Hoàn ứng** thế nào?\nchi tiết"),
            "Hoàn ứng thế nào?"
        );
        assert_eq!(title_of(&"a".repeat(200)).chars().count(), 141);
    }

    #[test]
    fn working_days_skip_the_weekend() {
        let cal = Calendar::of("UTC");
        // 2026-12-07 is a Monday.
        let monday =
            cal.start_of_day(crate::calendar::date_to_day("2026-12-07").unwrap()) + 10 * 3_600_000;
        let thursday = monday - 4 * DAY_MS;
        assert_eq!(working_days_before(&cal, monday, 2), thursday);
        assert_eq!(working_days_before(&cal, monday, 0), monday);
    }
}
