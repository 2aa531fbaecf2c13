//! Who may read what, as SQL conditions: the one rule per kind of thing (channels,
//! posts, knowledge pages, people) that every query returning it to a person composes.
//! They live below every table's module, so that the feeds, the pages, the people and
//! the search index all read the same rule without depending on one another.

/// Whether the reader ($1: user id, $2: 1 for a guest) may read channel `c`: members
/// read their channels; everyone but guests reads the channels that are not private.
pub(super) const VISIBLE: &str = "((c.kind <> 'private' AND $2 = 0) OR EXISTS \
     (SELECT 1 FROM channel_members vis WHERE vis.channel_id = c.id AND vis.user_id = $1))";
/// Whether the reader may read post `p` in channel `c`: they may read the channel and,
/// for an announcement addressed to some departments only, they are among its
/// recipients or wrote it.
pub(super) const VISIBLE_POST: &str = "(((c.kind <> 'private' AND $2 = 0) OR EXISTS \
     (SELECT 1 FROM channel_members vis WHERE vis.channel_id = c.id AND vis.user_id = $1)) \
     AND (p.audience_only = 0 OR p.author_id = $1 OR EXISTS \
     (SELECT 1 FROM announcement_recipients aud WHERE aud.post_id = p.id AND aud.user_id = $1)))";

/// Whether the person `user` (an SQL expression; `guest` is 1 for a guest) may read page
/// `pg`: company and department pages for everyone but guests; a channel's pages exactly
/// when they may read the channel, by the channels' own rule
/// ([`VISIBLE`], the one posts use), so the two can never drift apart.
pub(super) fn visible_page(pg: &str, user: &str, guest: &str) -> String {
    let channel_rule = VISIBLE.replace("$1", user).replace("$2", guest);
    format!(
        "(({pg}.space_kind <> 'channel' AND {guest} = 0) OR ({pg}.space_kind = 'channel' AND \
          EXISTS (SELECT 1 FROM channels c WHERE c.id = {pg}.channel_id AND {channel_rule})))"
    )
}

/// [`visible_page`] for the reader bound as `$1` (user id) and `$2` (1 for a guest), as
/// `VISIBLE_POST` takes them.
pub(super) fn visible_page_for_reader(pg: &str) -> String {
    visible_page(pg, "$1", "$2")
}

/// The one rule for which people someone may see, as a condition on the `users` row
/// `alias`, for the viewer whose id is bound at placeholder `viewer` (such as `$3`):
/// owners, admins and members see everyone; a guest sees themself and the people who
/// share at least one channel with them, and nobody else, anywhere. Every query that
/// returns people (or their names, avatars or handles) to a person composes it, so the
/// next one cannot forget the guests.
///
/// It reads the viewer's role as stored, so a session that still says "member" after a
/// demotion does not widen it, and an id that names nobody sees no one but itself.
pub(super) fn visible_person(alias: &str, viewer: &str) -> String {
    format!(
        "(EXISTS (SELECT 1 FROM users seer WHERE seer.id = {viewer} AND seer.role <> 'guest') \
          OR {alias}.id = {viewer} \
          OR EXISTS (SELECT 1 FROM channel_members theirs \
               JOIN channel_members mine ON mine.channel_id = theirs.channel_id \
               WHERE theirs.user_id = {alias}.id AND mine.user_id = {viewer}))"
    )
}
