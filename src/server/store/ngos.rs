//! The NGO directory as the store keeps it: records, the directory's query with its facet
//! counts, and a profile.
use super::{AuditEntry, CoverImage, StoreError, parse_slug, rows};
use crate::domain::{Field, LegalForm, NgoStatus, Slug, transliterate};
use async_trait::async_trait;
use std::collections::{HashMap, HashSet};

/// An NGO as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NgoRecord {
    pub slug: Slug,
    /// The full name as registered, legal form included (`Сдружение „Зелени Родопи“`).
    pub name_bg: String,
    /// Empty when the NGO has no English name.
    pub name_en: String,
    pub legal_form: LegalForm,
    /// ЕИК, checked (`domain::Eik`); `None` for the few records without one.
    pub eik: Option<String>,
    /// A `domain::REGIONS` code.
    pub region: String,
    pub municipality: String,
    pub fields: Vec<Field>,
    pub description_bg: String,
    pub description_en: String,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: String,
    pub founded: Option<u16>,
    pub status: NgoStatus,
    pub public_benefit: bool,
    /// Its logo as read. Writes of the details leave the stored logo as it is; only
    /// [`NgoStore::set_ngo_logo`] changes it.
    pub logo: Option<super::CoverImage>,
}

/// What changing a logo did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogoChange {
    /// The replaced logo, now shown nowhere (its record deleted): its key and widths.
    pub forgotten: Option<(String, Vec<u32>)>,
}

/// A search of the directory ranked by relevance: its filters and page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DirectoryQuery {
    /// An FTS5 query already built from the visitor's words (`ngos::service::fts_query`);
    /// PostgreSQL reads it as [`super::search::tsquery`] rewrites it.
    pub search: String,
    pub region: Option<String>,
    pub field: Option<Field>,
    pub legal_form: Option<LegalForm>,
    pub limit: u32,
    pub offset: u32,
}

/// What the directory's index in memory holds of an NGO (`ngos::index`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NgoIndexRow {
    pub id: i64,
    pub region: String,
    pub legal_form: String,
    /// Bits of `Field::ALL`.
    pub fields_mask: i64,
    pub founded: Option<i64>,
    /// `search_text`: its names in both alphabets and its place.
    pub search_text: String,
}

/// The name without its legal form and quotes, lower case (`Сдружение „Зелени Родопи“` →
/// `зелени родопи`): what sorting by name sorts on.
pub fn sort_name(name: &str) -> String {
    let inner = match (name.find('„'), name.find('“')) {
        (Some(open), Some(close)) if open < close => &name[open + '„'.len_utf8()..close],
        _ => name,
    };
    inner.trim().to_lowercase()
}

/// What the full-text index holds of an NGO: its names as written and in Latin letters, and
/// its place in both.
pub fn search_text(ngo: &NgoRecord) -> String {
    let mut text = vec![ngo.name_bg.clone(), transliterate(&ngo.name_bg), ngo.name_en.clone()];
    text.push(ngo.municipality.clone());
    text.push(transliterate(&ngo.municipality));
    text.retain(|part| !part.is_empty());
    text.join(" ").to_lowercase()
}

/// Rows a statement of the bulk writes: the demo directory's 14 427 records are stored in a
/// second, not in one round trip each.
pub(crate) const ROWS_PER_STATEMENT: usize = 400;
/// Values bound per NGO row of those statements: its slug and [`NgoRecord`]'s details.
pub(crate) const VALUES_PER_ROW: usize = 20;
// Within both engines' limit of bound values per statement (SQLite 32 766, PostgreSQL 65 535).
const _: () = assert!(ROWS_PER_STATEMENT * VALUES_PER_ROW < 32_766);

/// An NGO's row as both engines select it: `ngos n` with its logo's image.
#[derive(sqlx::FromRow)]
pub(crate) struct NgoRow {
    pub(crate) id: i64,
    slug: String,
    name_bg: String,
    name_en: String,
    legal_form: String,
    eik: Option<String>,
    region: String,
    municipality: String,
    description_bg: String,
    description_en: String,
    website: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    address: String,
    founded: Option<i64>,
    status: String,
    public_benefit: bool,
    logo_key: Option<String>,
    logo_width: Option<i64>,
    logo_height: Option<i64>,
    logo_widths: Option<String>,
}

