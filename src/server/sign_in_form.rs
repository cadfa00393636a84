//! The sign-in form posted without JavaScript (`POST /{lang}/admin/sign-in`): signed in, the
//! browser gets its session cookie and goes to the admin home; refused, the sign-in page comes
//! back with the address as typed (never the password) and the reason by its field.
use super::AppState;
use super::auth::{self, session};
use crate::admin::model::{RejectedSignIn, SignInForm};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::provide_context;
use std::net::SocketAddr;

pub async fn post(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    let Some(lang) = crate::locale::lang_of_path(request.uri().path()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, super::MAX_REQUEST_BYTES).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let form: SignInForm = std::str::from_utf8(&body)
        .ok()
        .and_then(|text| serde_qs::Config::new(1, false).deserialize_str(text).ok())
        .unwrap_or_default();
    let error = match auth::sign_in(&state, &form, peer.ip(), &parts.headers).await {
        Ok(token) => {
            let mut response = Redirect::to(&crate::locale::href(lang, "admin")).into_response();
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session::set_cookie(&token, state.auth.secure));
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            return response;
        }
        Err(error) => error,
    };
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    let rejected = RejectedSignIn {
        error,
        email: form.email,
    };
    let mut page = Request::from_parts(parts, Body::empty());
    *page.method_mut() = axum::http::Method::GET;
    let mut response = super::render_app(&state, page, move || provide_context(rejected.clone())).await;
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}
