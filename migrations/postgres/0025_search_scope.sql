-- Search matches inside the reader's channels (issue 17). SQLite's full-text index
-- gains the channel of each entry as a column of its own (see
-- `migrations/sqlite/0025_search_scope.sql`); PostgreSQL's search already reads
-- `search_entries.channel_id` beside its GIN match, so there is nothing to change here.
-- This file keeps the two folders numbered alike.
SELECT 1;
