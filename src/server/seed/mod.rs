//! Demo content written for the portal (posts in BG and EN, categories, tags, NGO records),
//! stored on first start so that a new installation shows a living site.
use crate::domain::Lang;
use serde::Deserialize;

const DEMO_JSON: &str = include_str!("demo.json");

#[derive(Debug, Deserialize)]
pub struct SeedContent {
    pub categories: Vec<NamedSeed>,
    pub tags: Vec<NamedSeed>,
    pub posts: Vec<PostSeed>,
    pub ngos: Vec<NgoSeed>,
}

/// A slug with its Bulgarian and English names.
#[derive(Debug, Deserialize)]
pub struct NamedSeed {
    pub slug: String,
    pub bg: String,
    pub en: String,
}

#[derive(Debug, Deserialize)]
pub struct PostSeed {
    pub slug: String,
    pub category: String,
    pub tags: Vec<String>,
    /// RFC 3339, e.g. `2024-03-11T09:00:00+02:00`.
    pub published_at: String,
    pub bg: Option<PostText>,
    pub en: Option<PostText>,
}

#[derive(Debug, Deserialize)]
pub struct PostText {
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
}

#[derive(Debug, Deserialize)]
pub struct NgoSeed {
    pub slug: String,
    pub bg: String,
    pub en: String,
    pub city: String,
}

impl SeedContent {
    pub fn demo() -> Result<SeedContent, serde_json::Error> {
        serde_json::from_str(DEMO_JSON)
    }
}

impl PostSeed {
    pub fn translation(&self, lang: Lang) -> Option<&PostText> {
        match lang {
            Lang::Bg => self.bg.as_ref(),
            Lang::En => self.en.as_ref(),
        }
    }

    /// The publication instant in Unix seconds; the demo file is checked by a test, so an
    /// unparsable date cannot ship.
    pub fn published_at_unix(&self) -> i64 {
        chrono::DateTime::parse_from_rfc3339(&self.published_at).map_or(0, |d| d.timestamp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Slug;
    use std::collections::HashSet;

    #[test]
    fn demo_content_is_complete_and_consistent() {
        let seed = SeedContent::demo().expect("demo.json parses");
        assert!(seed.posts.len() >= 10, "at least ten demo posts");
        let categories: HashSet<&str> = seed.categories.iter().map(|c| c.slug.as_str()).collect();
        let tags: HashSet<&str> = seed.tags.iter().map(|t| t.slug.as_str()).collect();
        let mut slugs = HashSet::new();
        for post in &seed.posts {
            assert!(
                post.slug.parse::<Slug>().is_ok(),
                "{} is a valid slug",
                post.slug
            );
            assert!(slugs.insert(post.slug.as_str()), "{} is unique", post.slug);
            assert!(
                categories.contains(post.category.as_str()),
                "{}: category",
                post.slug
            );
            assert!(
                post.tags.iter().all(|t| tags.contains(t.as_str())),
                "{}: tags",
                post.slug
            );
            assert!(
                chrono::DateTime::parse_from_rfc3339(&post.published_at).is_ok(),
                "{}: date",
                post.slug
            );
            for lang in Lang::ALL {
                let text = post
                    .translation(lang)
                    .unwrap_or_else(|| panic!("{} in {lang}", post.slug));
                assert!(
                    !text.title.is_empty() && !text.summary.is_empty() && text.body.len() > 400,
                    "{} in {lang}",
                    post.slug
                );
            }
        }
        assert!(!seed.ngos.is_empty());
        for named in seed.categories.iter().chain(&seed.tags) {
            assert!(named.slug.parse::<Slug>().is_ok(), "{}", named.slug);
        }
    }
}
