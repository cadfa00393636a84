//! `CDN_MAX_AGE`: how long a shared cache in front of the instances (a CDN) may keep public
//! pages and data. They say `public, no-cache` (browsers revalidate every time, with `ETag`s);
//! with a CDN age set, they say `public, max-age=0, s-maxage=N, stale-while-revalidate=10N`:
//! browsers still revalidate, the CDN serves a copy up to N seconds old, then a stale one while
//! it fetches the new. Only those responses change: private and per-visitor ones never, nor a
//! public page that sets the visitor's language cookie (a shared cache must not hand one
//! visitor's cookie to the next).
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// What public responses say (the page cache keeps exactly these).
const PUBLIC: &str = "public, no-cache";

/// The `Cache-Control` of public responses for a CDN keeping them `max_age` seconds.
pub fn policy(max_age: u32) -> HeaderValue {
    let stale = max_age.saturating_mul(10);
    HeaderValue::from_str(&format!(
        "public, max-age=0, s-maxage={max_age}, stale-while-revalidate={stale}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(PUBLIC))
}

/// Middleware: public responses get the CDN policy, when one is set.
pub async fn shared_cache_policy(State(policy): State<Option<HeaderValue>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let Some(policy) = policy else { return response };
    let headers = response.headers_mut();
    let public = headers.get(header::CACHE_CONTROL).is_some_and(|value| value == PUBLIC);
    if public && !headers.contains_key(header::SET_COOKIE) {
        headers.insert(header::CACHE_CONTROL, policy);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cdn_keeps_a_page_for_its_age_and_serves_it_stale_ten_times_as_long() {
        assert_eq!(policy(30), "public, max-age=0, s-maxage=30, stale-while-revalidate=300");
        assert_eq!(
            policy(u32::MAX),
            format!(
                "public, max-age=0, s-maxage={}, stale-while-revalidate={}",
                u32::MAX,
                u32::MAX
            )
            .as_str()
        );
    }
}
