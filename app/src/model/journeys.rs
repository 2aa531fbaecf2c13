//! Onboarding journeys on the wire: what `/journeys`, `/journey`, a profile's
//! onboarding section and the home page's "Your first weeks" show.

pub use super::ids::{JourneyId, StepId};
use super::{DepartmentRef, PageId, PersonId, PersonRef, Role};
use serde::{Deserialize, Serialize};

/// The latest day a step may be set for, counted from the start (day 1).
pub const MAX_DAY: i64 = 90;
/// The most steps one journey holds.
pub const MAX_STEPS: usize = 100;
/// The longest journey name, in characters.
pub const MAX_NAME: usize = 100;
/// The longest description, in characters.
pub const MAX_DESCRIPTION: usize = 1_000;
/// The longest task or note, in characters.
pub const MAX_NOTE: usize = 200;
/// How many of the next steps "Your first weeks" on the home page lists.
pub const NEXT_STEPS: usize = 3;

/// What a step asks of the new hire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StepKind {
    /// Read a knowledge page and say so.
    Page,
    /// Join a channel (done by being in it).
    Channel,
    /// Meet someone from the directory.
    Person,
    /// Anything else, in words.
    Task,
}

impl StepKind {
    pub const ALL: [StepKind; 4] = [
        StepKind::Page,
        StepKind::Channel,
        StepKind::Person,
        StepKind::Task,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Page => "page",
            StepKind::Channel => "channel",
            StepKind::Person => "person",
            StepKind::Task => "task",
        }
    }

    pub fn parse(value: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// What a step points at, as far as the reader may know it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepTarget {
    Page {
        id: PageId,
        title: String,
    },
    Channel {
        slug: String,
        name: String,
    },
    Person(PersonRef),
    /// A task: its words are the step's note.
    Task,
    /// A page, channel or person the reader may not see (or that is gone): nothing
    /// about it is told.
    Hidden,
}

/// One step, and for a traveller whether it is done and on which date it falls.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub id: StepId,
    pub day: i64,
    pub kind: StepKind,
    pub target: StepTarget,
    pub note: String,
    pub done: bool,
}

/// A journey as listed: who gets it and how big it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JourneySummary {
    pub id: JourneyId,
    pub name: String,
    pub description: String,
    /// The department it belongs to; `None`: the whole company.
    pub department: Option<DepartmentRef>,
    pub assign_on_join: bool,
    /// The role it is given to on joining; `None`: everyone but guests.
    pub join_role: Option<Role>,
    pub steps: i64,
    pub people: i64,
    /// Whether the reader may change it.
    pub may_edit: bool,
}

/// `/journeys`: the journeys, and where the reader may start one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JourneysHome {
    pub journeys: Vec<JourneySummary>,
    /// The departments the reader may start a journey for.
    pub departments: Vec<DepartmentRef>,
    /// Whether the reader may start a company-wide journey (staff).
    pub may_company: bool,
}

/// Someone on a journey, and how far they are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Traveller {
    pub person: PersonRef,
    pub started_at: i64,
    pub done: i64,
    pub total: i64,
}

/// What a step may point at, for the editor's lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepChoices {
    pub pages: Vec<(PageId, String)>,
    pub channels: Vec<(String, String)>,
    pub people: Vec<(PersonId, String)>,
}

/// `/journeys/{id}`: one journey, its steps by day, who is on it, and what may be
/// added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JourneyEditor {
    pub journey: JourneySummary,
    pub steps: Vec<StepView>,
    pub travellers: Vec<Traveller>,
    pub choices: StepChoices,
    pub departments: Vec<DepartmentRef>,
    pub may_company: bool,
    pub utc_offset_minutes: i32,
}

/// One person's journey: its steps with their ticks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JourneyProgress {
    pub id: JourneyId,
    pub name: String,
    pub description: String,
    pub started_at: i64,
    /// Which day of the journey today is (1: the day it started).
    pub today: i64,
    pub steps: Vec<StepView>,
    pub done: i64,
    pub total: i64,
    pub assigned_by: Option<PersonRef>,
}

impl JourneyProgress {
    pub fn complete(&self) -> bool {
        self.total > 0 && self.done >= self.total
    }

    /// Done, as a whole percentage.
    pub fn percent(&self) -> i64 {
        if self.total == 0 {
            0
        } else {
            self.done * 100 / self.total
        }
    }
}

/// Someone's journeys, as they or those who look after them see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonJourneys {
    pub person: PersonRef,
    /// The reader is the traveller: they tick steps off.
    pub mine: bool,
    pub journeys: Vec<JourneyProgress>,
    /// The journeys the reader may give this person (empty: they may not).
    pub assignable: Vec<(JourneyId, String)>,
    /// Whether the reader may take a journey back.
    pub may_assign: bool,
    pub utc_offset_minutes: i32,
}
