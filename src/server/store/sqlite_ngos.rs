//! SQLite: the NGO directory. Filters are bound parameters; the facet counts are one
//! `GROUP BY` each over the same filters but their own.
use super::ngos::{
    NgoRow, ROWS_PER_STATEMENT, StoredSlugs, fields_by_ngo, forgotten_logo, import_entry, import_slugs, logo_entry,
    records_in_order,
};
use super::sqlite::push_list;
use super::{DirectoryQuery, NgoIndexRow, NgoRecord, NgoStore, SqliteStore, StoreError, search_text, sort_name};
use crate::domain::{Field, Slug};
use async_trait::async_trait;
use sqlx::{QueryBuilder, Sqlite};
use std::collections::{HashMap, HashSet};

/// An NGO's columns, from `ngos n` joined with [`LOGO_JOIN`].
const NGO_COLUMNS: &str = "n.id, n.slug, n.name_bg, n.name_en, n.legal_form, n.eik, n.region, n.municipality, \
     n.description_bg, n.description_en, n.website, n.email, n.phone, n.address, n.founded, n.status, n.public_benefit, \
     li.key AS logo_key, li.width AS logo_width, li.height AS logo_height, li.widths AS logo_widths";
/// The logo's image of `ngos n`, for [`NGO_COLUMNS`].
const LOGO_JOIN: &str = "LEFT JOIN images li ON li.id = n.logo_image_id";

/// The columns every write of an NGO sets (after `slug`), bound by [`push_details`].
const DETAIL_COLUMNS: &str = "name_bg, name_en, city, municipality, legal_form, eik, region, description_bg, \
     description_en, website, email, phone, address, founded, status, public_benefit, sort_name, search_text, \
     fields_mask";
/// What an NGO already stored takes from a write (all but its slug, its address).
const DETAIL_UPDATES: &str = "name_bg = excluded.name_bg, name_en = excluded.name_en, city = excluded.city, \
     municipality = excluded.municipality, legal_form = excluded.legal_form, eik = excluded.eik, \
     region = excluded.region, description_bg = excluded.description_bg, description_en = excluded.description_en, \
     website = excluded.website, email = excluded.email, phone = excluded.phone, address = excluded.address, \
     founded = excluded.founded, status = excluded.status, public_benefit = excluded.public_benefit, \
     sort_name = excluded.sort_name, search_text = excluded.search_text, fields_mask = excluded.fields_mask";

/// The slugs of the NGOs already stored with the ЕИКs of `chunk`, by ЕИК.
async fn slugs_by_eik(
    tx: &mut sqlx::SqliteConnection,
    chunk: &[NgoRecord],
) -> Result<HashMap<String, String>, StoreError> {
    let eiks: Vec<&str> = chunk.iter().filter_map(|ngo| ngo.eik.as_deref()).collect();
    if eiks.is_empty() {
        return Ok(HashMap::new());
    }
    let mut query = QueryBuilder::<Sqlite>::new("SELECT eik, slug FROM ngos WHERE eik IN ");
    push_list(&mut query, eiks);
    Ok(query.build_query_as().fetch_all(&mut *tx).await?.into_iter().collect())
}

#[async_trait]
impl StoredSlugs for sqlx::SqliteConnection {
    async fn stored_slugs(&mut self, slugs: &[&str]) -> Result<HashSet<String>, StoreError> {
        let mut query = QueryBuilder::<Sqlite>::new("SELECT slug FROM ngos WHERE slug IN ");
        push_list(&mut query, slugs.iter().copied());
        Ok(query.build_query_scalar().fetch_all(self).await?.into_iter().collect())
    }
}

