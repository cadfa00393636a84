//! Posts as the editor writes them: both translations, status, category, tags, cover, and the
//! slugs a post had before. Saving is one transaction with its audit entry.
use super::{Actor, StoreError};
use crate::domain::{Lang, Slug};
use async_trait::async_trait;
use serde::Serialize;

/// One language of a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostTextRecord {
    pub lang: Lang,
    pub title: String,
    pub summary: String,
    pub body_md: String,
}

/// The category a saved post goes under: one that exists, or one the editor named just now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryChoice {
    Existing(Slug),
    New { slug: Slug, name: String },
}

/// A post's cover photo with its alternative text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverRecord {
    pub image_id: i64,
    pub alt_bg: String,
    pub alt_en: String,
}

/// A post as the editor loads and saves it (also what the audit log records of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditablePost {
    /// `None` for a new post.
    pub id: Option<i64>,
    pub slug: Slug,
    /// One or both languages.
    pub texts: Vec<PostTextRecord>,
    pub category: CategoryChoice,
    /// Tag names; a name no tag has yet makes a new tag.
    pub tags: Vec<String>,
    /// A draft is never public; a published post is public from `published_at` on.
    pub draft: bool,
    /// Unix seconds, UTC.
    pub published_at: i64,
    pub cover: Option<CoverRecord>,
    /// The author's name as shown; `None` keeps the stored one (an edit).
    pub author: Option<String>,
}

impl EditablePost {
    pub fn text(&self, lang: Lang) -> Option<&PostTextRecord> {
        self.texts.iter().find(|text| text.lang == lang)
    }
}

/// Why a post was not saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveRefusal {
    /// Another post has (or had) this slug.
    SlugTaken,
    UnknownCategory,
    UnknownImage,
    /// The post to update does not exist.
    NotFound,
}

/// A post in the editor's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminPostRecord {
    pub id: i64,
    pub slug: Slug,
    /// In the language asked for, else the other.
    pub title: String,
    pub draft: bool,
    pub published_at: i64,
    pub updated_at: i64,
    pub langs: Vec<Lang>,
}

/// Which posts the editor's list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminPostQuery {
    pub lang: Lang,
    /// Words of the title or the slug.
    pub search: String,
    pub status: Option<PostState>,
    pub now: i64,
    pub limit: u32,
    pub offset: u32,
}

/// Where a post stands for the public site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostState {
    Draft,
    /// Published, its date still ahead.
    Scheduled,
    Published,
}

/// An uploaded image: the sizes stored and its alternative text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRecord {
    pub id: i64,
    pub key: String,
    pub width: u32,
    pub height: u32,
    pub widths: Vec<u32>,
    pub alt_bg: String,
    pub alt_en: String,
}

#[async_trait]
pub trait PostEditorStore: Send + Sync {
    /// A page of posts, newest first, and how many match in all.
    async fn admin_posts(&self, query: &AdminPostQuery) -> Result<(Vec<AdminPostRecord>, u64), StoreError>;
    async fn editable_post(&self, id: i64) -> Result<Option<EditablePost>, StoreError>;
    /// Creates or updates the post, its new category and tags, and the old slug's redirect;
    /// records the change under `actor`. One transaction.
    async fn save_post(
        &self,
        post: &EditablePost,
        now: i64,
        actor: &Actor,
    ) -> Result<Result<i64, SaveRefusal>, StoreError>;
    /// The current slug of the post that had `old` as its slug.
    async fn moved_post(&self, old: &Slug) -> Result<Option<Slug>, StoreError>;
    /// Names of every tag in a language, for the editor's suggestions.
    async fn tag_names(&self, lang: Lang) -> Result<Vec<String>, StoreError>;
    async fn insert_image(&self, image: &ImageRecord, now: i64, actor: &Actor) -> Result<i64, StoreError>;
    async fn image(&self, id: i64) -> Result<Option<ImageRecord>, StoreError>;
    /// The post an import made of a source's post before.
    async fn imported_post(&self, source: &str, source_id: i64) -> Result<Option<i64>, StoreError>;
    async fn record_import(&self, source: &str, source_id: i64, post_id: i64) -> Result<(), StoreError>;
}
