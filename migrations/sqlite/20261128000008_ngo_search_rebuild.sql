-- NGOs stored before the directory's triggers existed were never indexed: the index is made
-- again from the table once, so that every later update's "delete" matches what it holds.
INSERT INTO ngo_search (ngo_search) VALUES ('rebuild');
