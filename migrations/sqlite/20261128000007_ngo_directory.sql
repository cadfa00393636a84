-- The NGO directory: each NGO's register data, fields of work, and a full-text index of its
-- names in Cyrillic and Latin letters (`search_text`, written by the application).
ALTER TABLE ngos ADD COLUMN legal_form TEXT NOT NULL DEFAULT 'association'
    CHECK (legal_form IN ('association', 'foundation', 'chitalishte', 'other'));
-- ЕИК (BULSTAT), 9 or 13 digits, checked by the application.
ALTER TABLE ngos ADD COLUMN eik TEXT;
-- One of the 28 oblasti (`domain::REGIONS` codes).
ALTER TABLE ngos ADD COLUMN region TEXT NOT NULL DEFAULT 'sofia-city';
ALTER TABLE ngos ADD COLUMN municipality TEXT NOT NULL DEFAULT '';
ALTER TABLE ngos ADD COLUMN description_bg TEXT NOT NULL DEFAULT '';
ALTER TABLE ngos ADD COLUMN description_en TEXT NOT NULL DEFAULT '';
ALTER TABLE ngos ADD COLUMN website TEXT;
ALTER TABLE ngos ADD COLUMN email TEXT;
ALTER TABLE ngos ADD COLUMN phone TEXT;
ALTER TABLE ngos ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE ngos ADD COLUMN founded INTEGER;
ALTER TABLE ngos ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'liquidation', 'deregistered'));
ALTER TABLE ngos ADD COLUMN public_benefit INTEGER NOT NULL DEFAULT 0 CHECK (public_benefit IN (0, 1));
-- The name without its legal form and quotes, lower case: what "by name" sorts on.
ALTER TABLE ngos ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
ALTER TABLE ngos ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX ngos_by_eik ON ngos (eik) WHERE eik IS NOT NULL;
CREATE INDEX ngos_by_region ON ngos (region, sort_name);
CREATE INDEX ngos_by_name ON ngos (sort_name);

CREATE TABLE ngo_fields (
    ngo_id INTEGER NOT NULL REFERENCES ngos(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    PRIMARY KEY (ngo_id, field)
);
CREATE INDEX ngo_fields_by_field ON ngo_fields (field, ngo_id);

-- External-content FTS5 over `search_text`, kept in step by triggers. unicode61 folds the case
-- of Cyrillic as of Latin letters; diacritics are dropped.
CREATE VIRTUAL TABLE ngo_search USING fts5(
    search_text, content = 'ngos', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER ngos_search_insert AFTER INSERT ON ngos BEGIN
    INSERT INTO ngo_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER ngos_search_delete AFTER DELETE ON ngos BEGIN
    INSERT INTO ngo_search (ngo_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER ngos_search_update AFTER UPDATE OF search_text ON ngos BEGIN
    INSERT INTO ngo_search (ngo_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO ngo_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
