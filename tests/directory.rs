//! The NGO directory over HTTP: the demo directory at the sector's scale, filters whose counts
//! follow each other, search in Cyrillic and Latin letters, profiles, and pages without
//! JavaScript that the page cache never mixes up.
#![cfg(feature = "ssr")]
mod common;

use common::{TestApp, attr, json_ld, select, spawn_app, spawn_app_with, text, texts};
use ngo_portal::domain::Eik;

async fn directory(app: &TestApp, query: &str) -> serde_json::Value {
    let response = app.get(&format!("/api/ngos/list?lang=bg&{query}")).await;
    assert_eq!(response.status().as_u16(), 200, "{query}");
    response.json().await.expect("json")
}

fn count_of(choices: &serde_json::Value, code: &str) -> u64 {
    choices
        .as_array()
        .expect("choices")
        .iter()
        .find(|choice| choice["code"] == code)
        .and_then(|choice| choice["count"].as_u64())
        .expect("a count")
}

#[tokio::test]
async fn the_demo_directory_has_the_sectors_14_427_ngos_and_the_header_links_to_it() {
    let started = std::time::Instant::now();
    let app = spawn_app_with(|config| config.demo_ngos = ngo_portal::server::seed::DEMO_NGO_COUNT).await;
    eprintln!("seeded 14 427 NGOs and started in {:?}", started.elapsed());
    let (_, home) = app.page("/bg/").await;
    assert_eq!(text(&home, "[data-testid=ngo-count]"), "14\u{a0}427 НПО");
    assert_eq!(
        attr(&home, "[data-testid=ngo-count]", "href").as_deref(),
        Some("/bg/ngos")
    );
    let all = directory(&app, "").await;
    assert_eq!(all["total"], 14_427);
    let regions: u64 = all["regions"]
        .as_array()
        .expect("regions")
        .iter()
        .filter_map(|r| r["count"].as_u64())
        .sum();
    assert_eq!(regions, 14_427, "every NGO is in one of the 28 oblasti");
    assert!(count_of(&all["regions"], "sofia-city") > count_of(&all["regions"], "vidin") * 5);
}

#[tokio::test]
async fn filters_narrow_each_other_and_their_counts_follow() {
    let app = spawn_app().await;
    let all = directory(&app, "").await;
    let in_plovdiv = count_of(&all["regions"], "plovdiv");
    let plovdiv = directory(&app, "region=plovdiv").await;
    assert_eq!(plovdiv["total"].as_u64(), Some(in_plovdiv));
    assert!(
        plovdiv["ngos"]
            .as_array()
            .expect("ngos")
            .iter()
            .all(|ngo| ngo["region"] == "plovdiv"),
        "only Plovdiv"
    );
    // The region's choices keep every region's count (the other filters only narrow them).
    assert_eq!(plovdiv["regions"], all["regions"]);
    let culture_in_plovdiv = count_of(&plovdiv["fields"], "culture");
    let both = directory(&app, "region=plovdiv&field=culture").await;
    assert_eq!(both["total"].as_u64(), Some(culture_in_plovdiv));
    assert!(culture_in_plovdiv < in_plovdiv);
    for ngo in both["ngos"].as_array().expect("ngos") {
        assert!(ngo["fields"].as_array().expect("fields").contains(&"culture".into()));
    }
    // Past the last page: not found (and not kept by any cache).
    let beyond = app.get("/api/ngos/list?lang=bg&region=plovdiv&page=9999").await;
    assert_eq!(beyond.status().as_u16(), 404);
    // A filter that names nothing is ignored, not an error.
    assert_eq!(
        directory(&app, "region=atlantis&field=%3Cscript%3E").await["total"],
        all["total"]
    );
}

