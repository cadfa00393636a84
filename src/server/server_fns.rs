//! HTTP semantics of the server functions: an error answer's status says what kind of error it
//! is (a request that does not decode is the client's fault, 400, which the service worker does
//! not retry; server_fn answers every error with 500), and the GET functions of public data say
//! that caches may keep them (the page cache, shared caches, the service worker), revalidated
//! with their `ETag`.
use crate::error::AppError;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use leptos::server_fn::ServerFn;

/// The header server_fn puts on an error answer.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
/// An error answer is a few bytes of JSON.
const MAX_ERROR_BYTES: usize = 64 * 1024;

/// GET server functions whose answer is the same for every visitor.
fn public_data_paths() -> [&'static str; 6] {
    [
        crate::site::api::LoadSiteStats::PATH,
        crate::posts::api::LatestPosts::PATH,
        crate::posts::api::ListPosts::PATH,
        crate::posts::api::PostPage::PATH,
        crate::events::api::ListEvents::PATH,
        crate::events::api::EventPage::PATH,
    ]
}

/// Middleware over the server function routes (and pages, which it leaves alone).
pub async fn http_semantics(request: Request, next: Next) -> Response {
    let public = request.method() == Method::GET && public_data_paths().contains(&request.uri().path());
    // A search's answer holds the visitor's words: no cache keeps it.
    let unkept = request.uri().path() == crate::search::api::Search::PATH;
    let mut response = next.run(request).await;
    if unkept {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    }
    if response.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return with_error_status(response).await;
    }
    if public && response.status() == StatusCode::OK {
        response
            .headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("public, no-cache"));
    }
    response
}

async fn with_error_status(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BYTES).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    if parts.status == StatusCode::INTERNAL_SERVER_ERROR
        && let Ok(error) = serde_json::from_slice::<AppError>(&bytes)
    {
        parts.status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    // Errors are answers to this request only.
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, Body::from(bytes))
}
