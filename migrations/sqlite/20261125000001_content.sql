-- News posts with their BG/EN translations, categories, tags, and the NGO records the header counts.
CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE category_translations (
    category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    lang TEXT NOT NULL CHECK (lang IN ('bg', 'en')),
    name TEXT NOT NULL,
    PRIMARY KEY (category_id, lang)
);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE
);

CREATE TABLE tag_translations (
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    lang TEXT NOT NULL CHECK (lang IN ('bg', 'en')),
    name TEXT NOT NULL,
    PRIMARY KEY (tag_id, lang)
);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    category_id INTEGER NOT NULL REFERENCES categories(id),
    -- Unix seconds, UTC
    published_at INTEGER NOT NULL
);
CREATE INDEX posts_by_date ON posts (published_at DESC, id DESC);
CREATE INDEX posts_by_category ON posts (category_id, published_at DESC);

CREATE TABLE post_translations (
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    lang TEXT NOT NULL CHECK (lang IN ('bg', 'en')),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_md TEXT NOT NULL,
    PRIMARY KEY (post_id, lang)
);

CREATE TABLE post_tags (
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, tag_id)
);

CREATE TABLE ngos (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_bg TEXT NOT NULL,
    name_en TEXT NOT NULL,
    city TEXT NOT NULL
);
