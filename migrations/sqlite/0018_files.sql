-- Attachments (issue 17): files on posts, comments and knowledge pages. The bytes live
-- in an object store (a folder beside the database by default, or an S3-compatible
-- bucket), named by `key`, a random 128-bit name nobody can guess; this table says what
-- each one is and what it is attached to, and so who may read it: exactly who may read
-- that post, comment or page.
CREATE TABLE files (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,
    uploader_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    -- Decided by the server from the bytes, never taken from the browser.
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    -- Images only: the picture's size, and whether the two previews were made.
    width         INTEGER,
    height        INTEGER,
    -- A document's words (PDF, Office, plain text), bounded, for search.
    text          TEXT NOT NULL DEFAULT '',
    has_previews  INTEGER NOT NULL DEFAULT 0,
    -- Until it is posted a file is pending and only its uploader sees it; a pending file
    -- left behind (a closed tab, a cancelled post) is removed after a day.
    post_id       INTEGER REFERENCES posts(id) ON DELETE CASCADE,
    comment_id    INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    page_id       INTEGER REFERENCES pages(id) ON DELETE CASCADE,
    -- The order it was added in, so a post's files show as they were picked.
    position      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);
CREATE INDEX files_post ON files (post_id, position) WHERE post_id IS NOT NULL;
CREATE INDEX files_comment ON files (comment_id, position) WHERE comment_id IS NOT NULL;
CREATE INDEX files_page ON files (page_id, position) WHERE page_id IS NOT NULL;
CREATE INDEX files_pending ON files (created_at)
WHERE post_id IS NULL AND comment_id IS NULL AND page_id IS NULL;

-- The attached files' names and words, so search finds a post by the file it carries.
ALTER TABLE posts ADD COLUMN files_text TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN files_text TEXT NOT NULL DEFAULT '';
ALTER TABLE pages ADD COLUMN files_text TEXT NOT NULL DEFAULT '';

-- The limits, as company settings: the largest file, and all files together.
ALTER TABLE company ADD COLUMN file_max_mb INTEGER NOT NULL DEFAULT 25;
ALTER TABLE company ADD COLUMN file_quota_mb INTEGER NOT NULL DEFAULT 10240;
