//! Server functions of the site frame (header figures).
use crate::error::AppError;
use crate::wire::WireJson;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// Figures the header shows on every page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteStats {
    pub ngo_count: u64,
}

#[server(prefix = "/api", endpoint = "site/stats", input = GetUrl, output = WireJson)]
pub async fn load_site_stats() -> Result<SiteStats, AppError> {
    let state = crate::server::AppState::from_context()?;
    Ok(SiteStats {
        ngo_count: state
            .ngo_count
            .get(state.store.as_ref(), state.page_cache.content_generation())
            .await?,
    })
}
