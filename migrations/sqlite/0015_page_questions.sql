-- "Turn into a page" (issue 16): the questions a knowledge page grew from. A question
-- shows "Now part of" its pages, and a page lists the questions that led to it, each
-- only to those who may read it.
CREATE TABLE page_questions (
    page_id     INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    post_id     INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (post_id, page_id)
);
CREATE INDEX page_questions_page ON page_questions (page_id);
