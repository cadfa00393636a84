//! Response cache of public pages and public data: a public page's HTML (or a GET server
//! function's JSON) depends only on its URL and the stored content, so it is kept in memory
//! until the content changes (`invalidate`) or a short TTL passes (other instances may have
//! written to a shared database). Each is kept once as it is and compressed once (brotli at
//! the highest quality, gzip -9): browsers get the coding they ask for at the speed of a static
//! file, a validator (`ETag`) and `304 Not Modified` when their copy is current. Only
//! responses that say they are public and revalidated (`Cache-Control: public, no-cache`) are
//! kept, and the key holds only the query parameters that are read, so `?x=random` neither
//! misses the cache nor fills it.
use super::negotiate::{Coding, not_modified, preferred_coding};
use super::store::Change;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Marks a response served from the cache (for tests and `/metrics`).
pub const HIT_HEADER: &str = "x-page-cache";

/// Bounds memory: beyond this many responses, or this many bytes of bodies (each kept in three
/// codings), the oldest entries make room. A crawler inventing query values cannot grow it.
const MAX_ENTRIES: usize = 2_000;
const MAX_BYTES: usize = 16 * 1024 * 1024;
/// Longest a response may be kept.
const TTL: Duration = Duration::from_secs(60);
/// Largest response kept.
const MAX_PAGE_BYTES: usize = 512 * 1024;
/// Where pages and public data live; nothing else (the bundle, covers, files) is looked up.
const CACHED_PREFIXES: &[&str] = &["/bg/", "/en/", "/api/"];
/// Longest a visitor waits for another's render of the same page before rendering it too.
const RENDER_WAIT: Duration = Duration::from_secs(5);
/// Keys longer than this are never waited for nor remembered as not kept.
const MAX_WAITED_KEY: usize = 1024;
/// Query parameters GET server functions read (`/api/…`).
const DATA_QUERY_PARAMETERS: &[&str] = &[
    "lang", "slug", "category", "page", "when", "q", "region", "field", "form", "sort", "kind",
];

/// A kept response: its body in each coding, and the headers of each answer made ready when it
/// was kept, so that a hit costs a lookup and a copy of a header map.
struct CachedPage {
    generation: u64,
    stored_at: Instant,
    etag: HeaderValue,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
    /// Headers of a hit in each coding (brotli, gzip, none), and of a 304.
    hit_headers: [HeaderMap; 3],
    not_modified_headers: HeaderMap,
    /// The pattern of the route that answered, for `/metrics`.
    route: Option<MatchedPath>,
}

