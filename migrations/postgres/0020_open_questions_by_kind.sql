-- "Unanswered" everywhere (`FeedScope::OpenQuestions(None)`) walks open questions newest
-- first. Without statistics SQLite preferred `posts_questions` (kind, channel_id, …)
-- for the `kind = 'question'` equality and then sorted every open question (89 ms for
-- a page on the 200,000-post company); led by the same equality and ordered by time,
-- this index serves the page in order and stops after it (3 ms, same query).
CREATE INDEX posts_open_questions_by_kind ON posts (kind, created_at DESC, id DESC)
WHERE accepted_comment_id IS NULL AND deleted_at IS NULL;
