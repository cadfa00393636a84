//! Refuses state-changing requests that another site makes a visitor's browser send (CSRF).
//! Browsers say where a request comes from in `Sec-Fetch-Site`, older ones in `Origin`; a
//! request with neither is not from a browser page and carries no visitor's credentials. The
//! same rules as Go's `http.CrossOriginProtection`: safe methods always pass; otherwise
//! `Sec-Fetch-Site` must be `same-origin` or `none`, and without it `Origin` must name this
//! host. The app's fetches, the form without JavaScript and the service worker's replays of
//! offline registrations are all same-origin.
use crate::error::AppError;
use crate::i18n::*;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// The origins besides the request's own `Host` that may post (the public URL's).
#[derive(Debug, Clone)]
pub struct AllowedOrigins(Arc<Vec<String>>);

impl AllowedOrigins {
    pub fn new(public_url: &str) -> AllowedOrigins {
        let origin = public_url
            .split_once("://")
            .map(|(scheme, rest)| format!("{scheme}://{}", rest.split('/').next().unwrap_or_default()));
        AllowedOrigins(Arc::new(origin.into_iter().collect()))
    }
}

/// Whether a request with these headers may change state here.
pub fn is_allowed(method: &Method, headers: &HeaderMap, allowed: &AllowedOrigins) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let header_text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header_text(header::HeaderName::from_static("sec-fetch-site")) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = header_text(header::ORIGIN) else {
        return true;
    };
    let host = header_text(header::HOST).unwrap_or_default();
    let origin_host = origin.split_once("://").map_or("", |(_, rest)| rest);
    (!host.is_empty() && origin_host.eq_ignore_ascii_case(host))
        || allowed.0.iter().any(|allowed| allowed.eq_ignore_ascii_case(origin))
}

/// Middleware: a cross-site state change gets 403 and changes nothing.
pub async fn refuse_cross_site(State(allowed): State<AllowedOrigins>, request: Request, next: Next) -> Response {
    if is_allowed(request.method(), request.headers(), &allowed) {
        return next.run(request).await;
    }
    tracing::warn!(path = %super::redact(request.uri().path()), "cross-site request refused");
    super::plain_page::refusal(
        StatusCode::FORBIDDEN,
        AppError::Forbidden,
        request.headers(),
        request.uri().path(),
        |locale| {
            (
                td_string!(locale, forbidden_title).to_string(),
                td_string!(locale, error_forbidden).to_string(),
            )
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(
                header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        map
    }

    fn allowed() -> AllowedOrigins {
        AllowedOrigins::new("https://portal.test")
    }

    #[test]
    fn reads_always_pass() {
        let h = headers(&[("sec-fetch-site", "cross-site")]);
        assert!(is_allowed(&Method::GET, &h, &allowed()));
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        for (site, ok) in [
            ("same-origin", true),
            ("none", true),
            ("same-site", false),
            ("cross-site", false),
        ] {
            let h = headers(&[
                ("sec-fetch-site", site),
                ("origin", "https://portal.test"),
                ("host", "portal.test"),
            ]);
            assert_eq!(is_allowed(&Method::POST, &h, &allowed()), ok, "{site}");
        }
    }

    #[test]
    fn without_fetch_metadata_the_origin_must_be_this_host_or_the_public_url() {
        let own = headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]);
        assert!(is_allowed(&Method::POST, &own, &allowed()));
        let public = headers(&[("origin", "https://portal.test"), ("host", "10.0.0.5:3000")]);
        assert!(is_allowed(&Method::POST, &public, &allowed()));
        let foreign = headers(&[("origin", "https://evil.example"), ("host", "portal.test")]);
        assert!(!is_allowed(&Method::POST, &foreign, &allowed()));
        let null = headers(&[("origin", "null"), ("host", "portal.test")]);
        assert!(!is_allowed(&Method::POST, &null, &allowed()));
        assert!(
            is_allowed(&Method::POST, &headers(&[("host", "portal.test")]), &allowed()),
            "not a browser"
        );
    }
}
