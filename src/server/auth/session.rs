//! The session cookie: a random token the browser holds; the store keeps its SHA-256 only.
//! `HttpOnly` (no script reads it), `SameSite=Lax` (no cross-site POST carries it), `Path=/`,
//! and under https `Secure` with the `__Host-` prefix (no subdomain can set or shadow it).
use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A session ends after this long without a request…
pub const IDLE_SECONDS: i64 = 12 * 3600;
/// …and this long after sign-in in any case.
pub const ABSOLUTE_SECONDS: i64 = 7 * 86_400;

const TOKEN_BYTES: usize = 32;

/// The cookie's name: `__Host-session` under https, `session` on plain http (development).
pub fn cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-session" } else { "session" }
}

/// A fresh token for the cookie, and the hash the store keeps.
pub fn new_token() -> (String, [u8; 32]) {
    let mut bytes = [0u8; TOKEN_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The session token a request carries, if any.
pub fn token_of(headers: &HeaderMap, secure: bool) -> Option<String> {
    let name = cookie_name(secure);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_owned())
        .filter(|token| !token.is_empty() && token.len() <= 64)
}

/// `Set-Cookie` for a new session.
pub fn set_cookie(token: &str, secure: bool) -> HeaderValue {
    cookie_header(token, ABSOLUTE_SECONDS, secure)
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    cookie_header("", 0, secure)
}

fn cookie_header(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure_attribute = if secure { "; Secure" } else { "" };
    let text = format!(
        "{}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure_attribute}",
        cookie_name(secure)
    );
    // Base64url and fixed attributes only: always a valid header value.
    HeaderValue::from_str(&text).unwrap_or(HeaderValue::from_static("session=; Max-Age=0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_http_only_lax_and_host_bound_under_https() {
        let value = set_cookie("abc", true);
        let text = value.to_str().unwrap();
        assert!(text.starts_with("__Host-session=abc;"));
        for attribute in ["Path=/", "HttpOnly", "SameSite=Lax", "Secure", "Max-Age=604800"] {
            assert!(text.contains(attribute), "{text} lacks {attribute}");
        }
        assert!(!text.contains("Domain"));
        let plain = set_cookie("abc", false);
        assert!(!plain.to_str().unwrap().contains("Secure"));
        assert!(clear_cookie(true).to_str().unwrap().contains("Max-Age=0"));
    }

    #[test]
    fn the_token_is_read_from_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, "lang=bg; session=tok123; other=x".parse().unwrap());
        assert_eq!(token_of(&headers, false).as_deref(), Some("tok123"));
        assert_eq!(
            token_of(&headers, true),
            None,
            "under https only the __Host- cookie counts"
        );
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (first, hash) = new_token();
        let (second, _) = new_token();
        assert_ne!(first, second);
        assert_eq!(first.len(), 43);
        assert_eq!(hash, token_hash(&first));
    }
}
