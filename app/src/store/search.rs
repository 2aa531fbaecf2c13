//! The search index: one `search_entries` row per post, comment, page, person and
//! channel, holding its words as [`crate::folding::index_text`] wrote them, written in
//! the same transaction as the row it indexes. SQLite matches them with FTS5
//! (`search_fts`), PostgreSQL with a `tsvector` in a GIN index; [`Dialect`] is the only
//! place the two differ. What a reader may see is never stored in the index: every
//! search joins the real rows and applies the rules their own pages use (posts'
//! [`super::rules::VISIBLE_POST`], pages' [`super::rules::visible_page`], people's
//! [`super::rules::visible_person`]) in its WHERE clause, so ranking, counting and
//! snippets only ever see what the reader may read.

use super::bulk::{Cell, Rows};
use super::{Backend, Reader, Store, StoreError, Tx};
use crate::folding::index_text;
use crate::model::search::{KindFilter, COUNT_CAP};
use crate::model::{ChannelId, PersonId, PostId};
use sqlx::Row;
use std::collections::BTreeSet;

/// Words shorter than this are not kept for typo lookup: a typo in a short word is
/// another word.
pub const TYPO_MIN_LEN: usize = 5;

/// What an entry indexes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    Post,
    Comment,
    Page,
    Person,
    Channel,
}

impl EntryKind {
    fn as_str(self) -> &'static str {
        match self {
            EntryKind::Post => "post",
            EntryKind::Comment => "comment",
            EntryKind::Page => "page",
            EntryKind::Person => "person",
            EntryKind::Channel => "channel",
        }
    }

    fn parse(text: &str) -> Result<EntryKind, StoreError> {
        Ok(match text {
            "post" => EntryKind::Post,
            "comment" => EntryKind::Comment,
            "page" => EntryKind::Page,
            "person" => EntryKind::Person,
            "channel" => EntryKind::Channel,
            _ => return Err(StoreError::Corrupt("search_entries.kind")),
        })
    }
}

/// One thing to index, in its original text (normalised here).
pub struct Entry<'a> {
    pub kind: EntryKind,
    pub ref_id: i64,
    pub post_id: Option<PostId>,
    pub channel_id: Option<ChannelId>,
    pub author_id: Option<PersonId>,
    pub created_at: i64,
    pub title: &'a str,
    pub body: &'a str,
}

/// A query as the index matches it: every group must match, a group by any of its
/// words (a word, its Telex reading, its near spellings). Words are normalised, so
/// letters and digits only: nothing in them can be read as query syntax.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Terms {
    pub groups: Vec<Vec<String>>,
    /// The last group's words match as prefixes too (the typeahead's unfinished word).
    pub prefix_last: bool,
}

/// The narrowing the store applies, after the permission rule. Its kind only chooses
/// which ranked results a page shows ([`Ranking::page`]): every kind is counted.
#[derive(Clone, Copy, Debug, Default)]
pub struct Narrowing {
    pub kind: KindFilter,
    pub channel: Option<ChannelId>,
    pub author: Option<PersonId>,
    /// Written at or after this instant.
    pub since: Option<i64>,
}

/// One result, with the original text of what it found.
#[derive(Clone, Debug)]
pub struct StoredHit {
    pub kind: EntryKind,
    pub ref_id: i64,
    pub post_id: Option<PostId>,
    pub at: i64,
    /// `update`, `announcement` or `question`, for posts and comments.
    pub post_kind: Option<String>,
    pub post_body: Option<String>,
    /// The post's accepted answer is this comment, or (for a post) it has one.
    pub answered: bool,
    pub comment_body: Option<String>,
    pub page_title: Option<String>,
    pub page_body: Option<String>,
    /// A page's review is not yet due.
    pub verified: bool,
    /// A person's profile words.
    pub profile: Option<String>,
    pub channel_name: Option<String>,
    pub channel_slug: Option<String>,
    pub channel_description: Option<String>,
    pub person: Option<crate::model::PersonRef>,
}

/// The two sets of candidates a search ranks: the newest [`CANDIDATES`] posts and
/// comments that match in the channels the reader may read (rowids and ids grow with
/// time), and every page, person and channel that matches (few, and an old verified
/// page must never be left out). A common word matches a good part of a million posts;
/// ranking every match cost seconds, while relevance among the newest thousand is what
/// a person reads. The index itself is asked for the reader's channels ([`Scope`]):
/// taking the company's newest thousand and keeping the readable ones left a guest in
/// one quiet channel with almost nothing. A search narrowed to a person takes every
/// match instead (the newest thousand may hold none of theirs).
///
/// Posts and comments are taken together, leaving the other kinds out: asking for a
/// kind, or leaving the other of the two out, walks far more of the index whenever
/// that kind has few of the matches (up to 20 ms on a million posts, against 3 ms).
/// Entries are numbered in time order, and nearly so when written in bulk
/// ([`Store::index_backlog`]: posts and comments interleaved a few hundred at a time).
pub const CANDIDATES: i64 = 1_000;

/// The newest entries PostgreSQL looks among first, per candidate: a word in one entry
/// of 40 fills the bound there. Its words' index (GIN) hands over every match in no
/// order, so a common word read every matching row of a million posts to keep the
/// newest thousand (0.8–1 s for one query); bounded by a range of the key, written into
/// the statement as a number, the planner ANDs the two indexes first (9–23 ms for the
/// newest 25,000 ids). SQLite's index gives its matches newest first and needs no
/// window.
const FIRST_WINDOW: i64 = 40;

/// Where a search may take its post and comment candidates from: the channels the
/// reader may read. For anyone but a guest, every channel but the private ones they are
/// not in (`Except`); for a guest, their own channels (`Only`); narrowed to one
/// channel, that one alone if the reader may read it. Written as what is left out or
/// what is kept, whichever is the short list, so that the index's query stays cheap
/// (asking for one of 175 channels walked each one's postings: 13–23 ms a search on
/// 200,000 posts). The full rule ([`readable`]) is still applied to every candidate:
/// the scope keeps the index from offering what the rule would drop.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Scope {
    Except(Vec<i64>),
    Only(Vec<i64>),
}

impl Scope {
    /// SQLite: the index's `scope` column holds `c<id>` for an entry's channel
    /// (`migrations/sqlite/0025_search_scope.sql`); the condition to add to a query of
    /// posts and comments, if any. Keeping no channel at all asks for `c0`, which no
    /// entry has (ids start at 1): FTS5 has no query that matches nothing.
    fn fts(&self) -> Option<String> {
        let words = |ids: &[i64]| {
            ids.iter()
                .map(|id| format!("\"c{id}\""))
                .collect::<Vec<_>>()
                .join(" OR ")
        };
        match self {
            Scope::Except(ids) if ids.is_empty() => None,
            Scope::Except(ids) => Some(format!("NOT (scope : ({}))", words(ids))),
            Scope::Only(ids) if ids.is_empty() => Some("AND (scope : (\"c0\"))".to_owned()),
            Scope::Only(ids) => Some(format!("AND (scope : ({}))", words(ids))),
        }
    }

