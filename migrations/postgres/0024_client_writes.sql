-- Posts and comments written offline (issue 20) go out when the network returns, and a
-- send whose answer was lost is sent again: each form carries an id made when it was
-- shown (`client_id`), and a write is done once per person and id. The first request
-- claims the id; a repeat gets the first one's result (or waits for it).
CREATE TABLE client_writes (
    user_id     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id   TEXT    NOT NULL,
    -- The post, comment or scheduled post written; NULL while the first request runs.
    result_id   BIGINT,
    claimed_at  BIGINT  NOT NULL,
    PRIMARY KEY (user_id, client_id)
);
CREATE INDEX client_writes_claimed ON client_writes (claimed_at);
