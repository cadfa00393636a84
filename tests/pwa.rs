//! The HTTP surface of the installable app: service worker, manifests, offline pages.
#![cfg(feature = "ssr")]
mod common;

use common::{attr, spawn_app, text};

#[tokio::test]
async fn the_service_worker_is_served_from_the_root_always_revalidated_with_its_shell() {
    let app = spawn_app().await;
    let response = app.get("/sw.js").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let script = response.text().await.unwrap();
    let build = script.lines().next().unwrap();
    for path in [
        "/pwa.js",
        "/bg/offline",
        "/en/offline",
        "/manifest.webmanifest",
        "/icons/icon-512.png",
    ] {
        assert!(build.contains(&format!("\"{path}\"")), "{path} missing from {build}");
    }
    // Everything the worker precaches exists, or its install would fail.
    let precache: serde_json::Value =
        serde_json::from_str(build.trim_start_matches("self.BUILD = ").trim_end_matches(';')).unwrap();
    for path in precache["precache"].as_array().unwrap() {
        let path = path.as_str().unwrap();
        assert_eq!(app.get(path).await.status().as_u16(), 200, "{path}");
    }
}

#[tokio::test]
async fn each_language_links_its_own_manifest() {
    let app = spawn_app().await;
    for (lang, manifest, short_name) in [
        ("bg", "/manifest.webmanifest", "НПО портал"),
        ("en", "/manifest.en.webmanifest", "NGO portal"),
    ] {
        let (_, page) = app.page(&format!("/{lang}/")).await;
        assert_eq!(attr(&page, "link[rel=manifest]", "href").as_deref(), Some(manifest));
        let response = app.get(manifest).await;
        assert_eq!(response.headers()["content-type"], "application/manifest+json");
        let manifest: serde_json::Value = response.json().await.unwrap();
        assert_eq!(manifest["short_name"], short_name);
        assert_eq!(manifest["lang"], lang);
        assert_eq!(manifest["start_url"], format!("/{lang}/?source=pwa"));
        // A long press on the icon opens the directory.
        let shortcuts: Vec<&str> = manifest["shortcuts"]
            .as_array()
            .expect("shortcuts")
            .iter()
            .filter_map(|shortcut| shortcut["url"].as_str())
            .collect();
        assert!(
            shortcuts.contains(&format!("/{lang}/ngos?source=pwa").as_str()),
            "{shortcuts:?}"
        );
    }
}

#[tokio::test]
async fn the_offline_page_is_localized_and_not_indexed() {
    let app = spawn_app().await;
    let (status, page) = app.page("/bg/offline").await;
    assert_eq!(status, 200);
    assert_eq!(text(&page, "h1"), "Няма връзка с интернет");
    assert_eq!(attr(&page, "meta[name=robots]", "content").as_deref(), Some("noindex"));
    let (_, page) = app.page("/en/offline").await;
    assert_eq!(text(&page, "h1"), "You are offline");
}

#[tokio::test]
async fn app_notices_and_the_install_button_are_in_the_page_hidden_until_they_apply() {
    let app = spawn_app().await;
    let (_, page) = app.page("/en/").await;
    assert_eq!(text(&page, "#install-button"), "Install");
    assert!(attr(&page, "#install-button", "hidden").is_some());
    assert!(text(&page, "#notice-queued").contains("will be sent automatically"));
    assert!(attr(&page, "#notice-queued", "hidden").is_some());
}

#[tokio::test]
async fn the_workers_precache_of_offline_pages_does_not_change_the_remembered_language() {
    let app = spawn_app().await;
    let url = format!("{}/en/offline", app.address);
    let precache = app
        .client
        .get(&url)
        .header("sec-fetch-mode", "same-origin")
        .header("cookie", "lang=bg")
        .send()
        .await
        .unwrap();
    assert_eq!(precache.status().as_u16(), 200);
    assert!(precache.headers().get("set-cookie").is_none());
    let opened = app
        .client
        .get(&url)
        .header("sec-fetch-mode", "navigate")
        .header("cookie", "lang=bg")
        .send()
        .await
        .unwrap();
    assert!(opened.headers()["set-cookie"].to_str().unwrap().starts_with("lang=en;"));
}
