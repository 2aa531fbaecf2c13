-- People: invitations, fuller profiles, avatars and deactivation.

CREATE TABLE invitations (
    id             INTEGER PRIMARY KEY,
    -- SHA-256 of the link's token: the link is shown once, when it is created.
    token_hash     TEXT    NOT NULL UNIQUE,
    role           TEXT    NOT NULL CHECK (role IN ('admin', 'member', 'guest')),
    department_id  INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    -- A guest's one channel (members join the default channels anyway).
    channel_id     INTEGER REFERENCES channels(id) ON DELETE SET NULL,
    -- NULL: any number of people until it expires.
    max_uses       INTEGER,
    uses           INTEGER NOT NULL DEFAULT 0,
    expires_at     INTEGER NOT NULL,
    revoked_at     INTEGER,
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX invitations_pending ON invitations (expires_at);

-- Which invitation brought a person in (the dashboard's invited → joined funnel).
ALTER TABLE users ADD COLUMN invitation_id INTEGER REFERENCES invitations(id) ON DELETE SET NULL;
-- 'MM-DD': the year is nobody's business.
ALTER TABLE users ADD COLUMN birthday TEXT;
ALTER TABLE users ADD COLUMN birthday_public INTEGER NOT NULL DEFAULT 0;
-- "Ask me about" and "responsible for": one entry per line.
ALTER TABLE users ADD COLUMN expertise TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN responsibilities TEXT NOT NULL DEFAULT '';
-- When the avatar last changed (part of its URL, so caches refresh); NULL: initials.
ALTER TABLE users ADD COLUMN avatar_version INTEGER;
ALTER TABLE users ADD COLUMN deactivated_at INTEGER;

-- E-mail addresses are unique whatever their case; sign-in looks them up this way.
CREATE UNIQUE INDEX users_email_lower ON users (LOWER(email));

CREATE TABLE avatars (
    user_id       INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    content_type  TEXT    NOT NULL,
    image         BLOB    NOT NULL
);
