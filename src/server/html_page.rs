//! Finishes a server-rendered page before it is sent or cached: valid HTML, and the
//! Content-Security-Policy of exactly its inline scripts.
//!
//! Leptos writes its empty hydration markers as `<!>` (an HTML parse error; `<!---->` is the
//! same empty comment node) and its hydration data as scripts after `</html>` (parsed into the
//! body anyway, but invalid); both are written the valid way here. Each inline script (the
//! hydration data differs on every page) is hashed for the page's policy, so nothing inline
//! runs that the server did not write.
use super::csp::{ContentSecurityPolicy, source_hash};
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Largest page finished (larger ones are not ours).
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

/// A page made valid, with the hashes of its inline scripts.
#[derive(Debug, PartialEq, Eq)]
pub struct FinishedPage {
    pub html: String,
    pub script_hashes: Vec<String>,
}

pub fn finish(html: &str) -> FinishedPage {
    let (document, trailing) = match html.rfind("</html>") {
        Some(end) => html.split_at(end + "</html>".len()),
        None => (html, ""),
    };
    let document = match (trailing.trim(), document.rfind("</body>")) {
        ("", _) | (_, None) => document.to_owned(),
        (trailing, Some(body_end)) => format!("{}{trailing}{}", &document[..body_end], &document[body_end..]),
    };
    let mut out = String::with_capacity(document.len() + 256);
    let mut script_hashes = Vec::new();
    let mut rest = document.as_str();
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("<!>") {
            out.push_str("<!---->");
            rest = after;
        } else if let Some((element, text, after)) = raw_text_element(rest) {
            if element.starts_with("<script") && !element.contains(" src=") && !element.contains("application/ld+json")
            {
                script_hashes.push(source_hash(text));
            }
            out.push_str(&rest[..rest.len() - after.len()]);
            rest = after;
        } else {
            out.push('<');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    script_hashes.sort();
    script_hashes.dedup();
    FinishedPage {
        html: out,
        script_hashes,
    }
}

/// `<script …>text</script>` or `<style …>text</style>` at the start of `html`: its start tag,
/// its text (copied as it is) and what follows it.
fn raw_text_element(html: &str) -> Option<(&str, &str, &str)> {
    let name = ["script", "style"]
        .into_iter()
        .find(|name| html[1..].starts_with(name) && matches!(html.as_bytes().get(1 + name.len()), Some(b' ' | b'>')))?;
    let tag_end = html.find('>')? + 1;
    let close = format!("</{name}>");
    let text_end = tag_end + html[tag_end..].find(&close)?;
    Some((
        &html[..tag_end],
        &html[tag_end..text_end],
        &html[text_end + close.len()..],
    ))
}

/// Middleware over the page routes, inside the page cache (which keeps the finished page and
/// its policy).
pub async fn finish_pages(State(policy): State<ContentSecurityPolicy>, request: Request, next: Next) -> Response {
    finish_response(&policy, next.run(request).await).await
}

/// `response` finished, if it is an HTML page.
pub async fn finish_response(policy: &ContentSecurityPolicy, response: Response) -> Response {
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html || response.headers().contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "page could not be read to finish it");
            let mut failed = Response::new(Body::empty());
            *failed.status_mut() = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
            return failed;
        }
    };
    let page = finish(&String::from_utf8_lossy(&bytes));
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_SECURITY_POLICY,
        policy.with_scripts(&page.script_hashes),
    );
    parts
        .headers
        .entry(header::CONTENT_TYPE)
        .or_insert(HeaderValue::from_static("text/html; charset=utf-8"));
    Response::from_parts(parts, Body::from(page.html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_empty_markers_as_valid_comments_but_leaves_scripts_as_they_are() {
        let page = finish("<html><body><p><!>a<!---->b</p><script>x=\"<!>\"</script></body></html>");
        assert_eq!(
            page.html,
            "<html><body><p><!---->a<!---->b</p><script>x=\"<!>\"</script></body></html>"
        );
        assert_eq!(page.script_hashes, vec![source_hash("x=\"<!>\"")]);
    }

    #[test]
    fn moves_the_scripts_after_the_document_into_its_body() {
        let page = finish("<html><body><main></main></body></html><script>a=1</script><script>b=2</script>");
        assert_eq!(
            page.html,
            "<html><body><main></main><script>a=1</script><script>b=2</script></body></html>"
        );
        assert_eq!(page.script_hashes.len(), 2);
    }

    #[test]
    fn hashes_only_inline_scripts_that_run() {
        let page = finish(
            "<html><head><script type=\"module\" src=\"/pwa.js\"></script><style>p{}</style></head>\
             <body><script type=\"application/ld+json\">{}</script><script>c=3</script></body></html>",
        );
        assert_eq!(page.script_hashes, vec![source_hash("c=3")]);
    }
}
