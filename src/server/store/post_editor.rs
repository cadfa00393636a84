//! Posts as the editor writes them: both translations, status, category, tags, cover, and the
//! slugs a post had before. Saving is one transaction with its audit entry.
use super::{Actor, StoreError, parse_slug, rows};
use crate::domain::{Lang, Slug, slug_of_title};
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

// What both engines read of posts for the editor, and the rules they apply to it.

/// A post in the editor's list as stored: its light columns and both titles.
#[derive(sqlx::FromRow)]
pub(crate) struct PostListRow {
    pub(crate) id: i64,
    pub(crate) slug: String,
    pub(crate) status: String,
    pub(crate) published_at: i64,
    pub(crate) updated_at: i64,
    pub(crate) title_bg: Option<String>,
    pub(crate) title_en: Option<String>,
}

impl PostState {
    pub(crate) fn at(draft: bool, published_at: i64, now: i64) -> PostState {
        if draft {
            PostState::Draft
        } else if published_at > now {
            PostState::Scheduled
        } else {
            PostState::Published
        }
    }
}

/// The lower-cased words of an editor's list search.
pub(crate) fn search_words(search: &str) -> Vec<String> {
    search.to_lowercase().split_whitespace().map(str::to_owned).collect()
}

/// Whether every word is in the slug or a title. Compared in Rust, where Cyrillic
/// lower-casing is right whatever the engine (SQLite's `lower` knows ASCII only).
pub(crate) fn matches_words(words: &[String], slug: &str, title_bg: Option<&str>, title_en: Option<&str>) -> bool {
    let haystack = format!(
        "{slug} {} {}",
        title_bg.unwrap_or_default(),
        title_en.unwrap_or_default()
    )
    .to_lowercase();
    words.iter().all(|word| haystack.contains(word.as_str()))
}

/// The languages a row has a title in, and its title in `lang` (else the other).
pub(crate) fn titles(lang: Lang, title_bg: Option<String>, title_en: Option<String>) -> (Vec<Lang>, String) {
    let langs = [(Lang::Bg, &title_bg), (Lang::En, &title_en)]
        .into_iter()
        .filter(|(_, title)| title.is_some())
        .map(|(lang, _)| lang)
        .collect();
    let (mine, other) = match lang {
        Lang::Bg => (title_bg, title_en),
        Lang::En => (title_en, title_bg),
    };
    (langs, mine.or(other).unwrap_or_default())
}

