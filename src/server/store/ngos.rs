//! The NGO directory as the store keeps it: records, the directory's query with its facet
//! counts, and a profile.
use super::StoreError;
use crate::domain::{Field, LegalForm, NgoStatus, Slug, transliterate};
use async_trait::async_trait;

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
    /// An FTS5 query already built from the visitor's words (`ngos::service::fts_query`).
    pub search: String,
    pub region: Option<String>,
    pub field: Option<Field>,
    pub legal_form: Option<LegalForm>,
    pub limit: u32,
    pub offset: u32,
}

/// What the directory's index in memory holds of an NGO (`ngos::index`).
#[derive(Debug, Clone, PartialEq, Eq)]
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

    #[test]
    fn names_sort_without_their_legal_form() {
        assert_eq!(sort_name("Сдружение „Зелени Родопи“"), "зелени родопи");
        assert_eq!(sort_name("Център за правна подкрепа"), "център за правна подкрепа");
    }
}
