//! Atom feeds per language: the newest posts (`/{lang}/posts/feed.atom`) and the upcoming
//! events (`/{lang}/events/feed.atom`), each holding only what is written in its language.
//! Written by `atom_syndication`, so every text and address is escaped as XML requires.
use super::AppState;
use super::store::PostFilter;
use super::time::now;
use crate::domain::Lang;
use crate::events::model::EventsWhen;
use crate::i18n::*;
use atom_syndication::{Category, Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{TimeZone, Utc};

/// Entries of a feed.
const FEED_ENTRIES: u32 = 30;

/// One entry, as the feed shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    /// The page's path under the language (`posts/x`).
    pub path: String,
    pub title: String,
    pub summary: String,
    /// Unix seconds.
    pub published: i64,
    pub updated: i64,
    pub categories: Vec<String>,
}

/// What a feed is about.
pub struct FeedHead<'a> {
    pub origin: &'a str,
    pub lang: Lang,
    /// `posts` or `events`: the list page, and the feed under it.
    pub section: &'a str,
    pub title: String,
    pub author: String,
}

fn time(unix_seconds: i64) -> FixedDateTime {
    Utc.timestamp_opt(unix_seconds, 0)
        .single()
        .unwrap_or_default()
        .fixed_offset()
}

fn link(href: String, rel: &str, mime_type: Option<&str>) -> Link {
    let mut link = Link::default();
    link.set_href(href);
    link.set_rel(rel);
    link.set_mime_type(mime_type.map(str::to_owned));
    link
}

/// The feed as Atom XML.
pub fn atom(head: &FeedHead<'_>, items: &[FeedItem]) -> String {
    let base = format!("{}/{}", head.origin, head.lang.code());
    let list = format!("{base}/{}", head.section);
    let mut feed = Feed::default();
    feed.set_title(head.title.clone());
    feed.set_id(format!("{list}/feed.atom"));
    feed.set_lang(Some(head.lang.code().to_owned()));
    feed.set_links(vec![
        link(format!("{list}/feed.atom"), "self", Some("application/atom+xml")),
        link(list.clone(), "alternate", Some("text/html")),
    ]);
    let mut author = Person::default();
    author.set_name(head.author.clone());
    author.set_uri(Some(format!("{base}/")));
    feed.set_authors(vec![author]);
    // A feed without entries is as new as the day it is read... of no use to a reader: the
    // epoch says "nothing yet".
    feed.set_updated(time(items.iter().map(|item| item.updated).max().unwrap_or(0)));
    feed.set_entries(
        items
            .iter()
            .map(|item| {
                let url = format!("{base}/{}", item.path);
                let mut entry = Entry::default();
                entry.set_title(Text::plain(item.title.clone()));
                entry.set_id(url.clone());
                entry.set_links(vec![link(url, "alternate", Some("text/html"))]);
                entry.set_published(Some(time(item.published)));
                entry.set_updated(time(item.updated));
                entry.set_summary(Some(Text::plain(item.summary.clone())));
                entry.set_categories(
                    item.categories
                        .iter()
                        .map(|name| {
                            let mut category = Category::default();
                            category.set_term(name.clone());
                            category
                        })
                        .collect::<Vec<_>>(),
                );
                entry
            })
            .collect::<Vec<_>>(),
    );
    feed.to_string()
}

fn answer(result: Result<String, crate::error::AppError>) -> Response {
    match result {
        Ok(xml) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/atom+xml; charset=utf-8"),
                ),
                // Kept by the page cache (emptied by every write), revalidated by readers.
                (header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache")),
            ],
            xml,
        )
            .into_response(),
        Err(error) => StatusCode::from_u16(error.status_code())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response(),
    }
}

fn lang_of(uri: &axum::http::Uri) -> Lang {
    crate::locale::lang_of_path(uri.path()).unwrap_or_default()
}

