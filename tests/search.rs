//! The site search over HTTP: posts, events and NGOs in one ranked list, in Cyrillic and in
//! Latin letters, a mistyped letter forgiven, typed syntax harmless, and the page without
//! JavaScript with its empty and no-result states.
#![cfg(feature = "ssr")]
mod common;

use common::{TestApp, attr, select, spawn_app, text, texts};

async fn search(app: &TestApp, lang: &str, query: &str) -> serde_json::Value {
    let response = app.get(&format!("/api/search?lang={lang}&{query}")).await;
    assert_eq!(response.status().as_u16(), 200, "{query}");
    response.json().await.expect("json")
}

/// `kind/slug` of every result.
fn found(data: &serde_json::Value) -> Vec<String> {
    data["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|result| {
            format!(
                "{}/{}",
                result["kind"].as_str().unwrap_or(""),
                result["slug"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn marked_words(runs: &serde_json::Value) -> Vec<String> {
    runs.as_array()
        .expect("runs")
        .iter()
        .filter(|run| run["hit"] == true)
        .map(|run| run["text"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[tokio::test]
async fn one_list_has_posts_events_and_ngos_in_either_alphabet() {
    let app = spawn_app().await;
    let cyrillic = search(
        &app,
        "bg",
        "q=%D0%BB%D1%8F%D1%82%D0%BD%D0%BE+%D0%BF%D0%B0%D1%80%D1%82%D0%B8",
    )
    .await; // лятно парти
    let results = found(&cyrillic);
    assert!(results.contains(&"events/summer-art-party".to_owned()), "{results:?}");
    assert!(
        results.contains(&"posts/summer-art-party-workshop".to_owned()),
        "{results:?}"
    );
    assert_eq!(cyrillic["counts"][0]["kind"], "posts");
    // The title in the page's language with the words marked.
    let event = &cyrillic["results"][results.iter().position(|r| r == "events/summer-art-party").unwrap_or(0)];
    assert_eq!(marked_words(&event["title"]), ["Лятно", "парти"]);
    // The same words in Latin letters find the same records.
    let latin = search(&app, "bg", "q=lyatno+parti").await;
    assert_eq!(found(&latin), results);
    // The example of the issue: a transliterated query, `ts` read as тс.
    let workshop = search(&app, "bg", "q=rabotilnitsa+risuvane").await;
    assert!(found(&workshop).contains(&"posts/summer-art-party-workshop".to_owned()));
    // NGOs by legal form and town, typed in Latin.
    let varna = search(&app, "bg", "q=sdruzhenie+varna&kind=ngos").await;
    let ngos = found(&varna);
    assert!(ngos.contains(&"ngos/morski-dobrovolci".to_owned()), "{ngos:?}");
    assert!(ngos.iter().all(|r| r.starts_with("ngos/")), "only NGOs");
    assert_eq!(varna["kind"], "ngos");
    assert_eq!(varna["total"], varna["counts"][2]["count"]);
}

#[tokio::test]
async fn a_cyrillic_query_finds_latin_names() {
    let app = spawn_app().await;
    // „светлина“ finds the English page's Latin name of Народно читалище „Светлина 1926“.
    let data = search(
        &app,
        "en",
        "q=%D1%81%D0%B2%D0%B5%D1%82%D0%BB%D0%B8%D0%BD%D0%B0&kind=ngos",
    )
    .await;
    let first = &data["results"][0];
    assert_eq!(first["slug"], "chitalishte-svetlina");
    assert_eq!(marked_words(&first["title"]), ["Svetlina"]);
}

#[tokio::test]
async fn a_record_is_found_in_either_language_and_shown_in_the_pages() {
    let app = spawn_app().await;
    // Bulgarian words on the English page find the translated post, shown in English.
    let data = search(
        &app,
        "en",
        "q=%D0%BB%D1%8F%D1%82%D0%BD%D0%BE+%D0%BF%D0%B0%D1%80%D1%82%D0%B8&kind=events",
    )
    .await;
    assert_eq!(found(&data), ["events/summer-art-party"], "once, not once per language");
    assert_eq!(data["results"][0]["lang"], "en");
    let english = search(&app, "en", "q=summer+party&kind=events").await;
    assert_eq!(found(&english), ["events/summer-art-party"]);
}

#[tokio::test]
async fn one_wrong_letter_in_a_longer_word_is_forgiven() {
    let app = spawn_app().await;
    // „рабтилница“: a letter missing.
    let data = search(
        &app,
        "bg",
        "q=%D1%80%D0%B0%D0%B1%D1%82%D0%B8%D0%BB%D0%BD%D0%B8%D1%86%D0%B0",
    )
    .await;
    assert!(
        data["also_searched"]
            .as_array()
            .expect("also")
            .contains(&"работилница".into())
    );
    assert!(found(&data).contains(&"posts/summer-art-party-workshop".to_owned()));
    // Two letters wrong is another word.
    let far = search(&app, "bg", "q=%D1%80%D0%B0%D0%B1%D1%82%D0%B8%D0%BB%D0%BD%D0%B8%D1%86").await;
    assert!(!found(&far).contains(&"posts/summer-art-party-workshop".to_owned()));
}

#[tokio::test]
async fn typed_syntax_is_harmless_and_an_empty_search_searches_nothing() {
    let app = spawn_app().await;
    for q in ["%22", "NEAR(a", "*", "-", "a%20OR", "%5E", "(((", "%00", "%E2%80%A8"] {
        let data = search(&app, "bg", &format!("q={q}")).await;
        assert!(data["results"].is_array(), "{q}");
    }
    let empty = search(&app, "bg", "q=").await;
    assert_eq!(empty["q"], "");
    assert_eq!(empty["results"].as_array().map(Vec::len), Some(0));
    // Past the last page: not found.
    assert_eq!(
        app.get("/api/search?lang=bg&q=varna&page=999").await.status().as_u16(),
        404
    );
}

#[tokio::test]
async fn the_page_works_without_javascript_and_is_never_kept() {
    let app = spawn_app().await;
    // Every page has the search entry in its header.
    for path in ["/bg/", "/bg/posts", "/en/events", "/bg/ngos"] {
        let (_, page) = app.page(path).await;
        let lang = &path[1..3];
        assert_eq!(
            attr(&page, "[data-testid=search-entry]", "href"),
            Some(format!("/{lang}/search")),
            "{path}"
        );
    }
    let (status, empty) = app.page("/bg/search").await;
    assert_eq!(status, 200);
    assert_eq!(attr(&empty, "form.site-search", "method").as_deref(), Some("GET"));
    assert!(!text(&empty, ".search-intro").is_empty());
    let (_, page) = app.page("/bg/search?q=lyatno+parti").await;
    assert!(texts(&page, ".search-result__title").contains(&"Лятно парти".to_owned()));
    assert!(texts(&page, ".search-result mark").contains(&"Лятно".to_owned()));
    assert_eq!(attr(&page, "#search-q", "value").as_deref(), Some("lyatno parti"));
    let badges = texts(&page, ".search-result .badge");
    assert!(
        badges.contains(&"Събитие".to_owned()) && badges.contains(&"Публикация".to_owned()),
        "{badges:?}"
    );
    let (_, none) = app.page("/bg/search?q=zzzzqqqq").await;
    assert!(text(&none, "[data-testid=search-none]").contains("zzzzqqqq"));
    assert_eq!(select(&none, ".search-browse a").len(), 3, "somewhere to go instead");
    // A search is the visitor's own words: no cache keeps it, not even the browser's.
    let again = app.get("/bg/search?q=lyatno+parti").await;
    assert!(again.headers().get("x-page-cache").is_none());
    let cache_control = |response: &reqwest::Response| {
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(cache_control(&again), "private, no-store");
    let data = app.get("/api/search?lang=bg&q=lyatno").await;
    assert_eq!(cache_control(&data), "private, no-store");
    // The page without words is the same for everyone, and there is one of it.
    assert_eq!(cache_control(&app.get("/bg/search").await), "public, no-cache");
    assert_eq!(app.get("/bg/search?page=7").await.status().as_u16(), 404);
}
