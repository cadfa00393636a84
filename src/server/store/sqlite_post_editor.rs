//! SQLite: the post editor's reads and writes.
use super::sqlite_audit;
use super::{
    Actor, AdminPostQuery, AdminPostRecord, AuditEntry, CategoryChoice, CoverRecord, EditablePost, ImageRecord,
    PostEditorStore, PostState, PostTextRecord, SaveRefusal, SqliteStore, StoreError, parse_slug,
};
use crate::domain::{Lang, Slug, slug_of_title};
use async_trait::async_trait;
use sqlx::{FromRow, SqliteConnection};

#[derive(FromRow)]
struct ListRow {
    id: i64,
    slug: String,
    status: String,
    published_at: i64,
    updated_at: i64,
    title_bg: Option<String>,
    title_en: Option<String>,
}

#[derive(FromRow)]
struct PostRow {
    slug: String,
    status: String,
    published_at: i64,
    category_slug: String,
    cover_image_id: Option<i64>,
    alt_bg: Option<String>,
    alt_en: Option<String>,
    author_name: String,
}

#[derive(FromRow)]
struct TextRow {
    lang: String,
    title: String,
    summary: String,
    body_md: String,
}

#[derive(FromRow)]
struct TagRow {
    id: i64,
    slug: String,
    name: String,
}

#[derive(FromRow)]
struct ImageRow {
    id: i64,
    key: String,
    width: i64,
    height: i64,
    widths: String,
    alt_bg: String,
    alt_en: String,
}

pub(super) fn parse_lang(raw: &str) -> Result<Lang, StoreError> {
    raw.parse()
        .map_err(|_| StoreError::Corrupt(format!("invalid language {raw:?}")))
}

fn state_of(draft: bool, published_at: i64, now: i64) -> PostState {
    if draft {
        PostState::Draft
    } else if published_at > now {
        PostState::Scheduled
    } else {
        PostState::Published
    }
}