impl NgoRow {
    pub(crate) fn into_record(self, fields: Vec<Field>) -> Result<(i64, NgoRecord), StoreError> {
        let id = self.id;
        let corrupt = |what: &str| StoreError::Corrupt(format!("ngo {id}: {what}"));
        let logo = match (self.logo_key, self.logo_width, self.logo_height, self.logo_widths) {
            (Some(key), Some(width), Some(height), Some(widths)) => Some(CoverImage {
                key,
                width: rows::int(width, || format!("ngo {id}: logo width"))?,
                height: rows::int(height, || format!("ngo {id}: logo height"))?,
                widths: rows::parse_widths(&widths).ok_or_else(|| corrupt("logo widths"))?,
                alt: String::new(),
            }),
            (None, ..) => None,
            _ => return Err(corrupt("logo")),
        };
        let founded = self
            .founded
            .map(|year| rows::int(year, || format!("ngo {id}: founded")))
            .transpose()?;
        Ok((
            id,
            NgoRecord {
                slug: parse_slug(self.slug)?,
                legal_form: LegalForm::parse(&self.legal_form).ok_or_else(|| corrupt("legal form"))?,
                status: NgoStatus::parse(&self.status).ok_or_else(|| corrupt("status"))?,
                founded,
                name_bg: self.name_bg,
                name_en: self.name_en,
                eik: self.eik,
                region: self.region,
                municipality: self.municipality,
                fields,
                description_bg: self.description_bg,
                description_en: self.description_en,
                website: self.website,
                email: self.email,
                phone: self.phone,
                address: self.address,
                public_benefit: self.public_benefit,
                logo,
            },
        ))
    }
}

/// `(ngo_id, field)` rows, in the order they were written, as each NGO's fields.
pub(crate) fn fields_by_ngo(pairs: Vec<(i64, String)>) -> Result<HashMap<i64, Vec<Field>>, StoreError> {
    let mut fields: HashMap<i64, Vec<Field>> = HashMap::new();
    for (id, code) in pairs {
        let field = Field::parse(&code).ok_or_else(|| StoreError::Corrupt(format!("ngo {id}: field {code:?}")))?;
        fields.entry(id).or_default().push(field);
    }
    Ok(fields)
}

/// The records of `rows` with their `fields`, in the order of `ids` (an id not found is left out).
pub(crate) fn records_in_order(
    rows: Vec<NgoRow>,
    mut fields: HashMap<i64, Vec<Field>>,
    ids: &[i64],
) -> Result<Vec<(i64, NgoRecord)>, StoreError> {
    let mut records: HashMap<i64, (i64, NgoRecord)> = rows
        .into_iter()
        .map(|row| {
            let id = row.id;
            row.into_record(fields.remove(&id).unwrap_or_default())
                .map(|record| (id, record))
        })
        .collect::<Result<_, _>>()?;
    Ok(ids.iter().filter_map(|id| records.remove(id)).collect())
}

/// What an import's slugs are checked against: the slugs stored, as the import's transaction
/// sees them.
#[async_trait]
pub(crate) trait StoredSlugs: Send {
    /// Which of `slugs` some NGO has.
    async fn stored_slugs(&mut self, slugs: &[&str]) -> Result<HashSet<String>, StoreError>;
}

/// The slug each row of `chunk` is written under: its own for an NGO already stored (`known`,
/// its slug by ЕИК: its address stays), else the name's slug, numbered when that is taken — by
/// a stored NGO or by one this import has `given` (which the new ones are added to).
pub(crate) async fn import_slugs(
    stored: &mut dyn StoredSlugs,
    chunk: &[NgoRecord],
    known: &HashMap<String, String>,
    given: &mut HashSet<String>,
) -> Result<Vec<String>, StoreError> {
    let own: Vec<&str> = chunk.iter().map(|ngo| ngo.slug.as_str()).collect();
    let mut taken = stored.stored_slugs(&own).await?;
    let mut slugs = Vec::with_capacity(chunk.len());
    for ngo in chunk {
        if let Some(slug) = ngo.eik.as_ref().and_then(|eik| known.get(eik)) {
            slugs.push(slug.clone());
            continue;
        }
        let mut slug = ngo.slug.to_string();
        // Rare (two NGOs of one name): a query a number tried.
        for number in 2.. {
            if !taken.contains(&slug) && !given.contains(&slug) {
                break;
            }
            slug = ngo.slug.numbered(number).to_string();
            taken.extend(stored.stored_slugs(&[slug.as_str()]).await?);
        }
        given.insert(slug.clone());
        slugs.push(slug);
    }
    Ok(slugs)
}

/// A replaced logo's image, now shown nowhere: its key and widths, for its files to be removed.
pub(crate) fn forgotten_logo(key: String, widths: Option<&str>) -> Result<(String, Vec<u32>), StoreError> {
    let widths = widths
        .and_then(rows::parse_widths)
        .ok_or_else(|| StoreError::Corrupt(format!("image {key}: widths")))?;
    Ok((key, widths))
}

/// The audit entry of an import: how many NGOs it added and updated.
pub(crate) fn import_entry(actor: &super::Actor, now: i64, created: u64, updated: u64) -> AuditEntry {
    AuditEntry {
        at: now,
        actor: actor.clone(),
        action: "ngo.import",
        entity: "ngo",
        entity_id: String::new(),
        before: None,
        after: Some(serde_json::json!({ "created": created, "updated": updated })),
    }
}

/// The audit entry of a logo change of the NGO of `slug`: the logo's key before and after.
pub(crate) fn logo_entry(
    actor: &super::Actor,
    now: i64,
    slug: &Slug,
    before: Option<&str>,
    after: Option<&super::ImageRecord>,
) -> AuditEntry {
    AuditEntry {
        at: now,
        actor: actor.clone(),
        action: "ngo.logo",
        entity: "ngo",
        entity_id: slug.to_string(),
        before: Some(serde_json::json!({ "logo": before })),
        after: Some(serde_json::json!({ "logo": after.map(|image| image.key.as_str()) })),
    }
}