impl CachedPage {
    fn new(generation: u64, mut headers: HeaderMap, body: Bytes, route: Option<MatchedPath>) -> CachedPage {
        use sha2::Digest;
        headers.remove(header::CONTENT_LENGTH);
        headers.remove(header::CONTENT_ENCODING);
        let digest = sha2::Sha256::digest(&body);
        let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        // Weak: the brotli, gzip and plain bodies are the same page.
        let etag = HeaderValue::from_str(&format!("W/\"{hex}\"")).unwrap_or(HeaderValue::from_static("W/\"0\""));
        headers.insert(header::ETAG, etag.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.insert(HIT_HEADER, HeaderValue::from_static("hit"));
        let with_coding = |coding: Coding| {
            let mut headers = headers.clone();
            if let Some(encoding) = coding.header() {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            headers
        };
        // Every header of the full answer but those of its body: a browser updates the copy it
        // keeps with these (a page's own Content-Security-Policy above all).
        let mut not_modified_headers = headers.clone();
        not_modified_headers.remove(header::CONTENT_TYPE);
        CachedPage {
            generation,
            stored_at: Instant::now(),
            etag,
            gzip: gzip(&body),
            brotli: brotli(&body),
            identity: body,
            hit_headers: [
                with_coding(Coding::Brotli),
                with_coding(Coding::Gzip),
                with_coding(Coding::Identity),
            ],
            not_modified_headers,
            route,
        }
    }

    /// What it holds in memory, in bytes of bodies.
    fn bytes(&self) -> usize {
        self.identity.len() + self.gzip.len() + self.brotli.len()
    }

    fn respond(&self, coding: Coding, if_none_match: Option<&str>, hit: bool) -> Response {
        let fresh = not_modified(if_none_match, self.etag.to_str().unwrap_or_default());
        let mut response = if fresh {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            *response.headers_mut() = self.not_modified_headers.clone();
            response
        } else {
            let (body, headers) = match coding {
                Coding::Brotli => (&self.brotli, &self.hit_headers[0]),
                Coding::Gzip => (&self.gzip, &self.hit_headers[1]),
                Coding::Identity => (&self.identity, &self.hit_headers[2]),
            };
            let mut response = Response::new(Body::from(body.clone()));
            *response.headers_mut() = headers.clone();
            response
        };
        if !hit {
            response.headers_mut().remove(HIT_HEADER);
        }
        if let Some(route) = &self.route {
            response.extensions_mut().insert(route.clone());
        }
        response
    }
}

fn gzip(body: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(body);
    encoder.finish().unwrap_or_default().into()
}

fn brotli(body: &[u8]) -> Bytes {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: window_bits(body.len()),
        size_hint: body.len(),
        ..Default::default()
    };
    // Reading a slice and writing to a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut &body[..], &mut out, &params);
    out.into()
}

/// Brotli's window for a body of `len` bytes: the smallest that holds it (10 to 24 bits). At the
/// highest quality the encoder's memory grows with the window (some 30 MB at 22 bits, the
/// usual default, for a 50 KB page that a 64 KB window compresses to the same bytes).
fn window_bits(len: usize) -> i32 {
    // A window of 2^bits holds 2^bits − 16 bytes.
    let bits = usize::BITS - len.saturating_add(15).leading_zeros();
    bits.clamp(10, 24) as i32
}

#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<String, Arc<CachedPage>>>,
    generation: AtomicU64,
    content_generation: AtomicU64,
    /// Where this instance's changes go to be told to the other instances.
    announce: std::sync::OnceLock<tokio::sync::mpsc::UnboundedSender<Change>>,
    /// The keys being rendered now, each with what its other visitors wait on.
    rendering: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Semaphore>>>,
    /// Keys whose last answer was not to be kept (an event page with its form key, an admin
    /// page) and when: their visitors render at once, not one after another.
    unkept: std::sync::Mutex<HashMap<String, Instant>>,
}

/// A visitor's turn at a page nobody keeps yet: the first renders it, those who come meanwhile
/// wait for that one (and then find it kept, unless it was not to be kept).
enum Turn<'a> {
    First(Rendering<'a>),
    Waited,
    /// The page is not kept: nobody waits for anybody.
    Alone,
}

/// The first visitor's render of a key; when it ends, however it ends, those waiting go on.
struct Rendering<'a> {
    cache: &'a PageCache,
    key: String,
    done: Arc<tokio::sync::Semaphore>,
}

impl Drop for Rendering<'_> {
    fn drop(&mut self) {
        let mut rendering = self
            .cache
            .rendering
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        rendering.remove(&self.key);
        // Wakes every waiter at once (a closed semaphore refuses them all).
        self.done.close();
    }
}

impl PageCache {
    /// Forgets every page; call after any write that pages show.
    pub fn invalidate(&self) {
        self.heard(Change::Pages);
        self.tell(Change::Pages);
    }

    /// Forgets every page after a write of content (posts, events, NGOs), and makes what is
    /// derived from content (`content_generation`) stale too.
    pub fn invalidate_content(&self) {
        self.heard(Change::Content);
        self.tell(Change::Content);
    }

    /// Sends this instance's changes to `announce` from now on (for the other instances).
    pub fn announce_to(&self, announce: tokio::sync::mpsc::UnboundedSender<Change>) {
        let _ = self.announce.set(announce);
    }

