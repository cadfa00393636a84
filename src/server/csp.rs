//! The Content-Security-Policy. Nothing inline runs unless its hash is listed: the stylesheet
//! the server inlines in every page, and each inline script of a page (Leptos' bootstrap and
//! hydration data, different on every page), hashed when the page is rendered and kept with it
//! by the page cache (`html_page`). Scripts, wasm, images, the manifest and the worker come
//! from this origin only.
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The CSP source expression allowing an inline `<script>` or `<style>` with this text.
pub fn source_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

#[derive(Debug, Clone)]
pub struct ContentSecurityPolicy {
    /// Hashes of the inline stylesheets (the app's and that of the server's message pages).
    styles: String,
    /// The policy of any response without inline scripts.
    base: HeaderValue,
}

impl ContentSecurityPolicy {
    /// The policy for pages that inline `css` (the bundle's stylesheet), if any.
    pub fn new(css: Option<&str>) -> ContentSecurityPolicy {
        let styles = css
            .into_iter()
            .chain([super::plain_page::STYLE])
            .map(source_hash)
            .collect::<Vec<_>>()
            .join(" ");
        let base = policy(&styles, &[]);
        ContentSecurityPolicy { styles, base }
    }

    /// The policy of a page whose inline scripts have these hashes.
    pub fn with_scripts(&self, script_hashes: &[String]) -> HeaderValue {
        policy(&self.styles, script_hashes)
    }
}

fn policy(styles: &str, script_hashes: &[String]) -> HeaderValue {
    let scripts = script_hashes.join(" ");
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {scripts}; style-src 'self' {styles}; \
         img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

/// Middleware: puts the policy on every response that has none of its own (pages carry theirs,
/// with their scripts' hashes). Pages need it most, but it also keeps a cover SVG or any file
/// opened directly from running script, and the service worker from reaching other origins.
pub async fn add(State(policy): State<ContentSecurityPolicy>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if !response.headers().contains_key(header::CONTENT_SECURITY_POLICY) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy.base);
    }
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
    fn lists_the_inline_stylesheet_and_the_page_scripts_and_nothing_unsafe_inline() {
        let csp = ContentSecurityPolicy::new(Some("body{margin:0}"));
        let page = csp.with_scripts(&[source_hash("x=1")]);
        let page = page.to_str().unwrap();
        assert!(page.contains(&source_hash("body{margin:0}")));
        assert!(page.contains(&source_hash("x=1")));
        assert!(!page.contains("unsafe-inline"));
        assert!(page.contains("frame-ancestors 'none'"));
        assert!(!csp.base.to_str().unwrap().contains(&source_hash("x=1")));
    }
}
