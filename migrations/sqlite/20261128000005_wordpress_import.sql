-- Posts imported from WordPress (WXR files): which post each source post became, so that a
-- re-import updates instead of duplicating; and the author's name as the source gave it.
ALTER TABLE posts ADD COLUMN author_name TEXT NOT NULL DEFAULT '';

CREATE TABLE imported_posts (
    -- The exporting site (the WXR channel's link).
    source TEXT NOT NULL,
    -- The post's id there (wp:post_id).
    source_id INTEGER NOT NULL,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    PRIMARY KEY (source, source_id)
);