/// The page of `rows` (every post, newest first) that `query` asks for, and how many match.
pub(crate) fn admin_post_page(
    rows: Vec<PostListRow>,
    query: &AdminPostQuery,
) -> Result<(Vec<AdminPostRecord>, u64), StoreError> {
    let words = search_words(&query.search);
    let matching: Vec<PostListRow> = rows
        .into_iter()
        .filter(|row| {
            let state = PostState::at(row.status == "draft", row.published_at, query.now);
            query.status.is_none_or(|wanted| wanted == state)
        })
        .filter(|row| matches_words(&words, &row.slug, row.title_bg.as_deref(), row.title_en.as_deref()))
        .collect();
    let total = rows::count(rows::to_i64(matching.len()))?;
    let page = matching
        .into_iter()
        .skip(query.offset as usize)
        .take(query.limit as usize)
        .map(|row| {
            let (langs, title) = titles(query.lang, row.title_bg, row.title_en);
            Ok(AdminPostRecord {
                id: row.id,
                slug: parse_slug(row.slug)?,
                title,
                draft: row.status == "draft",
                published_at: row.published_at,
                updated_at: row.updated_at,
                langs,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((page, total))
}

/// A post's own columns as the editor loads them.
#[derive(sqlx::FromRow)]
pub(crate) struct EditorPostRow {
    pub(crate) slug: String,
    pub(crate) status: String,
    pub(crate) published_at: i64,
    pub(crate) category_slug: String,
    pub(crate) cover_image_id: Option<i64>,
    pub(crate) alt_bg: Option<String>,
    pub(crate) alt_en: Option<String>,
    pub(crate) author_name: String,
}

impl EditorPostRow {
    pub(crate) fn into_editable(
        self,
        id: i64,
        texts: Vec<PostTextRecord>,
        tags: Vec<String>,
    ) -> Result<EditablePost, StoreError> {
        Ok(EditablePost {
            id: Some(id),
            slug: parse_slug(self.slug)?,
            texts,
            category: CategoryChoice::Existing(parse_slug(self.category_slug)?),
            tags,
            draft: self.status == "draft",
            published_at: self.published_at,
            cover: self.cover_image_id.map(|image_id| CoverRecord {
                image_id,
                alt_bg: self.alt_bg.unwrap_or_default(),
                alt_en: self.alt_en.unwrap_or_default(),
            }),
            author: Some(self.author_name),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PostTextRow {
    pub(crate) lang: String,
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) body_md: String,
}

impl PostTextRow {
    pub(crate) fn into_record(self, post_id: i64) -> Result<PostTextRecord, StoreError> {
        Ok(PostTextRecord {
            lang: rows::lang(&self.lang, || format!("post {post_id}"))?,
            title: self.title,
            summary: self.summary,
            body_md: self.body_md,
        })
    }
}

/// What a post's or event's record looks like in the audit log.
pub(crate) fn audit_json<T: Serialize>(value: Option<&T>) -> Option<serde_json::Value> {
    value.and_then(|value| serde_json::to_value(value).ok())
}

/// A tag as stored, by one of its names.
#[derive(sqlx::FromRow)]
pub(crate) struct KnownTag {
    pub(crate) id: i64,
    pub(crate) slug: String,
    pub(crate) name: String,
}

/// A tag an editor named that no tag has yet: made with this slug and the name as typed.
pub(crate) struct NewTag {
    pub(crate) slug: Slug,
    pub(crate) name: String,
}

/// Which of the tags named exist (`known`, by any of their names or their slug) and which
/// are to be made (`new`, one per slug, in slug order: engines that lock what they insert
/// take the locks in one order).
pub(crate) struct TagPlan {
    pub(crate) known: Vec<i64>,
    pub(crate) new: Vec<NewTag>,
}

/// Plans the tags `names` against the tags stored. A name with no letter or digit has no
/// slug and is skipped (the service refuses it before).
pub(crate) fn plan_tags(known: &[KnownTag], names: &[String]) -> TagPlan {
    let mut plan = TagPlan {
        known: Vec::with_capacity(names.len()),
        new: Vec::new(),
    };
    for name in names {
        let wanted = name.to_lowercase();
        let slug = slug_of_title(name);
        let found = known
            .iter()
            .find(|tag| tag.name.to_lowercase() == wanted || slug.as_ref().is_some_and(|s| s.as_str() == tag.slug))
            .map(|tag| tag.id);
        match (found, slug) {
            (Some(id), _) => {
                if !plan.known.contains(&id) {
                    plan.known.push(id);
                }
            }
            (None, Some(slug)) => {
                if !plan.new.iter().any(|tag| tag.slug == slug) {
                    plan.new.push(NewTag {
                        slug,
                        name: name.clone(),
                    });
                }
            }
            (None, None) => {}
        }
    }
    plan.new.sort_by(|a, b| a.slug.as_str().cmp(b.slug.as_str()));
    plan
}

/// An uploaded image's row.
#[derive(sqlx::FromRow)]
pub(crate) struct ImageRow {
    pub(crate) id: i64,
    pub(crate) key: String,
    pub(crate) width: i64,
    pub(crate) height: i64,
    pub(crate) widths: String,
    pub(crate) alt_bg: String,
    pub(crate) alt_en: String,
}

impl ImageRow {
    pub(crate) fn into_record(self) -> Result<ImageRecord, StoreError> {
        let id = self.id;
        Ok(ImageRecord {
            id,
            width: rows::int(self.width, || format!("image {id}: width"))?,
            height: rows::int(self.height, || format!("image {id}: height"))?,
            widths: rows::parse_widths(&self.widths)
                .ok_or_else(|| StoreError::Corrupt(format!("image {id}: widths")))?,
            key: self.key,
            alt_bg: self.alt_bg,
            alt_en: self.alt_en,
        })
    }
}

/// An image's `widths` column: ascending, comma-separated.
pub(crate) fn widths_column(widths: &[u32]) -> String {
    widths.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(id: i64, slug: &str, name: &str) -> KnownTag {
        KnownTag {
            id,
            slug: slug.to_owned(),
            name: name.to_owned(),
        }
    }

    #[test]
    fn tags_are_found_by_any_name_or_slug_and_new_ones_made_once() {
        let stored = [
            known(1, "art", "Изкуство"),
            known(1, "art", "Art"),
            known(2, "music", "Музика"),
        ];
        let names: Vec<String> = ["art", "ИЗКУСТВО", "Музика", "Танци", "танци", "Games", "!!"]
            .map(str::to_owned)
            .into();
        let plan = plan_tags(&stored, &names);
        assert_eq!(plan.known, vec![1, 2]);
        let new: Vec<&str> = plan.new.iter().map(|tag| tag.slug.as_str()).collect();
        assert_eq!(new, vec!["games", "tantsi"]);
        assert_eq!(plan.new[1].name, "Танци");
    }

    #[test]
    fn a_post_is_scheduled_until_its_date() {
        assert_eq!(PostState::at(true, 0, 10), PostState::Draft);
        assert_eq!(PostState::at(false, 11, 10), PostState::Scheduled);
        assert_eq!(PostState::at(false, 10, 10), PostState::Published);
    }
}
