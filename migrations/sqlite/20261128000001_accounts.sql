-- The people behind the portal: editors of the coordinating NGO and organisers of events.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    -- Lower-cased; the sign-in name.
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'organiser')),
    -- Argon2id, PHC string format.
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    disabled_at INTEGER
);

-- The events an organiser sees the registrations of.
CREATE TABLE event_organisers (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, account_id)
);
CREATE INDEX event_organisers_by_account ON event_organisers (account_id);

-- Signed-in browsers. The cookie holds a random token; only its SHA-256 is kept here, so a
-- copy of the database (a backup) signs nobody in. Shared by every app instance.
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    -- Unix seconds, UTC: the absolute end, whatever the activity.
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- Failed sign-ins per e-mail address typed (known or not, so the throttle tells nothing of
-- which addresses have accounts), for the throttle every instance shares.
CREATE TABLE sign_in_failures (
    email TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    first_failed_at INTEGER NOT NULL,
    locked_until INTEGER
);
