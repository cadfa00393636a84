//! Admin answers that are files, not server functions: an event's registrations as CSV.
use super::AppState;
use crate::domain::Lang;
use crate::error::AppError;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(serde::Deserialize)]
pub struct CsvQuery {
    #[serde(default)]
    lang: Option<String>,
}

/// `GET /api/admin/events/{slug}/registrations.csv?lang=bg`: for the accounts that see the
/// event's registrations (401 signed out, 403 another organiser's event); never cached.
pub async fn registrations_csv(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<CsvQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = query.lang.and_then(|l| l.parse::<Lang>().ok()).unwrap_or_default();
    let file = async {
        let (_, event) = crate::admin::service::event_for_door(&state, &headers, lang, &slug).await?;
        let registrations = state.store.door_list(event.id).await?;
        Ok(private_file(
            crate::admin::service::door_csv(&registrations, lang),
            "text/csv; charset=utf-8",
            &format!("{}-registrations.csv", event.slug),
        ))
    };
    file.await.unwrap_or_else(refused)
}

/// A file for the signed-in account only: downloaded, never kept by a cache.
fn private_file(body: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    response
}

/// The answer to a refused or failed request for a file: its status, nothing kept.
fn refused(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CACHE_CONTROL, "private, no-store")]).into_response()
}

#[derive(serde::Deserialize)]
pub struct ExportForm {
    #[serde(default)]
    email: String,
}

/// `POST /api/admin/privacy/export` (form field `email`): everything held for the address as
/// a JSON file, for admins (a POST, so the address stays out of URLs and histories).
pub async fn personal_data_export(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ExportForm>,
) -> Response {
    use crate::admin::model::Role;
    let file = async {
        let account = super::auth::require(&state, &headers, &[Role::Admin]).await?;
        let email = crate::admin::service::subject_address(&form.email)?;
        let data = state.store.personal_data(&email).await?;
        tracing::info!(account = account.id, "exported a person's data on request");
        Ok(private_file(
            serde_json::to_vec_pretty(&data).unwrap_or_default(),
            "application/json; charset=utf-8",
            "personal-data.json",
        ))
    };
    file.await.unwrap_or_else(refused)
}
