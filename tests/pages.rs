//! The HTTP surface of the foundation: language routing, header, posts, related posts, 404.
#![cfg(feature = "ssr")]
mod common;

use common::{PUBLIC_URL, attr, select, spawn_app, text, texts};

const DEMO_NGOS: &str = "300";

#[tokio::test]
async fn root_redirects_to_bulgarian_by_default() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert!(response.status().is_redirection());
    assert_eq!(response.headers()["location"], "/bg/");
}

#[tokio::test]
async fn root_follows_the_cookie_then_accept_language() {
    let app = spawn_app().await;
    let url = format!("{}/", app.address);
    let english_browser = app
        .client
        .get(&url)
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(english_browser.headers()["location"], "/en/");
    let chose_bulgarian = app
        .client
        .get(&url)
        .header("accept-language", "en-GB,en;q=0.9")
        .header("cookie", "lang=bg")
        .send()
        .await
        .unwrap();
    assert_eq!(chose_bulgarian.headers()["location"], "/bg/");
}

#[tokio::test]
async fn language_root_without_slash_redirects_to_the_slash() {
    let app = spawn_app().await;
    for lang in ["bg", "en"] {
        let response = app.get(&format!("/{lang}")).await;
        assert_eq!(response.status().as_u16(), 308);
        assert_eq!(response.headers()["location"], format!("/{lang}/").as_str());
    }
}

#[tokio::test]
async fn visiting_a_language_remembers_it_in_a_cookie() {
    let app = spawn_app().await;
    let response = app.get("/en/").await;
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
}

#[tokio::test]
async fn home_shows_the_header_with_the_live_ngo_count_in_both_languages() {
    let app = spawn_app().await;
    let (status, bg) = app.page("/bg/").await;
    assert_eq!(status, 200);
    assert_eq!(attr(&bg, "html", "lang").as_deref(), Some("bg"));
    assert_eq!(
        text(&bg, ".brand__name"),
        "Информационен портал за неправителствените организации в България"
    );
    assert_eq!(text(&bg, "[data-testid=ngo-count]"), format!("{DEMO_NGOS} НПО"));
    assert_eq!(select(&bg, "[aria-labelledby=latest-heading] .card").len(), 6);
    assert_eq!(select(&bg, "[aria-labelledby=events-heading] .event-card").len(), 3);

    let (status, en) = app.page("/en/").await;
    assert_eq!(status, 200);
    assert_eq!(attr(&en, "html", "lang").as_deref(), Some("en"));
    assert_eq!(
        text(&en, ".brand__name"),
        "Information portal for non-governmental organisations in Bulgaria"
    );
    assert_eq!(text(&en, "[data-testid=ngo-count]"), format!("{DEMO_NGOS} NGOs"));
}

#[tokio::test]
async fn post_page_has_exactly_three_related_items_with_image_title_and_excerpt() {
    let app = spawn_app().await;
    let slug = "refugee-integration-coalition-meeting";
    let (status, page) = app.page(&format!("/bg/posts/{slug}")).await;
    assert_eq!(status, 200);
    assert_eq!(
        text(&page, "h1"),
        "Коалицията за интеграция на бежанци се събра в София"
    );
    assert_eq!(text(&page, ".related h2"), "Сходни публикации");
    let related = select(&page, ".related .card");
    assert_eq!(related.len(), 3);
    for card in related {
        let html = scraper::Html::parse_fragment(&card.html());
        assert!(attr(&html, "img", "src").is_some_and(|src| src.starts_with("/covers/")));
        assert!(!text(&html, "h3").is_empty());
        let excerpt = text(&html, ".card__excerpt");
        assert!(!excerpt.is_empty());
        let href = attr(&html, "h3 a", "href").unwrap();
        assert!(href.starts_with("/bg/posts/") && !href.ends_with(slug), "{href}");
    }
}

#[tokio::test]
async fn post_page_head_has_canonical_alternates_opengraph_and_article_json_ld() {
    let app = spawn_app().await;
    let (_, page) = app.page("/en/posts/summer-art-party-workshop").await;
    let canonical = format!("{PUBLIC_URL}/en/posts/summer-art-party-workshop");
    assert_eq!(attr(&page, "link[rel=canonical]", "href"), Some(canonical.clone()));
    assert_eq!(
        attr(&page, "link[rel=alternate][hreflang=bg]", "href"),
        Some(format!("{PUBLIC_URL}/bg/posts/summer-art-party-workshop"))
    );
    assert_eq!(
        attr(&page, "meta[property='og:type']", "content").as_deref(),
        Some("article")
    );
    assert_eq!(attr(&page, "meta[property='og:url']", "content"), Some(canonical));
    assert!(text(&page, "title").starts_with("\"Summer Party\""));
    let json_ld: serde_json::Value = serde_json::from_str(&text(&page, "script[type='application/ld+json']")).unwrap();
    assert_eq!(json_ld["@type"], "Article");
    assert_eq!(json_ld["datePublished"], "2024-07-05");
    assert_eq!(json_ld["inLanguage"], "en");
}

