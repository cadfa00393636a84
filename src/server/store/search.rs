//! The site search's reads: one ranked list of posts, events and NGOs matching a full-text
//! query, and the index's words near a mistyped one.
use super::StoreError;
use crate::domain::Lang;
use async_trait::async_trait;

/// What a search result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchKind {
    Post,
    Event,
    Ngo,
}

impl SearchKind {
    pub const ALL: [SearchKind; 3] = [SearchKind::Post, SearchKind::Event, SearchKind::Ngo];

    pub fn code(self) -> &'static str {
        match self {
            SearchKind::Post => "posts",
            SearchKind::Event => "events",
            SearchKind::Ngo => "ngos",
        }
    }

    pub fn parse(code: &str) -> Option<SearchKind> {
        SearchKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSearchQuery {
    /// An FTS5 query made by the search's service (only quoted words and OR/AND).
    pub fts: String,
    /// Posts and events are read in this language when written in it, else in their own.
    pub lang: Lang,
    pub kind: Option<SearchKind>,
    /// Posts published after this (Unix seconds) are not found yet.
    pub now: i64,
    pub limit: u32,
    pub offset: u32,
}

/// A post, event or NGO found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteHit {
    pub kind: SearchKind,
    pub slug: String,
    /// The language of `title` and `text`.
    pub lang: Lang,
    pub title: String,
    /// What a snippet is cut from: a post's summary and body (Markdown), an event's summary,
    /// venue and body, an NGO's description.
    pub text: String,
    /// A post's publication or an event's start (Unix seconds).
    pub when: Option<i64>,
    /// An event's venue or an NGO's municipality.
    pub place: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SiteSearchPage {
    pub hits: Vec<SiteHit>,
    /// How many of each kind match (whatever `kind` asked for).
    pub counts: Vec<(SearchKind, u64)>,
}

#[async_trait]
pub trait SearchStore: Send + Sync {
    async fn site_search(&self, query: &SiteSearchQuery) -> Result<SiteSearchPage, StoreError>;
    /// Whether some word of the index starts with `prefix` (lower case).
    async fn has_term_starting(&self, prefix: &str) -> Result<bool, StoreError>;
    /// The index's words of `lengths` characters that start with `first` (or any letter when
    /// `None`): the candidates for a mistyped word.
    async fn terms_of_length(
        &self,
        first: Option<char>,
        lengths: std::ops::RangeInclusive<usize>,
    ) -> Result<Vec<String>, StoreError>;
}
