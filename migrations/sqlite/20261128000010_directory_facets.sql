-- The directory at 100 000 NGOs: a field filter or count was one lookup in `ngo_fields` per
-- NGO. Each NGO's fields are now also one integer of bits (bit i: `Field::ALL[i]`), and
-- region, legal form and fields are one covering index, so that every count is one pass
-- over an index. The name index gets 2- and 3-letter prefix indexes (short starts read
-- every word that begins with them otherwise).
ALTER TABLE ngos ADD COLUMN fields_mask INTEGER NOT NULL DEFAULT 0;
UPDATE ngos SET fields_mask = (
    SELECT COALESCE(SUM(1 << (CASE f.field WHEN 'children-youth' THEN 0 WHEN 'education' THEN 1 WHEN 'culture' THEN 2 WHEN 'social-services' THEN 3 WHEN 'health' THEN 4 WHEN 'environment' THEN 5 WHEN 'human-rights' THEN 6 WHEN 'refugees-migrants' THEN 7 WHEN 'disability' THEN 8 WHEN 'community-development' THEN 9 WHEN 'sports' THEN 10 WHEN 'animal-welfare' THEN 11 END)), 0)
    FROM ngo_fields f WHERE f.ngo_id = ngos.id
);
CREATE INDEX ngos_by_facets ON ngos (region, legal_form, fields_mask);

DROP TABLE ngo_search;
CREATE VIRTUAL TABLE ngo_search USING fts5(
    search_text, content = 'ngos', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
INSERT INTO ngo_search (ngo_search) VALUES ('rebuild');
