//! The few pages the server answers without the app (too many attempts, a refused cross-site
//! request): small, localized, every inserted text escaped, styled by one inline stylesheet
//! that the Content-Security-Policy lists by hash.
use crate::domain::Lang;
use crate::error::AppError;
use crate::i18n::*;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// The stylesheet of these pages (its hash is in the CSP).
pub const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;\
line-height:1.6;color:#1b2421}a{color:#0b5d4b}";

/// A message page in `lang` with a link `back` (a same-origin path).
pub fn render(lang: Lang, title: &str, text: &str, back: &str) -> String {
    use html_escape::{encode_double_quoted_attribute as attr, encode_text as text_of};
    let locale = Locale::from(lang);
    format!(
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <style>{STYLE}</style></head><body><main><h1>{title}</h1><p>{text}</p>\
         <p><a href=\"{back}\">{link}</a></p></main></body></html>",
        code = lang.code(),
        title = text_of(title),
        text = text_of(text),
        back = attr(back),
        link = text_of(td_string!(locale, back)),
    )
}

/// Whether the request is a page's form post (the browser wants a page), as opposed to the
/// app's or the service worker's own requests (they want the server function's JSON).
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// The path of this site a request came from (`Referer`), if any.
pub fn referring_path(headers: &HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let after_scheme = &referer[referer.find("://")? + 3..];
    let path = &after_scheme[after_scheme.find('/')?..];
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_owned())
}

/// The answer to a refused request: a page for a form post, the server function's error for
/// the app. `page` gives the page's title and text in a language.
pub fn refusal(
    status: StatusCode,
    error: AppError,
    request_headers: &HeaderMap,
    path: &str,
    page: impl Fn(Locale) -> (String, String),
) -> Response {
    if wants_html(request_headers) {
        // A form posted from one of our pages: its language and the way back.
        let back = crate::locale::lang_of_path(path)
            .map(|_| path.to_owned())
            .or_else(|| referring_path(request_headers))
            .unwrap_or_else(|| "/".to_owned());
        let lang = crate::locale::lang_of_path(&back).unwrap_or_default();
        let (title, text) = page(Locale::from(lang));
        (status, Html(render(lang, &title, &text, &back))).into_response()
    } else {
        let body = serde_json::to_string(&error).unwrap_or_default();
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserted_text_is_escaped() {
        let html = render(Lang::En, "<b>", "a & b", "/en/\"><script>alert(1)</script>");
        assert!(html.contains("<title>&lt;b&gt;</title>"), "{html}");
        assert!(html.contains("a &amp; b"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("href=\"/en/&quot;&gt;&lt;script&gt;"), "{html}");
    }

    #[test]
    fn only_same_site_paths_are_taken_from_the_referer() {
        let mut headers = HeaderMap::new();
        headers.insert(header::REFERER, "https://portal.test/bg/events/x?a=1".parse().unwrap());
        assert_eq!(referring_path(&headers).as_deref(), Some("/bg/events/x?a=1"));
        headers.insert(header::REFERER, "https://evil.test//evil.example/".parse().unwrap());
        assert_eq!(referring_path(&headers), None);
    }
}
