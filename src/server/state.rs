//! `AppState`: what handlers and server functions share, passed by axum state and Leptos context.
use super::cache::PageCache;
use super::config::Config;
use super::store::Store;
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::prelude::*;
use std::sync::Arc;

/// Cheap to clone (one reference count): axum clones the state of a route's handler and of
/// each middleware for every request.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What Leptos' handlers take from the state (they render with these options).
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for super::service_worker::ServiceWorker {
    fn from_ref(state: &AppState) -> Self {
        state.service_worker.clone()
    }
}

/// What the state holds.
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub store: Arc<dyn Store>,
    pub config: Arc<Config>,
    pub assets: Option<super::Assets>,
    pub service_worker: super::service_worker::ServiceWorker,
    pub page_cache: Arc<PageCache>,
    /// The site search's vocabulary of public words and its turns.
    pub search: Arc<crate::search::vocabulary::SiteSearch>,
    /// The header's NGO count, read once per change.
    pub ngo_count: Arc<super::ngo_count::NgoCount>,
    /// The directory in memory for its searches and counts.
    pub directory_index: Arc<super::kept::Kept<crate::ngos::index::DirectoryIndex>>,
    /// Where uploaded photos are stored.
    pub images: Arc<dyn super::images::ImageFiles>,
    /// WordPress imports started from the admin page.
    pub imports: Arc<super::jobs::Jobs<crate::admin::import::ImportStatus>>,
    /// CSV imports of the directory started from the admin page.
    pub ngo_imports: Arc<super::jobs::Jobs<crate::admin::ngos::NgoImportProgress>>,
    /// The Content-Security-Policy, completed per page with its scripts' hashes.
    pub csp: super::csp::ContentSecurityPolicy,
    /// Makes and checks the tokens of private registration links.
    pub tokens: super::tokens::ManageTokens,
    /// Sign-in: cookie settings and the per-visitor attempt limit.
    pub auth: super::auth::Auth,
    /// What `/metrics` reports of this process.
    pub metrics: Arc<super::metrics::Metrics>,
}

impl AppState {
    /// The state inside a server function or a server-rendered component.
    pub fn from_context() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the Leptos context");
            AppError::Internal
        })
    }
}
