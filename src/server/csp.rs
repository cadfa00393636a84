//! The Content-Security-Policy of HTML pages. Nothing inline runs unless its hash is listed:
//! the stylesheet the server inlines, and the few bootstrap scripts Leptos' renderer writes
//! into every page (always the same text now that page data is not serialised). Scripts,
//! wasm, images, the manifest and the worker come from this origin only.
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

/// Inline scripts of Leptos' server rendering (`leptos` 0.8, islands, no serialised resources)
/// and leptos_i18n's empty placeholder. `tests/pages.rs` checks that every inline script of a
/// page is covered, so a Leptos update that changes them fails the tests, not the visitors.
const LEPTOS_INLINE_SCRIPTS: &[&str] = &[
    "",
    "__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];",
    "__INCOMPLETE_CHUNKS=[];",
];

/// The CSP source expression allowing an inline `<script>` or `<style>` with this text.
pub fn source_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

#[derive(Debug, Clone)]
pub struct ContentSecurityPolicy(HeaderValue);

impl ContentSecurityPolicy {
    /// The policy for pages that inline `css` (the bundle's stylesheet), if any.
    pub fn new(css: Option<&str>) -> ContentSecurityPolicy {
        let scripts: Vec<String> = LEPTOS_INLINE_SCRIPTS.iter().map(|s| source_hash(s)).collect();
        // The app's inline stylesheet, and that of the server's own message pages (429, 403).
        let style = css
            .into_iter()
            .chain([super::plain_page::STYLE])
            .map(source_hash)
            .collect::<Vec<_>>()
            .join(" ");
        let policy = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self' {style}; \
             img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            scripts.join(" ")
        );
        ContentSecurityPolicy(
            HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
        )
    }
}

/// Middleware: puts the policy on every response. Pages need it most, but it also keeps a
/// cover SVG or any file opened directly from running script, and the service worker from
/// reaching other origins.
pub async fn add(State(policy): State<ContentSecurityPolicy>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy.0);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_as_browsers_do() {
        // The empty script's hash, as Chromium reports it in a CSP violation.
        assert_eq!(source_hash(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
    }

    #[test]
    fn lists_the_inline_stylesheet_and_nothing_unsafe_inline() {
        let policy = ContentSecurityPolicy::new(Some("body{margin:0}")).0;
        let policy = policy.to_str().unwrap();
        assert!(policy.contains(&source_hash("body{margin:0}")));
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("frame-ancestors 'none'"));
    }
}
