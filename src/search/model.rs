//! What the site search shows: results of three kinds with their matched words marked.
use crate::domain::{Lang, LocalDate, LocalDateTime};
use serde::{Deserialize, Serialize};

/// A run of text, marked when it is a word the search matched. Text, never markup: the page
/// renders it as text, so nothing a record holds can become HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marked {
    pub text: String,
    pub hit: bool,
}

/// A post, event or NGO found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResult {
    /// `posts`, `events` or `ngos`: the type badge and the first part of its address.
    pub kind: String,
    pub slug: String,
    /// The language of the title and snippet (another than the page's when untranslated).
    pub lang: Lang,
    pub title: Vec<Marked>,
    pub snippet: Vec<Marked>,
    pub published: Option<LocalDate>,
    pub starts: Option<LocalDateTime>,
    /// An event's venue or an NGO's municipality.
    pub place: String,
}

/// A kind of result and how many there are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCount {
    pub kind: String,
    pub count: u64,
}

/// One page of the site search.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SearchData {
    /// The words as searched (trimmed); empty before a search.
    pub q: String,
    /// The kind shown (`posts`, `events`, `ngos`), empty for all.
    pub kind: String,
    pub results: Vec<SearchResult>,
    /// Every kind, in a fixed order, with its count for the words.
    pub counts: Vec<KindCount>,
    /// Results of the kind shown (all kinds when `kind` is empty).
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    /// Words of the index also searched for a word that matched nothing as typed („работилница“
    /// for „рабтилница“).
    pub also_searched: Vec<String>,
    /// No result had every word: these have some of them.
    pub some_words: bool,
}
