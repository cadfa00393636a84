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
    /// The text of every row a visitor may find (titles and bodies): what the search's
    /// vocabulary of known words is made of, so that it never holds a draft's words.
    async fn visible_search_text(&self, now: i64) -> Result<Vec<String>, StoreError>;
}
