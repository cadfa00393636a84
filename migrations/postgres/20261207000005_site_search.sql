-- One full-text index over posts, events and NGOs for the site search (SQLite migration
-- 20261128000009_site_search: the FTS5 table `site_search (title, body)`).
--
-- Each row's `doc_id` is SQLite's rowid, `id * 8 + code`: 0 an NGO, 1/2 a post in bg/en,
-- 3/4 an event in bg/en. So a trigger replaces a row by its doc_id, and a search tells kinds
-- and languages apart without a join (`doc_id % 8`, `doc_id / 8`), as the SQLite store does.
-- `title` and `body` are kept in clear as FTS5 kept them: the search's vocabulary is read from
-- them (`title || chr(10) || body`).
--
-- A match in a title outweighs one in a body (SQLite: `rank = bm25(6.0, 1.0)`): the title's
-- words have weight A, the body's B, and site_search_rank weighs them 6 to 1. Words are
-- matched by prefix, `document @@ to_tsquery('portal_bg', 'лят:*')`; GIN answers prefix
-- queries by itself (SQLite needed its 2- and 3-letter prefix indexes, `prefix = '2 3'`).
CREATE TABLE site_search (
    doc_id BIGINT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    document TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('portal_bg'::regconfig, title), 'A')
            || setweight(to_tsvector('portal_bg'::regconfig, body), 'B')
    ) STORED
);
CREATE INDEX site_search_document ON site_search USING gin (document);

-- The index's rank, lower is better like FTS5's `rank`: `ORDER BY MIN(site_search_rank(…))`
-- orders as SQLite's `ORDER BY MIN(rank)`. Weights are {D, C, B, A}: a title word counts six
-- times a body word. Normalised by the document's length (1 + log), as bm25 favours the
-- shorter of two matches.
CREATE FUNCTION site_search_rank(document TSVECTOR, query TSQUERY) RETURNS REAL
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN -ts_rank('{0.0, 0.0, 0.1667, 1.0}'::real[], document, query, 1);

-- Writes (or rewrites) one row of the index.
CREATE FUNCTION site_search_put(doc BIGINT, doc_title TEXT, doc_body TEXT) RETURNS void
    LANGUAGE sql AS $$
    INSERT INTO site_search (doc_id, title, body) VALUES (doc, doc_title, doc_body)
    ON CONFLICT (doc_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body;
$$;

-- Posts, one row per translation: doc_id = post_id * 8 + (1 bg, 2 en); the title, and the
-- summary and body (Markdown) a line apart.
CREATE FUNCTION site_search_post() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM site_search
        WHERE doc_id = OLD.post_id * 8 + (CASE OLD.lang WHEN 'bg' THEN 1 ELSE 2 END);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM site_search_put(NEW.post_id * 8 + (CASE NEW.lang WHEN 'bg' THEN 1 ELSE 2 END),
                                NEW.title, NEW.summary || chr(10) || NEW.body_md);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER site_search_post_insert AFTER INSERT ON post_translations
    FOR EACH ROW EXECUTE FUNCTION site_search_post();
CREATE TRIGGER site_search_post_update AFTER UPDATE ON post_translations
    FOR EACH ROW EXECUTE FUNCTION site_search_post();
CREATE TRIGGER site_search_post_delete AFTER DELETE ON post_translations
    FOR EACH ROW EXECUTE FUNCTION site_search_post();

-- Events, one row per translation: doc_id = event_id * 8 + (3 bg, 4 en); the title, and the
-- summary, venue, address and body a line apart.
CREATE FUNCTION site_search_event() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM site_search
        WHERE doc_id = OLD.event_id * 8 + (CASE OLD.lang WHEN 'bg' THEN 3 ELSE 4 END);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM site_search_put(NEW.event_id * 8 + (CASE NEW.lang WHEN 'bg' THEN 3 ELSE 4 END),
                                NEW.title,
                                NEW.summary || chr(10) || NEW.venue_name || chr(10) || NEW.venue_address
                                    || chr(10) || NEW.body_md);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER site_search_event_insert AFTER INSERT ON event_translations
    FOR EACH ROW EXECUTE FUNCTION site_search_event();
CREATE TRIGGER site_search_event_update AFTER UPDATE ON event_translations
    FOR EACH ROW EXECUTE FUNCTION site_search_event();
CREATE TRIGGER site_search_event_delete AFTER DELETE ON event_translations
    FOR EACH ROW EXECUTE FUNCTION site_search_event();

-- NGOs, one row each: doc_id = id * 8; both names a line apart, and the municipality and both
-- descriptions a line apart. An update that changes none of them (an import's
-- `DO UPDATE SET` names every column) leaves the row as it is.
CREATE FUNCTION site_search_ngo() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM site_search WHERE doc_id = OLD.id * 8;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM site_search_put(NEW.id * 8, NEW.name_bg || chr(10) || NEW.name_en,
                                NEW.municipality || chr(10) || NEW.description_bg || chr(10) || NEW.description_en);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER site_search_ngo_insert AFTER INSERT ON ngos
    FOR EACH ROW EXECUTE FUNCTION site_search_ngo();
CREATE TRIGGER site_search_ngo_update
    AFTER UPDATE OF name_bg, name_en, municipality, description_bg, description_en ON ngos
    FOR EACH ROW WHEN ((OLD.name_bg, OLD.name_en, OLD.municipality, OLD.description_bg, OLD.description_en)
                       IS DISTINCT FROM
                       (NEW.name_bg, NEW.name_en, NEW.municipality, NEW.description_bg, NEW.description_en))
    EXECUTE FUNCTION site_search_ngo();
CREATE TRIGGER site_search_ngo_delete AFTER DELETE ON ngos
    FOR EACH ROW EXECUTE FUNCTION site_search_ngo();
