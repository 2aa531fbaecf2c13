-- What the million-post benchmark found on the hot paths (docs/benchmarks.md).

-- A channel's post count, kept by the writes that add and hide posts. Counting them on
-- every read scanned all of a channel's posts: with a million posts about half a second
-- per channel list, and the home page's composers read two such lists, posting one.
ALTER TABLE channels ADD COLUMN post_count BIGINT NOT NULL DEFAULT 0;
UPDATE channels SET post_count =
    (SELECT COUNT(*) FROM posts p WHERE p.channel_id = channels.id AND p.deleted_at IS NULL);

-- Every feed card asks whether its post is pinned; unpinning and deleting find a post's
-- pins. Without this each asked by scanning all pins.
CREATE INDEX pins_post ON pins (post_id);

-- The dashboard's overview counts comments and reactions since a date; without these it
-- scanned every comment and reaction there is.
CREATE INDEX comments_created ON comments (created_at);
CREATE INDEX reactions_created ON reactions (created_at);
