-- Signing in: a password per person, server-side sessions, and a record of failed
-- attempts for throttling.

-- NULL until the person sets one (an invited colleague who has not joined yet).
ALTER TABLE users ADD COLUMN password_hash TEXT;

CREATE TABLE sessions (
    -- SHA-256 of the cookie's token: a leaked table does not give working cookies.
    token_hash    TEXT    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE sign_in_failures (
    -- 'account:<email>' or 'address:<ip>'
    subject  TEXT    NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_subject ON sign_in_failures (subject, at);
