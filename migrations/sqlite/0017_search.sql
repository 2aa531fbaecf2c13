-- Search (issue 17): one entry per thing a person can find — a post, a comment, a
-- knowledge page, a person, a channel — holding its words as the Rust normaliser
-- (`app::folding`) wrote them: folded, split on anything but letters and digits, joined
-- by single spaces. Entries are written in the same transaction as what they index.
-- Who may read an entry is never stored here: every search joins the real row and
-- applies the same rule its own pages do, before ranking and counting.
CREATE TABLE search_entries (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('post', 'comment', 'page', 'person', 'channel')),
    ref_id      INTEGER NOT NULL,
    -- The post, for a post or a comment.
    post_id     INTEGER,
    -- The channel it lives in (a channel's own id; a channel space's page's channel).
    channel_id  INTEGER,
    -- Who wrote it (post, comment), keeps it (page), or is it (person).
    author_id   INTEGER,
    created_at  INTEGER NOT NULL,
    title       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    UNIQUE (kind, ref_id)
);

-- SQLite: FTS5 over the entries (external content, kept in step by triggers). The
-- text is already normalised, so the tokenizer only has to split on spaces. The kind
-- is indexed too, so that a search can take the newest matching posts without walking
-- every match (words are matched in the title and body only).
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body, kind, content = 'search_entries', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
    INSERT INTO search_fts (rowid, title, body, kind) VALUES (new.id, new.title, new.body, new.kind);
END;
CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, kind) VALUES ('delete', old.id, old.title, old.body, old.kind);
END;
CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, kind) VALUES ('delete', old.id, old.title, old.body, old.kind);
    INSERT INTO search_fts (rowid, title, body, kind) VALUES (new.id, new.title, new.body, new.kind);
END;

-- Every indexed word of five letters or more, once: where a query's small typos are
-- looked up ("bao hiem" for "bao hiemm"). Never shown to anyone.
CREATE TABLE search_terms (
    term TEXT NOT NULL PRIMARY KEY
) WITHOUT ROWID;
