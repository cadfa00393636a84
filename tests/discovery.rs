//! Feeds and discovery over HTTP: Atom feeds per language that parse back, the sitemap with
//! hreflang alternates over posts, events and NGO profiles, and robots.txt pointing at it.
#![cfg(feature = "ssr")]
mod common;

use common::{attr, spawn_app};

async fn body(app: &common::TestApp, path: &str, content_type: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let got = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(got.starts_with(content_type), "{path}: {got}");
    response.text().await.expect("body")
}

#[tokio::test]
async fn each_language_has_atom_feeds_of_its_posts_and_upcoming_events() {
    let app = spawn_app().await;
    let posts: atom_syndication::Feed = body(&app, "/bg/posts/feed.atom", "application/atom+xml")
        .await
        .parse()
        .expect("valid Atom");
    assert_eq!(posts.lang(), Some("bg"));
    assert!(posts.entries().len() >= 10, "the demo posts");
    let workshop = posts
        .entries()
        .iter()
        .find(|entry| entry.title().as_str() == "„Лятно парти“ – безплатна работилница по рисуване за деца")
        .expect("the workshop post");
    assert!(
        workshop.links()[0]
            .href()
            .ends_with("/bg/posts/summer-art-party-workshop")
    );
    let english: atom_syndication::Feed = body(&app, "/en/posts/feed.atom", "application/atom+xml")
        .await
        .parse()
        .expect("valid Atom");
    assert!(
        english
            .entries()
            .iter()
            .all(|entry| entry.links()[0].href().contains("/en/posts/"))
    );
    let events: atom_syndication::Feed = body(&app, "/en/events/feed.atom", "application/atom+xml")
        .await
        .parse()
        .expect("valid Atom");
    assert!(
        events
            .entries()
            .iter()
            .any(|entry| entry.title().as_str().starts_with("Summer Party · "))
    );
    // Every page tells feed readers where the feeds are.
    let (_, page) = app.page("/en/events").await;
    assert_eq!(
        attr(
            &page,
            "link[rel=alternate][type='application/atom+xml'][href$='events/feed.atom']",
            "href"
        )
        .as_deref(),
        Some("/en/events/feed.atom")
    );
}

#[tokio::test]
async fn the_sitemap_lists_every_public_page_with_its_languages_and_robots_points_at_it() {
    let app = spawn_app().await;
    let robots = body(&app, "/robots.txt", "text/plain").await;
    let sitemap_line = robots
        .lines()
        .find(|line| line.starts_with("Sitemap: "))
        .expect("a Sitemap line");
    assert!(sitemap_line.ends_with("/sitemap.xml"), "{sitemap_line}");
    assert!(robots.contains("Disallow: /bg/admin/"));
    assert!(
        robots.contains("Disallow: /en/registrations/"),
        "private links are not crawled"
    );

    let index = body(&app, "/sitemap.xml", "application/xml").await;
    assert!(index.contains("/sitemaps/1.xml</loc>"), "{index}");
    assert!(!index.contains("/sitemaps/2.xml"), "300 NGOs fit one file");
    let urls = body(&app, "/sitemaps/1.xml", "application/xml").await;
    let document = scraper::Html::parse_document(&urls);
    let locs: Vec<String> = document
        .select(&scraper::Selector::parse("loc").expect("selector"))
        .map(|loc| loc.text().collect())
        .collect();
    assert!(
        locs.iter()
            .any(|loc| loc.ends_with("/bg/posts/summer-art-party-workshop"))
    );
    assert!(locs.iter().any(|loc| loc.ends_with("/en/events/summer-art-party")));
    assert!(locs.iter().any(|loc| loc.ends_with("/en/ngos/zeleni-rodopi")));
    let profiles = locs.iter().filter(|loc| loc.contains("/bg/ngos/")).count();
    assert_eq!(profiles, 300, "every NGO of the test directory");
    assert!(urls.contains("hreflang=\"x-default\""));
    assert_eq!(app.get("/sitemaps/2.xml").await.status().as_u16(), 404);
    assert_eq!(app.get("/sitemaps/0.xml").await.status().as_u16(), 404);
}
