-- Registrations at the door: when each child arrived (checked in by an organiser or editor).
ALTER TABLE registration_children ADD COLUMN checked_in_at INTEGER;