    /// PostgreSQL: the same, as a condition on the entry `x`'s channel. The ids are
    /// numbers read from the database, so they are written into the statement.
    fn condition(&self) -> String {
        let list = |ids: &[i64]| {
            ids.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Scope::Except(ids) if ids.is_empty() => "1 = 1".to_owned(),
            Scope::Except(ids) => format!("x.channel_id NOT IN ({})", list(ids)),
            Scope::Only(ids) if ids.is_empty() => "1 = 0".to_owned(),
            Scope::Only(ids) => format!("x.channel_id IN ({})", list(ids)),
        }
    }
}

/// How the two databases say the same thing: the FROM clause giving `e` (the entry) for
/// the entries that match `$3` (posts and comments) and `$4` (the rest), and the
/// relevance expression: 3 when every word is in the entry's title (`$5`), else 1.
///
/// Not bm25 (nor `ts_rank`): FTS5's bm25 first counts, for every phrase of the query,
/// the entries holding it, walking its whole posting list. With the kind in the query
/// that was every post of the company per search (5.6 ms of the 6 ms the candidates of
/// "release" took on 200,000 posts, growing with the company), and even a word alone
/// costs its every posting.
/// Among a reader's newest matches, what tells them apart is where the words are (a
/// page's or a person's name), whether it answers, and how recent it is.
struct Dialect {
    from: String,
    relevance: &'static str,
}

impl Dialect {
    fn of(
        backend: Backend,
        narrowing: &Narrowing,
        candidates: i64,
        scope: &Scope,
        floor: i64,
    ) -> Dialect {
        let newest = |order: &str| {
            if narrowing.author.is_none() {
                format!(" ORDER BY {order} DESC LIMIT {candidates}")
            } else {
                String::new()
            }
        };
        match backend {
            // The matches first, as the outer loop (CROSS JOIN fixes SQLite's join
            // order): joined plainly, the planner may walk the entries of one kind and
            // run the full-text query once per entry (0.4 s on a 20,000-post company
            // instead of 1 ms). The titles' subquery is not correlated: it runs once.
            Backend::Sqlite => {
                let set = |param: usize, order: String| {
                    format!(
                        "SELECT entry_id, COUNT(*) OVER () AS taken FROM (SELECT rowid AS entry_id \
                         FROM search_fts WHERE search_fts MATCH ${param}{order})"
                    )
                };
                Dialect {
                    from: format!(
                        "({} UNION ALL SELECT rowid AS entry_id, 0 AS taken FROM search_fts \
                           WHERE search_fts MATCH $4) m \
                         CROSS JOIN search_entries e ON e.id = m.entry_id",
                        set(3, newest("rowid")),
                    ),
                    relevance: "CASE WHEN e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH $5) \
                                THEN 3.0 ELSE 1.0 END",
                }
            }
            // The other kinds are read by kind and their words tested one by one
            // (`OFFSET 0` keeps the planner from folding the subquery in): a
            // company's people, channels and pages are a thousand or two, while the
            // words' index reads every posting of each word, posts' and comments'
            // included (13–19 ms for "ke hoach" on a million posts, against 2). Posts
            // and comments have no title, so only the other kinds' words are tested
            // for the title's relevance.
            Backend::Postgres => {
                Dialect {
                    from: format!(
                        "(SELECT entry_id, COUNT(*) OVER () AS taken FROM (SELECT x.id AS entry_id \
                           FROM search_entries x WHERE x.kind IN ('post', 'comment') AND {scope}{window} \
                           AND x.tsv @@ to_tsquery('simple', $3){order}) s3 \
                         UNION ALL SELECT x.id AS entry_id, CAST(0 AS BIGINT) AS taken FROM \
                           (SELECT id, tsv FROM search_entries WHERE kind IN ('page', 'person', 'channel') \
                            OFFSET 0) x WHERE x.tsv @@ to_tsquery('simple', $4)) m \
                         JOIN search_entries e ON e.id = m.entry_id",
                        scope = scope.condition(),
                        // Written into the statement: only a known number lets the
                        // planner AND the key's range with the words' index.
                        window = if floor > 0 {
                            format!(" AND x.id > {floor}")
                        } else {
                            String::new()
                        },
                        order = newest("x.id"),
                    ),
                    relevance: "CASE WHEN e.kind IN ('page', 'person', 'channel') \
                                AND e.tsv @@ to_tsquery('simple', $5) THEN 3.0 ELSE 1.0 END",
                }
            }
        }
    }
}

/// The kinds that are not posts or comments, as SQLite's index spells them.
const OTHER_KINDS: &str = "kind : (\"page\" OR \"person\" OR \"channel\")";

impl Terms {
    /// The two queries of a search (`$3`, `$4`: posts and comments, the rest) in the
    /// backend's own syntax. SQLite's index also holds each entry's kind and channel,
    /// and the words are matched in the title and body only; posts and comments are
    /// what is not of the other kinds. PostgreSQL's kinds and scope are conditions of
    /// the statement ([`Dialect::of`]).
    fn render_sets(&self, backend: Backend, scope: &Scope) -> [String; 2] {
        let words = self.render(backend);
        match backend {
            Backend::Sqlite => {
                let mut posts = format!("(({{title body}} : ({words})) NOT ({OTHER_KINDS}))");
                if let Some(scoped) = scope.fts() {
                    posts = format!("({posts} {scoped})");
                }
                [
                    posts,
                    format!("{{title body}} : ({words}) AND {OTHER_KINDS}"),
                ]
            }
            Backend::Postgres => [words.clone(), words],
        }
    }

    /// The query that finds the entries with every word in their title (`$5`): the
    /// titled kinds only (posts and comments have none), and on PostgreSQL the words
    /// of weight A, the title's.
    fn render_titles(&self, backend: Backend) -> String {
        match backend {
            Backend::Sqlite => format!("{{title}} : ({}) AND {OTHER_KINDS}", self.render(backend)),
            Backend::Postgres => self.render_weighted(backend, "A"),
        }
    }

    /// The words in the backend's own syntax.
    fn render(&self, backend: Backend) -> String {
        self.render_weighted(backend, "")
    }

