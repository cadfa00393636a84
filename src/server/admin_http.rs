//! Admin answers that are files, not server functions: an event's registrations as CSV.
use super::AppState;
use crate::domain::Lang;
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
    let event = match crate::admin::service::event_for_door(&state, &headers, lang, &slug).await {
        Ok((_, event)) => event,
        Err(error) => {
            let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, [(header::CACHE_CONTROL, "private, no-store")]).into_response();
        }
    };
    let registrations = match state.store.door_list(event.id).await {
        Ok(list) => list,
        Err(error) => {
            tracing::error!(%error, "door list not read");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let body = crate::admin::service::door_csv(&registrations, lang);
    let file = format!("attachment; filename=\"{}-registrations.csv\"", event.slug);
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    if let Ok(disposition) = HeaderValue::from_str(&file) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    response
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
    let no_store = [(header::CACHE_CONTROL, "private, no-store")];
    let account = match super::auth::require(&state, &headers, &[Role::Admin]).await {
        Ok(account) => account,
        Err(error) => {
            let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::FORBIDDEN);
            return (status, no_store).into_response();
        }
    };
    let Ok(email) = crate::admin::service::subject_address(&form.email) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, no_store).into_response();
    };
    let data = match state.store.personal_data(&email).await {
        Ok(data) => data,
        Err(error) => {
            tracing::error!(%error, "personal data not read");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    tracing::info!(account = account.id, "exported a person's data on request");
    let body = serde_json::to_vec_pretty(&data).unwrap_or_default();
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"personal-data.json\""),
    );
    response
}
