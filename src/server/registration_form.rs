//! Submitting the registration form, for the app's server function and for the form posted
//! without JavaScript. The latter posts to the event page itself: a rejected form comes back
//! in the response with what was typed and a message by each field, so nothing a parent typed
//! travels in a URL (history, proxy logs, referrers, the service worker's page copies).
use super::AppState;
use crate::error::AppError;
use crate::events::model::{RegistrationForm, RejectedForm};
use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::provide_context;

/// Registers `form` and says where the visitor goes next.
pub async fn submit(state: &AppState, form: &RegistrationForm) -> Result<String, AppError> {
    let outcome = crate::events::service::register(state.store.as_ref(), &state.tokens, form).await?;
    if matches!(outcome, crate::events::service::Registered::Token(_)) {
        // Seats changed: cached pages (home, lists) must show them.
        state.page_cache.invalidate();
    }
    Ok(crate::events::service::registered_path(
        form.lang,
        &form.event,
        &outcome,
    ))
}

/// `POST /{lang}/events/{slug}`: the form posted without JavaScript.
pub async fn post(State(state): State<AppState>, Path(slug): Path<String>, request: Request) -> Response {
    let Some(lang) = crate::locale::lang_of_path(request.uri().path()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, super::MAX_REQUEST_BYTES).await {
        Ok(body) => body,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    let mut form = decode(&body);
    // The address says which event and language; the body cannot say otherwise.
    form.lang = lang;
    form.event = slug;
    let error = match submit(&state, &form).await {
        Ok(path) => return Redirect::to(&path).into_response(),
        Err(error) => error,
    };
    // The same page again, rendered with the form as typed (never its key: a fresh form gets a
    // fresh one) and the problems.
    form.idempotency_key.clear();
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    let rejected = RejectedForm { error, form };
    let mut page = Request::from_parts(parts, Body::empty());
    *page.method_mut() = axum::http::Method::GET;
    let mut response = super::render_app(&state, page, move || provide_context(rejected.clone())).await;
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// The form's fields, decoded as the server function decodes them; whatever does not decode
/// is an empty form, which validation then rejects field by field.
fn decode(body: &Bytes) -> RegistrationForm {
    std::str::from_utf8(body)
        .ok()
        .and_then(|text| serde_qs::Config::new(5, false).deserialize_str(text).ok())
        .unwrap_or_default()
}
