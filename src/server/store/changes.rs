//! Telling the other app instances on the same database that pages changed, so that each
//! forgets its cached pages at once rather than after their TTL.
use super::StoreError;
use async_trait::async_trait;

/// What changed on one instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// What pages show (seats after a registration).
    Pages,
    /// Content (posts, events, NGOs): pages and what is derived from content.
    Content,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Pages => "pages",
            Change::Content => "content",
        }
    }

    pub fn parse(text: &str) -> Option<Change> {
        match text {
            "pages" => Some(Change::Pages),
            "content" => Some(Change::Content),
            _ => None,
        }
    }
}

/// The other instances' changes as they are heard; `Content` also after a gap in which some
/// may have been missed (a lost connection).
pub type Heard = tokio::sync::mpsc::Receiver<Change>;

#[async_trait]
pub trait ChangeFeed: Send + Sync {
    /// Tells the other instances on this database about a change made here.
    async fn announce(&self, change: Change) -> Result<(), StoreError>;
    /// Starts hearing the other instances; `None` when the engine has none to hear (SQLite:
    /// one machine, where the pages' short TTL covers a second process).
    async fn listen(&self) -> Result<Option<Heard>, StoreError>;
}
