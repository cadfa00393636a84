-- A mail being delivered is claimed until this instant (Unix seconds), so that a second server
-- process on the same file does not send it too. SQLite has no row locks that die with their
-- process: a claim of a process killed mid-delivery runs out instead.
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