    /// The words in the backend's own syntax; on PostgreSQL only those of the given
    /// weights (none: any).
    fn render_weighted(&self, backend: Backend, weights: &str) -> String {
        let last = self.groups.len().saturating_sub(1);
        let groups = self.groups.iter().enumerate().map(|(i, group)| {
            let prefix = self.prefix_last && i == last;
            let alternatives = group.iter().map(|word| match (backend, prefix) {
                (Backend::Sqlite, false) => format!("\"{word}\""),
                (Backend::Sqlite, true) => format!("\"{word}\"*"),
                (Backend::Postgres, false) if weights.is_empty() => word.clone(),
                (Backend::Postgres, false) => format!("{word}:{weights}"),
                (Backend::Postgres, true) => format!("{word}:*{weights}"),
            });
            let or = if backend == Backend::Sqlite {
                " OR "
            } else {
                " | "
            };
            format!("({})", alternatives.collect::<Vec<_>>().join(or))
        });
        let and = if backend == Backend::Sqlite {
            " AND "
        } else {
            " & "
        };
        groups.collect::<Vec<_>>().join(and)
    }
}

/// The rows every search joins, so that the permission rule, the filters and the
/// results read the real thing and never the index alone.
const JOINS: &str = "LEFT JOIN posts p ON p.id = e.post_id \
     LEFT JOIN comments cm ON e.kind = 'comment' AND cm.id = e.ref_id \
     LEFT JOIN pages pg ON e.kind = 'page' AND pg.id = e.ref_id \
     LEFT JOIN users u ON e.kind = 'person' AND u.id = e.ref_id \
     LEFT JOIN channels c ON c.id = e.channel_id \
     LEFT JOIN users a ON a.id = e.author_id";

/// Channel `c` is not archived, or the reader (`$1`) is one of its members: archived
/// channels and what they hold stay findable by their members only.
const UNLESS_ARCHIVED: &str = "(c.archived_at IS NULL OR EXISTS \
     (SELECT 1 FROM channel_members sm WHERE sm.channel_id = c.id AND sm.user_id = $1))";

/// Whether the reader (`$1`, guest flag `$2`) may read the entry: each kind by the rule
/// its own page applies. Archived channels and their posts stay findable by members.
fn readable() -> String {
    format!(
        "(((e.kind = 'post' OR (e.kind = 'comment' AND cm.deleted_at IS NULL)) \
            AND p.deleted_at IS NULL AND {post} AND {UNLESS_ARCHIVED}) \
          OR (e.kind = 'page' AND pg.deleted_at IS NULL AND {page}) \
          OR (e.kind = 'person' AND u.is_active = 1 AND {person}) \
          OR (e.kind = 'channel' AND {channel} AND {UNLESS_ARCHIVED}))",
        post = super::rules::VISIBLE_POST,
        page = super::rules::visible_page_for_reader("pg"),
        person = super::rules::visible_person("u", "$1"),
        channel = super::rules::VISIBLE,
    )
}

/// The WHERE clause for a search: permission, narrowing (from `first` on, in the order
/// [`bind_narrowing`] binds them).
fn where_clause(narrowing: &Narrowing, first: usize) -> String {
    let mut sql = format!("WHERE {}", readable());
    let mut n = first;
    for (present, condition) in [
        (narrowing.channel.is_some(), "e.channel_id"),
        (narrowing.author.is_some(), "e.author_id"),
    ] {
        if present {
            sql.push_str(&format!(" AND {condition} = ${n}"));
            n += 1;
        }
    }
    if narrowing.since.is_some() {
        sql.push_str(&format!(" AND e.created_at >= ${n}"));
    }
    sql
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

fn bind_narrowing<'q>(mut query: AnyQuery<'q>, narrowing: &Narrowing) -> AnyQuery<'q> {
    if let Some(channel) = narrowing.channel {
        query = query.bind(channel);
    }
    if let Some(author) = narrowing.author {
        query = query.bind(author);
    }
    if let Some(since) = narrowing.since {
        query = query.bind(since);
    }
    query
}

/// How long ago a post stops counting as new: its score halves at this age.
const HALF_SCORE_AGE_MS: &str = "15552000000.0";

/// One search's ranking: the best readable results of each kind, in order, and how
/// many each kind holds. Made by [`Store::search_ranking`] in one pass over the
/// candidates; the page shown is cut from it and only its rows are read whole
/// ([`Store::search_hits`]).
#[derive(Clone, Debug, Default)]
pub struct Ranking {
    /// Per kind (All first, the sum of the others), each at most [`COUNT_CAP`]: one
    /// that reaches it is "at least", and so is a kind whose candidates filled their
    /// bound ([`Ranking::at_least`]).
    pub counts: Vec<(KindFilter, i64)>,
    ranked: Vec<Ranked>,
    /// The kinds counted among candidates that filled their bound (the index handed
    /// over as many as were asked for): there may be more.
    bounded: Vec<KindFilter>,
}

#[derive(Clone, Copy, Debug)]
struct Ranked {
    entry_id: i64,
    bucket: KindFilter,
    score: f64,
    at: i64,
}

impl Ranked {
    /// One candidate as the ranking query writes it: "id,kind,score,time".
    fn parse(text: &str) -> Result<Ranked, StoreError> {
        let bad = || StoreError::Corrupt("search ranking");
        let mut fields = text.split(',');
        let mut next = || fields.next().ok_or_else(bad);
        Ok(Ranked {
            entry_id: next()?.parse().map_err(|_| bad())?,
            bucket: KindFilter::parse(next()?).ok_or_else(bad)?,
            score: next()?.parse().map_err(|_| bad())?,
            at: next()?.parse().map_err(|_| bad())?,
        })
    }

    /// Best first: score, then the newer, then the later written.
    fn better_first(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
        b.score
            .total_cmp(&a.score)
            .then(b.at.cmp(&a.at))
            .then(b.entry_id.cmp(&a.entry_id))
    }
}

/// The kinds counted among the bounded candidates ([`CANDIDATES`]): posts (questions
/// are posts) and comments, together.
const BOUNDED: [KindFilter; 3] = [
    KindFilter::Posts,
    KindFilter::Questions,
    KindFilter::Comments,
];

