//! SQLite: the site search over the `site_search` FTS5 index (migration 000009), whose rowid
//! is `id * 8 + code` (0 an NGO, 1/2 a post in bg/en, 3/4 an event in bg/en).
use super::search::{HitRow, counts_of, hits_in_order, ids_of, kind_number};
use super::{SearchStore, SiteSearchPage, SiteSearchQuery, SqliteStore, StoreError};
use async_trait::async_trait;

/// Rows a visitor may find: every NGO, posts published by `?2`, events that are not drafts.
const VISIBLE: &str = "(site_search.rowid % 8 = 0 \
     OR (site_search.rowid % 8 IN (1, 2) \
       AND EXISTS (SELECT 1 FROM posts p WHERE p.id = site_search.rowid / 8 \
                   AND p.status = 'published' AND p.published_at <= ?2)) \
     OR (site_search.rowid % 8 IN (3, 4) \
       AND EXISTS (SELECT 1 FROM events e WHERE e.id = site_search.rowid / 8 AND e.draft = 0)))";

/// The record a row is of, whatever its language: a post's or event's rows in both languages
/// are one result (`id * 8 + 1` or `id * 8 + 3`), shown in the page's language when written
/// in it. Its rank is its best row's.
const RECORDS: &str = "SELECT CASE WHEN rowid % 2 = 0 AND rowid % 8 <> 0 THEN rowid - 1 ELSE rowid END AS record, rank \
     FROM site_search WHERE site_search MATCH ?1 AND {VISIBLE}";

#[async_trait]
impl SearchStore for SqliteStore {
    async fn site_search(&self, query: &SiteSearchQuery) -> Result<SiteSearchPage, StoreError> {
        let kind = query.kind.map(kind_number);
        let records = RECORDS.replace("{VISIBLE}", VISIBLE);
        let ranked: Vec<(i64,)> = sqlx::query_as(&format!(
            "SELECT record FROM ({records}) WHERE ?3 IS NULL OR (record % 8 + 1) / 2 = ?3 \
             GROUP BY record ORDER BY MIN(rank), record LIMIT ?4 OFFSET ?5"
        ))
        .bind(&query.fts)
        .bind(query.now)
        .bind(kind)
        .bind(i64::from(query.limit))
        .bind(i64::from(query.offset))
        .fetch_all(&self.pool)
        .await?;
        let counted: Vec<(i64, i64)> = sqlx::query_as(&format!(
            "SELECT (record % 8 + 1) / 2, COUNT(DISTINCT record) FROM ({records}) GROUP BY 1"
        ))
        .bind(&query.fts)
        .bind(query.now)
        .fetch_all(&self.pool)
        .await?;
        let counts = counts_of(&counted)?;
        let rowids: Vec<i64> = ranked.into_iter().map(|(rowid,)| rowid).collect();
        let id_list = |code: i64| serde_json::to_string(&ids_of(&rowids, code)).unwrap_or_else(|_| "[]".to_owned());
        // Each in the page's language (`?4`) when written in it, else in its own: the lists' choice.
        let rows: Vec<HitRow> = sqlx::query_as(
            "SELECT p.id * 8 + 1 AS record, p.slug, pt.lang, pt.title, \
                    pt.summary || char(10) || pt.body_md AS text, p.published_at AS happens_at, '' AS place \
             FROM posts p JOIN post_translations pt ON pt.post_id = p.id AND pt.lang = \
                 (SELECT x.lang FROM post_translations x WHERE x.post_id = p.id ORDER BY x.lang <> ?4 LIMIT 1) \
             WHERE p.id IN (SELECT value FROM json_each(?1)) \
             UNION ALL \
             SELECT e.id * 8 + 3, e.slug, et.lang, et.title, \
                    et.summary || char(10) || et.venue_address || char(10) || et.body_md, e.starts_at, et.venue_name \
             FROM events e JOIN event_translations et ON et.event_id = e.id AND et.lang = \
                 (SELECT x.lang FROM event_translations x WHERE x.event_id = e.id ORDER BY x.lang <> ?4 LIMIT 1) \
             WHERE e.id IN (SELECT value FROM json_each(?2)) \
             UNION ALL \
             SELECT n.id * 8, n.slug, \
                    CASE WHEN ?4 = 'en' AND n.name_en <> '' THEN 'en' ELSE 'bg' END, \
                    CASE WHEN ?4 = 'en' AND n.name_en <> '' THEN n.name_en ELSE n.name_bg END, \
                    CASE WHEN ?4 = 'en' AND n.description_en <> '' THEN n.description_en ELSE n.description_bg END, \
                    NULL, n.municipality \
             FROM ngos n WHERE n.id IN (SELECT value FROM json_each(?3))",
        )
        .bind(id_list(1))
        .bind(id_list(3))
        .bind(id_list(0))
        .bind(query.lang.code())
        .fetch_all(&self.pool)
        .await?;
        let hits = hits_in_order(&rowids, rows)?;
        Ok(SiteSearchPage { hits, counts })
    }

    async fn visible_search_text(&self, now: i64) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(&format!(
            "SELECT title || char(10) || body FROM site_search WHERE {}",
            VISIBLE.replace("?2", "?1")
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?)
    }
}
