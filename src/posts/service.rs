//! The post pages' use cases over the store: lists, a post with its related posts and events.
use super::model::{PostList, PostPageData};
use crate::cards::PostCard;
use crate::cards::build::post_card;
use crate::domain::{Lang, PageNumber, Slug};
use crate::error::AppError;
use crate::related;
use crate::server::markdown;
use crate::server::store::{PostFilter, Store};
use crate::server::time::now;

pub async fn latest(store: &dyn Store, lang: Lang, count: u32) -> Result<Vec<PostCard>, AppError> {
    let filter = PostFilter {
        category: None,
        now: now(),
        limit: count,
        offset: 0,
    };
    Ok(store.posts(lang, &filter).await?.iter().map(post_card).collect())
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
        now: now(),
        limit: page_size,
        offset: page.offset(page_size),
    };
    let total = store.count_posts(category, filter.now).await?;
    let posts = store.posts(lang, &filter).await?;
    Ok(PostList {
        posts: posts.iter().map(post_card).collect(),
        categories: store.categories(lang).await?,
        page: page.get(),
        total_pages: crate::domain::PageNumber::count(total, page_size),
    })
}

/// A public post with its related posts and events. A slug the post had before answers
/// [`AppError::Moved`] to its current address.
pub async fn page(store: &dyn Store, lang: Lang, slug: &Slug) -> Result<PostPageData, AppError> {
    let corpus = store.posts(lang, &PostFilter::everything(now())).await?;
    let Some(post) = corpus.iter().find(|p| &p.slug == slug) else {
        return match store.moved_post(slug).await? {
            Some(current) if corpus.iter().any(|p| p.slug == current) => Err(AppError::Moved {
                path: format!("posts/{current}"),
            }),
            _ => Err(AppError::NotFound),
        };
    };
    let related = related::related_posts(&corpus, &related::post_doc(post), related::RELATED_POSTS);
    let related_events = related::related_events(store, lang, &corpus, post).await?;
    Ok(PostPageData {
        card: post_card(post),
        body_html: markdown::to_safe_html(&post.body_md),
        tags: post.tags.clone(),
        author: post.author.clone(),
        languages: if post.translated {
            Lang::ALL.to_vec()
        } else {
            vec![post.lang]
        },
        related,
        related_events,
    })
}
