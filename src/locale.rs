//! Glue between the URL language (`/bg/…`, `/en/…`), leptos_i18n and the domain `Lang`.
use crate::domain::Lang;
use crate::i18n::Locale;

impl From<Lang> for Locale {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Bg => Locale::bg,
            Lang::En => Locale::en,
        }
    }
}

impl From<Locale> for Lang {
    fn from(locale: Locale) -> Self {
        match locale {
            Locale::bg => Lang::Bg,
            Locale::en => Lang::En,
        }
    }
}

/// The language a path belongs to by its first segment, if it names one.
pub fn lang_of_path(path: &str) -> Option<Lang> {
    path.trim_start_matches('/').split('/').next()?.parse().ok()
}

/// The same page in another language: `/bg/posts/x?page=2` → `/en/posts/x?page=2`.
/// A path outside the language tree leads to the other language's home.
pub fn path_in_lang(path_and_query: &str, lang: Lang) -> String {
    let rest = path_and_query.trim_start_matches('/');
    match rest.split_once(['/', '?']) {
        Some((first, _)) if first.parse::<Lang>().is_ok() => {
            format!("/{}{}", lang.code(), &rest[first.len()..])
        }
        _ => format!("/{}/", lang.code()),
    }
}

/// Builds a path inside a language tree: `href(Lang::En, "posts")` → `/en/posts`.
pub fn href(lang: Lang, rest: &str) -> String {
    format!("/{}/{}", lang.code(), rest.trim_start_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_language_keeps_the_page_and_query() {
        assert_eq!(
            path_in_lang("/bg/posts/summer-art-party", Lang::En),
            "/en/posts/summer-art-party"
        );
        assert_eq!(
            path_in_lang("/en/posts?category=culture&page=2", Lang::Bg),
            "/bg/posts?category=culture&page=2"
        );
        assert_eq!(path_in_lang("/bg/", Lang::En), "/en/");
        assert_eq!(path_in_lang("/bg", Lang::En), "/en/");
        assert_eq!(path_in_lang("/nowhere", Lang::En), "/en/");
    }

    #[test]
    fn finds_the_language_of_a_path() {
        assert_eq!(lang_of_path("/en/posts"), Some(Lang::En));
        assert_eq!(lang_of_path("/bg"), Some(Lang::Bg));
        assert_eq!(lang_of_path("/"), None);
        assert_eq!(lang_of_path("/pkg/app.js"), None);
    }

    #[test]
    fn builds_paths_inside_a_language() {
        assert_eq!(href(Lang::En, "posts"), "/en/posts");
        assert_eq!(href(Lang::Bg, ""), "/bg/");
    }
}
