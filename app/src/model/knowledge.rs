//! Knowledge pages on the wire: what the pages of `/pages` show, shared by both builds.

pub use super::PageId;
use super::{ChannelId, DepartmentId, PersonId, PersonRef};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The review interval a page gets unless its owner chooses another, in days.
pub const DEFAULT_REVIEW_DAYS: i64 = 90;
/// The shortest and longest review interval, in days.
pub const MIN_REVIEW_DAYS: i64 = 7;
pub const MAX_REVIEW_DAYS: i64 = 365;
/// How long past its review date a page is "due for review" before it is "stale".
pub const DUE_GRACE_DAYS: i64 = 30;
pub const DAY_MS: i64 = 86_400_000;

/// Where a page lives: the whole company, one channel, or one department. Written in
/// forms and URLs as `company`, `channel-12`, `department-3`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SpaceKey {
    Company,
    Channel(ChannelId),
    Department(DepartmentId),
}

impl SpaceKey {
    pub fn kind(self) -> &'static str {
        match self {
            SpaceKey::Company => "company",
            SpaceKey::Channel(_) => "channel",
            SpaceKey::Department(_) => "department",
        }
    }
}

impl fmt::Display for SpaceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpaceKey::Company => f.write_str("company"),
            SpaceKey::Channel(id) => write!(f, "channel-{id}"),
            SpaceKey::Department(id) => write!(f, "department-{id}"),
        }
    }
}

impl FromStr for SpaceKey {
    type Err = ();

    fn from_str(text: &str) -> Result<SpaceKey, ()> {
        if text == "company" {
            return Ok(SpaceKey::Company);
        }
        if let Some(id) = text.strip_prefix("channel-") {
            return id.parse().map(SpaceKey::Channel).map_err(|_| ());
        }
        if let Some(id) = text.strip_prefix("department-") {
            return id.parse().map(SpaceKey::Department).map_err(|_| ());
        }
        Err(())
    }
}

/// A space with its name (a channel's, a department's; the company's is translated).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Space {
    pub key: SpaceKey,
    pub name: String,
    /// A channel's address (`/channels/{slug}`).
    pub slug: Option<String>,
}

/// Where a page stands with its review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewState {
    /// Verified within its review interval.
    Verified,
    /// Past its review date by less than [`DUE_GRACE_DAYS`].
    Due,
    /// Further past: readers are warned not to trust it.
    Stale,
}

impl ReviewState {
    /// The state at `now` of a page verified at `verified_at` with a review every
    /// `review_days` days.
    pub fn at(verified_at: i64, review_days: i64, now: i64) -> ReviewState {
        let due = verified_at + review_days * DAY_MS;
        if now < due {
            ReviewState::Verified
        } else if now < due + DUE_GRACE_DAYS * DAY_MS {
            ReviewState::Due
        } else {
            ReviewState::Stale
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Verified => "verified",
            ReviewState::Due => "due",
            ReviewState::Stale => "stale",
        }
    }
}

/// A page in a list or tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageSummary {
    pub id: PageId,
    pub title: String,
    pub parent_id: Option<PageId>,
    /// How deep in its space's tree (0 at the top).
    pub depth: usize,
    pub state: ReviewState,
    /// When it is (or was) due for review.
    pub due_at: i64,
    pub owner: PersonRef,
    pub space: Space,
}

/// A space and its pages as a tree (depth-first, children after their parent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceTree {
    pub space: Space,
    pub pages: Vec<PageSummary>,
}

/// `/pages`: the spaces one may read with their trees, and one's own review queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnowledgeHome {
    pub spaces: Vec<SpaceTree>,
    /// The reader's own pages that are due or stale, most overdue first.
    pub reviews: Vec<PageSummary>,
    /// Whether the reader may start a page anywhere.
    pub may_create: bool,
    pub utc_offset_minutes: i32,
}

