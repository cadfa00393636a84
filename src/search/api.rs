//! The site search's server function: GET, so that the app and the no-JavaScript page read the
//! same answer (never kept by the page cache: its words are the visitor's own).
use super::model::SearchData;
use crate::domain::Lang;
use crate::error::AppError;
use crate::wire::WireJson;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// A page of results for the words `q`, of one `kind` (`posts`, `events`, `ngos`) or all.
#[server(prefix = "/api", endpoint = "search", input = GetUrl, output = WireJson)]
pub async fn search(
    lang: Lang,
    #[server(default)] q: String,
    #[server(default)] kind: String,
    #[server(default)] page: String,
) -> Result<SearchData, AppError> {
    let state = crate::server::AppState::from_context()?;
    let page = crate::domain::PageNumber::parse(Some(&page));
    super::service::search(&state, lang, &q, &kind, page).await
}
