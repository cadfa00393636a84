//! What the directory's pages show: NGO cards, the filters with their counts, a profile.
use crate::cards::{EventCard, PostCard};
use crate::domain::{Cover, Field, LegalForm, NgoStatus};
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
    /// Its uploaded logo; without one the pages draw its initials ([`monogram`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<Cover>,
}

/// The NGO's initials for its mark when it has no logo: the first letters of the first two
/// words of its name, its legal form and quotes left out (`Сдружение „Зелени Родопи“` → `ЗР`).
pub fn monogram(name: &str) -> String {
    const LEGAL_FORMS: [&str; 8] = [
        "сдружение",
        "фондация",
        "читалище",
        "народно",
        "association",
        "foundation",
        "community",
        "centre",
    ];
    let words: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.chars().next().is_some_and(char::is_alphabetic))
        .collect();
    let named: Vec<&str> = words
        .iter()
        .copied()
        .filter(|word| !LEGAL_FORMS.contains(&word.to_lowercase().as_str()))
        .collect();
    let chosen = if named.is_empty() { &words } else { &named };
    chosen
        .iter()
        .filter(|word| word.chars().count() > 2 || chosen.len() == 1)
        .take(2)
        .filter_map(|word| word.chars().next())
        .flat_map(char::to_uppercase)
        .collect()
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

#[cfg(test)]
mod tests {
    use super::monogram;

    #[test]
    fn a_monogram_leaves_out_the_legal_form_quotes_and_short_words() {
        assert_eq!(monogram("Сдружение „Зелени Родопи“"), "ЗР");
        assert_eq!(monogram("Народно читалище „Просвета 1928“"), "П");
        assert_eq!(monogram("Фондация „Деца на Варна“"), "ДВ");
        assert_eq!(monogram("Green Rhodopes Association"), "GR");
        assert_eq!(monogram("Фондация"), "Ф");
        assert_eq!(monogram("„“ 1928"), "");
    }
}
