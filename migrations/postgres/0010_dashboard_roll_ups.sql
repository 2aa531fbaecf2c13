-- Roll-ups shaped for the dashboard's reads (docs/activity.md, docs/benchmarks.md). On
-- the million-post company (5 million events) the 90-day dashboard took 3.3 s: each
-- figure scanned every day × department × channel row of the period, and counting
-- the different people active in each channel read a row per person, channel and day.

-- Who did anything in which channel: one row per block of 62 days, channel and person,
-- with bit `day % 62` set for each day of block `day / 62` they did. A period's active
-- people per channel read a few rows per person instead of one per day. Kept 400 days.
-- (62 days: two blocks hold any 63-day stretch, and the sign bit stays clear.)
CREATE TABLE activity_channel_days (
    block       BIGINT NOT NULL,
    channel_id  BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    days        BIGINT NOT NULL,
    -- In this order a period's people per channel are counted without sorting.
    PRIMARY KEY (channel_id, user_id, block)
);
-- Each (day, channel, person) was one row, so summing distinct bits is OR-ing them.
INSERT INTO activity_channel_days (block, channel_id, user_id, days)
SELECT day / 62, channel_id, user_id, CAST(SUM(CAST(1 AS BIGINT) << CAST(day % 62 AS INTEGER)) AS BIGINT)
FROM activity_channel_people GROUP BY day / 62, channel_id, user_id;
DROP TABLE activity_channel_people;

-- Actions per day, department and kind of post: the content figures of the whole
-- company or one department (a channel filter still reads activity_content).
CREATE TABLE activity_department_content (
    day            BIGINT NOT NULL,
    department_id  BIGINT NOT NULL,
    kind           TEXT   NOT NULL,
    action         TEXT   NOT NULL,
    n              BIGINT NOT NULL,
    -- In this order the content per day, kind and action is summed without sorting.
    PRIMARY KEY (day, kind, action, department_id)
);
INSERT INTO activity_department_content (day, department_id, kind, action, n)
SELECT day, department_id, kind, action, CAST(SUM(n) AS BIGINT) FROM activity_content
GROUP BY day, department_id, kind, action;

-- Posts per day and channel: the channels' table.
CREATE TABLE activity_channel_posts (
    day         BIGINT NOT NULL,
    channel_id  BIGINT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (day, channel_id)
);
INSERT INTO activity_channel_posts (day, channel_id, n)
SELECT day, channel_id, CAST(SUM(n) AS BIGINT) FROM activity_content WHERE action = 'post'
GROUP BY day, channel_id;

-- When someone other than the author first commented, kept by each new comment. The
-- dashboard's "questions wait N days for an answer" read a period's questions (27,000 on
-- the benchmark company) with a search of each one's comments: 100 ms.
ALTER TABLE posts ADD COLUMN first_reply_at BIGINT;
UPDATE posts SET first_reply_at =
    (SELECT MIN(m.created_at) FROM comments m
     WHERE m.post_id = posts.id AND m.author_id <> posts.author_id AND m.deleted_at IS NULL)
WHERE comment_count > 0;
-- A channel's questions of a period, with all the figure needs, read from the index.
CREATE INDEX posts_questions ON posts (kind, channel_id, created_at, first_reply_at, deleted_at)
WHERE kind = 'question';

-- An announcement's reach is counted from this index alone.
CREATE INDEX announcement_recipients_reach ON announcement_recipients (post_id, acknowledged_at, seen_at);

-- With a channel filter, the content figures read that channel's rows only.
CREATE INDEX activity_content_channel ON activity_content (channel_id, day);

-- Who was active, posted, or commented or reacted on which days: one row per block of
-- 62 days, person and department at the time, a bit per day as above. The people
-- figures (active, daily, weekly and monthly active, participation, departments) read
-- a few rows per person instead of sorting a row per person and day. Kept 400 days;
-- activity_people stays for the per-person questions (new joiners, the funnel).
CREATE TABLE activity_people_days (
    block          BIGINT NOT NULL,
    user_id        BIGINT NOT NULL,
    department_id  BIGINT NOT NULL,
    active         BIGINT NOT NULL,
    posted         BIGINT NOT NULL,
    engaged        BIGINT NOT NULL,
    PRIMARY KEY (block, user_id, department_id)
);
INSERT INTO activity_people_days (block, user_id, department_id, active, posted, engaged)
SELECT day / 62, user_id, department_id,
       CAST(SUM(CAST(1 AS BIGINT) << CAST(day % 62 AS INTEGER)) AS BIGINT),
       CAST(SUM(CASE WHEN (actions & 1) <> 0 THEN CAST(1 AS BIGINT) << CAST(day % 62 AS INTEGER) ELSE 0 END) AS BIGINT),
       CAST(SUM(CASE WHEN (actions & 6) <> 0 THEN CAST(1 AS BIGINT) << CAST(day % 62 AS INTEGER) ELSE 0 END) AS BIGINT)
FROM activity_people GROUP BY day / 62, user_id, department_id;

-- They served the 7-day overview this dashboard replaced; nothing reads comments or
-- reactions by time any more, and every comment and reaction paid for them.
DROP INDEX comments_created;
DROP INDEX reactions_created;