    /// A change made here or heard from another instance: forgotten here, told to nobody.
    pub fn heard(&self, change: Change) {
        if change == Change::Content {
            self.content_generation.fetch_add(1, Ordering::SeqCst);
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn tell(&self, change: Change) {
        if let Some(announce) = self.announce.get() {
            let _ = announce.send(change);
        }
    }

    /// Counts the writes of content: what is derived from it (the search's vocabulary, the
    /// directory's index, the NGO count) is stale once it moves. A registration, which
    /// anyone can make, moves the pages' generation (seats) but not this one.
    pub fn content_generation(&self) -> u64 {
        self.content_generation.load(Ordering::SeqCst)
    }

    fn get(&self, key: &str) -> Option<Arc<CachedPage>> {
        let generation = self.generation.load(Ordering::SeqCst);
        let pages = self.pages.read().ok()?;
        pages
            .get(key)
            .filter(|page| page.generation == generation && page.stored_at.elapsed() < TTL)
            .cloned()
    }

    /// The first visitor of `key` while it is rendered renders it; the others wait here until
    /// that render has ended.
    async fn turn(&self, key: &str) -> Turn<'_> {
        let unkept = {
            let unkept = self.unkept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            unkept.get(key).is_some_and(|at| at.elapsed() < TTL)
        };
        // A key longer than any page's address is somebody's invention: not worth a place in
        // either map.
        if unkept || key.len() > MAX_WAITED_KEY {
            return Turn::Alone;
        }
        let waiting = {
            let mut rendering = self.rendering.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            match rendering.get(key) {
                Some(done) => done.clone(),
                None => {
                    let done = Arc::new(tokio::sync::Semaphore::new(0));
                    rendering.insert(key.to_owned(), done.clone());
                    return Turn::First(Rendering {
                        cache: self,
                        key: key.to_owned(),
                        done,
                    });
                }
            }
        };
        // Never granted: it returns when the render ends and closes it. A render that hangs
        // holds up its visitors for RENDER_WAIT at most.
        match tokio::time::timeout(RENDER_WAIT, waiting.acquire()).await {
            Ok(_) => Turn::Waited,
            Err(_) => Turn::Alone,
        }
    }

    /// `key`'s answer was not to be kept: for a while its visitors will not wait for each other.
    fn not_kept(&self, key: &str) {
        let mut unkept = self.unkept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if unkept.len() >= MAX_ENTRIES {
            unkept.retain(|_, at| at.elapsed() < TTL);
            if unkept.len() >= MAX_ENTRIES {
                unkept.clear();
            }
        }
        unkept.insert(key.to_owned(), Instant::now());
    }

    fn put(&self, key: String, page: Arc<CachedPage>) {
        self.unkept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&key);
        let Ok(mut pages) = self.pages.write() else {
            return;
        };
        pages.remove(&key);
        let mut held: usize = pages.values().map(|p| p.bytes()).sum();
        let over = |count: usize, held: usize| count >= MAX_ENTRIES || held + page.bytes() > MAX_BYTES;
        if over(pages.len(), held) {
            let generation = self.generation.load(Ordering::SeqCst);
            pages.retain(|_, p| p.generation == generation && p.stored_at.elapsed() < TTL);
            held = pages.values().map(|p| p.bytes()).sum();
            let mut by_age: Vec<(Instant, String)> = pages.iter().map(|(k, p)| (p.stored_at, k.clone())).collect();
            by_age.sort();
            for (_, oldest) in by_age {
                if !over(pages.len(), held) {
                    break;
                }
                if let Some(removed) = pages.remove(&oldest) {
                    held -= removed.bytes();
                }
            }
        }
        if page.bytes() <= MAX_BYTES {
            pages.insert(key, page);
        }
    }
}

