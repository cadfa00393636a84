//! PostgreSQL store: the scale-out engine, several stateless app instances on one database.
//! The same contract as SQLite (`tests/store_contract.rs`); where SQLite serialises writers
//! with `BEGIN IMMEDIATE`, this engine locks the rows a change depends on (`FOR UPDATE`) at
//! READ COMMITTED, and seat counts only move by conditional UPDATEs.
mod accounts;
mod audit;
pub mod backup;
mod changes;
mod door;
mod event_editor;
mod events;
mod health;
mod ngos;
mod outbox;
mod post_editor;
mod privacy;
mod search;

use super::rows::{self, CategoryRow, PostRow, TagRow};
use super::{ContentStore, PostFilter, PostRecord, StoreError, parse_slug};
use crate::domain::{Category, Lang, Slug, Tag};
use crate::server::seed::ScheduledContent;
use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

pub struct PgStore {
    pub(super) pool: PgPool,
    /// This process among the instances (random): its own change notices are not news to it.
    instance: u64,
}

/// The schema this build expects, applied on connect (sqlx takes an advisory lock, so
/// instances starting together migrate once) and checked by readiness.
pub(super) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The columns of [`rows::CoverColumns`] from `images i`, the alternative text in the language
/// `$1` (else the other).
pub(super) const COVER_COLUMNS: &str = "i.key AS cover_key, i.width AS cover_width, i.height AS cover_height, \
     i.widths AS cover_widths, \
     CASE WHEN $1 = 'en' AND i.alt_en <> '' OR i.alt_bg = '' THEN i.alt_en ELSE i.alt_bg END AS cover_alt";

/// The public posts: published, their date come. Each in the language asked for (`$1`), else
/// in the one it is written in; `$2` a category slug or NULL, `$3` now.
const PUBLIC_POSTS: &str = "FROM posts p \
     JOIN post_translations pt ON pt.post_id = p.id AND pt.lang = \
         (SELECT x.lang FROM post_translations x WHERE x.post_id = p.id ORDER BY x.lang <> $1 LIMIT 1) \
     JOIN categories c ON c.id = p.category_id \
     JOIN category_translations ct ON ct.category_id = c.id AND ct.lang = $1 \
     LEFT JOIN images i ON i.id = p.cover_image_id \
     WHERE p.status = 'published' AND p.published_at <= $3 AND ($2::TEXT IS NULL OR c.slug = $2)";

/// Connections one instance keeps: several instances share the server's `max_connections`.
const POOL_SIZE: u32 = 10;

impl PgStore {
    pub async fn connect(database_url: &str) -> Result<PgStore, StoreError> {
        let options = PgConnectOptions::from_str(database_url)?.application_name("ngo-portal");
        let pool = PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            // A database that is gone fails a request in seconds, not after a long wait.
            .acquire_timeout(Duration::from_secs(3))
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        // The first migration checks this once; a database restored or moved since may have
        // another character-type locale, under which search and e-mail lookups no longer
        // fold Cyrillic: refuse to serve it rather than find nothing.
        let folds: bool = sqlx::query_scalar(
            "SELECT to_tsvector('portal_bg', 'Лятно Café') = $$'лятно':1 'cafe':2$$::tsvector \
               AND lower('ЛЯТНО') = 'лятно'",
        )
        .fetch_one(&pool)
        .await?;
        if !folds {
            return Err(StoreError::Corrupt(
                "the database's LC_CTYPE does not fold Cyrillic case (create it with C.UTF-8 or bg_BG.UTF-8)".into(),
            ));
        }
        Ok(PgStore {
            pool,
            instance: rand::random(),
        })
    }

