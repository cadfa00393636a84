//! SQLite store: one file, WAL journal, foreign keys on.
use super::{ContentStore, PostFilter, PostRecord, StoreError, parse_slug, rows};
use crate::domain::{Category, Tag};
use crate::domain::{Lang, Slug};
use crate::server::seed::ScheduledContent;
use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Sqlite};
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

pub struct SqliteStore {
    pub(super) pool: SqlitePool,
}

/// The schema this build expects, applied on connect and checked by readiness.
pub(super) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

pub(super) use super::rows::{CategoryRow, PostRow, TagRow};

/// The columns of [`CoverColumns`] from `images i`, the alternative text in the language `?1`
/// (else the other).
pub(super) const COVER_COLUMNS: &str = "i.key AS cover_key, i.width AS cover_width, i.height AS cover_height, \
     i.widths AS cover_widths, \
     CASE WHEN ?1 = 'en' AND i.alt_en <> '' OR i.alt_bg = '' THEN i.alt_en ELSE i.alt_bg END AS cover_alt";

/// The public posts: published, their date come. Each in the language asked for (`?1`), else
/// in the one it is written in.
const PUBLIC_POSTS: &str = "FROM posts p \
     JOIN post_translations pt ON pt.post_id = p.id AND pt.lang = \
         (SELECT x.lang FROM post_translations x WHERE x.post_id = p.id ORDER BY x.lang <> ?1 LIMIT 1) \
     JOIN categories c ON c.id = p.category_id \
     JOIN category_translations ct ON ct.category_id = c.id AND ct.lang = ?1 \
     LEFT JOIN images i ON i.id = p.cover_image_id \
     WHERE p.status = 'published' AND p.published_at <= ?5 AND (?2 IS NULL OR c.slug = ?2)";

impl SqliteStore {
    pub async fn connect(database_url: &str) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str(database_url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            // Erased and deleted personal data is overwritten, not left in free pages.
            .pragma("secure_delete", "ON")
            // The directory's search matches are a temporary table per page: in memory.
            .pragma("temp_store", "MEMORY")
            // 1 MiB of page cache a connection (SQLite's default is 2): eight connections stay
            // small, and the pages that matter are in the OS cache anyway.
            .pragma("cache_size", "-1024")
            .busy_timeout(Duration::from_secs(5));
        let file = options.get_filename().to_path_buf();
        if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Database(sqlx::Error::Io(e)))?;
        }
        // sqlx takes no lock to migrate SQLite, and turning WAL on wants the file alone:
        // processes started together on one file (a rolling restart, two instances) take
        // turns on a lock file beside it.
        let in_memory = file.as_os_str().is_empty() || database_url.contains(":memory:");
        let _turn = if in_memory {
            None
        } else {
            Some(migration_turn(&file).await?)
        };
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(SqliteStore { pool })
    }

    async fn tags_of(&self, lang: Lang, post_ids: &[i64]) -> Result<HashMap<i64, Vec<Tag>>, StoreError> {
        let mut tags: HashMap<i64, Vec<Tag>> = HashMap::new();
        if post_ids.is_empty() {
            return Ok(tags);
        }
        let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT pt.post_id, t.slug, tt.name FROM post_tags pt \
             JOIN tags t ON t.id = pt.tag_id \
             JOIN tag_translations tt ON tt.tag_id = t.id AND tt.lang = ",
        );
        query.push_bind(lang.code()).push(" WHERE pt.post_id IN ");
        push_list(&mut query, post_ids.iter().copied());
        query.push(" ORDER BY tt.name");
        for row in query.build_query_as::<TagRow>().fetch_all(&self.pool).await? {
            tags.entry(row.post_id).or_default().push(Tag {
                slug: parse_slug(row.slug)?,
                name: row.name,
            });
        }
        Ok(tags)
    }
}

#[async_trait]
impl super::ChangeFeed for SqliteStore {
    async fn announce(&self, _change: super::Change) -> Result<(), StoreError> {
        Ok(())
    }

    async fn listen(&self) -> Result<Option<super::Heard>, StoreError> {
        Ok(None)
    }
}

