-- Posts written in the admin. A post is a draft or published; a published post whose date is
-- still ahead is scheduled and stays off the public site until then. A changed slug keeps
-- answering its old URL (301) through post_slug_history. A post may have a cover photo.
CREATE TABLE images (
    id INTEGER PRIMARY KEY,
    -- Random hex naming the image's files in the image storage (`{key}-{width}.jpg`).
    key TEXT NOT NULL UNIQUE,
    width INTEGER NOT NULL CHECK (width > 0),
    height INTEGER NOT NULL CHECK (height > 0),
    -- The widths stored, comma-separated and ascending (the last is the original's, capped).
    widths TEXT NOT NULL,
    alt_bg TEXT NOT NULL DEFAULT '',
    alt_en TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    uploaded_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL
);

ALTER TABLE posts ADD COLUMN status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published'));
ALTER TABLE posts ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN cover_image_id INTEGER REFERENCES images(id) ON DELETE SET NULL;
CREATE INDEX posts_by_status ON posts (status, published_at DESC);

CREATE TABLE post_slug_history (
    slug TEXT PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE
);
