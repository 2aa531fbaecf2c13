-- Onboarding journeys (issue 16, part 4): what a new hire reads, joins, meets and does
-- in their first weeks. A journey is a list of steps, each on a day counted from the
-- person's start; it is given on joining (by department and role) or by hand, and each
-- person's ticks are kept. A channel step is done by being in the channel, so it has
-- no tick of its own.

CREATE TABLE journeys (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    -- The department it belongs to (its leaders keep it); NULL: the whole company.
    department_id   INTEGER REFERENCES departments(id) ON DELETE CASCADE,
    -- Given on joining to people of the department (any, if none) with this role
    -- (any but guests, if NULL); 0: only by hand.
    assign_on_join  INTEGER NOT NULL DEFAULT 0,
    join_role       TEXT    CHECK (join_role IN ('admin', 'member', 'guest')),
    created_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX journeys_department ON journeys (department_id);

CREATE TABLE journey_steps (
    id          INTEGER PRIMARY KEY,
    journey_id  INTEGER NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
    -- The day it is for, counted from the start (1: the first day).
    day         INTEGER NOT NULL CHECK (day >= 1 AND day <= 90),
    kind        TEXT    NOT NULL CHECK (kind IN ('page', 'channel', 'person', 'task')),
    page_id     INTEGER REFERENCES pages(id) ON DELETE CASCADE,
    channel_id  INTEGER REFERENCES channels(id) ON DELETE CASCADE,
    person_id   INTEGER REFERENCES users(id) ON DELETE CASCADE,
    -- A task's words; beside a page, channel or person, an optional note.
    note        TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    CHECK ((kind = 'page' AND page_id IS NOT NULL)
        OR (kind = 'channel' AND channel_id IS NOT NULL)
        OR (kind = 'person' AND person_id IS NOT NULL)
        OR (kind = 'task' AND note <> ''))
);
CREATE INDEX journey_steps_journey ON journey_steps (journey_id, day, id);
CREATE INDEX journey_steps_page ON journey_steps (page_id) WHERE page_id IS NOT NULL;

CREATE TABLE journey_assignments (
    id           INTEGER PRIMARY KEY,
    journey_id   INTEGER NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- NULL: given on joining.
    assigned_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    started_at   INTEGER NOT NULL,
    UNIQUE (user_id, journey_id)
);
CREATE INDEX journey_assignments_journey ON journey_assignments (journey_id);

CREATE TABLE journey_progress (
    assignment_id  INTEGER NOT NULL REFERENCES journey_assignments(id) ON DELETE CASCADE,
    step_id        INTEGER NOT NULL REFERENCES journey_steps(id) ON DELETE CASCADE,
    done_at        INTEGER NOT NULL,
    PRIMARY KEY (assignment_id, step_id)
);
CREATE INDEX journey_progress_step ON journey_progress (step_id);

-- The dashboard's "time to first answer" finds a new hire's first comments by author.
CREATE INDEX comments_author ON comments (author_id, created_at);