impl Ranking {
    /// Whether `kind`'s count is a lower bound: it reached [`COUNT_CAP`], or its
    /// candidates filled their bound (600 posts beside 400 comments may be more), or it
    /// is the sum of such.
    pub fn at_least(&self, kind: KindFilter) -> bool {
        let count = self
            .counts
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, count)| *count);
        let bounded = if kind == KindFilter::All {
            !self.bounded.is_empty()
        } else {
            self.bounded.contains(&kind)
        };
        count >= COUNT_CAP || (bounded && count > 0)
    }

    /// How many results there are in all (at most [`COUNT_CAP`]).
    pub fn total(&self) -> i64 {
        self.counts
            .iter()
            .find(|(kind, _)| *kind == KindFilter::All)
            .map_or(0, |(_, count)| *count)
    }

    /// The entries of one page of `kind`'s results, best first: `limit` of them after
    /// skipping `offset`. Ties go to the newer, then the later-indexed entry.
    pub fn page(&self, kind: KindFilter, limit: usize, offset: usize) -> Vec<i64> {
        let mut wanted: Vec<&Ranked> = self
            .ranked
            .iter()
            .filter(|r| kind == KindFilter::All || r.bucket == kind)
            .collect();
        wanted.sort_by(|a, b| Ranked::better_first(a, b));
        wanted
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|r| r.entry_id)
            .collect()
    }
}

/// A search result's kind, as the tabs count it.
const BUCKET: &str = "CASE WHEN e.kind = 'post' AND p.kind = 'question' THEN 'questions' \
     WHEN e.kind = 'post' THEN 'posts' WHEN e.kind = 'comment' THEN 'comments' \
     WHEN e.kind = 'page' THEN 'pages' WHEN e.kind = 'person' THEN 'people' \
     ELSE 'channels' END";

/// What a result shows, read for the page's few entries only. `now` names the
/// placeholder of the current instant (a page's review is due or not).
fn shown_columns(now: &str) -> String {
    format!(
        "e.id AS entry_id, e.kind AS entry_kind, e.ref_id, e.post_id, e.created_at AS entry_at, \
         p.kind AS post_kind, p.body AS post_body, \
         CASE WHEN (e.kind = 'post' AND p.accepted_comment_id IS NOT NULL) \
           OR (e.kind = 'comment' AND p.accepted_comment_id = e.ref_id) THEN 1 ELSE 0 END AS answered, \
         cm.body AS comment_body, pg.title AS page_title, pg.body AS page_body, \
         CASE WHEN pg.verified_at + pg.review_days * 86400000 > {now} THEN 1 ELSE 0 END AS verified, \
         u.job_title AS profile_title, u.expertise AS profile_expertise, \
         u.responsibilities AS profile_responsibilities, \
         c.name AS channel_name, c.slug AS channel_slug, c.description AS channel_description, \
         a.id AS author_id, a.display_name AS author_name, a.job_title AS author_job_title, \
         a.avatar_version AS author_avatar"
    )
}

impl Store {
    /// Ranks what `terms` find that `reader` may read, by kind, and counts each kind;
    /// `narrowing.kind` is ignored (every tab is counted). Best first: relevance (every word
    /// in the title: three times), doubled for a question with an accepted answer, the accepted answer
    /// itself and a verified page, and for posts and comments lowered with age (half at
    /// six months). Keeps the best `keep` of each kind: enough for any page up to it.
    ///
    /// One query (on PostgreSQL one per window tried, [`FIRST_WINDOW`]) does what a
    /// count and a ranking used to do in two passes over the same candidates, and it
    /// carries four numbers per result, not their texts: ranking sorted every
    /// candidate's body to show twenty.
    pub async fn search_ranking(
        &self,
        reader: Reader,
        terms: &Terms,
        narrowing: &Narrowing,
        now: i64,
        keep: i64,
    ) -> Result<Ranking, StoreError> {
        if terms.groups.is_empty() {
            return Ok(Ranking::default());
        }
        let asked = Asked {
            reader,
            terms,
            narrowing,
            now,
            keep,
            scope: self.search_scope(reader, narrowing).await?,
        };
        // PostgreSQL: the newest entries first ([`FIRST_WINDOW`]), then a window as
        // wide as the first one's matches say the bound needs, then all of them. The
        // first that fills the bound holds exactly the candidates all of them would give.
        if self.backend == Backend::Postgres && narrowing.author.is_none() {
            let newest: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM search_entries")
                .fetch_one(&self.pool)
                .await?;
            let newest = newest.unwrap_or(0);
            let first = FIRST_WINDOW.saturating_mul(self.search_candidates);
            let mut window = first;
            while newest - window > 0 {
                let (ranking, taken) = self.rank_in_window(&asked, newest - window).await?;
                if taken >= self.search_candidates {
                    return Ok(ranking);
                }
                if taken == 0 || window > first {
                    break;
                }
                // A quarter wider than the matches so far say, so that one more look
                // usually does.
                window = first
                    .saturating_mul(self.search_candidates)
                    .saturating_mul(5)
                    / taken.saturating_mul(4);
            }
        }
        let (ranking, _) = self.rank_in_window(&asked, 0).await?;
        Ok(ranking)
    }

