//! Importing a WordPress export (tests/fixtures/wordpress: 50 posts, featured images in
//! uploads/) through the admin's upload, as the import page does it.
#![cfg(feature = "ssr")]
mod common;

use common::admin::{get_as, signed_in, spawn_admin_app};
use common::{TestApp, attr, select, text};
use ngo_portal::server::seed::{DEMO_EDITOR, DEMO_ORGANISER};

const EXPORT: &str = "tests/fixtures/wordpress/export.xml";

async fn upload(app: &TestApp, cookie: Option<&str>, body: Vec<u8>) -> reqwest::Response {
    let mut request = app
        .client
        .post(format!("{}/api/admin/import", app.address))
        .header("content-type", "application/xml")
        .header("sec-fetch-site", "same-origin")
        .body(body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("answered")
}

/// Uploads the export and waits for the import to finish; returns the final status.
async fn import(app: &TestApp, cookie: &str, body: Vec<u8>) -> serde_json::Value {
    let started = upload(app, Some(cookie), body).await;
    assert_eq!(started.status().as_u16(), 200);
    let job = started.json::<serde_json::Value>().await.expect("json")["job"]
        .as_str()
        .expect("a job")
        .to_owned();
    for _ in 0..600 {
        let status = get_as(app, &format!("/api/admin/import/status?job={job}"), Some(cookie)).await;
        assert_eq!(status.status().as_u16(), 200);
        let status: serde_json::Value = status.json().await.expect("json");
        if status["finished"] == true {
            return status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the import did not finish");
}

async fn public_posts(app: &TestApp) -> u64 {
    let list: serde_json::Value = app.get("/api/posts/list?lang=bg").await.json().await.expect("json");
    list["total_pages"].as_u64().expect("pages")
}

/// Every post, as the editor's list counts them.
async fn post_count(app: &TestApp, cookie: &str) -> u64 {
    let list = get_as(app, "/api/admin/posts?lang=bg", Some(cookie)).await;
    list.json::<serde_json::Value>().await.expect("json")["total"]
        .as_u64()
        .expect("a count")
}

#[tokio::test]
async fn fifty_posts_import_in_one_go_and_a_second_import_updates_them_without_duplicates() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let pages_before = public_posts(&app).await;
    let first = import(&app, &editor, std::fs::read(EXPORT).expect("fixture")).await;
    let report = &first["report"];
    // 53 posts in the file: 50 public ones, a private, a password-protected and a trashed one.
    assert_eq!(
        (report["total"].as_u64(), report["done"].as_u64()),
        (Some(53), Some(53))
    );
    assert_eq!(
        (report["created"].as_u64(), report["updated"].as_u64()),
        (Some(50), Some(0))
    );
    let skipped = report["skipped"].to_string();
    assert!(skipped.contains(r#""NotAPost":"page""#), "{skipped}");
    assert!(skipped.contains(r#""NotPublic":"private""#) && skipped.contains(r#""NotPublic":"trash""#));
    assert!(
        skipped.contains(r#""NotPublic":"password""#),
        "a protected post stays unpublished"
    );
    let (protected, _) = app.page("/bg/posts/protokol-obshto-sabranie").await;
    assert_eq!(protected, 404);
    assert!(
        skipped.contains("lost-photo.jpg"),
        "a missing image is reported: {skipped}"
    );
    assert!(public_posts(&app).await > pages_before, "the list shows them at once");

    // Cyrillic slugs made Latin, WordPress' entities decoded, the author's name kept.
    let (status, post) = app
        .page("/bg/posts/cheteneto-e-priklyuchenie-17-uchilishta-v-obshta-programa")
        .await;
    assert_eq!(status, 200);
    assert_eq!(text(&post, "h1"), "Четенето е приключение: 17 училища в обща програма");
    assert!(text(&post, ".post__author").contains("Георги Иванов"));
    assert!(text(&post, ".post__body h2").contains("Подробности"));
    assert_eq!(
        select(&post, "[data-testid=related] .card").len(),
        3,
        "imported posts have related items"
    );
    let (status, dashed) = app.page("/bg/posts/post-3").await;
    assert_eq!(status, 200);
    assert!(text(&dashed, "h1").ends_with("– отчет"));
    // The featured image, converted like an upload.
    let (_, with_photo) = app.page("/bg/posts/post-12").await;
    assert!(attr(&with_photo, ".post__cover", "srcset").is_some_and(|s| s.contains("-960.jpg 960w")));
    let (_, english) = app.page("/en/posts/post-12").await;
    assert!(
        !text(&english, "[data-testid=untranslated]").is_empty(),
        "Bulgarian only, said so"
    );

    let after_first = post_count(&app, &editor).await;
    let second = import(&app, &editor, std::fs::read(EXPORT).expect("fixture")).await;
    assert_eq!(
        (
            second["report"]["created"].as_u64(),
            second["report"]["updated"].as_u64()
        ),
        (Some(0), Some(50))
    );
    assert_eq!(post_count(&app, &editor).await, after_first, "no duplicates");
    let (_, again) = app.page("/bg/posts/post-12").await;
    assert_eq!(
        attr(&again, ".post__cover", "src"),
        attr(&with_photo, ".post__cover", "src"),
        "the same photo, not a second copy"
    );
}

#[tokio::test]
async fn only_writers_import_and_what_is_not_an_export_is_refused() {
    let app = spawn_admin_app().await;
    assert_eq!(upload(&app, None, b"<rss/>".to_vec()).await.status().as_u16(), 401);
    let organiser = signed_in(&app, DEMO_ORGANISER).await;
    assert_eq!(
        upload(&app, Some(&organiser), b"<rss/>".to_vec())
            .await
            .status()
            .as_u16(),
        403
    );
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let refused = import(&app, &editor, b"<html><body>not an export</body></html>".to_vec()).await;
    assert_eq!(refused["not_wxr"], true);
    // Another account cannot follow someone's import.
    let started = upload(&app, Some(&editor), b"<rss><channel></channel></rss>".to_vec()).await;
    let job = started.json::<serde_json::Value>().await.expect("json")["job"]
        .as_str()
        .expect("job")
        .to_owned();
    let other = get_as(&app, &format!("/api/admin/import/status?job={job}"), Some(&organiser)).await;
    assert_eq!(other.status().as_u16(), 403);
}

#[tokio::test]
async fn a_strangers_upload_is_refused_before_it_is_read_and_one_import_runs_per_account() {
    let app = spawn_admin_app().await;
    // 40 MB from nobody: refused on its headers, not held in memory first.
    let stranger = upload(&app, None, vec![b' '; 40 * 1024 * 1024]).await;
    assert_eq!(stranger.status().as_u16(), 401);
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let first = upload(&app, Some(&editor), std::fs::read(EXPORT).expect("fixture")).await;
    assert_eq!(first.status().as_u16(), 200);
    let second = upload(&app, Some(&editor), std::fs::read(EXPORT).expect("fixture")).await;
    assert_eq!(second.status().as_u16(), 429, "one import at a time per account");
}