/// One page as its reader sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageView {
    pub id: PageId,
    pub title: String,
    /// The Markdown, for the edit form.
    pub body: String,
    pub body_html: String,
    pub space: Space,
    /// The pages above it, from the top.
    pub breadcrumbs: Vec<(PageId, String)>,
    pub parent_id: Option<PageId>,
    pub children: Vec<(PageId, String)>,
    /// Pages the reader may read that link here.
    pub linked_from: Vec<(PageId, String)>,
    /// The questions (that the reader may read) this page was made from, with their
    /// first line.
    pub questions: Vec<(crate::model::PostId, String)>,
    pub owner: PersonRef,
    pub review_days: i64,
    pub verified_at: i64,
    pub verified_by: Option<PersonRef>,
    pub due_at: i64,
    pub state: ReviewState,
    pub version: i64,
    pub updated_at: i64,
    pub updated_by: Option<PersonRef>,
    /// Whether the reader may edit, verify, move and restore it.
    pub may_edit: bool,
    /// The steps of the reader's onboarding journeys that ask them to read this page,
    /// and whether each is done: the page offers "I have read it".
    pub journey_steps: Vec<(crate::model::journeys::StepId, bool)>,
    /// Files attached to it, in the order they were added.
    pub attachments: Vec<crate::model::files::Attachment>,
    pub utc_offset_minutes: i32,
}

/// The form that starts a page: where it may go and what it starts with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPageForm {
    /// Spaces the reader may start a page in.
    pub spaces: Vec<Space>,
    /// Pages it may go under, with their space.
    pub parents: Vec<(PageId, String, SpaceKey)>,
    /// The template's title and body, in the reader's language (empty without one).
    pub title: String,
    pub body: String,
    /// Made from an answered question ("Turn into a page"): the question, and the space
    /// to choose first (its channel's, where the reader may start pages there).
    pub from_question: Option<crate::model::PostId>,
    pub space: Option<SpaceKey>,
}

/// The edit form: the page and the pages it may move under (its own space's, never
/// itself or below it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditPageForm {
    pub page: PageView,
    pub parents: Vec<(PageId, String)>,
    /// Who the page may be handed to, by name (the current owner among them).
    pub owners: Vec<(PersonId, String)>,
}

/// One version in a page's history, with what changed from the one before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageVersionView {
    pub version: i64,
    pub title: String,
    pub edited_by: Option<PersonRef>,
    pub edited_at: i64,
    pub restored_from: Option<i64>,
    /// The line diff from the previous version as HTML (`<ins>`, `<del>`), escaped.
    pub diff_html: String,
}

/// A page's history, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageHistory {
    pub id: PageId,
    pub title: String,
    pub current: i64,
    pub may_edit: bool,
    pub versions: Vec<PageVersionView>,
    pub utc_offset_minutes: i32,
}

/// A page template: what a new page of this kind starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageTemplate {
    Policy,
    HowTo,
    Process,
    Onboarding,
}

impl PageTemplate {
    pub const ALL: [PageTemplate; 4] = [
        PageTemplate::Policy,
        PageTemplate::HowTo,
        PageTemplate::Process,
        PageTemplate::Onboarding,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PageTemplate::Policy => "policy",
            PageTemplate::HowTo => "how-to",
            PageTemplate::Process => "process",
            PageTemplate::Onboarding => "onboarding",
        }
    }

    pub fn parse(text: &str) -> Option<PageTemplate> {
        PageTemplate::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_keys_round_trip() {
        for key in [
            SpaceKey::Company,
            SpaceKey::Channel(ChannelId(12)),
            SpaceKey::Department(DepartmentId(3)),
        ] {
            assert_eq!(key.to_string().parse::<SpaceKey>(), Ok(key));
        }
        assert!("channel-x".parse::<SpaceKey>().is_err());
        assert!("team".parse::<SpaceKey>().is_err());
    }

    #[test]
    fn states_follow_the_review_date() {
        let verified = 1_000;
        let due = verified + 90 * DAY_MS;
        assert_eq!(
            ReviewState::at(verified, 90, due - 1),
            ReviewState::Verified
        );
        assert_eq!(ReviewState::at(verified, 90, due), ReviewState::Due);
        let stale = due + DUE_GRACE_DAYS * DAY_MS;
        assert_eq!(ReviewState::at(verified, 90, stale - 1), ReviewState::Due);
        assert_eq!(ReviewState::at(verified, 90, stale), ReviewState::Stale);
    }
}
