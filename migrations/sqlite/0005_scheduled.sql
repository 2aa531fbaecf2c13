-- Scheduled posts: written now, published at `publish_at` by whichever instance's
-- scheduler claims the row first (see app/src/scheduling.rs).

CREATE TABLE scheduled_posts (
    id               INTEGER PRIMARY KEY,
    channel_id       INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    author_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind             TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    -- The author confirmed that `@channel` may notify every member.
    confirm_channel  INTEGER NOT NULL DEFAULT 0,
    -- Unix milliseconds; the post's created_at once published.
    publish_at       INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    -- Set, in the publishing transaction, by the one instance that claimed the row.
    published_at     INTEGER,
    post_id          INTEGER REFERENCES posts(id) ON DELETE SET NULL,
    cancelled_at     INTEGER,
    -- Why the policy refused it at publish time (the author lost access, the channel
    -- was archived…); a failed row is not retried unless its author edits it.
    failure          TEXT
);
-- The scheduler's question: which pending rows are due.
CREATE INDEX scheduled_posts_due ON scheduled_posts (publish_at)
    WHERE published_at IS NULL AND cancelled_at IS NULL AND failure IS NULL;
CREATE INDEX scheduled_posts_author ON scheduled_posts (author_id, publish_at);