    async fn tags_of(&self, lang: Lang, post_ids: &[i64]) -> Result<HashMap<i64, Vec<Tag>>, StoreError> {
        let mut tags: HashMap<i64, Vec<Tag>> = HashMap::new();
        if post_ids.is_empty() {
            return Ok(tags);
        }
        let rows: Vec<TagRow> = sqlx::query_as(
            "SELECT pt.post_id, t.slug, tt.name FROM post_tags pt \
             JOIN tags t ON t.id = pt.tag_id \
             JOIN tag_translations tt ON tt.tag_id = t.id AND tt.lang = $1 \
             WHERE pt.post_id = ANY($2) ORDER BY tt.name",
        )
        .bind(lang.code())
        .bind(post_ids)
        .fetch_all(&self.pool)
        .await?;
        for row in rows {
            tags.entry(row.post_id).or_default().push(Tag {
                slug: parse_slug(row.slug)?,
                name: row.name,
            });
        }
        Ok(tags)
    }
}

#[async_trait]
impl ContentStore for PgStore {
    async fn ngo_count(&self) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ngos")
            .fetch_one(&self.pool)
            .await?;
        rows::count(count)
    }

    async fn categories(&self, lang: Lang) -> Result<Vec<Category>, StoreError> {
        let rows: Vec<CategoryRow> = sqlx::query_as(
            "SELECT c.slug, ct.name FROM categories c \
             JOIN category_translations ct ON ct.category_id = c.id AND ct.lang = $1 \
             ORDER BY c.position, ct.name",
        )
        .bind(lang.code())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(Category {
                    slug: parse_slug(r.slug)?,
                    name: r.name,
                })
            })
            .collect()
    }

    async fn posts(&self, lang: Lang, filter: &PostFilter) -> Result<Vec<PostRecord>, StoreError> {
        let sql = format!(
            "SELECT p.id, p.slug, pt.lang AS text_lang, \
                    (SELECT COUNT(*) FROM post_translations y WHERE y.post_id = p.id) AS translations, \
                    pt.title, pt.summary, pt.body_md, c.slug AS category_slug, ct.name AS category_name, \
                    p.published_at, p.author_name, {COVER_COLUMNS} \
             {PUBLIC_POSTS} ORDER BY p.published_at DESC, p.id DESC LIMIT $4 OFFSET $5"
        );
        let rows: Vec<PostRow> = sqlx::query_as(&sql)
            .bind(lang.code())
            .bind(filter.category.as_ref().map(Slug::as_str))
            .bind(filter.now)
            .bind(i64::from(filter.limit))
            .bind(i64::from(filter.offset))
            .fetch_all(&self.pool)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut tags = self.tags_of(lang, &ids).await?;
        rows.into_iter()
            .map(|row| {
                let id = row.id;
                row.into_record(tags.remove(&id).unwrap_or_default())
            })
            .collect()
    }

    async fn count_posts(&self, category: Option<&Slug>, now: i64) -> Result<u64, StoreError> {
        let sql = format!("SELECT COUNT(*) {PUBLIC_POSTS}");
        let count: i64 = sqlx::query_scalar(&sql)
            .bind(Lang::Bg.code())
            .bind(category.map(Slug::as_str))
            .bind(now)
            .fetch_one(&self.pool)
            .await?;
        rows::count(count)
    }

    async fn is_empty(&self) -> Result<bool, StoreError> {
        let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM posts)")
            .fetch_one(&self.pool)
            .await?;
        Ok(!any)
    }

    async fn insert_content(&self, scheduled: &ScheduledContent<'_>) -> Result<(), StoreError> {
        let content = scheduled.content;
        let mut tx = self.pool.begin().await?;
        // Instances started together each found the database empty: the first to take this
        // lock stores the content, the others find it stored (by its first post) and stop.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext('ngo-portal insert_content'))")
            .execute(&mut *tx)
            .await?;
        if let Some(first) = content.posts.first() {
            let stored: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM posts WHERE slug = $1)")
                .bind(&first.slug)
                .fetch_one(&mut *tx)
                .await?;
            if stored {
                return Ok(());
            }
        }
        let mut category_ids = HashMap::new();
        for (position, category) in content.categories.iter().enumerate() {
            let id: i64 = sqlx::query_scalar("INSERT INTO categories (slug, position) VALUES ($1, $2) RETURNING id")
                .bind(&category.slug)
                .bind(rows::to_i64(position))
                .fetch_one(&mut *tx)
                .await?;
            for (lang, name) in [(Lang::Bg, &category.bg), (Lang::En, &category.en)] {
                sqlx::query("INSERT INTO category_translations (category_id, lang, name) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(lang.code())
                    .bind(name)
                    .execute(&mut *tx)
                    .await?;
            }
            category_ids.insert(category.slug.as_str(), id);
        }
        let mut tag_ids = HashMap::new();
        for tag in &content.tags {
            let id: i64 = sqlx::query_scalar("INSERT INTO tags (slug) VALUES ($1) RETURNING id")
                .bind(&tag.slug)
                .fetch_one(&mut *tx)
                .await?;
            for (lang, name) in [(Lang::Bg, &tag.bg), (Lang::En, &tag.en)] {
                sqlx::query("INSERT INTO tag_translations (tag_id, lang, name) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(lang.code())
                    .bind(name)
                    .execute(&mut *tx)
                    .await?;
            }
            tag_ids.insert(tag.slug.as_str(), id);
        }
        for post in &content.posts {
            let category_id = *category_ids
                .get(post.category.as_str())
                .ok_or_else(|| StoreError::Corrupt(format!("post {} has unknown category", post.slug)))?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO posts (slug, category_id, published_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(&post.slug)
            .bind(category_id)
            .bind(post.published_at_unix())
            .fetch_one(&mut *tx)
            .await?;
            for lang in Lang::ALL {
                let Some(text) = post.translation(lang) else {
                    continue;
                };
                sqlx::query(
                    "INSERT INTO post_translations (post_id, lang, title, summary, body_md) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(lang.code())
                .bind(&text.title)
                .bind(&text.summary)
                .bind(&text.body)
                .execute(&mut *tx)
                .await?;
            }
            for tag in &post.tags {
                let tag_id = *tag_ids
                    .get(tag.as_str())
                    .ok_or_else(|| StoreError::Corrupt(format!("post {} has unknown tag {tag}", post.slug)))?;
                sqlx::query("INSERT INTO post_tags (post_id, tag_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(tag_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let mut ngo_ids = HashMap::new();
        for ngo in &content.ngos {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO ngos (slug, name_bg, name_en, city) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(&ngo.slug)
            .bind(&ngo.bg)
            .bind(&ngo.en)
            .bind(&ngo.city)
            .fetch_one(&mut *tx)
            .await?;
            ngo_ids.insert(ngo.slug.as_str(), id);
        }
        for (event, schedule) in content.events.iter().zip(&scheduled.schedules) {
            let corrupt = |what: &str| StoreError::Corrupt(format!("event {}: {what}", event.slug));
            let organiser = *ngo_ids
                .get(event.organiser.as_str())
                .ok_or_else(|| corrupt("unknown organiser"))?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO events (slug, code_prefix, organiser_ngo_id, starts_at, ends_at, registration_opens_at, \
                 registration_closes_at, map_url, price_eur_cents, min_age, max_age, capacity) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(&event.slug)
            .bind(&event.code_prefix)
            .bind(organiser)
            .bind(schedule.starts_at)
            .bind(schedule.ends_at)
            .bind(schedule.registration_opens_at)
            .bind(schedule.registration_closes_at)
            .bind(&event.map_url)
            .bind(event.price_eur_cents.map(i64::from))
            .bind(i64::from(event.min_age))
            .bind(i64::from(event.max_age))
            .bind(i64::from(event.capacity))
            .fetch_one(&mut *tx)
            .await?;
            for lang in Lang::ALL {
                let text = event.text(lang);
                sqlx::query(
                    "INSERT INTO event_translations (event_id, lang, title, summary, body_md, venue_name, venue_address) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(id)
                .bind(lang.code())
                .bind(&text.title)
                .bind(&text.summary)
                .bind(&text.body)
                .bind(&text.venue_name)
                .bind(&text.venue_address)
                .execute(&mut *tx)
                .await?;
            }
            for tag in &event.tags {
                let tag_id = *tag_ids.get(tag.as_str()).ok_or_else(|| corrupt("unknown tag"))?;
                sqlx::query("INSERT INTO event_tags (event_id, tag_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(tag_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
