//! What the post editor loads and sends: a post in both languages, its status and its cover.
use crate::domain::{Lang, LocalDateTime};
use serde::{Deserialize, Serialize};

/// One language of a post as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PostText {
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
}

impl PostText {
    /// Nothing typed: the post is not written in this language.
    pub fn is_blank(&self) -> bool {
        self.title.trim().is_empty() && self.summary.trim().is_empty() && self.body.trim().is_empty()
    }
}

/// Where a post stands, as the editor chooses it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PostStatus {
    /// Seen only here.
    #[default]
    Draft,
    /// On the public site (from its date on).
    Published,
    /// Published at a time still ahead.
    Scheduled,
}

impl PostStatus {
    pub const ALL: [PostStatus; 3] = [PostStatus::Draft, PostStatus::Published, PostStatus::Scheduled];

    pub fn as_str(self) -> &'static str {
        match self {
            PostStatus::Draft => "draft",
            PostStatus::Published => "published",
            PostStatus::Scheduled => "scheduled",
        }
    }

    pub fn parse(raw: &str) -> Option<PostStatus> {
        PostStatus::ALL.into_iter().find(|status| status.as_str() == raw)
    }
}

/// The cover photo chosen for a post, with what it shows in words (required in both languages).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CoverDraft {
    pub image_id: i64,
    pub alt_bg: String,
    pub alt_en: String,
}

/// A post as the editor's form holds it. A field left out is empty (a form without it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PostDraft {
    /// `None` until first saved.
    pub id: Option<i64>,
    pub slug: String,
    pub bg: PostText,
    pub en: PostText,
    /// The slug of an existing category; empty when `new_category` names one.
    pub category: String,
    pub new_category: String,
    /// Tag names, separated by commas; new names make new tags.
    pub tags: String,
    pub status: PostStatus,
    /// Sofia wall-clock time, `YYYY-MM-DDTHH:MM` (as `<input type="datetime-local">` writes it).
    /// Empty: now, when published.
    pub publish_at: String,
    pub cover: Option<CoverDraft>,
}

impl PostDraft {
    pub fn text(&self, lang: Lang) -> &PostText {
        match lang {
            Lang::Bg => &self.bg,
            Lang::En => &self.en,
        }
    }
}

/// A category to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryOption {
    pub slug: String,
    pub name: String,
}

/// Everything the editor page needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostEditorData {
    pub draft: PostDraft,
    pub categories: Vec<CategoryOption>,
    /// Existing tags' names, suggested as the editor types.
    pub tags: Vec<String>,
    /// The cover's picture as the editor shows it.
    pub cover_src: Option<String>,
    /// Whether the post is on the public site now.
    pub public: bool,
}

/// The answer to a save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedPost {
    pub id: i64,
    pub slug: String,
    pub public: bool,
}

/// A post in the editor's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminPostRow {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub status: PostStatus,
    pub date: LocalDateTime,
    pub langs: Vec<Lang>,
}

/// One page of the editor's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminPostList {
    pub posts: Vec<AdminPostRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// An uploaded picture, ready to be a cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedImage {
    pub id: i64,
    pub src: String,
    pub width: u32,
    pub height: u32,
}
