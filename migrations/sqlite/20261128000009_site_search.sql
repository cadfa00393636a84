-- One full-text index over posts, events and NGOs for the site search. Each row's rowid says
-- what it is (`id * 8 + code`: 0 an NGO, 1/2 a post in bg/en, 3/4 an event in bg/en), so a
-- trigger replaces a row by its rowid and a search tells kinds and languages apart without a
-- join. Kept in step with the tables by triggers; unicode61 folds Cyrillic case as Latin.
-- Prefix indexes of 2 and 3 letters: a search matches the start of words, and short starts
-- would otherwise read every word of the index that begins with them.
CREATE VIRTUAL TABLE site_search USING fts5(
    title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
-- A match in a title outweighs one in a body.
INSERT INTO site_search (site_search, rank) VALUES ('rank', 'bm25(6.0, 1.0)');

CREATE TRIGGER site_search_post_insert AFTER INSERT ON post_translations BEGIN
    INSERT INTO site_search (rowid, title, body)
    VALUES (new.post_id * 8 + (CASE new.lang WHEN 'bg' THEN 1 ELSE 2 END), new.title,
            new.summary || char(10) || new.body_md);
END;
CREATE TRIGGER site_search_post_update AFTER UPDATE ON post_translations BEGIN
    DELETE FROM site_search WHERE rowid = old.post_id * 8 + (CASE old.lang WHEN 'bg' THEN 1 ELSE 2 END);
    INSERT INTO site_search (rowid, title, body)
    VALUES (new.post_id * 8 + (CASE new.lang WHEN 'bg' THEN 1 ELSE 2 END), new.title,
            new.summary || char(10) || new.body_md);
END;
CREATE TRIGGER site_search_post_delete AFTER DELETE ON post_translations BEGIN
    DELETE FROM site_search WHERE rowid = old.post_id * 8 + (CASE old.lang WHEN 'bg' THEN 1 ELSE 2 END);
END;

CREATE TRIGGER site_search_event_insert AFTER INSERT ON event_translations BEGIN
    INSERT INTO site_search (rowid, title, body)
    VALUES (new.event_id * 8 + (CASE new.lang WHEN 'bg' THEN 3 ELSE 4 END), new.title,
            new.summary || char(10) || new.venue_name || char(10) || new.venue_address || char(10) || new.body_md);
END;
CREATE TRIGGER site_search_event_update AFTER UPDATE ON event_translations BEGIN
    DELETE FROM site_search WHERE rowid = old.event_id * 8 + (CASE old.lang WHEN 'bg' THEN 3 ELSE 4 END);
    INSERT INTO site_search (rowid, title, body)
    VALUES (new.event_id * 8 + (CASE new.lang WHEN 'bg' THEN 3 ELSE 4 END), new.title,
            new.summary || char(10) || new.venue_name || char(10) || new.venue_address || char(10) || new.body_md);
END;
CREATE TRIGGER site_search_event_delete AFTER DELETE ON event_translations BEGIN
    DELETE FROM site_search WHERE rowid = old.event_id * 8 + (CASE old.lang WHEN 'bg' THEN 3 ELSE 4 END);
END;

CREATE TRIGGER site_search_ngo_insert AFTER INSERT ON ngos BEGIN
    INSERT INTO site_search (rowid, title, body)
    VALUES (new.id * 8, new.name_bg || char(10) || new.name_en,
            new.municipality || char(10) || new.description_bg || char(10) || new.description_en);
END;
CREATE TRIGGER site_search_ngo_update
AFTER UPDATE OF name_bg, name_en, municipality, description_bg, description_en ON ngos BEGIN
    DELETE FROM site_search WHERE rowid = old.id * 8;
    INSERT INTO site_search (rowid, title, body)
    VALUES (new.id * 8, new.name_bg || char(10) || new.name_en,
            new.municipality || char(10) || new.description_bg || char(10) || new.description_en);
END;
CREATE TRIGGER site_search_ngo_delete AFTER DELETE ON ngos BEGIN
    DELETE FROM site_search WHERE rowid = old.id * 8;
END;

-- What is stored already.
INSERT INTO site_search (rowid, title, body)
SELECT post_id * 8 + (CASE lang WHEN 'bg' THEN 1 ELSE 2 END), title, summary || char(10) || body_md
FROM post_translations;
INSERT INTO site_search (rowid, title, body)
SELECT event_id * 8 + (CASE lang WHEN 'bg' THEN 3 ELSE 4 END), title,
       summary || char(10) || venue_name || char(10) || venue_address || char(10) || body_md
FROM event_translations;
INSERT INTO site_search (rowid, title, body)
SELECT id * 8, name_bg || char(10) || name_en,
       municipality || char(10) || description_bg || char(10) || description_en
FROM ngos;
