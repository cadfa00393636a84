//! Finishes a server-rendered page before it is sent or cached: valid HTML, and the
//! Content-Security-Policy of exactly its inline scripts.
//!
//! Leptos writes its empty hydration markers as `<!>` (an HTML parse error; `<!---->` is the
//! same empty comment node) and its hydration data as scripts after `</html>` (parsed into the
//! body anyway, but invalid); both are written the valid way here. Each inline script Leptos
//! wrote (the hydration data differs on every page) is hashed for the page's policy. Only
//! scripts of the exact shapes Leptos writes are: its constant bootstrap lines, and resource
//! values assigned as JSON string literals, which cannot run code. A script anything else put
//! into the page (an injection that got past escaping and sanitising) is not listed, so the
//! browser refuses to run it: the policy stays a second line of defence.
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
            let runs = element.starts_with("<script")
                && !element.contains(" src=")
                && !element.contains("application/ld+json");
            if runs && is_leptos_script(text) {
                script_hashes.push(source_hash(text));
            } else if runs {
                tracing::warn!(
                    bytes = text.len(),
                    "an inline script of unknown shape in a page: not allowed to run"
                );
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

/// Whether `text` is one of the inline scripts Leptos' server rendering writes (leptos 0.8):
/// empty (leptos_i18n's placeholder), the bootstrap of its hydration globals, the end of its
/// chunks, or values assigned to `__RESOLVED_RESOURCES[n]` as string literals (Rust's `{:?}`
/// of the value, which JavaScript reads as the same string).
fn is_leptos_script(text: &str) -> bool {
    const INCOMPLETE_CHUNKS: &str = "__INCOMPLETE_CHUNKS=[];";
    if text.is_empty() || text == INCOMPLETE_CHUNKS {
        return true;
    }
    if let Some(pending) = text
        .strip_prefix("__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[")
        .and_then(|rest| rest.strip_suffix("];__RESOURCE_RESOLVERS=[];"))
    {
        return pending.chars().all(|c| c.is_ascii_digit() || c == ',');
    }
    let mut rest = text;
    while !rest.is_empty() {
        let Some(after) = rest.strip_prefix("__RESOLVED_RESOURCES[") else {
            return false;
        };
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let Some(value) = after[digits..].strip_prefix("] = ").filter(|_| digits > 0) else {
            return false;
        };
        let Some(end) = string_literal_end(value) else {
            return false;
        };
        let Some(next) = value[end..].strip_prefix(';') else {
            return false;
        };
        rest = next;
    }
    true
}

/// The length of the string literal `text` starts with (quotes included), if it is one that
/// only makes a string: no raw control characters, and only the escapes Rust's `{:?}` writes
/// (`\n \r \t \0 \\ \" \'`, `\u{…}` for a line separator and the like) and Leptos' `\u003c`.
fn string_literal_end(text: &str) -> Option<usize> {
    let body = text.strip_prefix('"')?;
    let mut chars = body.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return Some(at + 2),
            '\\' => match chars.next()?.1 {
                'n' | 'r' | 't' | '0' | '\\' | '"' | '\'' => {}
                'u' => {
                    let rest = &body[at + 2..];
                    let hex_len = if let Some(braced) = rest.strip_prefix('{') {
                        let digits = braced.find('}')?;
                        let hex = braced[..digits].bytes().all(|b| b.is_ascii_hexdigit());
                        (hex && (1..=6).contains(&digits)).then_some(())?;
                        u32::from_str_radix(&braced[..digits], 16)
                            .ok()
                            .and_then(char::from_u32)?;
                        digits + 2
                    } else {
                        let digits = rest.get(..4)?;
                        digits.bytes().all(|b| b.is_ascii_hexdigit()).then_some(())?;
                        4
                    };
                    for _ in 0..hex_len {
                        chars.next()?;
                    }
                }
                _ => return None,
            },
            c if c.is_control() => return None,
            _ => {}
        }
    }
    None
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

    const DATA: &str = r#"__RESOLVED_RESOURCES[0] = "{\"Ok\":\"<!>\"}";__RESOLVED_RESOURCES[12] = "1";"#;

    #[test]
    fn writes_empty_markers_as_valid_comments_but_leaves_scripts_as_they_are() {
        let page = finish(&format!(
            "<html><body><p><!>a<!---->b</p><script>{DATA}</script></body></html>"
        ));
        assert_eq!(
            page.html,
            format!("<html><body><p><!---->a<!---->b</p><script>{DATA}</script></body></html>")
        );
        assert_eq!(page.script_hashes, vec![source_hash(DATA)]);
    }

    #[test]
    fn allows_the_scripts_leptos_writes_and_nothing_else() {
        for leptos in [
            "",
            "__INCOMPLETE_CHUNKS=[];",
            "__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[0,2,4,];__RESOURCE_RESOLVERS=[];",
            DATA,
            // A title pasted from a word processor: a line separator, as Rust's `{:?}` writes it.
            &format!(
                "__RESOLVED_RESOURCES[3] = {:?};",
                "{\"title\":\"a\u{2028}b\\u003c/script>\0 'q'\"}"
            ),
            r#"__RESOLVED_RESOURCES[4] = "\u003cb>";"#,
        ] {
            assert!(is_leptos_script(leptos), "{leptos}");
        }
        for injected in [
            "alert(1)",
            "__RESOLVED_RESOURCES[0] = alert(1);",
            r#"__RESOLVED_RESOURCES[0] = "x";alert(1)"#,
            r#"__RESOLVED_RESOURCES[0] = "x"+alert(1);"#,
            r#"__RESOLVED_RESOURCES[] = "x";"#,
            "__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[alert(1)];__RESOURCE_RESOLVERS=[];",
            r#"__RESOLVED_RESOURCES[0] = "unterminated;"#,
            r#"__RESOLVED_RESOURCES[0] = "\x41";"#,
            r#"__RESOLVED_RESOURCES[0] = "\u{110000}";"#,
            "__RESOLVED_RESOURCES[0] = \"a\nb\";",
        ] {
            assert!(!is_leptos_script(injected), "{injected}");
        }
        let page = finish("<html><body><p>hi</p><script>alert(document.cookie)</script></body></html>");
        assert!(
            page.script_hashes.is_empty(),
            "an injected script must not be allowed to run"
        );
    }

    #[test]
    fn moves_the_scripts_after_the_document_into_its_body() {
        let page = finish(&format!(
            "<html><body><main></main></body></html><script>{DATA}</script><script>__INCOMPLETE_CHUNKS=[];</script>"
        ));
        assert_eq!(
            page.html,
            format!(
                "<html><body><main></main><script>{DATA}</script><script>__INCOMPLETE_CHUNKS=[];</script></body></html>"
            )
        );
        assert_eq!(page.script_hashes.len(), 2);
    }

    #[test]
    fn hashes_only_inline_scripts_that_run() {
        let page = finish(
            "<html><head><script type=\"module\" src=\"/pwa.js\"></script><style>p{}</style></head>\
             <body><script type=\"application/ld+json\">{}</script><script>__INCOMPLETE_CHUNKS=[];</script></body></html>",
        );
        assert_eq!(page.script_hashes, vec![source_hash("__INCOMPLETE_CHUNKS=[];")]);
    }
}
