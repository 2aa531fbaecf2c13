-- Web Push (issue 20): notifications on a phone's lock screen or a desktop, through the
-- browser's push service, encrypted for each device (RFC 8291) and signed with this
-- Townhall's VAPID key (RFC 8292).

-- The VAPID key pair, made once by the first instance that needs it and shared by all:
-- a push service accepts a device's messages only from the key it subscribed with.
CREATE TABLE push_keys (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    -- The P-256 private scalar and the uncompressed public point, base64url.
    private_key  TEXT    NOT NULL,
    public_key   TEXT    NOT NULL,
    -- Who push services may contact about our messages (VAPID's `sub`): the address
    -- people opened Townhall at when the keys were made.
    contact      TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);

-- One row per device that turned notifications on. It belongs to the session it was
-- made in: signing out (or out everywhere) ends it, so a shared or handed-on device
-- never shows the next person the previous one's messages.
CREATE TABLE push_subscriptions (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    session_hash  TEXT    NOT NULL REFERENCES sessions(token_hash) ON DELETE CASCADE,
    endpoint      TEXT    NOT NULL UNIQUE,
    -- The device's P-256 public key and auth secret, base64url, as the browser gave them.
    p256dh        TEXT    NOT NULL,
    auth          TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);
CREATE INDEX push_subscriptions_session ON push_subscriptions (session_hash);

-- What is to be pushed: written with the notification, for people with a device, and
-- turned into a message (re-checked against the read rule and the person's settings)
-- when sent. Each row is claimed by one instance, and deleted once handled.
CREATE TABLE push_outbox (
    id             INTEGER PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL,
    actor_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    post_id        INTEGER REFERENCES posts(id) ON DELETE CASCADE,
    comment_id     INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    created_at     INTEGER NOT NULL,
    next_try_at    INTEGER NOT NULL,
    claimed_until  INTEGER,
    attempts       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX push_outbox_due ON push_outbox (next_try_at);
CREATE INDEX push_outbox_user ON push_outbox (user_id);

-- Which groups of notifications reach a person's devices (comma-separated: mentions,
-- replies, announcements, questions, posts), and
-- their quiet hours in minutes after local midnight (both NULL: none).
ALTER TABLE users ADD COLUMN push_kinds TEXT NOT NULL DEFAULT 'mentions,replies,announcements,questions,posts';
ALTER TABLE users ADD COLUMN push_quiet_from INTEGER;
ALTER TABLE users ADD COLUMN push_quiet_to INTEGER;
