-- Who changed what, when: every change to accounts, registrations, posts and events, with the
-- values before and after (JSON). Entries name staff, never parents or children: a
-- registration is named by its code, and what is recorded of it is its state (checked in,
-- cancelled), not its personal data, which the retention rules erase.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    -- NULL for the command line and the server itself, or once the account is deleted.
    actor_account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    -- The actor as shown then (an account's name and address, "command line", …).
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_by_time ON audit_log (at DESC, id DESC);
