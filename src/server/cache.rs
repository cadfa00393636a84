//! Rendered-page cache: a public page's HTML depends only on its URL and the stored content,
//! so it is kept in memory until the content changes (`invalidate`) or a short TTL passes
//! (other instances may have written to a shared database). Only pages that say they are
//! public (`Cache-Control: public`) are kept, and the key holds only the query parameters
//! pages read, so `?x=random` neither misses the cache nor fills it.
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Bounds memory: beyond this many pages the oldest entry makes room.
const MAX_ENTRIES: usize = 2_000;
/// Longest a page may be kept.
const TTL: Duration = Duration::from_secs(60);
/// Largest page kept.
const MAX_PAGE_BYTES: usize = 512 * 1024;

#[derive(Clone)]
struct CachedPage {
    generation: u64,
    stored_at: Instant,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<String, CachedPage>>,
    generation: AtomicU64,
}

impl PageCache {
    /// Forgets every page; call after any write that pages show.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn get(&self, key: &str) -> Option<CachedPage> {
        let generation = self.generation.load(Ordering::SeqCst);
        let pages = self.pages.read().ok()?;
        pages
            .get(key)
            .filter(|page| page.generation == generation && page.stored_at.elapsed() < TTL)
            .cloned()
    }

    fn put(&self, key: String, page: CachedPage) {
        let Ok(mut pages) = self.pages.write() else {
            return;
        };
        if pages.len() >= MAX_ENTRIES && !pages.contains_key(&key) {
            let generation = self.generation.load(Ordering::SeqCst);
            pages.retain(|_, p| p.generation == generation && p.stored_at.elapsed() < TTL);
            if pages.len() >= MAX_ENTRIES {
                let oldest = pages.iter().min_by_key(|(_, p)| p.stored_at).map(|(k, _)| k.clone());
                if let Some(oldest) = oldest {
                    pages.remove(&oldest);
                }
            }
        }
        pages.insert(key, page);
    }
}

/// The path and the query parameters pages read (`app::PAGE_QUERY_PARAMETERS`), decoded and
/// with the last value of each winning, as the router reads them, in a fixed order: the same
/// key for every spelling of one page, and never one page's key for another's content.
fn cache_key(uri: &axum::http::Uri) -> String {
    let mut known = std::collections::BTreeMap::new();
    for (name, value) in form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()) {
        if crate::app::PAGE_QUERY_PARAMETERS.contains(&name.as_ref()) {
            known.insert(name.into_owned(), value.into_owned());
        }
    }
    if known.is_empty() {
        return uri.path().to_owned();
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(known)
        .finish();
    format!("{}?{query}", uri.path())
}

fn respond(page: CachedPage) -> Response {
    let mut response = Response::new(Body::from(page.body));
    *response.headers_mut() = page.headers;
    response
        .headers_mut()
        .insert("x-page-cache", HeaderValue::from_static("hit"));
    response
}

/// Middleware over the Leptos page routes.
pub async fn cache_pages(State(cache): State<std::sync::Arc<PageCache>>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let key = cache_key(request.uri());
    if let Some(page) = cache.get(&key) {
        return respond(page);
    }
    let generation = cache.generation.load(Ordering::SeqCst);
    let response = next.run(request).await;
    let public = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let directives: Vec<&str> = v.split(',').map(str::trim).collect();
            directives.contains(&"public") && !directives.contains(&"private") && !directives.contains(&"no-store")
        });
    let cacheable = response.status() == StatusCode::OK
        && public
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
    if !cacheable {
        return response;
    }
    let (parts, body) = response.into_parts();
    match to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(body) => {
            cache.put(
                key,
                CachedPage {
                    generation,
                    stored_at: Instant::now(),
                    headers: parts.headers.clone(),
                    body: body.clone(),
                },
            );
            Response::from_parts(parts, Body::from(body))
        }
        Err(error) => {
            tracing::error!(%error, "page could not be buffered for the cache");
            let mut failed = Response::new(Body::empty());
            *failed.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            failed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_keeps_only_the_parameters_pages_read() {
        let key = |uri: &str| cache_key(&uri.parse().unwrap());
        assert_eq!(key("/bg/posts?x=1&page=2&utm_source=a"), "/bg/posts?page=2");
        assert_eq!(
            key("/bg/posts?category=news&page=2"),
            key("/bg/posts?page=2&category=news")
        );
        assert_eq!(key("/bg/?source=pwa"), "/bg/");
        assert_eq!(key("/bg/events?when=past"), "/bg/events?when=past");
        // Spelled differently, read the same by the router: the same key, never another page's.
        assert_eq!(key("/bg/events?wh%65n=past"), "/bg/events?when=past");
        assert_eq!(key("/bg/posts?page=1&page=2"), "/bg/posts?page=2");
    }
}
