-- Questions grow up (issue 16): an accepted answer, "helpful" votes on answers, the
-- people a question was routed to, and the reminders' marks. Notifications gain the
-- kinds of the knowledge features (questions, answers, pages, onboarding journeys).

-- The answer the asker (or a channel admin) accepted: one of the question's top-level
-- comments. A question without one is open. `accepted_at` dates the acceptance.
ALTER TABLE posts ADD COLUMN accepted_comment_id INTEGER REFERENCES comments(id) ON DELETE SET NULL;
ALTER TABLE posts ADD COLUMN accepted_at INTEGER;
-- When the asker was reminded that answers wait for their acceptance, and when the
-- channel's admins were told that a question has no answer: each at most once.
ALTER TABLE posts ADD COLUMN accept_reminded_at INTEGER;
ALTER TABLE posts ADD COLUMN unanswered_reminded_at INTEGER;

-- A channel's open questions, newest first: the "Unanswered" view and the reminders
-- read only this small index, whatever the size of `posts`.
CREATE INDEX posts_open_questions ON posts (channel_id, created_at DESC, id DESC)
WHERE kind = 'question' AND accepted_comment_id IS NULL AND deleted_at IS NULL;
-- The same across the company, for "Unanswered" everywhere.
CREATE INDEX posts_open_questions_recent ON posts (created_at DESC, id DESC)
WHERE kind = 'question' AND accepted_comment_id IS NULL AND deleted_at IS NULL;

-- "This answer helped": one per person and answer; answers are listed best first.
ALTER TABLE comments ADD COLUMN helpful_count INTEGER NOT NULL DEFAULT 0;
CREATE TABLE answer_votes (
    comment_id  INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);

-- Who a question was routed to, and by which line of their profile ("responsible for"
-- or "ask me about"): "Questions you could answer" reads it by person.
CREATE TABLE question_experts (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id     INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    topic       TEXT    NOT NULL,
    responsible INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, post_id)
);
CREATE INDEX question_experts_post ON question_experts (post_id);

-- How long the reminders wait: days an answer may sit unaccepted before the asker is
-- reminded, and working days a question may go unanswered before its channel's admins
-- are told. 0 turns a reminder off.
ALTER TABLE company ADD COLUMN accept_reminder_days INTEGER NOT NULL DEFAULT 3;
ALTER TABLE company ADD COLUMN unanswered_reminder_days INTEGER NOT NULL DEFAULT 2;

-- The notification kinds widen (a CHECK cannot be altered in SQLite, so the table is
-- rebuilt, keeping every row; nothing refers to notifications).
CREATE TABLE notifications_rebuilt (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('mention', 'channel_mention', 'post', 'comment',
                                                'reply', 'reaction', 'announcement', 'reminder',
                                                'question', 'answer', 'accepted', 'accept_reminder',
                                                'unanswered', 'page_owner', 'page_review', 'journey')),
    actor_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    post_id     INTEGER REFERENCES posts(id) ON DELETE CASCADE,
    comment_id  INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
);
INSERT INTO notifications_rebuilt (id, user_id, kind, actor_id, post_id, comment_id, created_at, read_at)
SELECT id, user_id, kind, actor_id, post_id, comment_id, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_rebuilt RENAME TO notifications;
CREATE INDEX notifications_user ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
