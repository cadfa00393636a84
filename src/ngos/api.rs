//! Server functions of the directory: GET, cacheable, the same for the page and the app.
use super::model::{DirectoryData, NgoProfile};
use crate::domain::Lang;
use crate::error::AppError;
use crate::wire::WireJson;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// A page of the directory: words (`q`), region, field, legal form (`form`), sort and page.
#[server(prefix = "/api", endpoint = "ngos/list", input = GetUrl, output = WireJson)]
pub async fn directory(
    lang: Lang,
    #[server(default)] q: String,
    #[server(default)] region: String,
    #[server(default)] field: String,
    #[server(default)] form: String,
    #[server(default)] sort: String,
    #[server(default)] page: String,
) -> Result<DirectoryData, AppError> {
    let state = crate::server::AppState::from_context()?;
    let filters = super::service::filters(&q, &region, &field, &form, &sort);
    let page = crate::domain::PageNumber::parse(Some(&page));
    super::service::directory(&state, lang, filters, page).await
}

#[server(prefix = "/api", endpoint = "ngos/profile", input = GetUrl, output = WireJson)]
pub async fn profile(lang: Lang, slug: String) -> Result<NgoProfile, AppError> {
    let state = crate::server::AppState::from_context()?;
    let slug = slug.parse().map_err(|_| AppError::NotFound)?;
    super::service::profile(state.store.as_ref(), lang, &slug).await
}