    /// [`Store::search_ranking`] among the posts and comments numbered above `floor`
    /// (and every other match); also how many posts and comments the index handed over.
    async fn rank_in_window(
        &self,
        asked: &Asked<'_>,
        floor: i64,
    ) -> Result<(Ranking, i64), StoreError> {
        let Asked {
            reader,
            terms,
            narrowing,
            now,
            keep,
            ref scope,
        } = *asked;
        let dialect = Dialect::of(
            self.backend,
            narrowing,
            self.search_candidates,
            scope,
            floor,
        );
        let score = format!(
            "{relevance} * (CASE WHEN (e.kind = 'post' AND p.accepted_comment_id IS NOT NULL) \
               OR (e.kind = 'comment' AND p.accepted_comment_id = e.ref_id) \
               OR (e.kind = 'page' AND pg.verified_at + pg.review_days * 86400000 > $6) \
               THEN 2.0 ELSE 1.0 END) \
             / (CASE WHEN e.kind IN ('post', 'comment') \
               THEN 1.0 + CAST($6 - e.created_at AS DOUBLE PRECISION) / {HALF_SCORE_AGE_MS} ELSE 1.0 END)",
            relevance = dialect.relevance
        );
        // Every readable candidate's kind, score and time, sorted and counted here.
        // Sorting and counting by window functions in SQL cost SQLite as much as
        // reading the candidates (3 of 7 ms for a common word on a million posts); a
        // thousand rows handed over one by one cost sqlx's SQLite driver twice that.
        // So they come as one text: "id,kind,score,time;…" (`string_agg`, SQLite 3.44
        // and PostgreSQL alike).
        let sql = format!(
            "SELECT string_agg(CAST(entry_id AS TEXT) || ',' || bucket || ',' || CAST(score AS TEXT) \
               || ',' || CAST(at AS TEXT), ';') AS ranked, MAX(taken) AS taken FROM ( \
             SELECT e.id AS entry_id, {BUCKET} AS bucket, {score} AS score, e.created_at AS at, \
               m.taken AS taken FROM {from} {JOINS} {where_clause}) s",
            from = dialect.from,
            where_clause = where_clause(narrowing, 7),
        );
        let [posts, rest] = terms.render_sets(self.backend, scope);
        // Not kept prepared: the window's floor and the scope are in the text.
        let query = sqlx::query(&sql)
            .persistent(self.backend == Backend::Sqlite)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .bind(posts)
            .bind(rest)
            .bind(terms.render_titles(self.backend))
            .bind(now);
        let row = bind_narrowing(query, narrowing)
            .fetch_one(&self.pool)
            .await?;
        // How many posts and comments the index handed over, before the rule and the
        // filters: the bound was reached when they were as many as were asked for.
        let taken = row.try_get::<Option<i64>, _>("taken")?.unwrap_or(0);
        let text = row
            .try_get::<Option<String>, _>("ranked")?
            .unwrap_or_default();
        let mut all = text
            .split(';')
            .filter(|one| !one.is_empty())
            .map(Ranked::parse)
            .collect::<Result<Vec<_>, _>>()?;
        all.sort_by(Ranked::better_first);
        let mut counts: Vec<(KindFilter, i64)> = KindFilter::ALL.iter().map(|k| (*k, 0)).collect();
        let mut ranked = Vec::new();
        for hit in all {
            let Some((_, count)) = counts.iter_mut().find(|(kind, _)| *kind == hit.bucket) else {
                continue;
            };
            *count += 1;
            if *count <= keep {
                ranked.push(hit);
            }
        }
        let total: i64 = counts.iter().map(|(_, n)| n).sum();
        let bounded = if narrowing.author.is_none() && taken >= self.search_candidates {
            BOUNDED.to_vec()
        } else {
            Vec::new()
        };
        for (kind, count) in counts.iter_mut() {
            *count = if *kind == KindFilter::All {
                total
            } else {
                *count
            }
            .min(COUNT_CAP);
        }
        Ok((
            Ranking {
                counts,
                ranked,
                bounded,
            },
            taken,
        ))
    }

