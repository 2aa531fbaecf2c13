-- Adoption activity: the "leader" permission and the daily roll-ups the dashboard reads.
-- No raw event log is kept: each action updates these counters in the transaction that
-- makes it (docs/activity.md says what is stored, for how long, and why).
-- Days are company-local calendar days counted from 1970-01-01; hours are 0-23 in the
-- company's time zone. 0 stands for "no department" / "no channel" and '' for "no
-- content kind", so that every column can be part of a primary key on both databases.

-- Leaders read the adoption dashboard without administering the company.
ALTER TABLE users ADD COLUMN is_leader INTEGER NOT NULL DEFAULT 0;

-- Who was active on which day, with their department at the time and what they did
-- that day (bits: 1 posted, 2 commented, 4 reacted, 8 acknowledged, 16 saw posts).
-- One row per person and day; kept for 400 days.
CREATE TABLE activity_people (
    day            INTEGER NOT NULL,
    user_id        INTEGER NOT NULL,
    department_id  INTEGER NOT NULL,
    actions        INTEGER NOT NULL,
    PRIMARY KEY (day, user_id)
);
CREATE INDEX activity_people_user ON activity_people (user_id, day);

-- Who did anything in which channel on which day (saw, reacted, commented, posted).
-- Kept for 400 days.
CREATE TABLE activity_channel_people (
    day         INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    PRIMARY KEY (day, channel_id, user_id)
);

-- How many of each action happened per day, actor's department, channel and the kind of
-- post acted on ('post', 'comment', 'reaction', 'ack', 'seen'). No person in it; kept.
CREATE TABLE activity_content (
    day            INTEGER NOT NULL,
    department_id  INTEGER NOT NULL,
    channel_id     INTEGER NOT NULL,
    kind           TEXT    NOT NULL,
    action         TEXT    NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (day, department_id, channel_id, kind, action)
);

-- Actions per day, hour and actor's department: the busiest-hours heat map. Kept.
CREATE TABLE activity_hours (
    day            INTEGER NOT NULL,
    hour           INTEGER NOT NULL,
    department_id  INTEGER NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (day, hour, department_id)
);