/// Binds `ngo`'s values of [`DETAIL_COLUMNS`] to a row of an `INSERT … VALUES`.
fn push_details<'args>(
    row: &mut sqlx::query_builder::Separated<'_, 'args, Sqlite, &'static str>,
    ngo: &'args NgoRecord,
) {
    row.push_bind(&ngo.name_bg)
        .push_bind(&ngo.name_en)
        .push_bind(&ngo.municipality)
        .push_bind(&ngo.municipality)
        .push_bind(ngo.legal_form.code())
        .push_bind(ngo.eik.as_deref())
        .push_bind(&ngo.region)
        .push_bind(&ngo.description_bg)
        .push_bind(&ngo.description_en)
        .push_bind(ngo.website.as_deref())
        .push_bind(ngo.email.as_deref())
        .push_bind(ngo.phone.as_deref())
        .push_bind(&ngo.address)
        .push_bind(ngo.founded.map(i64::from))
        .push_bind(ngo.status.code())
        .push_bind(ngo.public_benefit)
        .push_bind(sort_name(&ngo.name_bg))
        .push_bind(search_text(ngo))
        .push_bind(Field::mask(&ngo.fields));
}

/// Appends the directory's filters to a query that selects from `ngos n`.
fn push_filters(builder: &mut QueryBuilder<'_, Sqlite>, query: &DirectoryQuery) {
    builder.push(" WHERE 1 = 1");
    if let Some(region) = &query.region {
        builder.push(" AND n.region = ").push_bind(region.clone());
    }
    if let Some(form) = query.legal_form {
        builder.push(" AND n.legal_form = ").push_bind(form.code());
    }
    if let Some(field) = query.field {
        builder
            .push(" AND (n.fields_mask & ")
            .push_bind(field.bit())
            .push(") <> 0");
    }
}

impl SqliteStore {
    /// The records of `rows` with their fields, in the order of `ids`.
    async fn records_in_order(&self, rows: Vec<NgoRow>, ids: &[i64]) -> Result<Vec<(i64, NgoRecord)>, StoreError> {
        let found: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let fields = self.fields_of(&found).await?;
        records_in_order(rows, fields, ids)
    }

    async fn fields_of(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<Field>>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut builder = QueryBuilder::<Sqlite>::new("SELECT ngo_id, field FROM ngo_fields WHERE ngo_id IN ");
        push_list(&mut builder, ids.iter().copied());
        builder.push(" ORDER BY ngo_id, rowid");
        fields_by_ngo(builder.build_query_as().fetch_all(&self.pool).await?)
    }
}

#[async_trait]
impl NgoStore for SqliteStore {
    async fn upsert_ngos(&self, ngos: &[NgoRecord]) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        for chunk in ngos.chunks(ROWS_PER_STATEMENT) {
            let mut insert = QueryBuilder::<Sqlite>::new(format!("INSERT INTO ngos (slug, {DETAIL_COLUMNS}) "));
            insert.push_values(chunk, |mut row, ngo| {
                row.push_bind(ngo.slug.as_str());
                push_details(&mut row, ngo);
            });
            insert.push(format!(" ON CONFLICT (slug) DO UPDATE SET {DETAIL_UPDATES}"));
            insert.build().execute(&mut *tx).await?;
            let mut forget = QueryBuilder::<Sqlite>::new(
                "DELETE FROM ngo_fields WHERE ngo_id IN (SELECT id FROM ngos WHERE slug IN ",
            );
            push_list(&mut forget, chunk.iter().map(|ngo| ngo.slug.as_str()));
            forget.push(")");
            forget.build().execute(&mut *tx).await?;
            let pairs: Vec<(&str, &str)> = chunk
                .iter()
                .flat_map(|ngo| ngo.fields.iter().map(move |field| (ngo.slug.as_str(), field.code())))
                .collect();
            if pairs.is_empty() {
                continue;
            }
            let mut fields = QueryBuilder::<Sqlite>::new(
                "INSERT OR IGNORE INTO ngo_fields (ngo_id, field) SELECT n.id, v.column2 FROM (",
            );
            fields.push_values(&pairs, |mut row, (slug, field)| {
                row.push_bind(*slug).push_bind(*field);
            });
            fields.push(") AS v JOIN ngos n ON n.slug = v.column1");
            fields.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(ngos.len() as u64)
    }

