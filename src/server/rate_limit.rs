//! Per-IP limit on registration submissions (GCRA via `governor`). Over the limit, a form post
//! without JavaScript gets a 429 page in the visitor's language; the app's own requests get the
//! `RateLimited` error, which the form shows next to the button.
use crate::domain::Lang;
use crate::error::AppError;
use crate::locale::lang_of_path;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

/// The registration server function's endpoint.
const REGISTER_PATH: &str = "/api/events/register";

pub struct RegistrationLimiter(DefaultKeyedRateLimiter<IpAddr>);

impl RegistrationLimiter {
    pub fn per_minute(registrations: u32) -> Arc<RegistrationLimiter> {
        let quota = Quota::per_minute(NonZeroU32::new(registrations).unwrap_or(NonZeroU32::MIN));
        Arc::new(RegistrationLimiter(RateLimiter::keyed(quota)))
    }
}

fn page(lang: Lang, back: &str) -> String {
    let (title, text, link, html_lang) = match lang {
        Lang::Bg => (
            "Твърде много опити",
            "Изпратихте формуляра твърде много пъти за кратко време. Опитайте отново след минута.",
            "Обратно",
            "bg",
        ),
        Lang::En => (
            "Too many attempts",
            "You sent the form too many times in a short while. Please try again in a minute.",
            "Back",
            "en",
        ),
    };
    format!(
        "<!DOCTYPE html><html lang=\"{html_lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.6;color:#1b2421}}a{{color:#0b5d4b}}</style></head>\
         <body><main><h1>{title}</h1><p>{text}</p><p><a href=\"{back}\">{link}</a></p></main></body></html>"
    )
}

pub async fn limit_registrations(
    State(limiter): State<Arc<RegistrationLimiter>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let is_registration = request.method() == axum::http::Method::POST && request.uri().path() == REGISTER_PATH;
    if !is_registration || limiter.0.check_key(&peer.ip()).is_ok() {
        return next.run(request).await;
    }
    tracing::warn!("registration rate limit reached");
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let mut response = if wants_html {
        // The form's page: its path says the language.
        let back = request
            .headers()
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .and_then(|r| {
                r.find("://")
                    .and_then(|i| r[i + 3..].find('/').map(|j| r[i + 3 + j..].to_owned()))
            })
            .filter(|path| path.starts_with('/') && !path.starts_with("//"))
            .unwrap_or_else(|| "/".to_owned());
        let lang = lang_of_path(&back).unwrap_or_default();
        (StatusCode::TOO_MANY_REQUESTS, Html(page(lang, &back))).into_response()
    } else {
        let body = serde_json::to_string(&AppError::RateLimited).unwrap_or_default();
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    };
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    response
}