#[tokio::test]
async fn search_finds_names_in_cyrillic_and_in_latin_letters() {
    let app = spawn_app().await;
    let cyrillic = directory(&app, "q=%D1%87%D0%B8%D1%82%D0%B0%D0%BB%D0%B8%D1%89%D0%B5").await; // читалище
    let latin = directory(&app, "q=chitalishte").await;
    assert!(cyrillic["total"].as_u64().expect("total") > 10);
    assert_eq!(cyrillic["total"], latin["total"]);
    assert!(cyrillic["ngos"].as_array().expect("ngos").iter().all(|ngo| {
        ngo["legal_form"] == "chitalishte"
            || ngo["name"]
                .as_str()
                .unwrap_or_default()
                .to_lowercase()
                .contains("читалище")
    }));
    // Two words: both must match, in either alphabet (here the demo NGO „Зелени Родопи“).
    let green = directory(&app, "q=zeleni+rodopi").await;
    assert_eq!(green["ngos"][0]["slug"], "zeleni-rodopi");
    // What would be FTS syntax is only text.
    let hostile = app.get("/api/ngos/list?lang=bg&q=%22%20OR%20NEAR(*)%20--").await;
    assert_eq!(hostile.status().as_u16(), 200);
}

#[tokio::test]
async fn a_profile_shows_the_record_its_upcoming_events_and_structured_data() {
    let app = spawn_app().await;
    let (status, page) = app.page("/bg/ngos/chitalishte-svetlina").await;
    assert_eq!(status, 200);
    assert_eq!(text(&page, "h1"), "Народно читалище „Светлина 1926“");
    assert!(
        texts(&page, ".event-card h3")
            .iter()
            .any(|title| title.contains("Лятно парти")),
        "its event"
    );
    let eik = select(&page, ".event-facts dd")
        .iter()
        .map(|dd| dd.text().collect::<String>())
        .find(|value| value.len() == 9 && value.chars().all(|c| c.is_ascii_digit()))
        .expect("an ЕИК");
    assert!(eik.parse::<Eik>().is_ok());
    let data = json_ld(&page, "NGO");
    assert_eq!(data["taxID"], eik);
    assert_eq!(data["address"]["addressRegion"], "София (столица)");
    assert_eq!(app.page("/bg/ngos/no-such-ngo").await.0, 404);
    let (status, en) = app.page("/en/ngos/chitalishte-svetlina").await;
    assert_eq!(status, 200);
    assert_eq!(text(&en, "h1"), "Svetlina 1926 Community Centre");
}

#[tokio::test]
async fn directory_pages_work_without_javascript_and_the_cache_keeps_them_apart() {
    let app = spawn_app().await;
    let (status, all) = app.page("/bg/ngos").await;
    assert_eq!(status, 200);
    let (_, smolyan) = app.page("/bg/ngos?region=smolyan").await;
    let (_, again) = app.page("/bg/ngos?region=smolyan").await;
    assert_ne!(
        text(&all, "[data-testid=directory-found]"),
        text(&smolyan, "[data-testid=directory-found]")
    );
    assert_eq!(
        text(&smolyan, "[data-testid=directory-found]"),
        text(&again, "[data-testid=directory-found]")
    );
    assert!(
        texts(&smolyan, ".ngo-row__meta")
            .iter()
            .all(|meta| meta.contains("Смолян")),
        "every row in Smolyan"
    );
    // The chosen region is marked; the search form carries it as a hidden field.
    assert_eq!(
        attr(&smolyan, "[data-testid=facet-region] a[aria-current]", "href").as_deref(),
        Some("/bg/ngos?region=smolyan")
    );
    assert_eq!(
        attr(&smolyan, ".directory-search input[name=region]", "value").as_deref(),
        Some("smolyan")
    );
    let (_, searched) = app.page("/bg/ngos?q=%D0%97%D0%B5%D0%BB%D0%B5%D0%BD%D0%B8").await; // Зелени
    assert_eq!(attr(&searched, "#q", "value").as_deref(), Some("Зелени"));
    assert!(
        texts(&searched, ".ngo-row__name")
            .iter()
            .all(|name| name.contains("Зелени"))
    );
}
