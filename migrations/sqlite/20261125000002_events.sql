-- Events that parents register their children for. Capacity is counted in children and is
-- enforced by the database: confirmed_children can never exceed capacity.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    -- Prefix of registration codes, e.g. LP for "Лятно парти" (LP-7K3Q).
    code_prefix TEXT NOT NULL CHECK (length(code_prefix) BETWEEN 1 AND 4),
    organiser_ngo_id INTEGER NOT NULL REFERENCES ngos(id),
    -- Unix seconds, UTC
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL CHECK (ends_at >= starts_at),
    registration_opens_at INTEGER NOT NULL,
    registration_closes_at INTEGER NOT NULL CHECK (registration_closes_at >= registration_opens_at),
    map_url TEXT,
    -- NULL: free entry
    price_eur_cents INTEGER CHECK (price_eur_cents IS NULL OR price_eur_cents > 0),
    min_age INTEGER NOT NULL CHECK (min_age >= 0),
    max_age INTEGER NOT NULL CHECK (max_age >= min_age AND max_age <= 17),
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    confirmed_children INTEGER NOT NULL DEFAULT 0 CHECK (confirmed_children >= 0 AND confirmed_children <= capacity),
    status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'cancelled'))
);
CREATE INDEX events_by_start ON events (starts_at);

CREATE TABLE event_translations (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    lang TEXT NOT NULL CHECK (lang IN ('bg', 'en')),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_md TEXT NOT NULL,
    venue_name TEXT NOT NULL,
    venue_address TEXT NOT NULL,
    PRIMARY KEY (event_id, lang)
);

CREATE TABLE event_tags (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, tag_id)
);

CREATE TABLE registrations (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id),
    code TEXT NOT NULL UNIQUE,
    -- The unguessable token of the parent's private manage link (also put in every mail).
    manage_token TEXT NOT NULL UNIQUE,
    -- Carried by the form: the same submission twice is the same registration.
    idempotency_key TEXT NOT NULL,
    lang TEXT NOT NULL CHECK (lang IN ('bg', 'en')),
    parent_name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    children_count INTEGER NOT NULL CHECK (children_count > 0),
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    created_at INTEGER NOT NULL,
    cancelled_at INTEGER,
    UNIQUE (event_id, idempotency_key)
);
CREATE INDEX registrations_waitlist ON registrations (event_id, status, id);

CREATE TABLE registration_children (
    registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    first_name TEXT NOT NULL,
    age INTEGER NOT NULL,
    PRIMARY KEY (registration_id, position)
);

-- Mail to send: written in the same transaction as the change it reports, sent by a worker
-- when SMTP is configured (transactional outbox).
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    registration_id INTEGER REFERENCES registrations(id),
    kind TEXT NOT NULL CHECK (kind IN ('confirmed', 'waitlisted', 'promoted', 'cancelled')),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_unsent ON outbox (sent_at, id);
