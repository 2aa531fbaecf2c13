-- Questions grow up (issue 16): an accepted answer, "helpful" votes on answers, the
-- people a question was routed to, and the reminders' marks. Notifications gain the
-- kinds of the knowledge features (questions, answers, pages, onboarding journeys).

-- The answer the asker (or a channel admin) accepted: one of the question's top-level
-- comments. A question without one is open. `accepted_at` dates the acceptance.
ALTER TABLE posts ADD COLUMN accepted_comment_id BIGINT REFERENCES comments(id) ON DELETE SET NULL;
ALTER TABLE posts ADD COLUMN accepted_at BIGINT;
-- When the asker was reminded that answers wait for their acceptance, and when the
-- channel's admins were told that a question has no answer: each at most once.
ALTER TABLE posts ADD COLUMN accept_reminded_at BIGINT;
ALTER TABLE posts ADD COLUMN unanswered_reminded_at BIGINT;

-- A channel's open questions, newest first: the "Unanswered" view and the reminders
-- read only this small index, whatever the size of `posts`.
CREATE INDEX posts_open_questions ON posts (channel_id, created_at DESC, id DESC)
WHERE kind = 'question' AND accepted_comment_id IS NULL AND deleted_at IS NULL;
-- The same across the company, for "Unanswered" everywhere.
CREATE INDEX posts_open_questions_recent ON posts (created_at DESC, id DESC)
WHERE kind = 'question' AND accepted_comment_id IS NULL AND deleted_at IS NULL;

-- "This answer helped": one per person and answer; answers are listed best first.
ALTER TABLE comments ADD COLUMN helpful_count BIGINT NOT NULL DEFAULT 0;
CREATE TABLE answer_votes (
    comment_id  BIGINT NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);

-- Who a question was routed to, and by which line of their profile ("responsible for"
-- or "ask me about"): "Questions you could answer" reads it by person.
CREATE TABLE question_experts (
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id     BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    topic       TEXT    NOT NULL,
    responsible BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, post_id)
);
CREATE INDEX question_experts_post ON question_experts (post_id);

-- How long the reminders wait: days an answer may sit unaccepted before the asker is
-- reminded, and working days a question may go unanswered before its channel's admins
-- are told. 0 turns a reminder off.
ALTER TABLE company ADD COLUMN accept_reminder_days BIGINT NOT NULL DEFAULT 3;
ALTER TABLE company ADD COLUMN unanswered_reminder_days BIGINT NOT NULL DEFAULT 2;

-- The notification kinds widen.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('mention', 'channel_mention', 'post', 'comment',
                    'reply', 'reaction', 'announcement', 'reminder',
                    'question', 'answer', 'accepted', 'accept_reminder',
                    'unanswered', 'page_owner', 'page_review', 'journey'));