    /// Where `reader` may find posts and comments, narrowed as asked ([`Scope`]).
    async fn search_scope(
        &self,
        reader: Reader,
        narrowing: &Narrowing,
    ) -> Result<Scope, StoreError> {
        if let Some(only) = narrowing.channel {
            let sql = format!(
                "SELECT COUNT(*) FROM channels c WHERE c.id = $3 AND {visible} AND {UNLESS_ARCHIVED}",
                visible = super::rules::VISIBLE
            );
            let readable: i64 = sqlx::query_scalar(&sql)
                .bind(reader.user_id)
                .bind(i64::from(reader.guest))
                .bind(only)
                .fetch_one(&self.pool)
                .await?;
            return Ok(Scope::Only(if readable > 0 {
                vec![only.0]
            } else {
                Vec::new()
            }));
        }
        // A guest reads their own channels only; anyone else every channel but the
        // private ones they are not in.
        let sql = if reader.guest {
            "SELECT m.channel_id FROM channel_members m WHERE m.user_id = $1 ORDER BY m.channel_id"
        } else {
            "SELECT c.id FROM channels c WHERE c.kind = 'private' AND NOT EXISTS \
               (SELECT 1 FROM channel_members m WHERE m.channel_id = c.id AND m.user_id = $1) \
             ORDER BY c.id"
        };
        let channels = sqlx::query_scalar(sql)
            .bind(reader.user_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(if reader.guest {
            Scope::Only(channels)
        } else {
            Scope::Except(channels)
        })
    }

    /// The results `entries` (from [`Ranking::page`]) as the page shows them, in that
    /// order. The permission rule is applied again: reading is what it guards.
    pub async fn search_hits(
        &self,
        reader: Reader,
        entries: &[i64],
        now: i64,
    ) -> Result<Vec<StoredHit>, StoreError> {
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {columns} FROM search_entries e {JOINS} WHERE {readable} AND e.id IN ({ids})",
            columns = shown_columns("$3"),
            readable = readable(),
            ids = super::placeholders(3, entries.len()),
        );
        let mut query = sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .bind(now);
        for id in entries {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut hits = Vec::with_capacity(rows.len());
        for row in &rows {
            hits.push((row.try_get::<i64, _>("entry_id")?, hit_from_row(row)?));
        }
        hits.sort_by_key(|(id, _)| entries.iter().position(|e| e == id));
        Ok(hits.into_iter().map(|(_, hit)| hit).collect())
    }

    /// Which of `words` are in the index's vocabulary.
    pub async fn known_terms(&self, words: &[String]) -> Result<BTreeSet<String>, StoreError> {
        if words.is_empty() {
            return Ok(BTreeSet::new());
        }
        let sql = format!(
            "SELECT term FROM search_terms WHERE term IN ({})",
            super::placeholders(0, words.len())
        );
        let mut query = sqlx::query_scalar(&sql);
        for word in words {
            query = query.bind(word.clone());
        }
        Ok(query.fetch_all(&self.pool).await?.into_iter().collect())
    }

    /// Words of the vocabulary that could be `word` mistyped: the same first letter and
    /// a length within `spread`. The caller measures the distance.
    pub async fn terms_like(&self, word: &str, spread: usize) -> Result<Vec<String>, StoreError> {
        let Some(first) = word.chars().next() else {
            return Ok(Vec::new());
        };
        let after = char::from_u32(first as u32 + 1).unwrap_or(char::MAX);
        let length = word.chars().count();
        Ok(sqlx::query_scalar(
            "SELECT term FROM search_terms WHERE term >= $1 AND term < $2 \
             AND LENGTH(term) BETWEEN $3 AND $4",
        )
        .bind(first.to_string())
        .bind(after.to_string())
        .bind(length.saturating_sub(spread) as i64)
        .bind((length + spread) as i64)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Indexes what has no entry yet (a database from before the index, or rows loaded
    /// in bulk by the benchmark's generator), `batch` rows of a kind per window, a
    /// window of posts and the comments of its time (at most
    /// [`BACKLOG_COMMENT_WINDOWS`] windows) per transaction. Returns how many entries
    /// it wrote.
    ///
    /// Each kind is read from just after its newest entry: every write indexes its own
    /// row in its transaction and rows are numbered in order, so what lacks an entry is
    /// a tail (rows loaded in bulk, or all of them before the index existed; an
    /// interrupted catch-up also leaves a tail, as it goes in order). Reading every row
    /// instead made each start cost a scan of the whole database: 10.9 s on a million
    /// posts, against ≤ 300 ms the operate issue asks for.
    ///
    /// Posts and comments are written interleaved, in the order they were written: a
    /// search takes the newest [`CANDIDATES`] entries by number, so entries numbered
    /// kind after kind (every post, then every comment) made "newest" mean "comments"
    /// on any database indexed after the fact.
    pub async fn index_backlog(&self, batch: i64) -> Result<u64, StoreError> {
        let batch = batch.max(1);
        let mut written = 0;
        let [channels, people, pages, posts, comments] = &BACKLOG;
        for source in [channels, people, pages] {
            let mut tail = Tail::of(self, source).await?;
            while !tail.done() {
                let (rows, _) = tail.window(self, batch, None).await?;
                written += self
                    .write_entries(rows.into_iter().map(|r| (source.kind, r)).collect())
                    .await?;
            }
        }
        let (mut posts, mut comments) = (
            Tail::of(self, posts).await?,
            Tail::of(self, comments).await?,
        );
        // The newest post written so far: comments up to it go with it.
        let mut until: Option<i64> = None;
        while !posts.done() || !comments.done() {
            let mut rows = Vec::new();
            let took_posts = !posts.done();
            if took_posts {
                for row in posts.window(self, batch, None).await?.0 {
                    let at: i64 = row.try_get("created_at")?;
                    until = Some(until.map_or(at, |u| u.max(at)));
                    rows.push((EntryKind::Post, row));
                }
            }
            // Every comment written up to that post, however many windows they take
            // (a post has more than one comment on average: a window of comments per
            // window of posts fell behind, and most comments came after every post),
            // up to [`BACKLOG_COMMENT_WINDOWS`] of them per transaction. Once every
            // post is written, the rest of the comments a window at a time.
            let bound = if took_posts {
                until.map(Some)
            } else {
                Some(None)
            };
            if let Some(bound) = bound {
                for _ in 0..BACKLOG_COMMENT_WINDOWS {
                    if comments.done() {
                        break;
                    }
                    let (window, cut) = comments.window(self, batch, bound).await?;
                    rows.extend(window.into_iter().map(|row| (EntryKind::Comment, row)));
                    if cut || bound.is_none() {
                        break;
                    }
                }
            }
            // Stable: rows of the same instant keep their kind's order.
            let mut timed = Vec::with_capacity(rows.len());
            for (kind, row) in rows {
                timed.push((row.try_get::<i64, _>("created_at")?, kind, row));
            }
            timed.sort_by_key(|(at, _, _)| *at);
            written += self
                .write_entries(
                    timed
                        .into_iter()
                        .map(|(_, kind, row)| (kind, row))
                        .collect(),
                )
                .await?;
        }
        Ok(written)
    }

    /// Writes the entries of `rows` (as [`BacklogSource::select`] reads them), in that
    /// order, and their long words, in one transaction; returns how many.
    async fn write_entries(
        &self,
        rows: Vec<(EntryKind, sqlx::any::AnyRow)>,
    ) -> Result<u64, StoreError> {
        if rows.is_empty() {
            return Ok(0);
        }
        // Loaded as multi-row INSERTs: a million posts index in minutes, not hours.
        let mut entries = Rows::new(
            "search_entries",
            &[
                "kind",
                "ref_id",
                "post_id",
                "channel_id",
                "author_id",
                "created_at",
                "title",
                "body",
            ],
        );
        let mut long = BTreeSet::new();
        for (kind, row) in &rows {
            let title = index_text(&row.try_get::<String, _>("title")?);
            let body = index_text(&row.try_get::<String, _>("body")?);
            long.extend(long_words(&title, &body));
            let id = |column: &str| -> Result<Cell, StoreError> {
                Ok(row
                    .try_get::<Option<i64>, _>(column)?
                    .map_or(Cell::Null, Cell::Int))
            };
            entries.push([
                Cell::Text(kind.as_str().into()),
                id("id")?,
                id("post_id")?,
                id("channel_id")?,
                id("author_id")?,
                id("created_at")?,
                Cell::Text(title),
                Cell::Text(body),
            ]);
        }
        let written = entries.len() as u64;
        let mut tx = self.begin().await?;
        tx.insert_rows(&mut entries).await?;
        tx.add_terms(long.into_iter().collect()).await?;
        tx.commit().await?;
        Ok(written)
    }
}

/// At most this many windows of comments go with one window of posts in the catch-up:
/// comments far older than the posts still unindexed (an interrupted catch-up, then
/// another bulk load) would otherwise all come in one transaction.
const BACKLOG_COMMENT_WINDOWS: usize = 8;

/// One search's question to [`Store::search_ranking`], as each window asks it.
struct Asked<'a> {
    reader: Reader,
    terms: &'a Terms,
    narrowing: &'a Narrowing,
    now: i64,
    keep: i64,
    scope: Scope,
}

/// What of one kind still lacks an entry: the rows numbered after `after`, up to
/// `newest`.
struct Tail {
    source: &'static BacklogSource,
    after: i64,
    newest: i64,
}

impl Tail {
    async fn of(store: &Store, source: &'static BacklogSource) -> Result<Tail, StoreError> {
        let after = sqlx::query_scalar::<_, Option<i64>>(
            "SELECT MAX(ref_id) FROM search_entries WHERE kind = $1",
        )
        .bind(source.kind.as_str())
        .fetch_one(&store.pool)
        .await?
        .unwrap_or(0);
        // A window of ids at a time, not "the next `batch` after N": PostgreSQL
        // planned that as a scan and sort of every row when the table had no
        // statistics yet (rows just loaded in bulk), ~2 s a batch on 200,000 posts;
        // a range of the primary key is read from its index whatever is known.
        let newest =
            sqlx::query_scalar::<_, Option<i64>>(&format!("SELECT MAX(id) FROM {}", source.table))
                .fetch_one(&store.pool)
                .await?
                .unwrap_or(0);
        Ok(Tail {
            source,
            after,
            newest,
        })
    }

    fn done(&self) -> bool {
        self.after >= self.newest
    }

    /// The unindexed rows of the next `batch` ids, in id order, and moves past them;
    /// with `until`, only those before the first written after that instant (the rest
    /// stay the tail), and whether it stopped there.
    async fn window(
        &mut self,
        store: &Store,
        batch: i64,
        until: Option<i64>,
    ) -> Result<(Vec<sqlx::any::AnyRow>, bool), StoreError> {
        let upto = self.after.saturating_add(batch);
        // The entries looked for are bounded by the same window: with statistics
        // taken before any entry of the kind existed, PostgreSQL expected one
        // and read *every* entry of the kind once per batch, joined by a
        // filter (2–3 s a batch and growing, a million comments in hours).
        let sql = format!(
            "{} AND NOT EXISTS (SELECT 1 FROM search_entries e WHERE e.kind = '{}' AND e.ref_id = x.id \
               AND e.ref_id > $1 AND e.ref_id <= $2) \
             AND x.id > $1 AND x.id <= $2 ORDER BY x.id",
            self.source.select,
            self.source.kind.as_str()
        );
        let mut rows = sqlx::query(&sql)
            .bind(self.after)
            .bind(upto)
            .fetch_all(&store.pool)
            .await?;
        self.after = upto;
        if let Some(until) = until {
            for (i, row) in rows.iter().enumerate() {
                if row.try_get::<i64, _>("created_at")? > until {
                    self.after = row.try_get::<i64, _>("id")? - 1;
                    rows.truncate(i);
                    return Ok((rows, true));
                }
            }
        }
        Ok((rows, false))
    }
}

/// The words of an entry kept for typo lookup: long enough, and not numbers.
fn long_words<'a>(title: &'a str, body: &'a str) -> impl Iterator<Item = String> + 'a {
    title
        .split(' ')
        .chain(body.split(' '))
        .filter(|w| w.chars().count() >= TYPO_MIN_LEN && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_owned)
}

/// Where [`Store::index_backlog`] finds each kind's rows, as `x`, with the columns an
/// [`Entry`] needs (its texts as `title` and `body`).
struct BacklogSource {
    kind: EntryKind,
    /// The table `x` is.
    table: &'static str,
    select: &'static str,
}

static BACKLOG: [BacklogSource; 5] = [
    BacklogSource {
        kind: EntryKind::Channel,
        table: "channels",
        select: "SELECT x.id, NULL AS post_id, x.id AS channel_id, NULL AS author_id, x.created_at, \
                 x.name AS title, x.description AS body FROM channels x WHERE 1 = 1",
    },
    BacklogSource {
        kind: EntryKind::Person,
        table: "users",
        select: "SELECT x.id, NULL AS post_id, NULL AS channel_id, x.id AS author_id, x.created_at, \
                 x.display_name AS title, \
                 x.job_title || ' ' || x.expertise || ' ' || x.responsibilities AS body \
                 FROM users x WHERE x.is_active = 1",
    },
    BacklogSource {
        kind: EntryKind::Page,
        table: "pages",
        select: "SELECT x.id, NULL AS post_id, x.channel_id, x.owner_id AS author_id, \
                 x.updated_at AS created_at, x.title, x.body || ' ' || x.files_text AS body \
                 FROM pages x WHERE x.deleted_at IS NULL",
    },
    BacklogSource {
        kind: EntryKind::Post,
        table: "posts",
        select: "SELECT x.id, x.id AS post_id, x.channel_id, x.author_id, x.created_at, \
                 '' AS title, x.body || ' ' || x.files_text AS body FROM posts x WHERE x.deleted_at IS NULL",
    },
    BacklogSource {
        kind: EntryKind::Comment,
        table: "comments",
        select: "SELECT x.id, x.post_id, p.channel_id, x.author_id, x.created_at, '' AS title, \
                 x.body || ' ' || x.files_text AS body \
                 FROM comments x JOIN posts p ON p.id = x.post_id \
                 WHERE x.deleted_at IS NULL AND p.deleted_at IS NULL",
    },
];

fn hit_from_row(r: &sqlx::any::AnyRow) -> Result<StoredHit, StoreError> {
    let kind = EntryKind::parse(&r.try_get::<String, _>("entry_kind")?)?;
    let person = match r.try_get::<Option<PersonId>, _>("author_id")? {
        Some(id) => Some(crate::model::PersonRef {
            id,
            name: r.try_get("author_name")?,
            job_title: r.try_get("author_job_title")?,
            avatar: r.try_get("author_avatar")?,
        }),
        None => None,
    };
    let profile = if kind == EntryKind::Person {
        let parts: Vec<String> = [
            "profile_title",
            "profile_expertise",
            "profile_responsibilities",
        ]
        .iter()
        .map(|column| {
            r.try_get::<Option<String>, _>(*column)
                .map(Option::unwrap_or_default)
        })
        .collect::<Result<_, _>>()?;
        Some(parts.join(" · "))
    } else {
        None
    };
    Ok(StoredHit {
        kind,
        ref_id: r.try_get("ref_id")?,
        post_id: r.try_get("post_id")?,
        at: r.try_get("entry_at")?,
        post_kind: r.try_get("post_kind")?,
        post_body: r.try_get("post_body")?,
        answered: r.try_get::<i64, _>("answered")? == 1,
        comment_body: r.try_get("comment_body")?,
        page_title: r.try_get("page_title")?,
        page_body: r.try_get("page_body")?,
        verified: kind == EntryKind::Page && r.try_get::<i64, _>("verified")? == 1,
        profile,
        channel_name: r.try_get("channel_name")?,
        channel_slug: r.try_get("channel_slug")?,
        channel_description: r.try_get("channel_description")?,
        person,
    })
}

impl Tx {
    /// Brings one thing's entry up to date with its row: written again after any change
    /// to what it is found by, taken out when the row is gone, deleted or deactivated.
    /// Every write path calls this, so what the index holds is read from one place.
    pub async fn reindex(&mut self, kind: EntryKind, id: i64) -> Result<(), StoreError> {
        let source = BACKLOG
            .iter()
            .find(|s| s.kind == kind)
            .ok_or(StoreError::Corrupt("search backlog"))?;
        let row = sqlx::query(&format!("{} AND x.id = $1", source.select))
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?;
        match row {
            Some(row) => self.index_row(kind, &row).await,
            None => self.unindex(kind, id).await,
        }
    }

    async fn index_row(
        &mut self,
        kind: EntryKind,
        row: &sqlx::any::AnyRow,
    ) -> Result<(), StoreError> {
        let title: String = row.try_get("title")?;
        let body: String = row.try_get("body")?;
        self.index(&Entry {
            kind,
            ref_id: row.try_get("id")?,
            post_id: row.try_get("post_id")?,
            channel_id: row.try_get("channel_id")?,
            author_id: row.try_get("author_id")?,
            created_at: row.try_get("created_at")?,
            title: &title,
            body: &body,
        })
        .await
    }

    /// Writes (or rewrites) the entry for one thing, and its long words into the typo
    /// vocabulary.
    async fn index(&mut self, entry: &Entry<'_>) -> Result<(), StoreError> {
        let title = index_text(entry.title);
        let body = index_text(entry.body);
        sqlx::query(
            "INSERT INTO search_entries (kind, ref_id, post_id, channel_id, author_id, created_at, title, body) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (kind, ref_id) DO UPDATE SET post_id = excluded.post_id, \
               channel_id = excluded.channel_id, author_id = excluded.author_id, \
               created_at = excluded.created_at, title = excluded.title, body = excluded.body",
        )
        .bind(entry.kind.as_str())
        .bind(entry.ref_id)
        .bind(entry.post_id)
        .bind(entry.channel_id)
        .bind(entry.author_id)
        .bind(entry.created_at)
        .bind(&title)
        .bind(&body)
        .execute(&mut *self.tx)
        .await?;
        let long: BTreeSet<String> = long_words(&title, &body).collect();
        self.add_terms(long.into_iter().collect()).await
    }

    /// Adds words to the typo vocabulary (those it has are left as they are), in
    /// statements of a bounded size: one post can hold thousands of words.
    async fn add_terms(&mut self, terms: Vec<String>) -> Result<(), StoreError> {
        for chunk in terms.chunks(200) {
            let values = (0..chunk.len())
                .map(|i| format!("(${})", i + 1))
                .collect::<Vec<_>>()
                .join(", ");
            let sql =
                format!("INSERT INTO search_terms (term) VALUES {values} ON CONFLICT DO NOTHING");
            let mut query = sqlx::query(&sql);
            for word in chunk {
                query = query.bind(word.clone());
            }
            query.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Takes one thing out of the index (deleted). Its words stay in the vocabulary,
    /// which only ever widens a typo's lookup.
    pub async fn unindex(&mut self, kind: EntryKind, ref_id: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM search_entries WHERE kind = $1 AND ref_id = $2")
            .bind(kind.as_str())
            .bind(ref_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Takes every comment of a post out of the index (the post was deleted).
    pub async fn unindex_comments_of(&mut self, post: PostId) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM search_entries WHERE kind = 'comment' AND post_id = $1")
            .bind(post)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Backend, KindFilter, Ranked, Ranking, Scope, Terms};

    /// The ranking query's text as each database writes its numbers: SQLite's REAL
    /// with up to fifteen digits or an exponent, PostgreSQL's shortest exact form.
    #[test]
    fn a_ranked_candidate_is_read_from_either_database_s_text() {
        for (text, score) in [
            (
                "12,posts,0.999773476478853,1796463387892",
                0.999773476478853,
            ),
            ("12,posts,3,1796463387892", 3.0),
            ("12,posts,2.0,1796463387892", 2.0),
            ("12,posts,1.0e-05,1796463387892", 1.0e-05),
            ("12,posts,1e-05,1796463387892", 1.0e-05),
        ] {
            let ranked = Ranked::parse(text).unwrap();
            assert_eq!(
                (ranked.entry_id, ranked.bucket, ranked.score, ranked.at),
                (12, KindFilter::Posts, score, 1796463387892),
                "{text}"
            );
        }
        for broken in [
            "",
            "12",
            "12,posts",
            "12,nothing,1,2",
            "x,posts,1,2",
            "12,posts,1",
        ] {
            assert!(Ranked::parse(broken).is_err(), "{broken:?}");
        }
    }

    #[test]
    fn a_page_is_cut_from_the_ranking_best_first_then_newest() {
        let ranked = |entry_id, bucket, score, at| Ranked {
            entry_id,
            bucket,
            score,
            at,
        };
        let ranking = Ranking {
            bounded: Vec::new(),
            counts: Vec::new(),
            ranked: vec![
                ranked(1, KindFilter::Posts, 1.0, 10),
                ranked(2, KindFilter::Pages, 3.0, 5),
                ranked(3, KindFilter::Posts, 2.0, 20),
                ranked(4, KindFilter::Comments, 2.0, 30),
                ranked(5, KindFilter::Posts, 2.0, 20),
            ],
        };
        // Equal scores: the newer first, then the later entry.
        assert_eq!(ranking.page(KindFilter::All, 10, 0), vec![2, 4, 5, 3, 1]);
        assert_eq!(ranking.page(KindFilter::All, 2, 1), vec![4, 5]);
        assert_eq!(ranking.page(KindFilter::Posts, 10, 0), vec![5, 3, 1]);
        assert_eq!(
            ranking.page(KindFilter::Questions, 10, 0),
            Vec::<i64>::new()
        );
        assert_eq!(ranking.page(KindFilter::Posts, 10, 3), Vec::<i64>::new());
    }

    #[test]
    fn terms_render_in_each_dialect() {
        let terms = Terms {
            groups: vec![vec!["bao".into(), "baor".into()], vec!["hiem".into()]],
            prefix_last: true,
        };
        assert_eq!(
            terms.render(Backend::Sqlite),
            "(\"bao\" OR \"baor\") AND (\"hiem\"*)"
        );
        assert_eq!(terms.render(Backend::Postgres), "(bao | baor) & (hiem:*)");
        let guest = Scope::Only(vec![3, 12]);
        let [posts, rest] = terms.render_sets(Backend::Sqlite, &guest);
        assert_eq!(
            posts,
            "((({title body} : ((\"bao\" OR \"baor\") AND (\"hiem\"*))) \
             NOT (kind : (\"page\" OR \"person\" OR \"channel\"))) AND (scope : (\"c3\" OR \"c12\")))"
        );
        assert!(rest.ends_with("AND kind : (\"page\" OR \"person\" OR \"channel\")"));
        assert_eq!(guest.condition(), "x.channel_id IN (3, 12)");
        assert_eq!(
            terms.render_titles(Backend::Sqlite),
            "{title} : ((\"bao\" OR \"baor\") AND (\"hiem\"*)) AND kind : (\"page\" OR \"person\" OR \"channel\")"
        );
        assert_eq!(
            terms.render_titles(Backend::Postgres),
            "(bao:A | baor:A) & (hiem:*A)"
        );
    }

    #[test]
    fn a_scope_leaves_out_or_keeps_channels_in_each_dialect() {
        let member = Scope::Except(vec![5, 9]);
        assert_eq!(member.fts().unwrap(), "NOT (scope : (\"c5\" OR \"c9\"))");
        assert_eq!(member.condition(), "x.channel_id NOT IN (5, 9)");
        let everywhere = Scope::Except(Vec::new());
        assert_eq!(everywhere.fts(), None);
        assert_eq!(everywhere.condition(), "1 = 1");
        let nowhere = Scope::Only(Vec::new());
        assert_eq!(nowhere.fts().unwrap(), "AND (scope : (\"c0\"))");
        assert_eq!(nowhere.condition(), "1 = 0");
    }
}
