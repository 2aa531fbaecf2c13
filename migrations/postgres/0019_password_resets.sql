-- Getting back in (issue 20): one-time links that set a new password. An admin makes
-- one for a person (no e-mail needed, like an invitation); later, "Forgot password?"
-- sends one by e-mail. Only the token's SHA-256 is kept, as for sessions.

CREATE TABLE password_resets (
    token_hash  TEXT    NOT NULL PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_by  BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    -- Set when the link is used, or when a newer link for the same person replaces it.
    ended_at    BIGINT
);
CREATE INDEX password_resets_user ON password_resets (user_id);