#[async_trait]
pub trait NgoStore: Send + Sync {
    /// Creates or updates the records by slug, in one transaction; returns how many were written.
    async fn upsert_ngos(&self, ngos: &[NgoRecord]) -> Result<u64, StoreError>;
    /// Whether some NGO was stored before the directory knew its details (a database from
    /// before the directory): the demo seeding completes them.
    async fn ngos_missing_details(&self) -> Result<bool, StoreError>;
    /// Every NGO's slug and names (`slug`, `name_bg`, `name_en`, city of the first seed).
    async fn ngo_slugs(&self) -> Result<Vec<(String, String, String, String)>, StoreError>;
    /// Every NGO as the directory's index holds it, in name order.
    async fn directory_index_rows(&self) -> Result<Vec<NgoIndexRow>, StoreError>;
    /// The NGOs of `ids`, in that order.
    async fn ngos_by_ids(&self, ids: &[i64]) -> Result<Vec<(i64, NgoRecord)>, StoreError>;
    /// One page of the NGOs matching a search and the filters, best match first.
    async fn ranked_ngos(&self, query: &DirectoryQuery) -> Result<Vec<(i64, NgoRecord)>, StoreError>;
    async fn ngo(&self, slug: &Slug) -> Result<Option<(i64, NgoRecord)>, StoreError>;
    /// Stores `ngos` matched by their ЕИК, all or none (one transaction): an NGO with the same
    /// ЕИК is updated (keeping its address), another is added under its slug, numbered
    /// (`-2`, `-3`, …, [`Slug::numbered`]) when another NGO has that slug. The caller gives
    /// each ЕИК once. Returns how many were added and updated. Audited as `ngo.import` by
    /// `actor` at `now`, with the counts. `progress` is told how many rows are written so
    /// far, after each batch of them.
    async fn import_ngos(
        &self,
        ngos: &[NgoRecord],
        actor: &super::Actor,
        now: i64,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<(u64, u64), StoreError>;
    /// Makes `image` (its files stored, its record not yet) the logo of the NGO of `slug`, or
    /// leaves it without one (`None`), in one transaction audited as `ngo.logo` by `actor` at
    /// `now`. The logo it had is forgotten when nothing else shows it: its files are then
    /// the caller's to remove. `None` when no NGO has the slug (then nothing is stored).
    async fn set_ngo_logo(
        &self,
        slug: &Slug,
        image: Option<&super::ImageRecord>,
        actor: &super::Actor,
        now: i64,
    ) -> Result<Option<LogoChange>, StoreError>;
    /// Every NGO, by name.
    async fn all_ngos(&self) -> Result<Vec<NgoRecord>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(founded: Option<i64>) -> NgoRow {
        NgoRow {
            id: 7,
            slug: "zeleni-rodopi".into(),
            name_bg: "Сдружение „Зелени Родопи“".into(),
            name_en: String::new(),
            legal_form: "association".into(),
            eik: None,
            region: "smolyan".into(),
            municipality: "Смолян".into(),
            description_bg: String::new(),
            description_en: String::new(),
            website: None,
            email: None,
            phone: None,
            address: String::new(),
            founded,
            status: "active".into(),
            public_benefit: false,
            logo_key: None,
            logo_width: None,
            logo_height: None,
            logo_widths: None,
        }
    }

    #[test]
    fn a_founding_year_that_is_no_year_is_corrupt_not_dropped() {
        let (_, ngo) = row(Some(1998)).into_record(Vec::new()).unwrap();
        assert_eq!(ngo.founded, Some(1998));
        assert!(
            matches!(row(Some(70_000)).into_record(Vec::new()), Err(StoreError::Corrupt(m)) if m.contains("founded"))
        );
        assert!(matches!(
            row(Some(-1)).into_record(Vec::new()),
            Err(StoreError::Corrupt(_))
        ));
        let half_logo = NgoRow {
            logo_key: Some("abc".into()),
            ..row(None)
        };
        assert!(matches!(half_logo.into_record(Vec::new()), Err(StoreError::Corrupt(_))));
    }

    #[test]
    fn fields_keep_their_order_and_an_unknown_one_is_corrupt() {
        let pairs = vec![
            (1, "health".to_owned()),
            (2, "culture".to_owned()),
            (1, "education".to_owned()),
        ];
        let fields = fields_by_ngo(pairs).unwrap();
        assert_eq!(fields[&1], [Field::Health, Field::Education]);
        assert!(fields_by_ngo(vec![(1, "astrology".to_owned())]).is_err());
        assert!(forgotten_logo("k".into(), Some("480,960")).is_ok());
        assert!(forgotten_logo("k".into(), Some("480,wide")).is_err());
    }

    #[test]
    fn names_sort_without_their_legal_form() {
        assert_eq!(sort_name("Сдружение „Зелени Родопи“"), "зелени родопи");
        assert_eq!(sort_name("Център за правна подкрепа"), "център за правна подкрепа");
    }
}