#[tokio::test]
async fn post_body_is_rendered_from_markdown() {
    let app = spawn_app().await;
    let (_, page) = app.page("/bg/posts/summer-art-party-workshop").await;
    assert_eq!(text(&page, ".post__body h2"), "Кога и къде");
    assert!(select(&page, ".post__body li").len() >= 4);
    assert_eq!(text(&page, ".post__meta time"), "5 юли 2024\u{a0}г.");
}

#[tokio::test]
async fn posts_list_paginates_and_filters_by_category() {
    let app = spawn_app().await;
    let (_, first) = app.page("/bg/posts").await;
    assert_eq!(select(&first, ".card-grid .card").len(), 9);
    assert_eq!(
        attr(&first, ".pagination a[rel=next]", "href").as_deref(),
        Some("/bg/posts?page=2")
    );
    let (_, second) = app.page("/bg/posts?page=2").await;
    assert_eq!(select(&second, ".card-grid .card").len(), 3);

    let (_, integration) = app.page("/en/posts?category=integration").await;
    let categories: Vec<String> = texts(&integration, ".card__category");
    assert_eq!(categories.len(), 4);
    assert!(categories.iter().all(|c| c == "Integration"), "{categories:?}");
}

#[tokio::test]
async fn unknown_paths_get_a_localized_404() {
    let app = spawn_app().await;
    for (path, heading) in [
        ("/bg/no-such-page", "Страницата не е намерена"),
        ("/en/no-such-page", "Page not found"),
        ("/bg/posts/no-such-post", "Страницата не е намерена"),
        ("/en/posts/no-such-post", "Page not found"),
        ("/no-such-page", "Страницата не е намерена"),
    ] {
        let (status, page) = app.page(path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(text(&page, "h1"), heading, "{path}");
    }
}

#[tokio::test]
async fn repeated_page_requests_are_served_from_the_page_cache() {
    let app = spawn_app().await;
    let first = app.get("/bg/posts/podcast-migration-stories").await;
    assert!(first.headers().get("x-page-cache").is_none());
    let first_body = first.text().await.unwrap();
    let second = app.get("/bg/posts/podcast-migration-stories").await;
    assert_eq!(second.headers()["x-page-cache"], "hit");
    assert_eq!(second.text().await.unwrap(), first_body);
    let head = app
        .client
        .head(format!("{}/bg/posts/podcast-migration-stories", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(
        head.headers()["x-page-cache"],
        "hit",
        "HEAD answered from the kept page"
    );
    assert_eq!(head.headers()["content-length"], first_body.len().to_string().as_str());
    assert!(head.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn visitors_meeting_a_cold_page_at_once_share_one_render() {
    let app = spawn_app().await;
    let path = "/bg/posts/podcast-migration-stories";
    let requests = (0..24).map(|_| app.get(path));
    let responses = futures::future::join_all(requests).await;
    let mut rendered = 0;
    let mut bodies = std::collections::HashSet::new();
    for response in responses {
        assert_eq!(response.status(), 200);
        if response.headers().get("x-page-cache").is_none() {
            rendered += 1;
        }
        bodies.insert(response.text().await.unwrap());
    }
    assert_eq!(rendered, 1, "one render, the others answered with the page it kept");
    assert_eq!(bodies.len(), 1);
    // The one render is counted once by /metrics too; the other 23 are hits.
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(metrics.contains("ngo_portal_page_cache_hits_total 23"), "{metrics}");
    assert!(
        metrics.contains(r#"ngo_portal_http_requests_total{method="GET",route="/bg/posts/{slug}",status="200"} 24"#),
        "hits are counted by their route: {metrics}"
    );
    // An event page carries each visitor's own form key: never shared, whoever came first.
    let event = futures::future::join_all((0..8).map(|_| app.get("/bg/events/summer-art-party"))).await;
    for response in event {
        assert_eq!(response.status(), 200);
        assert!(response.headers().get("x-page-cache").is_none());
    }
}

#[tokio::test]
async fn pages_carry_security_headers_and_covers_are_generated() {
    let app = spawn_app().await;
    let page = app.get("/bg/").await;
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    let cover = app.get("/covers/podcast-migration-stories.svg").await;
    assert_eq!(cover.status().as_u16(), 200);
    assert_eq!(cover.headers()["content-type"], "image/svg+xml");
    assert_eq!(app.get("/covers/..%2Fetc.svg").await.status().as_u16(), 404);
}

#[tokio::test]
async fn server_functions_answer_json_under_api() {
    let app = spawn_app().await;
    let response = app.get("/api/posts/page?lang=en&slug=podcast-migration-stories").await;
    assert_eq!(response.status().as_u16(), 200);
    let data: serde_json::Value = response.json().await.unwrap();
    assert_eq!(data["related"].as_array().map(Vec::len), Some(3));
    let missing = app.get("/api/posts/page?lang=en&slug=nope").await;
    assert_eq!(missing.status().as_u16(), 404);
    assert_eq!(missing.text().await.unwrap(), "\"NotFound\"");
}

#[tokio::test]
async fn a_post_suggests_upcoming_events_on_its_subject_and_only_then() {
    let app = spawn_app().await;
    let (_, workshop) = app.page("/bg/posts/summer-art-party-workshop").await;
    let events: Vec<String> = texts(&workshop, "[data-testid=related-events] h3");
    assert_eq!(events.first().map(String::as_str), Some("Лятно парти"), "{events:?}");
    let (_, funding) = app.page("/bg/posts/ngo-grants-guide-2025").await;
    assert!(select(&funding, "[data-testid=related-events]").is_empty());
}

#[tokio::test]
async fn every_inline_script_of_a_page_is_allowed_by_its_content_security_policy() {
    use ngo_portal::server::csp::source_hash;
    let app = spawn_app().await;
    for path in [
        "/bg/",
        "/en/posts/summer-art-party-workshop",
        "/bg/events/summer-art-party",
        "/bg/offline",
        "/bg/nowhere",
    ] {
        let response = app.get(path).await;
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        let page = scraper::Html::parse_document(&response.text().await.unwrap());
        let inline = select(&page, "script:not([src])");
        assert!(!inline.is_empty(), "{path}: Leptos writes bootstrap scripts");
        for script in inline {
            if script.attr("type") == Some("application/ld+json") {
                continue; // data, never run
            }
            let text: String = script.text().collect();
            assert!(
                policy.contains(&source_hash(&text)),
                "{path}: the inline script {text:?} is not in the policy {policy}"
            );
        }
    }
    // Also on images: a cover opened on its own is an SVG document, and runs no script.
    let cover = app.get("/covers/summer-art-party.svg").await;
    let policy = cover.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(
        policy.contains("default-src 'self'") && !policy.contains("unsafe-inline"),
        "{policy}"
    );
}

#[tokio::test]
async fn public_files_are_served_whole_while_other_requests_render_not_found_pages() {
    let app = spawn_app().await;
    // Leptos' own file handler gave a found file the status of a page rendered on the same
    // thread: under load, `pwa.js` came back as a 404.
    let requests = (0..120).map(|i| {
        let path = if i % 2 == 0 {
            "/pwa.js".to_owned()
        } else {
            format!("/bg/missing-{i}")
        };
        let (client, address) = (app.client.clone(), app.address.clone());
        async move {
            let response = client.get(format!("{address}{path}")).send().await.expect("answered");
            (path, response.status().as_u16())
        }
    });
    for (path, status) in futures::future::join_all(requests).await {
        let expected = if path == "/pwa.js" { 200 } else { 404 };
        assert_eq!(status, expected, "{path}");
    }
}

#[tokio::test]
async fn with_a_cdn_age_shared_caches_may_keep_public_pages_and_nothing_private() {
    let app = common::spawn_app_with(|config| config.cdn_max_age = Some(30)).await;
    let cdn = "public, max-age=0, s-maxage=30, stale-while-revalidate=300";
    let cookie = [("cookie", "lang=bg")];
    for (path, lang) in [
        ("/bg/posts", "lang=bg"),
        ("/en/events", "lang=en"),
        ("/api/site/stats", "lang=bg"),
    ] {
        let cookie = [("cookie", lang)];
        let response = app.get_with(path, &cookie).await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], cdn, "{path}");
        // Served again from the page cache, it says the same.
        let again = app.get_with(path, &cookie).await;
        assert_eq!(again.headers()["cache-control"], cdn, "{path} from the page cache");
    }
    // A first visit sets the language cookie: that answer is the visitor's, not the CDN's.
    let first = app.get("/bg/posts").await;
    assert!(first.headers().contains_key("set-cookie"));
    assert_eq!(first.headers()["cache-control"], "public, no-cache");
    // The registration form carries a key per visitor; the admin is private.
    let form = app.get_with("/bg/events/summer-art-party", &cookie).await;
    assert_eq!(form.headers()["cache-control"], "private, no-cache");
    let admin = app.get_with("/bg/admin", &cookie).await;
    assert!(
        admin.headers()["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("private")
    );

    // Without the setting, public pages only say public and revalidate.
    let plain = spawn_app().await;
    let response = plain.get_with("/bg/posts", &cookie).await;
    assert_eq!(response.headers()["cache-control"], "public, no-cache");
}
