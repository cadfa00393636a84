//! The post pages' use cases over the store: cards, lists, a post with its related posts.
use super::markdown;
use super::model::{Cover, PostCard, PostList, PostPageData};
use super::related::{self, RelatedDoc};
use crate::domain::{Lang, PageNumber, Slug, excerpt};
use crate::error::AppError;
use crate::server::store::{PostFilter, PostRecord, Store};
use crate::server::time::sofia_date;

/// Longest excerpt on a card, in characters.
const EXCERPT_CHARS: usize = 160;
/// How many related posts a post page shows.
pub const RELATED_POSTS: usize = 3;

pub fn card(record: &PostRecord) -> PostCard {
    PostCard {
        slug: record.slug.clone(),
        title: record.title.clone(),
        excerpt: excerpt(&record.summary, EXCERPT_CHARS),
        published: sofia_date(record.published_at),
        category: record.category.clone(),
        cover: Cover::generated(&record.slug),
    }
}

pub async fn latest(store: &dyn Store, lang: Lang, count: u32) -> Result<Vec<PostCard>, AppError> {
    let filter = PostFilter {
        category: None,
        limit: count,
        offset: 0,
    };
    Ok(store.posts(lang, &filter).await?.iter().map(card).collect())
}

pub async fn list(
    store: &dyn Store,
    lang: Lang,
    category: Option<&Slug>,
    page: PageNumber,
    page_size: u32,
) -> Result<PostList, AppError> {
    let filter = PostFilter {
        category: category.cloned(),
        limit: page_size,
        offset: page.offset(page_size),
    };
    let total = store.count_posts(lang, category).await?;
    let posts = store.posts(lang, &filter).await?;
    Ok(PostList {
        posts: posts.iter().map(card).collect(),
        categories: store.categories(lang).await?,
        page: page.get(),
        total_pages: u32::try_from(total.div_ceil(u64::from(page_size)))
            .unwrap_or(u32::MAX)
            .max(1),
    })
}

/// The posts of `corpus` most related to `doc` (which may be a post of the corpus or, with an
/// id outside it, another item such as an event), as cards.
pub fn related_to(corpus: &[PostRecord], doc: &RelatedDoc, count: usize) -> Vec<PostCard> {
    let mut docs: Vec<RelatedDoc> = corpus.iter().filter(|p| p.id != doc.id).map(related_doc).collect();
    docs.push(doc.clone());
    related::most_related(&docs, doc.id, count)
        .into_iter()
        .filter_map(|id| corpus.iter().find(|p| p.id == id))
        .map(card)
        .collect()
}

pub async fn page(store: &dyn Store, lang: Lang, slug: &Slug) -> Result<PostPageData, AppError> {
    let corpus = store.posts(lang, &PostFilter::everything()).await?;
    let post = corpus.iter().find(|p| &p.slug == slug).ok_or(AppError::NotFound)?;
    let related = related_to(&corpus, &related_doc(post), RELATED_POSTS);
    let related_events = crate::events::service::related_to_post(store, lang, &corpus, post).await?;
    Ok(PostPageData {
        card: card(post),
        body_html: markdown::to_safe_html(&post.body_md),
        tags: post.tags.clone(),
        related,
        related_events,
    })
}

pub fn related_doc(record: &PostRecord) -> RelatedDoc {
    RelatedDoc {
        id: record.id,
        category: record.category.slug.to_string(),
        tags: record.tags.iter().map(|t| t.slug.to_string()).collect(),
        title: record.title.clone(),
        body: markdown::plain_text(&record.body_md),
        published_at: record.published_at,
    }
}