/// `GET /{lang}/posts/feed.atom`
pub async fn posts(State(state): State<AppState>, uri: axum::http::Uri) -> Response {
    let lang = lang_of(&uri);
    let locale = Locale::from(lang);
    let result = async {
        let filter = PostFilter {
            category: None,
            now: now(),
            limit: FEED_ENTRIES,
            offset: 0,
        };
        let items: Vec<FeedItem> = state
            .store
            .posts(lang, &filter)
            .await?
            .into_iter()
            .filter(|post| post.lang == lang)
            .map(|post| FeedItem {
                path: format!("posts/{}", post.slug),
                title: post.title,
                summary: post.summary,
                published: post.published_at,
                updated: post.published_at,
                categories: std::iter::once(post.category.name)
                    .chain(post.tags.into_iter().map(|tag| tag.name))
                    .collect(),
            })
            .collect();
        let head = FeedHead {
            origin: state.config.public_url.trim_end_matches('/'),
            lang,
            section: "posts",
            title: format!(
                "{} · {}",
                td_string!(locale, nav_posts),
                td_string!(locale, portal_name)
            ),
            author: td_string!(locale, portal_name).to_owned(),
        };
        Ok(atom(&head, &items))
    }
    .await;
    answer(result)
}

/// `GET /{lang}/events/feed.atom`: the upcoming events, soonest first.
pub async fn events(State(state): State<AppState>, uri: axum::http::Uri) -> Response {
    let lang = lang_of(&uri);
    let locale = Locale::from(lang);
    let result = async {
        let now = now();
        let items: Vec<FeedItem> = state
            .store
            .events(lang, EventsWhen::Upcoming, now, FEED_ENTRIES)
            .await?
            .into_iter()
            .filter(|event| event.lang == lang)
            .map(|event| {
                let starts = crate::server::time::sofia_datetime(event.starts_at).format(lang);
                FeedItem {
                    path: format!("events/{}", event.slug),
                    title: format!("{} · {starts}", event.title),
                    summary: format!("{} {}, {}", event.summary, event.venue_name, event.venue_address),
                    // Announced when registration opened (or now, for one opening later).
                    published: event.registration_opens_at.min(now),
                    updated: event.updated_at.max(event.registration_opens_at.min(now)),
                    categories: event.tags.into_iter().map(|tag| tag.name).collect(),
                }
            })
            .collect();
        let head = FeedHead {
            origin: state.config.public_url.trim_end_matches('/'),
            lang,
            section: "events",
            title: format!(
                "{} · {}",
                td_string!(locale, nav_events),
                td_string!(locale, portal_name)
            ),
            author: td_string!(locale, portal_name).to_owned(),
        };
        Ok(atom(&head, &items))
    }
    .await;
    answer(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(path: &str, title: &str, updated: i64) -> FeedItem {
        FeedItem {
            path: path.to_owned(),
            title: title.to_owned(),
            summary: "Безплатна работилница <b>за деца</b> & родители".to_owned(),
            published: updated - 60,
            updated,
            categories: vec!["Деца".to_owned()],
        }
    }

    #[test]
    fn a_feed_parses_back_with_its_entries_links_and_language() {
        let head = FeedHead {
            origin: "https://ngo.example",
            lang: Lang::Bg,
            section: "posts",
            title: "Новини · Портал".to_owned(),
            author: "Портал".to_owned(),
        };
        let xml = atom(
            &head,
            &[
                item("posts/lyatno-parti", "„Лятно парти“ </title>", 1_721_552_400),
                item("posts/b", "Б", 1_700_000_000),
            ],
        );
        let feed: Feed = xml.parse().expect("valid Atom");
        assert_eq!(feed.lang(), Some("bg"));
        assert_eq!(feed.id(), "https://ngo.example/bg/posts/feed.atom");
        assert_eq!(feed.updated().timestamp(), 1_721_552_400, "the newest entry's time");
        assert_eq!(feed.links()[0].rel(), "self");
        assert_eq!(feed.entries().len(), 2);
        let first = &feed.entries()[0];
        assert_eq!(
            first.title().as_str(),
            "„Лятно парти“ </title>",
            "text, escaped and read back"
        );
        assert_eq!(first.links()[0].href(), "https://ngo.example/bg/posts/lyatno-parti");
        assert_eq!(
            first.summary().map(|s| s.as_str()),
            Some("Безплатна работилница <b>за деца</b> & родители")
        );
        assert_eq!(first.categories()[0].term(), "Деца");
        assert!(!xml.contains("<b>"), "markup in a text is escaped");
    }

    #[test]
    fn an_empty_feed_is_still_valid() {
        let head = FeedHead {
            origin: "https://ngo.example",
            lang: Lang::En,
            section: "events",
            title: "Events".to_owned(),
            author: "Portal".to_owned(),
        };
        let feed: Feed = atom(&head, &[]).parse().expect("valid Atom");
        assert!(feed.entries().is_empty());
        assert_eq!(feed.links()[1].href(), "https://ngo.example/en/events");
    }
}
