//! Language in URLs: `/` goes to `/bg/` or `/en/` (cookie, then `Accept-Language`, then
//! Bulgarian); `/bg` becomes `/bg/`; visiting a language remembers it in a cookie.
use crate::domain::Lang;
use crate::locale::lang_of_path;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

pub const LANG_COOKIE: &str = "lang";

fn cookie_lang(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANG_COOKIE)
        .and_then(|(_, value)| value.parse().ok())
}

/// The language a visitor of `/` should see.
pub fn preferred_lang(headers: &HeaderMap) -> Lang {
    cookie_lang(headers)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// `GET /`
pub async fn root(headers: HeaderMap) -> Response {
    let lang = preferred_lang(&headers);
    let mut response = Redirect::to(&format!("/{}/", lang.code())).into_response();
    // The answer differs per visitor: never let a shared cache keep it.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Cookie, Accept-Language"));
    response
}

/// Whether a request is the visitor opening a page, as opposed to the service worker precaching
/// both languages' offline pages (which must not change the language they chose). Browsers say
/// so in `Sec-Fetch-Mode`; without it (other clients) every page counts.
fn opened_by_the_visitor(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-mode")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|mode| mode == "navigate")
}

/// The cookie remembering `lang`; `Secure` when the site is served over https.
fn lang_cookie(lang: Lang, https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        lang.code()
    )
}

/// Middleware: `/bg` → `/bg/` (permanent).
pub async fn lang_paths(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if let Some(lang) = lang_of_path(path)
        && path.len() == 3
    {
        let query = request.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
        return Redirect::permanent(&format!("/{}/{query}", lang.code())).into_response();
    }
    next.run(request).await
}

/// Middleware: a cookie remembering the language of the pages a visitor opens, set only when
/// it changes. Outside the page cache: the cookie is the visitor's, the page everyone's.
/// `https`: the public URL is https.
pub async fn remember_lang(State(https): State<bool>, request: Request, next: Next) -> Response {
    let remember = lang_of_path(request.uri().path()).filter(|lang| {
        request.method() == Method::GET
            && opened_by_the_visitor(request.headers())
            && cookie_lang(request.headers()) != Some(*lang)
    });
    let mut response = next.run(request).await;
    if let Some(lang) = remember
        && response.status().is_success()
        && let Ok(cookie) = HeaderValue::from_str(&lang_cookie(lang, https))
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn the_cookie_is_secure_over_https() {
        assert_eq!(
            lang_cookie(Lang::En, true),
            "lang=en; Path=/; Max-Age=31536000; SameSite=Lax; Secure"
        );
        assert!(!lang_cookie(Lang::Bg, false).contains("Secure"));
    }

    #[test]
    fn cookie_wins_over_accept_language() {
        let h = headers(&[(header::COOKIE, "theme=dark; lang=en"), (header::ACCEPT_LANGUAGE, "bg")]);
        assert_eq!(preferred_lang(&h), Lang::En);
    }

    #[test]
    fn accept_language_then_bulgarian() {
        assert_eq!(
            preferred_lang(&headers(&[(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9")])),
            Lang::En
        );
        assert_eq!(
            preferred_lang(&headers(&[(header::ACCEPT_LANGUAGE, "de-DE")])),
            Lang::Bg
        );
        assert_eq!(preferred_lang(&headers(&[(header::COOKIE, "lang=xx")])), Lang::Bg);
    }
}
