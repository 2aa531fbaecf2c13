-- sessions.token_hash was declared `TEXT PRIMARY KEY` without NOT NULL. In an ordinary
-- (rowid) SQLite table that lets a key column hold NULL, where PostgreSQL's primary keys
-- never do (found by app/tests/schema.rs). The store always writes a hash and a NULL
-- one could never be looked up, so the table is rebuilt with NOT NULL, keeping every
-- session. Nothing refers to sessions, so the rebuild needs no foreign key dance.
CREATE TABLE sessions_rebuilt (
    -- SHA-256 of the cookie's token: a leaked table does not give working cookies.
    token_hash    TEXT    NOT NULL PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
INSERT INTO sessions_rebuilt (token_hash, user_id, created_at, expires_at)
SELECT token_hash, user_id, created_at, expires_at FROM sessions WHERE token_hash IS NOT NULL;
DROP TABLE sessions;
ALTER TABLE sessions_rebuilt RENAME TO sessions;
CREATE INDEX sessions_user ON sessions (user_id);
