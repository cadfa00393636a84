-- Events written in the admin. An event is a draft (seen only in the admin) until published;
-- a cancelled event stays cancelled. A changed slug keeps answering its old URL (301) through
-- event_slug_history. An event may have a cover photo, like a post.
ALTER TABLE events ADD COLUMN draft INTEGER NOT NULL DEFAULT 0 CHECK (draft IN (0, 1));
ALTER TABLE events ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN cover_image_id INTEGER REFERENCES images(id) ON DELETE SET NULL;

CREATE TABLE event_slug_history (
    slug TEXT PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE
);

-- The outbox gains the mail telling parents their event is cancelled. Rebuilt, as SQLite
-- cannot change a CHECK constraint; nothing references the outbox.
CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY,
    registration_id INTEGER REFERENCES registrations(id),
    kind TEXT NOT NULL CHECK (kind IN ('confirmed', 'waitlisted', 'promoted', 'cancelled', 'link_again', 'event_cancelled')),
    -- Cleared once sent.
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    -- The line holding only `{manage_link}` becomes the private link when the mail is sent.
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0
);
INSERT INTO outbox_new (id, registration_id, kind, recipient, subject, body, created_at, sent_at, attempts)
SELECT id, registration_id, kind, recipient, subject, body, created_at, sent_at, attempts FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_unsent ON outbox (sent_at, id);
CREATE INDEX outbox_by_registration ON outbox (registration_id, kind, created_at);
