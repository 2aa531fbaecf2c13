-- The living feed: @handles for mentions, tags, company announcements with audiences and
-- acknowledgements, notifications, per-channel notification levels, and the event log
-- behind live updates.

-- A person's @handle, made from the local part of their e-mail; unique. New people get
-- theirs from the application (which also strips characters a handle cannot hold).
ALTER TABLE users ADD COLUMN handle TEXT;
UPDATE users SET handle = lower(substr(email, 1, instr(email, '@') - 1));
UPDATE users SET handle = handle || id
 WHERE handle = '' OR EXISTS (SELECT 1 FROM users o WHERE o.handle = users.handle AND o.id < users.id);
CREATE UNIQUE INDEX users_handle ON users (handle);

-- How much a member hears about a channel: every post, mentions only, or nothing.
ALTER TABLE channel_members ADD COLUMN notify TEXT NOT NULL DEFAULT 'mentions'
    CHECK (notify IN ('all', 'mentions', 'none'));

-- Only the announcement's recipients (and its author) see a post addressed to some
-- departments, even in a channel everyone reads.
ALTER TABLE posts ADD COLUMN audience_only INTEGER NOT NULL DEFAULT 0;

-- Who a post mentions by @handle (those who may read it), and its #tags.
CREATE TABLE post_mentions (
    post_id  INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, user_id)
);
CREATE INDEX post_mentions_user ON post_mentions (user_id, post_id);

CREATE TABLE post_tags (
    post_id  INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    tag      TEXT    NOT NULL,
    PRIMARY KEY (post_id, tag)
);
CREATE INDEX post_tags_tag ON post_tags (tag, post_id);

-- A company announcement: who it is addressed to and whether they must acknowledge it.
CREATE TABLE announcements (
    post_id     INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    audience    TEXT    NOT NULL CHECK (audience IN ('everyone', 'departments', 'channel')),
    must_read   INTEGER NOT NULL DEFAULT 0,
    expires_at  INTEGER
);

CREATE TABLE announcement_departments (
    post_id        INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    department_id  INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, department_id)
);

-- Everyone the announcement was addressed to when it was published, and what they did:
-- reach is counted here. "Seen" means it was on their screen, not merely sent.
CREATE TABLE announcement_recipients (
    post_id          INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    seen_at          INTEGER,
    acknowledged_at  INTEGER,
    notified_at      INTEGER NOT NULL,
    PRIMARY KEY (post_id, user_id)
);
CREATE INDEX announcement_recipients_user ON announcement_recipients (user_id, acknowledged_at);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('mention', 'channel_mention', 'post', 'comment',
                                                'reply', 'reaction', 'announcement', 'reminder')),
    actor_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    post_id     INTEGER REFERENCES posts(id) ON DELETE CASCADE,
    comment_id  INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
);
CREATE INDEX notifications_user ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- Live updates read this log in id order. Ids come from `event_sequence` inside the
-- writing transaction, whose row lock makes them commit in order: a reader that has
-- seen id N never later finds a smaller id appear (a plain sequence would allow that).
CREATE TABLE event_sequence (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    last  INTEGER NOT NULL
);
INSERT INTO event_sequence (id, last) VALUES (1, 0);

CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL,
    -- For everyone who may read this channel, or for one person; never both empty.
    channel_id    INTEGER,
    recipient_id  INTEGER,
    post_id       INTEGER,
    actor_id      INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX events_created ON events (created_at);