/// The key of a cacheable request, or `None` for one that must not be cached.
///
/// Pages: the path and the query parameters pages read (`app::PAGE_QUERY_PARAMETERS`),
/// decoded and with the last value of each winning, as the router reads them, in a fixed
/// order: the same key for every spelling of one page, and never one page's key for another's
/// content. Data (`/api/…`): only a query the server function reads without doubt — known
/// parameters, each once — so that no spelling can store one answer under another's key.
fn cache_key(uri: &axum::http::Uri) -> Option<String> {
    let path = uri.path();
    if !CACHED_PREFIXES.iter().any(|prefix| path.starts_with(prefix)) {
        return None;
    }
    let data = path.starts_with("/api/");
    let mut known = std::collections::BTreeMap::new();
    for (name, value) in form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()) {
        if data {
            if !DATA_QUERY_PARAMETERS.contains(&name.as_ref()) || known.contains_key(name.as_ref()) {
                return None;
            }
        } else if !crate::app::PAGE_QUERY_PARAMETERS.contains(&name.as_ref()) {
            continue;
        }
        // A search is the visitor's own words: never kept, never a key.
        if name == "q" && !value.trim().is_empty() {
            return None;
        }
        known.insert(name.into_owned(), value.into_owned());
    }
    // Values read the same way are one key, or `?page=<anything>` would render, compress and
    // keep page 1 once per invented value (and push real pages out of the cache). Data reads
    // `page` and the directory's filters as pages do; its `when` is typed (anything else is a
    // 400, never kept).
    for (name, value) in known.iter_mut() {
        if !data
            || matches!(
                name.as_str(),
                "page" | "region" | "field" | "form" | "sort" | "q" | "kind"
            )
        {
            *value = crate::app::canonical_query_value(name, value);
        }
    }
    if known.is_empty() {
        return Some(uri.path().to_owned());
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(known)
        .finish();
    Some(format!("{}?{query}", uri.path()))
}

fn is_public(response: &Response) -> bool {
    let public = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let directives: Vec<&str> = v.split(',').map(str::trim).collect();
            // `no-cache`: revalidated on every use, so the server decides its freshness (an answer
            // with its own `max-age`, such as the seats of an event, is not kept here).
            directives.contains(&"public")
                && directives.contains(&"no-cache")
                && !directives.contains(&"private")
                && !directives.contains(&"no-store")
        });
    let kept_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    response.status() == StatusCode::OK
        && public
        && kept_type
        && !response.headers().contains_key(header::SET_COOKIE)
        && !response.headers().contains_key(header::CONTENT_ENCODING)
}

