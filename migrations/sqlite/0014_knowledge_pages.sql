-- Knowledge pages (issue 16, part 2): Markdown pages in a space (the company, a channel
-- or a department), nested, each with an owner who keeps it true within a review
-- interval. Every save is a version; notifications can name a page.

CREATE TABLE pages (
    id                  INTEGER PRIMARY KEY,
    space_kind          TEXT    NOT NULL CHECK (space_kind IN ('company', 'channel', 'department')),
    -- Exactly the space's own id: a channel's pages name it, a department's pages name it.
    channel_id          INTEGER REFERENCES channels(id) ON DELETE CASCADE,
    department_id       INTEGER REFERENCES departments(id) ON DELETE CASCADE,
    -- A page under another of the same space (NULL: at the space's top).
    parent_id           INTEGER REFERENCES pages(id) ON DELETE SET NULL,
    title               TEXT    NOT NULL,
    body                TEXT    NOT NULL,
    -- The title and body folded (lower case, no diacritics) for search.
    search_text         TEXT    NOT NULL,
    owner_id            INTEGER NOT NULL REFERENCES users(id),
    review_days         INTEGER NOT NULL DEFAULT 90 CHECK (review_days >= 7 AND review_days <= 365),
    -- The last "still true" (or edit by someone who may verify): the review clock's start.
    verified_at         INTEGER NOT NULL,
    verified_by         INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- When the owner was last reminded; one reminder per review period.
    review_reminded_at  INTEGER,
    version             INTEGER NOT NULL DEFAULT 1,
    created_by          INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at          INTEGER NOT NULL,
    updated_by          INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at          INTEGER NOT NULL,
    deleted_at          INTEGER,
    CHECK ((space_kind = 'company' AND channel_id IS NULL AND department_id IS NULL)
        OR (space_kind = 'channel' AND channel_id IS NOT NULL AND department_id IS NULL)
        OR (space_kind = 'department' AND department_id IS NOT NULL AND channel_id IS NULL))
);
CREATE INDEX pages_channel ON pages (channel_id) WHERE channel_id IS NOT NULL;
CREATE INDEX pages_department ON pages (department_id) WHERE department_id IS NOT NULL;
CREATE INDEX pages_parent ON pages (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX pages_owner ON pages (owner_id) WHERE deleted_at IS NULL;

-- Every saved state of a page, numbered from 1: the history, its diffs, and restores
-- (a restore is a new version with an old text; nothing is lost).
CREATE TABLE page_versions (
    page_id     INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    title       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    edited_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    edited_at   INTEGER NOT NULL,
    -- The version this one restored, if it was a restore.
    restored_from INTEGER,
    PRIMARY KEY (page_id, version)
);

-- A notification can name a page (handed over, due for review).
ALTER TABLE notifications ADD COLUMN page_id INTEGER REFERENCES pages(id) ON DELETE CASCADE;
