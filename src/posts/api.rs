//! Server functions of the post pages: parse the input, ask the post service, return a typed result.
use super::model::{PostList, PostPageData};
use crate::cards::PostCard;
use crate::domain::Lang;
use crate::error::AppError;
use crate::wire::WireJson;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Posts per page of the posts list.
pub const PAGE_SIZE: u32 = 9;
/// Posts on the home page.
pub const HOME_POSTS: u32 = 6;

#[server(prefix = "/api", endpoint = "posts/latest", input = GetUrl, output = WireJson)]
pub async fn latest_posts(lang: Lang) -> Result<Vec<PostCard>, AppError> {
    let state = crate::server::AppState::from_context()?;
    super::service::latest(state.store.as_ref(), lang, HOME_POSTS).await
}

#[server(prefix = "/api", endpoint = "posts/list", input = GetUrl, output = WireJson)]
pub async fn list_posts(lang: Lang, category: Option<String>, page: Option<String>) -> Result<PostList, AppError> {
    let state = crate::server::AppState::from_context()?;
    // A malformed category names no page: 404, like an unknown post.
    let category = category
        .filter(|c| !c.is_empty())
        .map(|c| c.parse::<crate::domain::Slug>().map_err(|_| AppError::NotFound))
        .transpose()?;
    let page = crate::domain::PageNumber::parse(page.as_deref());
    super::service::list(state.store.as_ref(), lang, category.as_ref(), page, PAGE_SIZE).await
}

#[server(prefix = "/api", endpoint = "posts/page", input = GetUrl, output = WireJson)]
pub async fn post_page(lang: Lang, slug: String) -> Result<PostPageData, AppError> {
    let state = crate::server::AppState::from_context()?;
    let slug: crate::domain::Slug = slug.parse().map_err(|_| AppError::NotFound)?;
    super::service::page(state.store.as_ref(), lang, &slug).await
}