/// One page compressed at a time (each compression holds its working memory; it takes
/// milliseconds).
static COMPRESSING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// Middleware around the whole router (inside compression): pages and public data.
pub async fn cache_pages(State(cache): State<std::sync::Arc<PageCache>>, request: Request, next: Next) -> Response {
    // HEAD is answered from a kept page too (without its body), never stored.
    let head = request.method() == Method::HEAD;
    if request.method() != Method::GET && !head {
        return next.run(request).await;
    }
    let Some(key) = cache_key(request.uri()) else {
        return next.run(request).await;
    };
    let headers = request.headers();
    let coding = preferred_coding(headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()));
    let if_none_match = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(page) = cache.get(&key) {
        return page.respond(coding, if_none_match.as_deref(), true);
    }
    if head {
        return next.run(request).await;
    }
    // Visitors of a page at once (a link just shared) wait for one render, not one each: a
    // cold page met by 32 at once rendered 32 times, holding the database's connections and
    // memory for each.
    let _rendering = match cache.turn(&key).await {
        Turn::First(rendering) => Some(rendering),
        Turn::Waited => {
            if let Some(page) = cache.get(&key) {
                return page.respond(coding, if_none_match.as_deref(), true);
            }
            // Not kept (not public, or changed meanwhile): rendered for this visitor alone.
            None
        }
        Turn::Alone => None,
    };
    let generation = cache.generation.load(Ordering::SeqCst);
    let response = next.run(request).await;
    if !is_public(&response) {
        // A page for its visitor alone (not a failure, which is no reason to stop waiting).
        if response.status().is_success() {
            cache.not_kept(&key);
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    match to_bytes(body, usize::MAX).await {
        // Larger than the cache keeps: sent as it is.
        Ok(body) if body.len() > MAX_PAGE_BYTES => {
            cache.not_kept(&key);
            Response::from_parts(parts, Body::from(body))
        }
        Ok(body) => {
            // Brotli at its highest level holds megabytes while it works: a cold cache hit by
            // many visitors at once compresses one page after another, not all at the same
            // time (measured with a 4 MB window: 193 MB with 32 at once). Whoever waited finds
            // the page kept by the one before.
            let Ok(_turn) = COMPRESSING.acquire().await else {
                return Response::from_parts(parts, Body::from(body));
            };
            if let Some(page) = cache.get(&key) {
                return page.respond(coding, if_none_match.as_deref(), true);
            }
            // Compressing at the highest levels takes a few milliseconds: not on the runtime's
            // threads that answer other requests.
            let headers = parts.headers.clone();
            let route = parts.extensions.get::<MatchedPath>().cloned();
            let page = tokio::task::spawn_blocking(move || CachedPage::new(generation, headers, body, route)).await;
            match page {
                Ok(page) => {
                    let response = page.respond(coding, if_none_match.as_deref(), false);
                    cache.put(key, Arc::new(page));
                    response
                }
                Err(error) => {
                    tracing::error!(%error, "response could not be compressed for the cache");
                    internal_error()
                }
            }
        }
        Err(error) => {
            tracing::error!(%error, "response could not be buffered for the cache");
            internal_error()
        }
    }
}

fn internal_error() -> Response {
    let mut failed = Response::new(Body::empty());
    *failed.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    failed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_keeps_only_the_parameters_pages_read() {
        let key = |uri: &str| cache_key(&uri.parse().unwrap()).unwrap();
        assert_eq!(key("/bg/posts?x=1&page=2&utm_source=a"), "/bg/posts?page=2");
        assert_eq!(
            key("/bg/posts?category=news&page=2"),
            key("/bg/posts?page=2&category=news")
        );
        assert_eq!(key("/bg/?source=pwa"), "/bg/");
        assert_eq!(cache_key(&"/pkg/app.js".parse().unwrap()), None);
        assert_eq!(cache_key(&"/".parse().unwrap()), None);
        assert_eq!(key("/bg/events?when=past"), "/bg/events?when=past");
        // Spelled differently, read the same by the router: the same key, never another page's.
        assert_eq!(key("/bg/events?wh%65n=past"), "/bg/events?when=past");
        assert_eq!(key("/bg/posts?page=1&page=2"), "/bg/posts?page=2");
        // Read as the page reads them: an invented value is the page it shows, not a new key.
        assert_eq!(key("/bg/posts?page=x7"), key("/bg/posts?page=1"));
        assert_eq!(key("/bg/posts?page=99999999"), key("/bg/posts?page=1"));
        assert_eq!(key("/bg/posts?page=02"), key("/bg/posts?page=2"));
        assert_eq!(key("/bg/events?when=soon"), key("/bg/events?when=upcoming"));
        assert_ne!(key("/bg/events?when=past"), key("/bg/events?when=upcoming"));
    }

    #[test]
    fn data_is_kept_only_for_queries_read_without_doubt() {
        let key = |uri: &str| cache_key(&uri.parse().unwrap());
        assert_eq!(
            key("/api/posts/page?slug=a&lang=bg").as_deref(),
            Some("/api/posts/page?lang=bg&slug=a")
        );
        assert_eq!(key("/api/posts/page?lang=bg&slug=a&slug=b"), None);
        assert_eq!(
            key("/api/posts/list?lang=bg&page=abc").as_deref(),
            Some("/api/posts/list?lang=bg&page=1")
        );
        assert_eq!(key("/api/posts/page?lang=bg&slug=a&x=1"), None);
        assert_eq!(key("/api/site/stats").as_deref(), Some("/api/site/stats"));
    }

    #[tokio::test]
    async fn visitors_of_a_page_being_rendered_wait_for_that_render() {
        let cache = PageCache::default();
        let Turn::First(first) = cache.turn("/bg/posts/a").await else {
            panic!("the first visitor renders");
        };
        // Another page is not held up.
        assert!(matches!(cache.turn("/bg/posts/b").await, Turn::First(_)));
        let second = cache.turn("/bg/posts/a");
        tokio::pin!(second);
        assert!(
            tokio::time::timeout(Duration::from_millis(50), &mut second)
                .await
                .is_err(),
            "the second visitor waits while the first renders"
        );
        drop(first);
        assert!(matches!(second.await, Turn::Waited));
        // Once the render has ended the next visitor is first again (the page was not kept).
        assert!(matches!(cache.turn("/bg/posts/a").await, Turn::First(_)));
        // A page found not to be kept: its visitors render side by side.
        let rendering = cache.turn("/bg/events/a").await;
        cache.not_kept("/bg/events/a");
        drop(rendering);
        assert!(matches!(cache.turn("/bg/events/a").await, Turn::Alone));
        // …until it is kept after all.
        let page = CachedPage::new(0, HeaderMap::new(), Bytes::from_static(b"kept"), None);
        cache.put("/bg/events/a".into(), Arc::new(page));
        assert!(matches!(cache.turn("/bg/events/a").await, Turn::First(_)));
        // An invented address of any length takes no place in the maps.
        let long = format!("/bg/{}", "x".repeat(MAX_WAITED_KEY));
        let _first = cache.turn(&long).await;
        assert!(matches!(cache.turn(&long).await, Turn::Alone));
        assert!(
            cache
                .rendering
                .lock()
                .unwrap()
                .keys()
                .all(|key| key.len() <= MAX_WAITED_KEY)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_render_that_hangs_holds_its_visitors_up_for_a_while_only() {
        let cache = PageCache::default();
        let _hung = cache.turn("/bg/posts/a").await;
        assert!(matches!(cache.turn("/bg/posts/a").await, Turn::Alone));
    }

    #[test]
    fn brotli_s_window_just_holds_the_body() {
        assert_eq!(window_bits(0), 10);
        assert_eq!(window_bits(1008), 10);
        assert_eq!(window_bits(1009), 11);
        assert_eq!(window_bits(50_686), 16);
        assert_eq!(window_bits(65_520), 16);
        assert_eq!(window_bits(65_521), 17);
        assert_eq!(window_bits(MAX_PAGE_BYTES), 20);
        assert_eq!(window_bits(usize::MAX), 24);
    }

    #[test]
    fn keeps_each_coding_and_answers_a_current_copy_with_304() {
        let body = Bytes::from("<p>Лятно парти</p>".repeat(50));
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache"));
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("script-src 'sha256-x'"),
        );
        let page = CachedPage::new(0, headers, body.clone(), None);
        assert!(page.brotli.len() < page.gzip.len() && page.gzip.len() < body.len());
        let mut plain = Vec::new();
        brotli::BrotliDecompress(&mut &page.brotli[..], &mut plain).unwrap();
        assert_eq!(plain, body);
        let response = page.respond(Coding::Brotli, None, false);
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(response.headers()[header::VARY], "accept-encoding");
        let etag = response.headers()[header::ETAG].to_str().unwrap().to_owned();
        assert!(
            page.respond(Coding::Identity, None, false)
                .headers()
                .get(header::CONTENT_ENCODING)
                .is_none()
        );
        let again = page.respond(Coding::Gzip, Some(&etag), true);
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(again.headers()[header::ETAG], etag.as_str());
        // The browser refreshes its copy's headers from a 304: they must be the page's own.
        assert_eq!(again.headers()[header::CACHE_CONTROL], "public, no-cache");
        assert_eq!(
            again.headers()[header::CONTENT_SECURITY_POLICY],
            "script-src 'sha256-x'"
        );
    }

    #[test]
    fn invented_query_values_cannot_grow_the_cache_past_its_byte_budget() {
        let cache = PageCache::default();
        let body = Bytes::from(vec![b'x'; 600 * 1024]);
        for i in 0..30 {
            let page = CachedPage::new(0, HeaderMap::new(), body.clone(), None);
            cache.put(format!("/bg/posts?page=junk{i}"), Arc::new(page));
        }
        let pages = cache.pages.read().unwrap();
        let held: usize = pages.values().map(|p| p.bytes()).sum();
        assert!(held <= MAX_BYTES, "{held} bytes held");
        // The newest are kept, the oldest made room.
        assert!(pages.contains_key("/bg/posts?page=junk29"));
        assert!(!pages.contains_key("/bg/posts?page=junk0"));
    }
}
