-- Foundation schema. Timestamps are unix milliseconds (INTEGER) and flags are 0/1
-- integers so that one backend-neutral store reads both SQLite and PostgreSQL alike.

CREATE TABLE company (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT    NOT NULL,
    time_zone   TEXT    NOT NULL,
    locale      TEXT    NOT NULL DEFAULT 'vi',
    created_at  INTEGER NOT NULL
);

CREATE TABLE departments (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT    NOT NULL UNIQUE,
    display_name   TEXT    NOT NULL,
    -- lower-cased, diacritics removed: lets "nguyen van an" find "Nguyễn Văn An"
    search_text    TEXT    NOT NULL,
    job_title      TEXT    NOT NULL DEFAULT '',
    department_id  INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    manager_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    role           TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member', 'guest')),
    is_active      INTEGER NOT NULL DEFAULT 1,
    locale         TEXT,
    time_zone      TEXT,
    location       TEXT    NOT NULL DEFAULT '',
    start_date     TEXT,
    created_at     INTEGER NOT NULL
);
CREATE INDEX users_department ON users (department_id);
CREATE INDEX users_manager ON users (manager_id);

CREATE TABLE channels (
    id           INTEGER PRIMARY KEY,
    slug         TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    guidelines   TEXT    NOT NULL DEFAULT '',
    kind         TEXT    NOT NULL CHECK (kind IN ('public', 'private', 'announcement')),
    is_default   INTEGER NOT NULL DEFAULT 0,
    archived_at  INTEGER,
    created_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL
);

CREATE TABLE channel_members (
    channel_id  INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role        TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
    joined_at   INTEGER NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX channel_members_user ON channel_members (user_id);

CREATE TABLE posts (
    id             INTEGER PRIMARY KEY,
    channel_id     INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    author_id      INTEGER NOT NULL REFERENCES users(id),
    kind           TEXT    NOT NULL CHECK (kind IN ('update', 'announcement', 'question')),
    body           TEXT    NOT NULL,
    comment_count  INTEGER NOT NULL DEFAULT 0,
    reaction_count INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    edited_at      INTEGER,
    deleted_at     INTEGER
);
-- Keyset pagination: newest first by (created_at, id), overall and per channel / author.
CREATE INDEX posts_recent ON posts (created_at DESC, id DESC);
CREATE INDEX posts_channel_recent ON posts (channel_id, created_at DESC, id DESC);
CREATE INDEX posts_author_recent ON posts (author_id, created_at DESC, id DESC);

CREATE TABLE pins (
    channel_id  INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    post_id     INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    pinned_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    pinned_at   INTEGER NOT NULL,
    PRIMARY KEY (channel_id, post_id)
);

CREATE TABLE comments (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    parent_id   INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    author_id   INTEGER NOT NULL REFERENCES users(id),
    body        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    edited_at   INTEGER,
    deleted_at  INTEGER
);
CREATE INDEX comments_post ON comments (post_id, created_at, id);

CREATE TABLE reactions (
    post_id     INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    emoji       TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (post_id, user_id, emoji)
);
