//! Server functions of the admin's NGO pages: admins only, checked here on the server. The
//! logo itself is sent to `POST /api/admin/ngos/{slug}/logo` (`server::admin_http`).
use super::model::{AdminNgoData, FoundNgo, NgoImportProgress};
use crate::domain::Lang;
use crate::error::AppError;
use crate::wire::WireJson;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
async fn admin() -> Result<(crate::server::AppState, crate::server::store::AccountRecord), AppError> {
    crate::admin::api::signed_in_as(&[crate::admin::model::Role::Admin]).await
}

/// Up to twelve NGOs whose names or place match `q`, best first.
#[server(prefix = "/api", endpoint = "admin/ngos/find", input = GetUrl, output = WireJson)]
pub async fn find_admin_ngos(lang: Lang, #[server(default)] q: String) -> Result<Vec<FoundNgo>, AppError> {
    use crate::ngos::service::{matching, name_in};
    let (state, _) = admin().await?;
    let found = matching(state.store.as_ref(), &q, 12).await?;
    Ok(found
        .into_iter()
        .map(|(_, ngo)| FoundNgo {
            slug: ngo.slug.to_string(),
            name: name_in(&ngo, lang),
            place: [ngo.municipality.clone(), crate::ngos::region_name(&ngo.region, lang)]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect())
}

/// The NGO of `slug`, with its logo; 404 when there is none.
#[server(prefix = "/api", endpoint = "admin/ngos/one", input = GetUrl, output = WireJson)]
pub async fn admin_ngo(lang: Lang, slug: String) -> Result<AdminNgoData, AppError> {
    let (state, _) = admin().await?;
    let found = async {
        let slug: crate::domain::Slug = slug.parse().map_err(|_| AppError::NotFound)?;
        let (_, ngo) = state.store.ngo(&slug).await?.ok_or(AppError::NotFound)?;
        Ok(AdminNgoData {
            slug: ngo.slug.to_string(),
            name: crate::ngos::service::name_in(&ngo, lang),
            logo: crate::ngos::service::logo(&ngo),
        })
    };
    crate::admin::api::with_status(found.await)
}

/// How a CSV import this account started goes.
#[server(prefix = "/api", endpoint = "admin/ngos/import/progress", input = GetUrl, output = WireJson)]
pub async fn ngo_import_status(job: String) -> Result<NgoImportProgress, AppError> {
    let (state, account) = admin().await?;
    crate::admin::api::with_status(state.ngo_imports.status(&job, account.id).ok_or(AppError::NotFound))
}
