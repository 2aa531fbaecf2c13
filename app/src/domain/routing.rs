//! Whom a question goes to: the people whose profile says they are responsible for, or
//! can be asked about, its topic, and who may read it. Posting calls this when a
//! question is written (`posts::check_post`); it sits below both `posts` and
//! `questions`, so neither imports the other in a circle.

use crate::error::AppError;
use crate::folding::fold;
use crate::model::PostKind;
use crate::policy::{allows, Action, ChannelFacts, Viewer};
use crate::store::{ChannelAccess, ExpertCandidate, RoutedExpert, Store};
use std::collections::BTreeSet;

/// The most people one question is routed to: it asks those who know, not everyone.
pub const MAX_ROUTED: usize = 5;

/// The folded words of `text`: lower case, without diacritics (đ is d), split on
/// anything that is not a letter or digit.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// How many words of profile line `topic` the question's words contain, if that is
/// enough to say the question is about it: every word of a topic of up to three words,
/// two thirds (rounded up) of a longer one.
pub fn topic_match(question: &BTreeSet<String>, topic: &str) -> Option<usize> {
    let topic: BTreeSet<String> = words(topic).into_iter().collect();
    if topic.is_empty() {
        return None;
    }
    let found = topic.iter().filter(|w| question.contains(*w)).count();
    let needed = if topic.len() <= 3 {
        topic.len()
    } else {
        (topic.len() * 2).div_ceil(3)
    };
    (found >= needed).then_some(found)
}

/// Whom a question in `channel` goes to: people who may read the channel and whose
/// "responsible for" (first) or "ask me about" lines match it, the best matches first,
/// at most [`MAX_ROUTED`].
pub(crate) fn route(
    question: &str,
    channel: &ChannelAccess,
    candidates: Vec<ExpertCandidate>,
) -> Vec<RoutedExpert> {
    let asked: BTreeSet<String> = words(question).into_iter().collect();
    let mut found: Vec<(bool, usize, RoutedExpert)> = Vec::new();
    for candidate in candidates {
        let person = Viewer {
            user_id: candidate.target.user_id,
            name: candidate.target.name.clone(),
            role: candidate.target.role,
            leader: false,
        };
        let facts = ChannelFacts {
            kind: channel.summary.kind,
            member: candidate.target.member,
        };
        if !allows(Some(&person), Action::ReadChannel(facts)) {
            continue;
        }
        let best = [
            (true, &candidate.responsibilities),
            (false, &candidate.expertise),
        ]
        .into_iter()
        .flat_map(|(responsible, lines)| {
            lines
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(move |line| (responsible, line))
        })
        .filter_map(|(responsible, line)| {
            topic_match(&asked, line).map(|n| (responsible, n, line.to_owned()))
        })
        .max_by_key(|(responsible, n, _)| (*responsible, *n));
        if let Some((responsible, n, topic)) = best {
            found.push((
                responsible,
                n,
                RoutedExpert {
                    user_id: candidate.target.user_id,
                    topic,
                    responsible,
                },
            ));
        }
    }
    found.sort_by_key(|(responsible, n, e)| (!responsible, std::cmp::Reverse(*n), e.user_id));
    found
        .into_iter()
        .take(MAX_ROUTED)
        .map(|(_, _, e)| e)
        .collect()
}

/// The experts a question posted by `author` in `channel` goes to.
pub(crate) async fn experts_for(
    store: &Store,
    author: &Viewer,
    channel: &ChannelAccess,
    kind: PostKind,
    body: &str,
) -> Result<Vec<RoutedExpert>, AppError> {
    if kind != PostKind::Question {
        return Ok(Vec::new());
    }
    let candidates = store.expert_candidates(channel.id, author.user_id).await?;
    Ok(route(body, channel, candidates))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(text: &str) -> BTreeSet<String> {
        words(text).into_iter().collect()
    }

    #[test]
    fn a_topic_matches_a_question_in_other_words_and_without_diacritics() {
        let q = asked("Mình cần hoàn ứng chi phí đi công tác thế nào ạ?");
        assert_eq!(topic_match(&q, "Hoàn ứng công tác phí"), Some(5));
        let typed = asked("minh can hoan ung cong tac phi");
        assert_eq!(topic_match(&typed, "Hoàn ứng công tác phí"), Some(5));
        // đ is a letter of its own, folded to d.
        assert!(topic_match(&asked("đăng ký đồng phục"), "Dang ky dong phuc").is_some());
        // A short topic needs all its words; a longer one two thirds.
        assert_eq!(topic_match(&q, "Công tác nước ngoài"), None);
        assert_eq!(topic_match(&asked("VPN bị lỗi chứng chỉ"), "VPN"), Some(1));
        assert_eq!(topic_match(&q, ""), None);
    }
}
