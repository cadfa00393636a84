//! SQLite: the post editor's reads and writes.
use super::post_editor::{
    EditorPostRow, ImageRow, KnownTag, PostListRow, PostTextRow, admin_post_page, audit_json, plan_tags, widths_column,
};
use super::sqlite_audit;
use super::{
    Actor, AdminPostQuery, AdminPostRecord, AuditEntry, CategoryChoice, EditablePost, ImageRecord, PostEditorStore,
    SaveRefusal, SqliteStore, StoreError, parse_slug,
};
use crate::domain::{Lang, Slug};
use async_trait::async_trait;
use sqlx::SqliteConnection;

/// The post as stored, read inside the caller's transaction (so that the audit log's
/// "before" is what the change replaced).
async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Option<EditablePost>, StoreError> {
    let Some(row) = sqlx::query_as::<_, EditorPostRow>(
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
    let texts = sqlx::query_as::<_, PostTextRow>(
        "SELECT lang, title, summary, body_md FROM post_translations WHERE post_id = ? ORDER BY lang = 'en'",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|text| text.into_record(id))
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
    row.into_editable(id, texts, tags).map(Some)
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
    let known: Vec<KnownTag> =
        sqlx::query_as("SELECT t.id, t.slug, tt.name FROM tags t JOIN tag_translations tt ON tt.tag_id = t.id")
            .fetch_all(&mut *conn)
            .await?;
    let plan = plan_tags(&known, names);
    let mut ids = plan.known;
    for tag in plan.new {
        let id: i64 = sqlx::query_scalar("INSERT INTO tags (slug) VALUES (?) RETURNING id")
            .bind(tag.slug.as_str())
            .fetch_one(&mut *conn)
            .await?;
        name_in_both_languages(conn, ("tag_translations", "tag_id"), id, &tag.name).await?;
        ids.push(id);
    }
    Ok(ids)
}

#[async_trait]
impl PostEditorStore for SqliteStore {
    async fn admin_posts(&self, query: &AdminPostQuery) -> Result<(Vec<AdminPostRecord>, u64), StoreError> {
        // Every post's light columns; the editor's list is filtered in Rust (`admin_post_page`).
        let rows: Vec<PostListRow> = sqlx::query_as(
            "SELECT p.id, p.slug, p.status, p.published_at, p.updated_at, \
                    (SELECT title FROM post_translations WHERE post_id = p.id AND lang = 'bg') AS title_bg, \
                    (SELECT title FROM post_translations WHERE post_id = p.id AND lang = 'en') AS title_en \
             FROM posts p ORDER BY p.published_at DESC, p.id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        admin_post_page(rows, query)
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
        sqlite_audit::write(
            &mut tx,
            &AuditEntry {
                at: now,
                actor: actor.clone(),
                action: if before.is_some() { "post.update" } else { "post.create" },
                entity: "post",
                entity_id: post.slug.to_string(),
                before: audit_json(before.as_ref()),
                after: audit_json(after.as_ref()),
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
        row.map(ImageRow::into_record).transpose()
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

/// Stores `image`'s record (its files are stored already) on `connection`; answers its id.
pub(super) async fn insert_image(
    connection: &mut sqlx::SqliteConnection,
    image: &ImageRecord,
    now: i64,
    actor: &Actor,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO images (key, width, height, widths, alt_bg, alt_en, created_at, uploaded_by) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&image.key)
    .bind(i64::from(image.width))
    .bind(i64::from(image.height))
    .bind(widths_column(&image.widths))
    .bind(&image.alt_bg)
    .bind(&image.alt_en)
    .bind(now)
    .bind(actor.account_id)
    .fetch_one(connection)
    .await?)
}
