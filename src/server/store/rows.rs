//! Reading stored values back into Rust types, the same way for every engine: a value that does
//! not fit its type is reported as corrupt data, never clamped to a default.
use super::{CoverImage, PostRecord, StoreError, parse_slug};
use crate::domain::{Category, Lang, Tag};
use sqlx::FromRow;

/// An integer column as the type the records use (`u32` seats, `u8` ages …).
pub(crate) fn int<T: TryFrom<i64>>(value: i64, what: impl FnOnce() -> String) -> Result<T, StoreError> {
    T::try_from(value).map_err(|_| StoreError::Corrupt(format!("{}: {value} out of range", what())))
}

/// A count (`COUNT(*)`, a length) as an unsigned number.
pub(crate) fn count(value: i64) -> Result<u64, StoreError> {
    int(value, || "count".to_owned())
}

pub(crate) fn lang(raw: &str, what: impl FnOnce() -> String) -> Result<Lang, StoreError> {
    raw.parse()
        .map_err(|_| StoreError::Corrupt(format!("{}: language {raw:?}", what())))
}

/// A length or position for an integer column.
pub(crate) fn to_i64(value: usize) -> i64 {
    // No list the portal stores comes near 2^63 items.
    i64::try_from(value).unwrap_or(i64::MAX)
}

#[derive(FromRow)]
pub(crate) struct PostRow {
    pub(crate) id: i64,
    pub(crate) slug: String,
    pub(crate) text_lang: String,
    pub(crate) translations: i64,
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) body_md: String,
    pub(crate) category_slug: String,
    pub(crate) category_name: String,
    pub(crate) published_at: i64,
    #[sqlx(flatten)]
    pub(crate) cover: CoverColumns,
    pub(crate) author_name: String,
}

impl PostRow {
    pub(crate) fn into_record(self, tags: Vec<Tag>) -> Result<PostRecord, StoreError> {
        Ok(PostRecord {
            cover: self.cover.cover()?,
            lang: lang(&self.text_lang, || format!("post {}", self.id))?,
            id: self.id,
            slug: parse_slug(self.slug)?,
            translated: self.translations > 1,
            title: self.title,
            summary: self.summary,
            body_md: self.body_md,
            category: Category {
                slug: parse_slug(self.category_slug)?,
                name: self.category_name,
            },
            tags,
            published_at: self.published_at,
            author: self.author_name,
        })
    }
}

/// An uploaded cover photo's columns, as each engine's `COVER_COLUMNS` selects them from `images i`.
#[derive(FromRow)]
pub(crate) struct CoverColumns {
    cover_key: Option<String>,
    cover_width: Option<i64>,
    cover_height: Option<i64>,
    cover_widths: Option<String>,
    cover_alt: Option<String>,
}

/// An image's `widths` column (`480,960,1600`); `None` when it is not that.
pub(crate) fn parse_widths(text: &str) -> Option<Vec<u32>> {
    text.split(',').map(str::parse).collect::<Result<_, _>>().ok()
}

impl CoverColumns {
    /// `None` when there is no cover; an image row whose sizes do not read is corrupt.
    pub(crate) fn cover(&self) -> Result<Option<CoverImage>, StoreError> {
        let Some(key) = self.cover_key.clone() else {
            return Ok(None);
        };
        let corrupt = || StoreError::Corrupt(format!("image {key}: sizes"));
        let (Some(width), Some(height), Some(widths)) = (self.cover_width, self.cover_height, &self.cover_widths)
        else {
            return Err(corrupt());
        };
        Ok(Some(CoverImage {
            width: int(width, || format!("image {key}: width"))?,
            height: int(height, || format!("image {key}: height"))?,
            widths: parse_widths(widths).ok_or_else(corrupt)?,
            alt: self.cover_alt.clone().unwrap_or_default(),
            key,
        }))
    }
}

#[derive(FromRow)]
pub(crate) struct TagRow {
    pub(crate) post_id: i64,
    pub(crate) slug: String,
    pub(crate) name: String,
}

#[derive(FromRow)]
pub(crate) struct CategoryRow {
    pub(crate) slug: String,
    pub(crate) name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_values_are_corrupt_not_clamped() {
        assert_eq!(int::<u8>(7, || "age".into()).unwrap(), 7);
        assert!(matches!(int::<u8>(300, || "age".into()), Err(StoreError::Corrupt(m)) if m.contains("age")));
        assert!(matches!(
            int::<u32>(-1, || "capacity".into()),
            Err(StoreError::Corrupt(_))
        ));
        assert!(count(-5).is_err());
        assert!(lang("de", || "post 1".into()).is_err());
        assert_eq!(lang("en", || "post 1".into()).unwrap(), Lang::En);
    }
}
