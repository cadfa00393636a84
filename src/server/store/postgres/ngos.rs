//! PostgreSQL: the NGO directory. Filters are bound parameters, lists are bound arrays
//! (`= ANY($1)`); the directory's bulk writes take one advisory lock, so that instances
//! sharing the database write it one at a time.
use super::PgStore;
use crate::domain::{Field, Slug};
use crate::server::store::ngos::{
    NgoRow, ROWS_PER_STATEMENT, StoredSlugs, VALUES_PER_ROW, fields_by_ngo, forgotten_logo, import_entry, import_slugs,
    logo_entry, records_in_order,
};
use crate::server::store::search::tsquery;
use crate::server::store::{
    Actor, DirectoryQuery, ImageRecord, LogoChange, NgoIndexRow, NgoRecord, NgoStore, StoreError, search_text,
    sort_name,
};
use async_trait::async_trait;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use std::collections::{HashMap, HashSet};

// A statement binds at most 65 535 values.
const _: () = assert!(ROWS_PER_STATEMENT * VALUES_PER_ROW <= 65_535);

/// An NGO's columns, from `ngos n` joined with [`LOGO_JOIN`].
const NGO_COLUMNS: &str = "n.id, n.slug, n.name_bg, n.name_en, n.legal_form, n.eik, n.region, n.municipality, \
     n.description_bg, n.description_en, n.website, n.email, n.phone, n.address, n.founded, n.status, n.public_benefit, \
     li.key AS logo_key, li.width AS logo_width, li.height AS logo_height, li.widths AS logo_widths";
/// The logo's image of `ngos n`, for [`NGO_COLUMNS`].
const LOGO_JOIN: &str = "LEFT JOIN images li ON li.id = n.logo_image_id";
/// The order of "by name": `sort_name` (lower case, written by the application) in code point
/// order, as SQLite's BINARY compares it, whatever collation the database was made with.
const BY_NAME: &str = "n.sort_name COLLATE \"C\", n.id";

/// Taken first by every bulk write of the directory (the seeding's upsert, an import): SQLite
/// has one writer at a time; here two instances importing at once would otherwise interleave
/// their batches (each finding a slug free that the other is giving) or deadlock on each
/// other's rows. Held until the transaction ends.
const DIRECTORY_WRITE_LOCK: &str = "SELECT pg_advisory_xact_lock(hashtext('ngo-portal ngo directory writes'))";

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
async fn slugs_by_eik(tx: &mut PgConnection, chunk: &[NgoRecord]) -> Result<HashMap<String, String>, StoreError> {
    let eiks: Vec<&str> = chunk.iter().filter_map(|ngo| ngo.eik.as_deref()).collect();
    if eiks.is_empty() {
        return Ok(HashMap::new());
    }
    let pairs: Vec<(String, String)> = sqlx::query_as("SELECT eik, slug FROM ngos WHERE eik = ANY($1)")
        .bind(eiks)
        .fetch_all(&mut *tx)
        .await?;
    Ok(pairs.into_iter().collect())
}

#[async_trait]
impl StoredSlugs for PgConnection {
    async fn stored_slugs(&mut self, slugs: &[&str]) -> Result<HashSet<String>, StoreError> {
        let stored: Vec<String> = sqlx::query_scalar("SELECT slug FROM ngos WHERE slug = ANY($1)")
            .bind(slugs)
            .fetch_all(self)
            .await?;
        Ok(stored.into_iter().collect())
    }
}

/// Binds `ngo`'s values of [`DETAIL_COLUMNS`] to a row of an `INSERT … VALUES`.
fn push_details<'args>(
    row: &mut sqlx::query_builder::Separated<'_, 'args, Postgres, &'static str>,
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
fn push_filters(builder: &mut QueryBuilder<'_, Postgres>, query: &DirectoryQuery) {
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

/// Writes `fields` of the NGOs (`ngo_id`, `field` a pair), in that order (what their `rowid`
/// keeps); a field an NGO has already is left.
async fn insert_fields(tx: &mut PgConnection, ids: Vec<i64>, fields: Vec<&str>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO ngo_fields (ngo_id, field) \
         SELECT v.ngo_id, v.field FROM UNNEST($1::BIGINT[], $2::TEXT[]) WITH ORDINALITY AS v (ngo_id, field, ordinal) \
         ORDER BY v.ordinal ON CONFLICT DO NOTHING",
    )
    .bind(ids)
    .bind(fields)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

impl PgStore {
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
        let pairs: Vec<(i64, String)> =
            sqlx::query_as("SELECT ngo_id, field FROM ngo_fields WHERE ngo_id = ANY($1) ORDER BY ngo_id, rowid")
                .bind(ids)
                .fetch_all(&self.pool)
                .await?;
        fields_by_ngo(pairs)
    }
}

