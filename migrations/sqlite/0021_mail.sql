-- E-mail (issue 20): password resets asked for by "Forgot password?", and a digest
-- (weekly by default, daily or off by preference) at 08:00 in each person's time zone.
--
-- The outbox holds what is to be sent, not the mail itself: a reset's link is made and
-- a digest is gathered (every item re-checked against the read rule) when it is sent,
-- so no secret sits in this table and nobody is sent what they may no longer read.
-- `dedupe` makes each mail one of a kind: however many instances look, a person gets
-- one digest per period and one reset mail per ten minutes.

-- 'weekly', 'daily' or 'off'; and the start of the latest digest period queued.
ALTER TABLE users ADD COLUMN digest TEXT NOT NULL DEFAULT 'weekly' CHECK (digest IN ('weekly', 'daily', 'off'));
ALTER TABLE users ADD COLUMN digest_queued_at INTEGER;

CREATE TABLE mail_outbox (
    id             INTEGER PRIMARY KEY,
    dedupe         TEXT    NOT NULL UNIQUE,
    kind           TEXT    NOT NULL CHECK (kind IN ('reset', 'digest')),
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- A digest: what happened since this instant goes in.
    since          INTEGER,
    created_at     INTEGER NOT NULL,
    next_try_at    INTEGER NOT NULL,
    -- An instance sending it holds it until then; after that (it stopped), another may.
    claimed_until  INTEGER,
    attempts       INTEGER NOT NULL DEFAULT 0,
    done_at        INTEGER,
    -- 'sent', 'empty' (a digest with nothing in it), 'skipped' (no longer due, e.g. the
    -- person left), or the last error.
    outcome        TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_try_at) WHERE done_at IS NULL;
CREATE INDEX mail_outbox_user ON mail_outbox (user_id);

-- Links in a mail that act without signing in: unsubscribe (one click, RFC 8058) and
-- acknowledge a must-read. Only the token's SHA-256 is kept, as for sessions.
CREATE TABLE mail_links (
    token_hash  TEXT    NOT NULL PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    action      TEXT    NOT NULL CHECK (action IN ('unsubscribe-digest', 'acknowledge')),
    post_id     INTEGER REFERENCES posts(id) ON DELETE CASCADE,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX mail_links_expiry ON mail_links (expires_at);
