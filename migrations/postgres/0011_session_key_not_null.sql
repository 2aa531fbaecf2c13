-- sessions.token_hash is NOT NULL: here it always was, as a primary key; SQLite's copy
-- of this migration rebuilds its table, where a key column could hold NULL (found by
-- app/tests/schema.rs). Stated again so that both folders say the same.
ALTER TABLE sessions ALTER COLUMN token_hash SET NOT NULL;