    async fn ngos_missing_details(&self) -> Result<bool, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM ngos WHERE search_text = '')")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn ngo_slugs(&self) -> Result<Vec<(String, String, String, String)>, StoreError> {
        Ok(
            sqlx::query_as("SELECT slug, name_bg, name_en, city FROM ngos ORDER BY id")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    async fn directory_index_rows(&self) -> Result<Vec<NgoIndexRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, region, legal_form, fields_mask, founded, search_text FROM ngos ORDER BY sort_name, id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn ngos_by_ids(&self, ids: &[i64]) -> Result<Vec<(i64, NgoRecord)>, StoreError> {
        let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned());
        let rows: Vec<NgoRow> = sqlx::query_as(&format!(
            "SELECT {NGO_COLUMNS} FROM ngos n {LOGO_JOIN} WHERE n.id IN (SELECT value FROM json_each(?))"
        ))
        .bind(list)
        .fetch_all(&self.pool)
        .await?;
        self.records_in_order(rows, ids).await
    }

    async fn ranked_ngos(&self, query: &DirectoryQuery) -> Result<Vec<(i64, NgoRecord)>, StoreError> {
        // Ranked by a join on the index (a correlated MATCH per row would search the index
        // again for every row found).
        let mut builder = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {NGO_COLUMNS} FROM ngo_search s JOIN ngos n ON n.id = s.rowid {LOGO_JOIN}"
        ));
        push_filters(&mut builder, query);
        builder
            .push(" AND ngo_search MATCH ")
            .push_bind(query.search.clone())
            .push(" ORDER BY s.rank, n.sort_name, n.id LIMIT ")
            .push_bind(i64::from(query.limit))
            .push(" OFFSET ")
            .push_bind(i64::from(query.offset));
        let rows: Vec<NgoRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        self.records_in_order(rows, &ids).await
    }

    async fn ngo(&self, slug: &Slug) -> Result<Option<(i64, NgoRecord)>, StoreError> {
        let row: Option<NgoRow> = sqlx::query_as(&format!(
            "SELECT {NGO_COLUMNS} FROM ngos n {LOGO_JOIN} WHERE n.slug = ?"
        ))
        .bind(slug.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let id = row.id;
        Ok(self.records_in_order(vec![row], &[id]).await?.pop())
    }

    async fn import_ngos(
        &self,
        ngos: &[NgoRecord],
        actor: &super::Actor,
        now: i64,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<(u64, u64), StoreError> {
        // IMMEDIATE: it reads before it writes, and a deferred transaction would fail at its
        // first write ("database is locked") if another write committed in between. The
        // rows go ROWS_PER_STATEMENT a statement, so that the write lock is held for seconds
        // for the whole directory (2.2 s in a dev build), not for a statement per row and field.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let locked = std::time::Instant::now();
        let (mut created, mut updated) = (0, 0);
        // Slugs this import has given to new NGOs.
        let mut given = HashSet::new();
        for chunk in ngos.chunks(ROWS_PER_STATEMENT) {
            let known = slugs_by_eik(&mut tx, chunk).await?;
            let slugs = import_slugs(&mut *tx, chunk, &known, &mut given).await?;
            let mut write = QueryBuilder::<Sqlite>::new(format!("INSERT INTO ngos (slug, {DETAIL_COLUMNS}) "));
            write.push_values(chunk.iter().zip(&slugs), |mut row, (ngo, slug)| {
                row.push_bind(slug.as_str());
                push_details(&mut row, ngo);
            });
            write.push(format!(
                " ON CONFLICT (eik) WHERE eik IS NOT NULL DO UPDATE SET {DETAIL_UPDATES} RETURNING slug, id"
            ));
            // By slug: RETURNING's order is not promised. Each row of the chunk has its own.
            let ids: HashMap<String, i64> = write.build_query_as().fetch_all(&mut *tx).await?.into_iter().collect();
            let ids: Vec<i64> = slugs
                .iter()
                .map(|slug| {
                    ids.get(slug.as_str())
                        .copied()
                        .ok_or_else(|| StoreError::Corrupt(format!("ngo {slug}: not written by the import")))
                })
                .collect::<Result<_, _>>()?;
            let mut forget = QueryBuilder::<Sqlite>::new("DELETE FROM ngo_fields WHERE ngo_id IN ");
            push_list(&mut forget, ids.iter().copied());
            forget.build().execute(&mut *tx).await?;
            let pairs: Vec<(i64, &str)> = chunk
                .iter()
                .zip(&ids)
                .flat_map(|(ngo, id)| ngo.fields.iter().map(move |field| (*id, field.code())))
                .collect();
            if !pairs.is_empty() {
                let mut fields = QueryBuilder::<Sqlite>::new("INSERT OR IGNORE INTO ngo_fields (ngo_id, field) ");
                fields.push_values(&pairs, |mut row, (id, field)| {
                    row.push_bind(*id).push_bind(*field);
                });
                fields.build().execute(&mut *tx).await?;
            }
            updated += known.len() as u64;
            created += (chunk.len() - known.len()) as u64;
            progress(created + updated);
        }
        super::sqlite_audit::write(&mut tx, &import_entry(actor, now, created, updated)).await?;
        tx.commit().await?;
        // Other writes (a registration) wait this long, up to the busy timeout.
        tracing::info!(
            created,
            updated,
            write_lock_ms = locked.elapsed().as_millis(),
            "stored an NGO import"
        );
        Ok((created, updated))
    }

    async fn set_ngo_logo(
        &self,
        slug: &Slug,
        image: Option<&super::ImageRecord>,
        actor: &super::Actor,
        now: i64,
    ) -> Result<Option<super::LogoChange>, StoreError> {
        // IMMEDIATE: it reads before it writes, and a deferred transaction would fail at its
        // first write ("database is locked") if another write committed in between.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let before: Option<(i64, Option<i64>, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT n.id, li.id, li.key, li.widths FROM ngos n LEFT JOIN images li ON li.id = n.logo_image_id \
             WHERE n.slug = ?",
        )
        .bind(slug.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id, before_id, before_key, before_widths)) = before else {
            return Ok(None);
        };
        let image_id = match image {
            Some(image) => Some(super::sqlite_post_editor::insert_image(&mut tx, image, now, actor).await?),
            None => None,
        };
        sqlx::query("UPDATE ngos SET logo_image_id = ? WHERE id = ?")
            .bind(image_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // The old logo is forgotten unless something else shows the same picture.
        let mut forgotten = None;
        if let (Some(old), Some(key)) = (before_id, before_key.clone()) {
            let shown: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM ngos WHERE logo_image_id = ?1) \
                 OR EXISTS (SELECT 1 FROM posts WHERE cover_image_id = ?1) \
                 OR EXISTS (SELECT 1 FROM events WHERE cover_image_id = ?1)",
            )
            .bind(old)
            .fetch_one(&mut *tx)
            .await?;
            if !shown {
                sqlx::query("DELETE FROM images WHERE id = ?")
                    .bind(old)
                    .execute(&mut *tx)
                    .await?;
                forgotten = Some(forgotten_logo(key, before_widths.as_deref())?);
            }
        }
        let entry = logo_entry(actor, now, slug, before_key.as_deref(), image);
        super::sqlite_audit::write(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(Some(super::LogoChange { forgotten }))
    }

    async fn all_ngos(&self) -> Result<Vec<NgoRecord>, StoreError> {
        let rows: Vec<NgoRow> = sqlx::query_as(&format!(
            "SELECT {NGO_COLUMNS} FROM ngos n {LOGO_JOIN} ORDER BY n.sort_name, n.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        let pairs: Vec<(i64, String)> = sqlx::query_as("SELECT ngo_id, field FROM ngo_fields ORDER BY ngo_id, rowid")
            .fetch_all(&self.pool)
            .await?;
        let mut fields = fields_by_ngo(pairs)?;
        rows.into_iter()
            .map(|row| {
                let own = fields.remove(&row.id).unwrap_or_default();
                row.into_record(own).map(|(_, ngo)| ngo)
            })
            .collect()
    }
}
