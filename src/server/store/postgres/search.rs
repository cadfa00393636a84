//! PostgreSQL: the site search over the `site_search` table (migration 000005), whose `doc_id`
//! is `id * 8 + code` (0 an NGO, 1/2 a post in bg/en, 3/4 an event in bg/en) and whose
//! `document` holds the title's words with weight A and the body's with B.
use super::PgStore;
use crate::server::store::search::{HitRow, counts_of, hits_in_order, ids_of, kind_number, tsquery};
use crate::server::store::{SearchStore, SiteSearchPage, SiteSearchQuery, StoreError};
use async_trait::async_trait;

/// Rows a visitor may find: every NGO, posts published by `$2`, events that are not drafts.
const VISIBLE: &str = "(s.doc_id % 8 = 0 \
     OR (s.doc_id % 8 IN (1, 2) \
       AND EXISTS (SELECT 1 FROM posts p WHERE p.id = s.doc_id / 8 \
                   AND p.status = 'published' AND p.published_at <= $2)) \
     OR (s.doc_id % 8 IN (3, 4) \
       AND EXISTS (SELECT 1 FROM events e WHERE e.id = s.doc_id / 8 AND NOT e.draft)))";

/// The record a row is of, whatever its language: a post's or event's rows in both languages
/// are one result (`id * 8 + 1` or `id * 8 + 3`), shown in the page's language when written
/// in it. Its rank is its best row's: `site_search_rank` is lower for a better match, as
/// FTS5's `bm25(6.0, 1.0)`, a title's words weighing six times a body's. `$1` is a
/// [`tsquery`], bound: the visitor's words never are SQL.
const RECORDS: &str = "SELECT CASE WHEN s.doc_id % 2 = 0 AND s.doc_id % 8 <> 0 THEN s.doc_id - 1 ELSE s.doc_id END \
         AS record, site_search_rank(s.document, q) AS rank \
     FROM to_tsquery('portal_bg', $1) AS q CROSS JOIN site_search s WHERE s.document @@ q AND {VISIBLE}";

#[async_trait]
impl SearchStore for PgStore {
    async fn site_search(&self, query: &SiteSearchQuery) -> Result<SiteSearchPage, StoreError> {
        let search = tsquery(&query.fts);
        if search.is_empty() {
            // No word left to look for (FTS5 would find nothing in it either).
            return Ok(SiteSearchPage {
                hits: Vec::new(),
                counts: counts_of(&[])?,
            });
        }
        let kind = query.kind.map(kind_number);
        let records = RECORDS.replace("{VISIBLE}", VISIBLE);
        let ranked: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT record FROM ({records}) AS r WHERE $3::BIGINT IS NULL OR (record % 8 + 1) / 2 = $3 \
             GROUP BY record ORDER BY MIN(rank), record LIMIT $4 OFFSET $5"
        ))
        .bind(&search)
        .bind(query.now)
        .bind(kind)
        .bind(i64::from(query.limit))
        .bind(i64::from(query.offset))
        .fetch_all(&self.pool)
        .await?;
        let counted: Vec<(i64, i64)> = sqlx::query_as(&format!(
            "SELECT (record % 8 + 1) / 2, COUNT(DISTINCT record) FROM ({records}) AS r GROUP BY 1"
        ))
        .bind(&search)
        .bind(query.now)
        .fetch_all(&self.pool)
        .await?;
        let counts = counts_of(&counted)?;
        // Each in the page's language (`$4`) when written in it, else in its own: the lists' choice.
        let rows: Vec<HitRow> = sqlx::query_as(
            "SELECT p.id * 8 + 1 AS record, p.slug, pt.lang, pt.title, \
                    pt.summary || chr(10) || pt.body_md AS text, p.published_at AS happens_at, '' AS place \
             FROM posts p JOIN post_translations pt ON pt.post_id = p.id AND pt.lang = \
                 (SELECT x.lang FROM post_translations x WHERE x.post_id = p.id ORDER BY x.lang <> $4 LIMIT 1) \
             WHERE p.id = ANY($1) \
             UNION ALL \
             SELECT e.id * 8 + 3, e.slug, et.lang, et.title, \
                    et.summary || chr(10) || et.venue_address || chr(10) || et.body_md, e.starts_at, et.venue_name \
             FROM events e JOIN event_translations et ON et.event_id = e.id AND et.lang = \
                 (SELECT x.lang FROM event_translations x WHERE x.event_id = e.id ORDER BY x.lang <> $4 LIMIT 1) \
             WHERE e.id = ANY($2) \
             UNION ALL \
             SELECT n.id * 8, n.slug, \
                    CASE WHEN $4 = 'en' AND n.name_en <> '' THEN 'en' ELSE 'bg' END, \
                    CASE WHEN $4 = 'en' AND n.name_en <> '' THEN n.name_en ELSE n.name_bg END, \
                    CASE WHEN $4 = 'en' AND n.description_en <> '' THEN n.description_en ELSE n.description_bg END, \
                    NULL::BIGINT, n.municipality \
             FROM ngos n WHERE n.id = ANY($3)",
        )
        .bind(ids_of(&ranked, 1))
        .bind(ids_of(&ranked, 3))
        .bind(ids_of(&ranked, 0))
        .bind(query.lang.code())
        .fetch_all(&self.pool)
        .await?;
        let hits = hits_in_order(&ranked, rows)?;
        Ok(SiteSearchPage { hits, counts })
    }

    async fn visible_search_text(&self, now: i64) -> Result<Vec<String>, StoreError> {
        // In the index's order, as SQLite reads its FTS5 table (by rowid).
        Ok(sqlx::query_scalar(&format!(
            "SELECT title || chr(10) || body FROM site_search s WHERE {} ORDER BY s.doc_id",
            VISIBLE.replace("$2", "$1")
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?)
    }
}
