//! `<head>` metadata of a page: title, description, canonical URL, hreflang alternates,
//! OpenGraph; and JSON-LD structured data.
use super::use_lang;
use crate::domain::Lang;
use crate::i18n::*;
use crate::locale::href;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// The public origin of the site (`https://portal.example`), for absolute URLs.
pub fn site_origin() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::server::AppState>()
            .map(|state| state.config.public_url.trim_end_matches('/').to_owned())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        window().location().origin().unwrap_or_default()
    }
}

/// Head tags of a page. `path` is the page's path inside the language tree (`posts/x`);
/// `None` marks a page that search engines should not index (errors). `languages` lists the
/// languages the page's content is written in, when not both (an untranslated post): only
/// those are named as alternates, and the canonical address is one of them.
#[component]
pub fn PageMeta(
    title: String,
    description: String,
    path: Option<String>,
    #[prop(optional, into)] og_type: Option<&'static str>,
    #[prop(optional, into)] image: Option<String>,
    #[prop(optional)] languages: Option<Vec<Lang>>,
) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let origin = site_origin();
    let site_name = td_string!(locale, portal_short_name).to_string();
    let full_title = title_text(&format!("{title} · {site_name}"));
    let Some(path) = path else {
        return view! {
            <Title text=full_title />
            <Meta name="robots" content="noindex" />
        }
        .into_any();
    };
    let url_in = |lang: Lang| format!("{origin}{}", href(lang, &path));
    let image = image.map(|src| format!("{origin}{src}"));
    let languages = languages
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| Lang::ALL.to_vec());
    let canonical = if languages.contains(&lang) { lang } else { languages[0] };
    let default = if languages.contains(&Lang::Bg) {
        Lang::Bg
    } else {
        languages[0]
    };
    view! {
        <Title text=full_title.clone() />
        <Meta name="description" content=description.clone() />
        <Link rel="canonical" href=url_in(canonical) />
        {languages.iter().map(|l| view! { <Link rel="alternate" hreflang=l.code() href=url_in(*l) /> }).collect_view()}
        <Link rel="alternate" hreflang="x-default" href=url_in(default) />
        <Meta property="og:site_name" content=site_name />
        <Meta property="og:type" content=og_type.unwrap_or("website") />
        <Meta property="og:title" content=title />
        <Meta property="og:description" content=description />
        <Meta property="og:url" content=url_in(lang) />
        <Meta property="og:locale" content=lang.og_locale() />
        <Meta property="og:locale:alternate" content=lang.other().og_locale() />
        {image.map(|src| view! { <Meta property="og:image" content=src /> })}
    }
    .into_any()
}

/// The text for leptos_meta's `<Title>`. On the server it is escaped here: leptos_meta 0.8
/// writes the title into the page as it is (`</title><script>` in a post's title would end the
/// element and start markup). In the browser it sets `document.title`, which takes text.
fn title_text(text: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        html_escape::encode_text(text).into_owned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        text.to_owned()
    }
}

/// Structured data for search engines. `<` is escaped so the JSON can never close the script.
#[component]
pub fn JsonLd(data: serde_json::Value) -> impl IntoView {
    let json = data.to_string().replace('<', "\\u003c");
    view! { <script type="application/ld+json" inner_html=json></script> }
}
