//! Discovery for search engines: `/sitemap.xml` (an index of `/sitemaps/{n}.xml` files of at
//! most 50 000 addresses each, as the protocol requires) with every public page in each
//! language it is written in and its hreflang alternates, and `/robots.txt` pointing at it.
use super::AppState;
use super::store::PostFilter;
use super::time::now;
use crate::domain::Lang;
use crate::events::model::EventsWhen;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

/// The protocol's limit of addresses in one file.
pub const URLS_PER_FILE: usize = 50_000;

/// A page in the languages it is written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePage {
    /// The path under the language (`posts/x`; empty for the home page).
    pub path: String,
    pub langs: Vec<Lang>,
    /// Unix seconds of the last change, when known.
    pub modified: Option<i64>,
}

fn address(origin: &str, lang: Lang, path: &str) -> String {
    format!("{origin}/{}/{path}", lang.code())
}

/// How many sitemap files `pages` take.
pub fn file_count(pages: &[SitePage], per_file: usize) -> usize {
    let urls: usize = pages.iter().map(|page| page.langs.len()).sum();
    urls.div_ceil(per_file).max(1)
}

/// The `file`th (from 0) sitemap of `pages`: one `<url>` per page and language, each with
/// every language of the page (and `x-default`, Bulgarian when written in it) as alternates.
pub fn urlset(origin: &str, pages: &[SitePage], file: usize, per_file: usize) -> std::io::Result<String> {
    let urls = pages
        .iter()
        .flat_map(|page| page.langs.iter().map(move |lang| (page, *lang)))
        .skip(file * per_file)
        .take(per_file);
    let mut writer = Writer::new(Vec::new());
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    writer
        .create_element("urlset")
        .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
        .with_attribute(("xmlns:xhtml", "http://www.w3.org/1999/xhtml"))
        .write_inner_content(|writer| {
            for (page, lang) in urls {
                writer.create_element("url").write_inner_content(|writer| {
                    writer
                        .create_element("loc")
                        .write_text_content(BytesText::new(&address(origin, lang, &page.path)))?;
                    if let Some(modified) = page.modified.and_then(|at| chrono::DateTime::from_timestamp(at, 0)) {
                        writer
                            .create_element("lastmod")
                            .write_text_content(BytesText::new(&modified.format("%Y-%m-%d").to_string()))?;
                    }
                    if page.langs.len() > 1 {
                        let default = if page.langs.contains(&Lang::Bg) {
                            Lang::Bg
                        } else {
                            page.langs[0]
                        };
                        let alternates = page
                            .langs
                            .iter()
                            .map(|lang| (lang.code(), *lang))
                            .chain(std::iter::once(("x-default", default)));
                        for (hreflang, lang) in alternates {
                            writer
                                .create_element("xhtml:link")
                                .with_attribute(("rel", "alternate"))
                                .with_attribute(("hreflang", hreflang))
                                .with_attribute(("href", address(origin, lang, &page.path).as_str()))
                                .write_empty()?;
                        }
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    String::from_utf8(writer.into_inner()).map_err(std::io::Error::other)
}

/// The sitemap index of `files` files.
pub fn index(origin: &str, files: usize) -> std::io::Result<String> {
    let mut writer = Writer::new(Vec::new());
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    writer
        .create_element("sitemapindex")
        .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
        .write_inner_content(|writer| {
            for file in 1..=files {
                writer.create_element("sitemap").write_inner_content(|writer| {
                    writer
                        .create_element("loc")
                        .write_text_content(BytesText::new(&format!("{origin}/sitemaps/{file}.xml")))?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    String::from_utf8(writer.into_inner()).map_err(std::io::Error::other)
}

/// Every public page: the sections, posts and events in the languages they are written in,
/// every NGO's profile in both.
async fn site_pages(state: &AppState) -> Result<Vec<SitePage>, crate::error::AppError> {
    let now = now();
    let both = || Lang::ALL.to_vec();
    let mut pages: Vec<SitePage> = ["", "posts", "events", "ngos"]
        .into_iter()
        .map(|path| SitePage {
            path: path.to_owned(),
            langs: both(),
            modified: None,
        })
        .collect();
    for post in state.store.posts(Lang::Bg, &PostFilter::everything(now)).await? {
        pages.push(SitePage {
            path: format!("posts/{}", post.slug),
            langs: if post.translated { both() } else { vec![post.lang] },
            modified: Some(post.published_at),
        });
    }
    for when in [EventsWhen::Upcoming, EventsWhen::Past] {
        for event in state.store.events(Lang::Bg, when, now, u32::MAX).await? {
            pages.push(SitePage {
                path: format!("events/{}", event.slug),
                langs: if event.translated { both() } else { vec![event.lang] },
                modified: (event.updated_at > 0).then_some(event.updated_at),
            });
        }
    }
    for (slug, ..) in state.store.ngo_slugs().await? {
        pages.push(SitePage {
            path: format!("ngos/{slug}"),
            langs: both(),
            modified: None,
        });
    }
    Ok(pages)
}

fn xml(body: std::io::Result<String>) -> Response {
    match body {
        Ok(body) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/xml; charset=utf-8"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
            ],
            body,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "sitemap not written");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn failed(error: crate::error::AppError) -> Response {
    StatusCode::from_u16(error.status_code())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        .into_response()
}

fn origin(state: &AppState) -> &str {
    state.config.public_url.trim_end_matches('/')
}

/// `GET /sitemap.xml`
pub async fn sitemap_index(State(state): State<AppState>) -> Response {
    match site_pages(&state).await {
        Ok(pages) => xml(index(origin(&state), file_count(&pages, URLS_PER_FILE))),
        Err(error) => failed(error),
    }
}

/// `GET /sitemaps/{n}.xml`, from 1.
pub async fn sitemap_file(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let number = file.strip_suffix(".xml").and_then(|n| n.parse::<usize>().ok());
    let pages = match site_pages(&state).await {
        Ok(pages) => pages,
        Err(error) => return failed(error),
    };
    match number {
        Some(number) if number >= 1 && number <= file_count(&pages, URLS_PER_FILE) => {
            xml(urlset(origin(&state), &pages, number - 1, URLS_PER_FILE))
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `GET /robots.txt`: everything public, but what only its owner should open (admin,
/// private registration links), data answers and searches; where the sitemap is.
pub async fn robots(State(state): State<AppState>) -> Response {
    let mut body = String::from("User-agent: *\nAllow: /\nDisallow: /api/\n");
    for lang in Lang::ALL {
        for private in ["admin/", "registrations/", "search"] {
            body.push_str(&format!("Disallow: /{}/{private}\n", lang.code()));
        }
    }
    body.push_str(&format!("\nSitemap: {}/sitemap.xml\n", origin(&state)));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::Reader;

    /// Each `<url>`'s `loc` and its alternates (`hreflang`, `href`), read back.
    fn read(xml: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut reader = Reader::from_str(xml);
        let mut urls: Vec<(String, Vec<(String, String)>)> = Vec::new();
        let mut in_loc = false;
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(start) if start.name().as_ref() == b"url" => urls.push((String::new(), Vec::new())),
                Event::Start(start) if start.name().as_ref() == b"loc" => in_loc = true,
                Event::End(end) if end.name().as_ref() == b"loc" => in_loc = false,
                Event::Text(text) if in_loc => {
                    if let Some(url) = urls.last_mut() {
                        url.0.push_str(&text.decode().expect("utf-8"));
                    }
                }
                Event::GeneralRef(reference) if in_loc => {
                    let name = reference.decode().expect("utf-8");
                    let resolved = quick_xml::escape::resolve_predefined_entity(&name).expect("an XML entity");
                    if let Some(url) = urls.last_mut() {
                        url.0.push_str(resolved);
                    }
                }
                Event::Empty(link) if link.name().as_ref() == b"xhtml:link" => {
                    let value = |name: &str| {
                        link.try_get_attribute(name)
                            .ok()
                            .flatten()
                            .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
                            .map(|v| v.into_owned())
                            .unwrap_or_default()
                    };
                    if let Some(url) = urls.last_mut() {
                        url.1.push((value("hreflang"), value("href")));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        urls
    }

    fn pages() -> Vec<SitePage> {
        vec![
            SitePage {
                path: String::new(),
                langs: Lang::ALL.to_vec(),
                modified: None,
            },
            SitePage {
                path: "posts/only-bg".to_owned(),
                langs: vec![Lang::Bg],
                modified: Some(1_721_552_400),
            },
            SitePage {
                path: "ngos/a&b".to_owned(),
                langs: Lang::ALL.to_vec(),
                modified: None,
            },
        ]
    }

    #[test]
    fn every_language_version_is_a_url_with_its_alternates() {
        let xml = urlset("https://ngo.example", &pages(), 0, URLS_PER_FILE).expect("written");
        let urls = read(&xml);
        let locs: Vec<&str> = urls.iter().map(|(loc, _)| loc.as_str()).collect();
        assert_eq!(
            locs,
            [
                "https://ngo.example/bg/",
                "https://ngo.example/en/",
                "https://ngo.example/bg/posts/only-bg",
                "https://ngo.example/bg/ngos/a&b",
                "https://ngo.example/en/ngos/a&b",
            ]
        );
        assert_eq!(
            urls[1].1,
            [
                ("bg".to_owned(), "https://ngo.example/bg/".to_owned()),
                ("en".to_owned(), "https://ngo.example/en/".to_owned()),
                ("x-default".to_owned(), "https://ngo.example/bg/".to_owned()),
            ]
        );
        assert!(urls[2].1.is_empty(), "a page in one language has no alternates");
        assert!(xml.contains("<lastmod>2024-07-21</lastmod>"));
        assert!(xml.contains("a&amp;b"), "escaped");
    }

    #[test]
    fn past_the_limit_the_addresses_go_into_more_files_and_the_index_lists_them() {
        let pages = pages();
        assert_eq!(file_count(&pages, 2), 3, "5 addresses, 2 a file");
        let all: Vec<String> = (0..3)
            .flat_map(|file| read(&urlset("https://ngo.example", &pages, file, 2).expect("written")))
            .map(|(loc, _)| loc)
            .collect();
        assert_eq!(all.len(), 5, "each address in one file");
        assert_eq!(file_count(&pages, URLS_PER_FILE), 1);
        let index = index("https://ngo.example", 3).expect("written");
        let mut reader = Reader::from_str(&index);
        let mut locs = Vec::new();
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Text(text) => locs.push(text.decode().expect("utf-8").into_owned()),
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(
            locs.last().map(String::as_str),
            Some("https://ngo.example/sitemaps/3.xml")
        );
        assert_eq!(locs.len(), 3);
    }
}
