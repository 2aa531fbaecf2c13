-- What arrived since a person last looked: the time they last opened each feed
-- ('home', 'company', 'mentions') and each channel they are in.
CREATE TABLE feed_marks (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    feed       TEXT    NOT NULL,
    looked_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, feed)
);
-- NULL: never opened since joining (joined_at counts instead).
ALTER TABLE channel_members ADD COLUMN last_read_at INTEGER;
-- Search matches posts on their text folded to lower case without diacritics, so that
-- "nguyen" finds "Nguyễn". New and edited posts get it from the application; existing
-- ones start from LOWER(body), which folds case only.
ALTER TABLE posts ADD COLUMN search_text TEXT;
UPDATE posts SET search_text = LOWER(body);
