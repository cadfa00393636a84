//! The store: every read and write of portal data goes through [`Store`]. SQLite is the
//! embedded default; PostgreSQL joins behind the same trait.
mod sqlite;

use super::seed::SeedContent;
use crate::domain::{Lang, Slug};
use crate::error::AppError;
use crate::posts::model::{Category, Tag};
use async_trait::async_trait;
use std::sync::Arc;

pub use sqlite::SqliteStore;

/// A post in one language, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRecord {
    pub id: i64,
    pub slug: Slug,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub category: Category,
    pub tags: Vec<Tag>,
    /// Unix seconds, UTC.
    pub published_at: i64,
}

/// Which posts to read, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostFilter {
    pub category: Option<Slug>,
    pub limit: u32,
    pub offset: u32,
}

impl PostFilter {
    /// All posts of a language (the relatedness corpus).
    pub fn everything() -> PostFilter {
        PostFilter {
            category: None,
            limit: u32::MAX,
            offset: 0,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("unsupported DATABASE_URL scheme (expected sqlite:)")]
    UnsupportedUrl,
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        tracing::error!(%error, "store failure");
        AppError::Internal
    }
}

#[async_trait]
pub trait Store: Send + Sync {
    async fn ngo_count(&self) -> Result<u64, StoreError>;
    async fn categories(&self, lang: Lang) -> Result<Vec<Category>, StoreError>;
    async fn posts(&self, lang: Lang, filter: &PostFilter) -> Result<Vec<PostRecord>, StoreError>;
    async fn count_posts(&self, lang: Lang, category: Option<&Slug>) -> Result<u64, StoreError>;
    /// True when no content has been stored yet (first start).
    async fn is_empty(&self) -> Result<bool, StoreError>;
    /// Stores `content` in one transaction.
    async fn insert_content(&self, content: &SeedContent) -> Result<(), StoreError>;
}

/// Opens the store named by `database_url` and brings its schema up to date.
pub async fn connect(database_url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if database_url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(database_url).await?))
    } else {
        Err(StoreError::UnsupportedUrl)
    }
}

pub(crate) fn parse_slug(raw: String) -> Result<Slug, StoreError> {
    raw.parse()
        .map_err(|_| StoreError::Corrupt(format!("invalid slug {raw:?}")))
}
