-- Private links no longer stored in clear. A registration keeps a random `token_nonce` (hex of
-- 16 bytes); its link's token is the nonce with an HMAC under the server's secret, so a copy of
-- the database opens no private page. Erasure replaces the nonce with `erased-<id>`, which no
-- token can name. Links issued before this migration stop working (the portal had not launched).
ALTER TABLE registrations RENAME COLUMN manage_token TO token_nonce;
UPDATE registrations SET token_nonce = lower(hex(randomblob(16)));
CREATE INDEX registrations_by_email ON registrations (event_id, email);

-- The outbox keeps mail without the link (the worker puts it in when it sends) and gains the
-- kind of mail that sends an existing registration's link again. Rebuilt, as SQLite cannot
-- change a CHECK constraint; nothing references the outbox.
CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY,
    registration_id INTEGER REFERENCES registrations(id),
    kind TEXT NOT NULL CHECK (kind IN ('confirmed', 'waitlisted', 'promoted', 'cancelled', 'link_again')),
    -- Cleared once sent.
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    -- The line holding only `{manage_link}` becomes the private link when the mail is sent.
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0
);
-- Mail written before carries links in clear: kept as a record of what was sent, without them.
INSERT INTO outbox_new (id, registration_id, kind, recipient, subject, body, created_at, sent_at, attempts)
SELECT id, registration_id, kind, '', '', '', created_at, sent_at, CASE WHEN sent_at IS NULL THEN 5 ELSE attempts END
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_unsent ON outbox (sent_at, id);
CREATE INDEX outbox_by_registration ON outbox (registration_id, kind, created_at);
