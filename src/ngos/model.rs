//! What the directory's pages show: NGO cards, the filters with their counts, a profile.
use crate::cards::{EventCard, PostCard};
use crate::domain::{Field, LegalForm, NgoStatus};
use serde::{Deserialize, Serialize};

/// An NGO in the directory's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NgoCard {
    pub slug: String,
    /// In the page's language when the NGO has such a name, else in Bulgarian.
    pub name: String,
    pub legal_form: LegalForm,
    /// A `domain::REGIONS` code.
    pub region: String,
    pub municipality: String,
    pub fields: Vec<Field>,
    pub status: NgoStatus,
    pub public_benefit: bool,
}

/// A choice of a filter and how many NGOs it would show with the other filters as they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub code: String,
    pub count: u64,
}

/// The directory's filters as the page's address has them (invalid ones dropped).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryFilters {
    pub q: String,
    pub region: String,
    pub field: String,
    pub form: String,
    /// `""` (relevance or name), `name`, `founded`.
    pub sort: String,
}

/// One page of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryData {
    pub filters: DirectoryFilters,
    pub ngos: Vec<NgoCard>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    /// Every oblast, in the order of `domain::REGIONS`.
    pub regions: Vec<Choice>,
    pub fields: Vec<Choice>,
    pub legal_forms: Vec<Choice>,
}

/// An NGO's profile page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NgoProfile {
    pub card: NgoCard,
    /// The other language's name (empty when the same or none).
    pub other_name: String,
    pub eik: Option<String>,
    pub description: String,
    /// `https:` only.
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: String,
    pub founded: Option<u16>,
    pub events: Vec<EventCard>,
    pub posts: Vec<PostCard>,
}