#[async_trait]
impl NgoStore for PgStore {
    async fn upsert_ngos(&self, ngos: &[NgoRecord]) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        // Instances started together each complete the demo directory: one after the other.
        sqlx::query(DIRECTORY_WRITE_LOCK).execute(&mut *tx).await?;
        for chunk in ngos.chunks(ROWS_PER_STATEMENT) {
            let mut insert = QueryBuilder::<Postgres>::new(format!("INSERT INTO ngos (slug, {DETAIL_COLUMNS}) "));
            insert.push_values(chunk, |mut row, ngo| {
                row.push_bind(ngo.slug.as_str());
                push_details(&mut row, ngo);
            });
            insert.push(format!(" ON CONFLICT (slug) DO UPDATE SET {DETAIL_UPDATES}"));
            insert.build().execute(&mut *tx).await?;
            let slugs: Vec<&str> = chunk.iter().map(|ngo| ngo.slug.as_str()).collect();
            sqlx::query("DELETE FROM ngo_fields WHERE ngo_id IN (SELECT id FROM ngos WHERE slug = ANY($1))")
                .bind(&slugs)
                .execute(&mut *tx)
                .await?;
            let (slugs, fields): (Vec<&str>, Vec<&str>) = chunk
                .iter()
                .flat_map(|ngo| ngo.fields.iter().map(move |field| (ngo.slug.as_str(), field.code())))
                .unzip();
            if slugs.is_empty() {
                continue;
            }
            sqlx::query(
                "INSERT INTO ngo_fields (ngo_id, field) \
                 SELECT n.id, v.field FROM UNNEST($1::TEXT[], $2::TEXT[]) WITH ORDINALITY AS v (slug, field, ordinal) \
                 JOIN ngos n ON n.slug = v.slug ORDER BY v.ordinal ON CONFLICT DO NOTHING",
            )
            .bind(slugs)
            .bind(fields)
            .execute(&mut *tx)
            .await?;
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
        Ok(sqlx::query_as(&format!(
            "SELECT n.id, n.region, n.legal_form, n.fields_mask, n.founded, n.search_text FROM ngos n ORDER BY {BY_NAME}"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    async fn ngos_by_ids(&self, ids: &[i64]) -> Result<Vec<(i64, NgoRecord)>, StoreError> {
        let rows: Vec<NgoRow> = sqlx::query_as(&format!(
            "SELECT {NGO_COLUMNS} FROM ngos n {LOGO_JOIN} WHERE n.id = ANY($1)"
        ))
        .bind(ids)
        .fetch_all(&self.pool)
        .await?;
        self.records_in_order(rows, ids).await
    }

    async fn ranked_ngos(&self, query: &DirectoryQuery) -> Result<Vec<(i64, NgoRecord)>, StoreError> {
        let search = tsquery(&query.search);
        if search.is_empty() {
            // No word left to look for.
            return Ok(Vec::new());
        }
        // Best first: `ngo_search_rank` is lower for a better match, as FTS5's bm25 `rank`.
        // The query is bound (`to_tsquery` reads it), never part of the SQL.
        let mut builder = QueryBuilder::<Postgres>::new("SELECT ");
        builder
            .push(NGO_COLUMNS)
            .push(" FROM to_tsquery('portal_bg', ")
            .push_bind(search)
            .push(format!(
                ") AS q CROSS JOIN ngo_search s JOIN ngos n ON n.id = s.ngo_id {LOGO_JOIN} WHERE s.document @@ q"
            ));
        push_filters(&mut builder, query);
        builder
            .push(format!(" ORDER BY ngo_search_rank(s.document, q), {BY_NAME} LIMIT "))
            .push_bind(i64::from(query.limit))
            .push(" OFFSET ")
            .push_bind(i64::from(query.offset));
        let rows: Vec<NgoRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        self.records_in_order(rows, &ids).await
    }

    async fn ngo(&self, slug: &Slug) -> Result<Option<(i64, NgoRecord)>, StoreError> {
        let row: Option<NgoRow> = sqlx::query_as(&format!(
            "SELECT {NGO_COLUMNS} FROM ngos n {LOGO_JOIN} WHERE n.slug = $1"
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
        actor: &Actor,
        now: i64,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<(u64, u64), StoreError> {
        // It reads (the ЕИКs and slugs stored) before it writes: the advisory lock keeps a
        // second import (from this instance or another) out until this one has committed, as
        // SQLite's write lock does. Other writes go on meanwhile (a registration does not
        // wait for an import); an NGO's row is locked only while this transaction writes it.
        // The rows go ROWS_PER_STATEMENT a statement, so that the lock is held for seconds for
        // the whole directory, not for a statement per row and field.
        let mut tx = self.pool.begin().await?;
        sqlx::query(DIRECTORY_WRITE_LOCK).execute(&mut *tx).await?;
        let locked = std::time::Instant::now();
        let (mut created, mut updated) = (0, 0);
        // Slugs this import has given to new NGOs.
        let mut given = HashSet::new();
        for chunk in ngos.chunks(ROWS_PER_STATEMENT) {
            let known = slugs_by_eik(&mut tx, chunk).await?;
            let slugs = import_slugs(&mut *tx, chunk, &known, &mut given).await?;
            let mut write = QueryBuilder::<Postgres>::new(format!("INSERT INTO ngos (slug, {DETAIL_COLUMNS}) "));
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
            sqlx::query("DELETE FROM ngo_fields WHERE ngo_id = ANY($1)")
                .bind(&ids)
                .execute(&mut *tx)
                .await?;
            let (field_ids, fields): (Vec<i64>, Vec<&str>) = chunk
                .iter()
                .zip(&ids)
                .flat_map(|(ngo, id)| ngo.fields.iter().map(move |field| (*id, field.code())))
                .unzip();
            if !field_ids.is_empty() {
                insert_fields(&mut tx, field_ids, fields).await?;
            }
            updated += known.len() as u64;
            created += (chunk.len() - known.len()) as u64;
            progress(created + updated);
        }
        super::audit::write(&mut tx, &import_entry(actor, now, created, updated)).await?;
        tx.commit().await?;
        // Another import waits this long.
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
        image: Option<&ImageRecord>,
        actor: &Actor,
        now: i64,
    ) -> Result<Option<LogoChange>, StoreError> {
        let mut tx = self.pool.begin().await?;
        // The NGO's row, locked: a second change of its logo waits, then finds this one's
        // logo as the one it replaces.
        let before: Option<(i64, Option<i64>)> =
            sqlx::query_as("SELECT id, logo_image_id FROM ngos WHERE slug = $1 FOR UPDATE")
                .bind(slug.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        let Some((id, before_id)) = before else {
            return Ok(None);
        };
        // The old logo's image, locked too: a post or event that would show it meanwhile waits
        // (its reference checks the image's row), so it is not deleted under it.
        let old: Option<(i64, String, String)> = match before_id {
            Some(old) => {
                sqlx::query_as("SELECT id, key, widths FROM images WHERE id = $1 FOR UPDATE")
                    .bind(old)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            None => None,
        };
        let image_id = match image {
            Some(image) => Some(super::post_editor::insert_image(&mut tx, image, now, actor).await?),
            None => None,
        };
        sqlx::query("UPDATE ngos SET logo_image_id = $1 WHERE id = $2")
            .bind(image_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // The old logo is forgotten unless something else shows the same picture.
        let mut forgotten = None;
        let before_key = old.as_ref().map(|(_, key, _)| key.clone());
        if let Some((old, key, widths)) = old {
            let shown: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM ngos WHERE logo_image_id = $1) \
                 OR EXISTS (SELECT 1 FROM posts WHERE cover_image_id = $1) \
                 OR EXISTS (SELECT 1 FROM events WHERE cover_image_id = $1)",
            )
            .bind(old)
            .fetch_one(&mut *tx)
            .await?;
            if !shown {
                sqlx::query("DELETE FROM images WHERE id = $1")
                    .bind(old)
                    .execute(&mut *tx)
                    .await?;
                forgotten = Some(forgotten_logo(key, Some(&widths))?);
            }
        }
        let entry = logo_entry(actor, now, slug, before_key.as_deref(), image);
        super::audit::write(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(Some(LogoChange { forgotten }))
    }

    async fn all_ngos(&self) -> Result<Vec<NgoRecord>, StoreError> {
        let rows: Vec<NgoRow> = sqlx::query_as(&format!(
            "SELECT {NGO_COLUMNS} FROM ngos n {LOGO_JOIN} ORDER BY {BY_NAME}"
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