#[async_trait]
impl ContentStore for SqliteStore {
    async fn ngo_count(&self) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ngos")
            .fetch_one(&self.pool)
            .await?;
        rows::count(count)
    }

    async fn categories(&self, lang: Lang) -> Result<Vec<Category>, StoreError> {
        let rows: Vec<CategoryRow> = sqlx::query_as(
            "SELECT c.slug, ct.name FROM categories c \
             JOIN category_translations ct ON ct.category_id = c.id AND ct.lang = ?1 \
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
             {PUBLIC_POSTS} ORDER BY p.published_at DESC, p.id DESC LIMIT ?3 OFFSET ?4"
        );
        let rows: Vec<PostRow> = sqlx::query_as(&sql)
            .bind(lang.code())
            .bind(filter.category.as_ref().map(Slug::as_str))
            .bind(i64::from(filter.limit))
            .bind(i64::from(filter.offset))
            .bind(filter.now)
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
            .bind(0_i64)
            .bind(0_i64)
            .bind(now)
            .fetch_one(&self.pool)
            .await?;
        rows::count(count)
    }

    async fn is_empty(&self) -> Result<bool, StoreError> {
        let posts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM posts")
            .fetch_one(&self.pool)
            .await?;
        Ok(posts == 0)
    }

    async fn insert_content(&self, scheduled: &ScheduledContent<'_>) -> Result<(), StoreError> {
        let content = scheduled.content;
        // Processes started together each found the database empty: the first to write stores
        // the content, the others find it stored (by its first post) and stop.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if let Some(first) = content.posts.first() {
            let stored: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM posts WHERE slug = ?1)")
                .bind(&first.slug)
                .fetch_one(&mut *tx)
                .await?;
            if stored {
                return Ok(());
            }
        }
        let mut category_ids = HashMap::new();
        for (position, category) in content.categories.iter().enumerate() {
            let id: i64 = sqlx::query_scalar("INSERT INTO categories (slug, position) VALUES (?1, ?2) RETURNING id")
                .bind(&category.slug)
                .bind(position as i64)
                .fetch_one(&mut *tx)
                .await?;
            for (lang, name) in [(Lang::Bg, &category.bg), (Lang::En, &category.en)] {
                sqlx::query("INSERT INTO category_translations (category_id, lang, name) VALUES (?1, ?2, ?3)")
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
            let id: i64 = sqlx::query_scalar("INSERT INTO tags (slug) VALUES (?1) RETURNING id")
                .bind(&tag.slug)
                .fetch_one(&mut *tx)
                .await?;
            for (lang, name) in [(Lang::Bg, &tag.bg), (Lang::En, &tag.en)] {
                sqlx::query("INSERT INTO tag_translations (tag_id, lang, name) VALUES (?1, ?2, ?3)")
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
                "INSERT INTO posts (slug, category_id, published_at) VALUES (?1, ?2, ?3) RETURNING id",
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
                    "INSERT INTO post_translations (post_id, lang, title, summary, body_md) VALUES (?1, ?2, ?3, ?4, ?5)",
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
                sqlx::query("INSERT INTO post_tags (post_id, tag_id) VALUES (?1, ?2)")
                    .bind(id)
                    .bind(tag_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let mut ngo_ids = HashMap::new();
        for ngo in &content.ngos {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO ngos (slug, name_bg, name_en, city) VALUES (?1, ?2, ?3, ?4) RETURNING id",
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
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id",
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
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
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
                sqlx::query("INSERT INTO event_tags (event_id, tag_id) VALUES (?1, ?2)")
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

/// An exclusive lock on `<database>.migrate-lock`, held until dropped; the operating system
/// lets it go when the process ends, however.
async fn migration_turn(database: &std::path::Path) -> Result<std::fs::File, StoreError> {
    let mut name = database.as_os_str().to_owned();
    name.push(".migrate-lock");
    let io = |error| StoreError::Database(sqlx::Error::Io(error));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(std::path::PathBuf::from(name))
        .map_err(io)?;
    tokio::task::spawn_blocking(move || file.lock().map(|()| file))
        .await
        .map_err(|error| StoreError::Database(sqlx::Error::Io(std::io::Error::other(error))))?
        .map_err(io)
}

/// Appends `(v1, v2, …)`, each value a bound parameter: the list of an `IN`.
pub(super) fn push_list<'args, T>(query: &mut QueryBuilder<'args, Sqlite>, values: impl IntoIterator<Item = T>)
where
    T: 'args + sqlx::Encode<'args, Sqlite> + sqlx::Type<Sqlite>,
{
    query.push("(");
    let mut list = query.separated(", ");
    for value in values {
        list.push_bind(value);
    }
    list.push_unseparated(")");
}
