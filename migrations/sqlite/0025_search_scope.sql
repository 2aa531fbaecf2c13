-- Search matches inside the reader's channels (issue 17). A search used to take the
-- company's newest thousand matching posts (and comments) and keep those the reader may
-- read: a guest in one quiet channel found almost nothing of theirs behind everyone
-- else's matches. The full-text index now holds the channel each entry lives in as a
-- word of a column of its own, `scope` ("c" and the channel's id), so that a search can
-- leave out the private channels the reader is not in (or keep only a guest's own) in
-- the index itself, and the newest thousand it ranks are theirs. The permission rule is
-- still applied to every candidate: the scope only keeps the index from offering what
-- the rule would drop.
--
-- The scope is made in one place, the view the index reads (`search_fts_content`), and
-- the triggers copy an entry's row from it, so what is added to the index and what is
-- taken out of it always agree. Entries without a channel (people, company and
-- department pages) have no scope.
DROP TRIGGER search_entries_ai;
DROP TRIGGER search_entries_ad;
DROP TRIGGER search_entries_au;
DROP TABLE search_fts;

CREATE VIEW search_fts_content AS
    SELECT id, title, body, kind, 'c' || channel_id AS scope FROM search_entries;

CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body, kind, scope, content = 'search_fts_content', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0'
);
-- Added after the row is written, taken out before it changes or goes: both read the
-- row through the view while it is there.
CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
    INSERT INTO search_fts (rowid, title, body, kind, scope)
    SELECT id, title, body, kind, scope FROM search_fts_content WHERE id = new.id;
END;
CREATE TRIGGER search_entries_bd BEFORE DELETE ON search_entries BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, kind, scope)
    SELECT 'delete', id, title, body, kind, scope FROM search_fts_content WHERE id = old.id;
END;
CREATE TRIGGER search_entries_bu BEFORE UPDATE ON search_entries BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, kind, scope)
    SELECT 'delete', id, title, body, kind, scope FROM search_fts_content WHERE id = old.id;
END;
CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN
    INSERT INTO search_fts (rowid, title, body, kind, scope)
    SELECT id, title, body, kind, scope FROM search_fts_content WHERE id = new.id;
END;

INSERT INTO search_fts (search_fts) VALUES ('rebuild');