/// The post as stored, read inside the caller's transaction (so that the audit log's
/// "before" is what the change replaced).
async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Option<EditablePost>, StoreError> {
    let Some(row) = sqlx::query_as::<_, PostRow>(
        "SELECT p.slug, p.status, p.published_at, c.slug AS category_slug, p.cover_image_id, i.alt_bg, i.alt_en, \
                p.author_name \
         FROM posts p JOIN categories c ON c.id = p.category_id LEFT JOIN images i ON i.id = p.cover_image_id \
         WHERE p.id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let texts = sqlx::query_as::<_, TextRow>(
        "SELECT lang, title, summary, body_md FROM post_translations WHERE post_id = ? ORDER BY lang = 'en'",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|text| {
        Ok(PostTextRecord {
            lang: parse_lang(&text.lang)?,
            title: text.title,
            summary: text.summary,
            body_md: text.body_md,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    // A tag by its Bulgarian name, else its English one.
    let tags: Vec<String> = sqlx::query_scalar(
        "SELECT COALESCE((SELECT name FROM tag_translations WHERE tag_id = t.id AND lang = 'bg'), \
                         (SELECT name FROM tag_translations WHERE tag_id = t.id AND lang = 'en'), t.slug) \
         FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = ? ORDER BY 1",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(EditablePost {
        id: Some(id),
        slug: parse_slug(row.slug)?,
        texts,
        category: CategoryChoice::Existing(parse_slug(row.category_slug)?),
        tags,
        draft: row.status == "draft",
        published_at: row.published_at,
        cover: row.cover_image_id.map(|image_id| CoverRecord {
            image_id,
            alt_bg: row.alt_bg.unwrap_or_default(),
            alt_en: row.alt_en.unwrap_or_default(),
        }),
        author: Some(row.author_name),
    }))
}

/// Whether a post other than `id` has, or had, this slug.
async fn slug_taken(conn: &mut SqliteConnection, slug: &Slug, id: Option<i64>) -> Result<bool, StoreError> {
    let owner: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM posts WHERE slug = ?1 UNION ALL SELECT post_id FROM post_slug_history WHERE slug = ?1",
    )
    .bind(slug.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(owner.is_some_and(|owner| Some(owner) != id))
}

async fn category_id(conn: &mut SqliteConnection, choice: &CategoryChoice) -> Result<Option<i64>, StoreError> {
    let slug = match choice {
        CategoryChoice::Existing(slug) | CategoryChoice::New { slug, .. } => slug,
    };
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM categories WHERE slug = ?")
        .bind(slug.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let CategoryChoice::New { name, .. } = choice else {
        return Ok(existing);
    };
    if existing.is_some() {
        return Ok(existing);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO categories (slug, position) VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM categories)) \
         RETURNING id",
    )
    .bind(slug.as_str())
    .fetch_one(&mut *conn)
    .await?;
    name_in_both_languages(conn, ("category_translations", "category_id"), id, name).await?;
    Ok(Some(id))
}

/// Names a category or tag made by typing it the same in both languages: the name as typed.
/// `table` is its translations table, `key` the column naming the category or tag.
pub(super) async fn name_in_both_languages(
    conn: &mut SqliteConnection,
    (table, key): (&'static str, &'static str),
    id: i64,
    name: &str,
) -> Result<(), StoreError> {
    for lang in Lang::ALL {
        sqlx::query(&format!("INSERT INTO {table} ({key}, lang, name) VALUES (?, ?, ?)"))
            .bind(id)
            .bind(lang.code())
            .bind(name)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Makes `items` the rows of the link table `table` (`owner` and `item` its two columns) for
/// `owner_id`: a post's or an event's tags, an event's organisers.
pub(super) async fn replace_links(
    conn: &mut SqliteConnection,
    (table, owner, item): (&'static str, &'static str, &'static str),
    owner_id: i64,
    items: &[i64],
) -> Result<(), StoreError> {
    sqlx::query(&format!("DELETE FROM {table} WHERE {owner} = ?"))
        .bind(owner_id)
        .execute(&mut *conn)
        .await?;
    for id in items {
        sqlx::query(&format!(
            "INSERT OR IGNORE INTO {table} ({owner}, {item}) VALUES (?, ?)"
        ))
        .bind(owner_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The ids of the tags named, made when no tag has the name (in either language) or its slug.
pub(super) async fn tag_ids(conn: &mut SqliteConnection, names: &[String]) -> Result<Vec<i64>, StoreError> {
    let known: Vec<TagRow> =
        sqlx::query_as("SELECT t.id, t.slug, tt.name FROM tags t JOIN tag_translations tt ON tt.tag_id = t.id")
            .fetch_all(&mut *conn)
            .await?;
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        let wanted = name.to_lowercase();
        let slug = slug_of_title(name);
        let found = known
            .iter()
            .find(|tag| tag.name.to_lowercase() == wanted || slug.as_ref().is_some_and(|s| s.as_str() == tag.slug))
            .map(|tag| tag.id);
        let id = match (found, slug) {
            (Some(id), _) => id,
            (None, Some(slug)) => {
                let id: i64 = sqlx::query_scalar("INSERT INTO tags (slug) VALUES (?) RETURNING id")
                    .bind(slug.as_str())
                    .fetch_one(&mut *conn)
                    .await?;
                name_in_both_languages(conn, ("tag_translations", "tag_id"), id, name).await?;
                id
            }
            // A name with no letter or digit has no slug (the service refuses it before).
            (None, None) => continue,
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

#[async_trait]
impl PostEditorStore for SqliteStore {
    async fn admin_posts(&self, query: &AdminPostQuery) -> Result<(Vec<AdminPostRecord>, u64), StoreError> {
        // Every post's light columns; the editor's list is filtered here, where Cyrillic
        // lower-casing is right (SQLite's `lower` knows ASCII only).
        let rows: Vec<ListRow> = sqlx::query_as(
            "SELECT p.id, p.slug, p.status, p.published_at, p.updated_at, \
                    (SELECT title FROM post_translations WHERE post_id = p.id AND lang = 'bg') AS title_bg, \
                    (SELECT title FROM post_translations WHERE post_id = p.id AND lang = 'en') AS title_en \
             FROM posts p ORDER BY p.published_at DESC, p.id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        let words: Vec<String> = query
            .search
            .to_lowercase()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let matching: Vec<ListRow> = rows
            .into_iter()
            .filter(|row| {
                let state = state_of(row.status == "draft", row.published_at, query.now);
                query.status.is_none_or(|wanted| wanted == state)
            })
            .filter(|row| {
                let haystack = format!(
                    "{} {} {}",
                    row.slug,
                    row.title_bg.as_deref().unwrap_or_default(),
                    row.title_en.as_deref().unwrap_or_default()
                )
                .to_lowercase();
                words.iter().all(|word| haystack.contains(word.as_str()))
            })
            .collect();
        let total = matching.len() as u64;
        let page = matching
            .into_iter()
            .skip(query.offset as usize)
            .take(query.limit as usize)
            .map(|row| {
                let mut langs = Vec::new();
                if row.title_bg.is_some() {
                    langs.push(Lang::Bg);
                }
                if row.title_en.is_some() {
                    langs.push(Lang::En);
                }
                let (mine, other) = match query.lang {
                    Lang::Bg => (row.title_bg, row.title_en),
                    Lang::En => (row.title_en, row.title_bg),
                };
                Ok(AdminPostRecord {
                    id: row.id,
                    slug: parse_slug(row.slug)?,
                    title: mine.or(other).unwrap_or_default(),
                    draft: row.status == "draft",
                    published_at: row.published_at,
                    updated_at: row.updated_at,
                    langs,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((page, total))
    }

    async fn editable_post(&self, id: i64) -> Result<Option<EditablePost>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        load(&mut conn, id).await
    }

    async fn save_post(
        &self,
        post: &EditablePost,
        now: i64,
        actor: &Actor,
    ) -> Result<Result<i64, SaveRefusal>, StoreError> {
        // IMMEDIATE: it reads before it writes, and a deferred transaction would fail at its
        // first write ("database is locked") if another write committed in between.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let before = match post.id {
            Some(id) => match load(&mut tx, id).await? {
                Some(before) => Some(before),
                None => return Ok(Err(SaveRefusal::NotFound)),
            },
            None => None,
        };
        if slug_taken(&mut tx, &post.slug, post.id).await? {
            return Ok(Err(SaveRefusal::SlugTaken));
        }
        let Some(category_id) = category_id(&mut tx, &post.category).await? else {
            return Ok(Err(SaveRefusal::UnknownCategory));
        };
        if let Some(cover) = &post.cover {
            let updated = sqlx::query("UPDATE images SET alt_bg = ?, alt_en = ? WHERE id = ?")
                .bind(&cover.alt_bg)
                .bind(&cover.alt_en)
                .bind(cover.image_id)
                .execute(&mut *tx)
                .await?;
            if updated.rows_affected() == 0 {
                return Ok(Err(SaveRefusal::UnknownImage));
            }
        }
        let status = if post.draft { "draft" } else { "published" };
        let cover_id = post.cover.as_ref().map(|cover| cover.image_id);
        let id: i64 = match &before {
            None => sqlx::query_scalar(
                "INSERT INTO posts (slug, category_id, published_at, status, updated_at, cover_image_id, author_name) \
                     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(post.slug.as_str())
            .bind(category_id)
            .bind(post.published_at)
            .bind(status)
            .bind(now)
            .bind(cover_id)
            .bind(post.author.as_deref().unwrap_or_default())
            .fetch_one(&mut *tx)
            .await?,
            Some(before) => {
                let id = before.id.unwrap_or_default();
                if before.slug != post.slug {
                    // The old address answers with a redirect to the new one; a slug the post
                    // takes back stops redirecting.
                    sqlx::query("INSERT OR REPLACE INTO post_slug_history (slug, post_id) VALUES (?, ?)")
                        .bind(before.slug.as_str())
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM post_slug_history WHERE slug = ?")
                        .bind(post.slug.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query(
                    "UPDATE posts SET slug = ?, category_id = ?, published_at = ?, status = ?, updated_at = ?, \
                     cover_image_id = ?, author_name = COALESCE(?, author_name) WHERE id = ?",
                )
                .bind(post.slug.as_str())
                .bind(category_id)
                .bind(post.published_at)
                .bind(status)
                .bind(now)
                .bind(cover_id)
                .bind(post.author.as_deref())
                .bind(id)
                .execute(&mut *tx)
                .await?;
                id
            }
        };
        sqlx::query("DELETE FROM post_translations WHERE post_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for text in &post.texts {
            sqlx::query(
                "INSERT INTO post_translations (post_id, lang, title, summary, body_md) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(text.lang.code())
            .bind(&text.title)
            .bind(&text.summary)
            .bind(&text.body_md)
            .execute(&mut *tx)
            .await?;
        }
        let tags = tag_ids(&mut tx, &post.tags).await?;
        replace_links(&mut tx, ("post_tags", "post_id", "tag_id"), id, &tags).await?;
        let after = load(&mut tx, id).await?;
        let json = |post: &Option<EditablePost>| post.as_ref().and_then(|post| serde_json::to_value(post).ok());
        sqlite_audit::write(
            &mut tx,
            &AuditEntry {
                at: now,
                actor: actor.clone(),
                action: if before.is_some() { "post.update" } else { "post.create" },
                entity: "post",
                entity_id: post.slug.to_string(),
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    async fn moved_post(&self, old: &Slug) -> Result<Option<Slug>, StoreError> {
        let slug: Option<String> = sqlx::query_scalar(
            "SELECT p.slug FROM post_slug_history h JOIN posts p ON p.id = h.post_id WHERE h.slug = ?",
        )
        .bind(old.as_str())
        .fetch_optional(&self.pool)
        .await?;
        slug.map(parse_slug).transpose()
    }

    async fn tag_names(&self, lang: Lang) -> Result<Vec<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT name FROM tag_translations WHERE lang = ? ORDER BY name")
                .bind(lang.code())
                .fetch_all(&self.pool)
                .await?,
        )
    }

    async fn insert_image(&self, image: &ImageRecord, now: i64, actor: &Actor) -> Result<i64, StoreError> {
        let mut connection = self.pool.acquire().await?;
        insert_image(&mut connection, image, now, actor).await
    }

    async fn image(&self, id: i64) -> Result<Option<ImageRecord>, StoreError> {
        let row: Option<ImageRow> =
            sqlx::query_as("SELECT id, key, width, height, widths, alt_bg, alt_en FROM images WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(image_record).transpose()
    }

    async fn imported_post(&self, source: &str, source_id: i64) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT post_id FROM imported_posts WHERE source = ? AND source_id = ?")
                .bind(source)
                .bind(source_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn record_import(&self, source: &str, source_id: i64, post_id: i64) -> Result<(), StoreError> {
        sqlx::query("INSERT OR REPLACE INTO imported_posts (source, source_id, post_id) VALUES (?, ?, ?)")
            .bind(source)
            .bind(source_id)
            .bind(post_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

fn image_record(row: ImageRow) -> Result<ImageRecord, StoreError> {
    let size = |value: i64| u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("image {}: size", row.id)));
    Ok(ImageRecord {
        id: row.id,
        width: size(row.width)?,
        height: size(row.height)?,
        widths: super::sqlite::parse_widths(&row.widths)
            .ok_or_else(|| StoreError::Corrupt(format!("image {}: widths", row.id)))?,
        key: row.key,
        alt_bg: row.alt_bg,
        alt_en: row.alt_en,
    })
}

/// Stores `image`'s record (its files are stored already) on `connection`; answers its id.
pub(super) async fn insert_image(
    connection: &mut sqlx::SqliteConnection,
    image: &ImageRecord,
    now: i64,
    actor: &Actor,
) -> Result<i64, StoreError> {
    let widths = image.widths.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
    Ok(sqlx::query_scalar(
        "INSERT INTO images (key, width, height, widths, alt_bg, alt_en, created_at, uploaded_by) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&image.key)
    .bind(i64::from(image.width))
    .bind(i64::from(image.height))
    .bind(widths)
    .bind(&image.alt_bg)
    .bind(&image.alt_en)
    .bind(now)
    .bind(actor.account_id)
    .fetch_one(connection)
    .await?)
}
