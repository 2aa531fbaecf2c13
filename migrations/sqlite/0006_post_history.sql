-- Edited posts keep what they said before: each edit stores the replaced text, for the
-- channel's and the company's admins to read.
CREATE TABLE post_versions (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    body        TEXT    NOT NULL,
    -- When this text was replaced, and by whom.
    replaced_at INTEGER NOT NULL,
    replaced_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX post_versions_post ON post_versions (post_id, replaced_at);
-- Who deleted a post (its author or a channel admin); the post stays, hidden.
ALTER TABLE posts ADD COLUMN deleted_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
