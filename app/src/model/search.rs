//! Search on the wire: what `/search` and the top bar's suggestions show, shared by both
//! builds.

use super::{ChannelId, PersonId, PersonRef};
use serde::{Deserialize, Serialize};

/// Counts stop here: "1000+" is all a person needs, and a count that walks every match of
/// a common word would cost more than the page.
pub const COUNT_CAP: i64 = 1000;
/// Results on one page of a search.
pub const HITS_PER_PAGE: usize = 20;

/// What a search is narrowed to, as the tabs above the results name it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KindFilter {
    #[default]
    All,
    Posts,
    Questions,
    Comments,
    Pages,
    People,
    Channels,
}

impl KindFilter {
    pub const ALL: [KindFilter; 7] = [
        KindFilter::All,
        KindFilter::Posts,
        KindFilter::Questions,
        KindFilter::Comments,
        KindFilter::Pages,
        KindFilter::People,
        KindFilter::Channels,
    ];

    /// The value in the address (`kind=`); empty for all.
    pub fn as_str(self) -> &'static str {
        match self {
            KindFilter::All => "",
            KindFilter::Posts => "posts",
            KindFilter::Questions => "questions",
            KindFilter::Comments => "comments",
            KindFilter::Pages => "pages",
            KindFilter::People => "people",
            KindFilter::Channels => "channels",
        }
    }

    /// Reads `kind=`; `None` for a value that names no filter.
    pub fn parse(text: &str) -> Option<KindFilter> {
        KindFilter::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// How far back a search looks, by when a thing was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Period {
    #[default]
    Any,
    Week,
    Month,
    Year,
}

impl Period {
    pub const ALL: [Period; 4] = [Period::Any, Period::Week, Period::Month, Period::Year];

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Any => "",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }

    pub fn parse(text: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// How many days back it reaches; `None` for any time.
    pub fn days(self) -> Option<i64> {
        match self {
            Period::Any => None,
            Period::Week => Some(7),
            Period::Month => Some(31),
            Period::Year => Some(366),
        }
    }
}

/// The narrowing a search was asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchFilters {
    pub kind: KindFilter,
    pub channel: Option<ChannelId>,
    pub person: Option<PersonId>,
    pub period: Period,
}

/// What one result is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HitKind {
    Post,
    Announcement,
    Question,
    Comment,
    /// A comment under a question.
    Answer,
    Page,
    Person,
    Channel,
}

/// A piece of a snippet; `marked` pieces are the words that matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    pub text: String,
    pub marked: bool,
}

/// One result, ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub kind: HitKind,
    pub href: String,
    /// A post's or question's first line, a page's title, a person's or channel's name.
    pub title: String,
    /// The text around the first words that matched, those words marked.
    pub snippet: Vec<Fragment>,
    /// The channel it was said in, if any.
    pub channel: Option<String>,
    /// Who wrote it, keeps it (a page), or is it (a person).
    pub person: Option<PersonRef>,
    pub at: i64,
    /// A question with an accepted answer, or the accepted answer itself.
    pub answered: bool,
    /// A knowledge page verified within its review interval.
    pub verified: bool,
}

/// How many results one tab holds, at most [`COUNT_CAP`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCount {
    pub kind: KindFilter,
    pub count: i64,
    /// There may be more: the count reached [`COUNT_CAP`], or the bound on the
    /// candidates it was counted among (shown as "600+").
    pub at_least: bool,
}

/// A channel the filter can narrow to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelOption {
    pub id: ChannelId,
    pub name: String,
}

/// What a search found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPage {
    /// The words searched for, as the server read them (empty: nothing searched).
    pub words: String,
    pub filters: SearchFilters,
    /// The words as Vietnamese, when they look typed with Telex or VNI left on.
    pub did_you_mean: Option<String>,
    /// The words themselves found nothing, so these are the results for `did_you_mean`.
    pub showing_instead: bool,
    pub hits: Vec<SearchHit>,
    /// All first, then every kind, each counted after the permission rule.
    pub counts: Vec<KindCount>,
    /// Which page of results (from 0), and whether another follows.
    pub page: u32,
    pub more: bool,
    /// The channels the reader may narrow to.
    pub channels: Vec<ChannelOption>,
    /// The person narrowed to, by name.
    pub person: Option<PersonRef>,
    /// The company's offset from UTC, for the dates shown.
    pub utc_offset_minutes: i32,
}

/// The top bar's suggestions while typing: people and channels.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestions {
    pub people: Vec<PersonRef>,
    pub channels: Vec<SuggestedChannel>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestedChannel {
    pub slug: String,
    pub name: String,
}
