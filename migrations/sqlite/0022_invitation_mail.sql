-- Invitations by e-mail (issue 20). An admin types addresses; each gets its own
-- one-use invitation, and the outbox sends each its link. The link's secret is made
-- when the mail is sent (the invitation's `token_hash` is replaced then), so, as for a
-- reset, it exists only in the mail. Joining through it must use the address it went to.

-- The address an invitation was mailed to (NULL: a link the admin passes on), and the
-- language the mail is written in (the inviting admin's, when they sent it).
ALTER TABLE invitations ADD COLUMN email TEXT;
ALTER TABLE invitations ADD COLUMN locale TEXT;

-- An outbox row goes to a person (`user_id`) or to an invited address
-- (`invitation_id`), never both. SQLite changes a column's NOT NULL and a CHECK only by
-- building the table again; nothing refers to it, so a copy is enough.
CREATE TABLE mail_outbox_next (
    id             INTEGER PRIMARY KEY,
    dedupe         TEXT    NOT NULL UNIQUE,
    kind           TEXT    NOT NULL CHECK (kind IN ('reset', 'digest', 'invitation')),
    user_id        INTEGER REFERENCES users(id) ON DELETE CASCADE,
    since          INTEGER,
    created_at     INTEGER NOT NULL,
    next_try_at    INTEGER NOT NULL,
    claimed_until  INTEGER,
    attempts       INTEGER NOT NULL DEFAULT 0,
    done_at        INTEGER,
    outcome        TEXT,
    invitation_id  INTEGER REFERENCES invitations(id) ON DELETE CASCADE,
    CHECK ((user_id IS NULL) <> (invitation_id IS NULL))
);
INSERT INTO mail_outbox_next (id, dedupe, kind, user_id, since, created_at, next_try_at,
                              claimed_until, attempts, done_at, outcome)
SELECT id, dedupe, kind, user_id, since, created_at, next_try_at, claimed_until, attempts,
       done_at, outcome FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_next RENAME TO mail_outbox;
CREATE INDEX mail_outbox_due ON mail_outbox (next_try_at) WHERE done_at IS NULL;
CREATE INDEX mail_outbox_user ON mail_outbox (user_id);
CREATE INDEX mail_outbox_invitation ON mail_outbox (invitation_id);
