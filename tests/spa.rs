//! The HTTP the single-page app relies on: public data cacheable and revalidated, pages and data
//! precompressed for browsers, requests that do not decode refused as such, valid HTML that
//! carries its own data for hydration.
#![cfg(feature = "ssr")]
mod common;

use common::spawn_app;

const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";

#[tokio::test]
async fn public_data_is_cacheable_sent_as_brotli_and_revalidated_with_304() {
    let app = spawn_app().await;
    for path in [
        "/api/posts/page?lang=bg&slug=podcast-migration-stories",
        "/api/events/page?lang=en&slug=summer-art-party",
        "/api/posts/list?lang=bg&category=culture",
        "/bg/posts/podcast-migration-stories",
    ] {
        let plain = app.get(path).await;
        assert_eq!(plain.status().as_u16(), 200, "{path}");
        assert_eq!(plain.headers()["cache-control"], "public, no-cache", "{path}");
        assert_eq!(plain.headers()["vary"], "accept-encoding", "{path}");
        assert!(plain.headers().get("content-encoding").is_none(), "{path}");
        let etag = plain.headers()["etag"].to_str().unwrap().to_owned();
        let plain_bytes = plain.bytes().await.unwrap();

        let browser = app.get_with(path, &[("accept-encoding", BROWSER_ENCODINGS)]).await;
        assert_eq!(browser.headers()["content-encoding"], "br", "{path}");
        assert_eq!(browser.headers()["etag"], etag.as_str(), "{path}");
        let compressed = browser.bytes().await.unwrap();
        assert!(
            compressed.len() * 2 < plain_bytes.len(),
            "{path}: {} of {}",
            compressed.len(),
            plain_bytes.len()
        );
        let gzip = app.get_with(path, &[("accept-encoding", "gzip")]).await;
        assert_eq!(gzip.headers()["content-encoding"], "gzip", "{path}");

        let current = app
            .get_with(
                path,
                &[("accept-encoding", BROWSER_ENCODINGS), ("if-none-match", &etag)],
            )
            .await;
        assert_eq!(current.status().as_u16(), 304, "{path}");
        assert!(current.bytes().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_page_that_changed_has_a_new_etag() {
    let app = spawn_app().await;
    let path = "/api/events/page?lang=bg&slug=summer-art-party";
    let before = app.get(path).await.headers()["etag"].to_str().unwrap().to_owned();
    let form = common::registration_fields("summer-art-party", "etag-key-1", "etag@example.bg", &[("Ива", "6")]);
    let registered = app
        .client
        .post(format!("{}/api/events/register", app.address))
        .header("accept", "application/json")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert!(registered.status().is_success() || registered.status().is_redirection());
    let stale = app.get_with(path, &[("if-none-match", &before)]).await;
    assert_eq!(
        stale.status().as_u16(),
        200,
        "the seats changed: the old copy is not current"
    );
    assert_ne!(stale.headers()["etag"], before.as_str());
}

#[tokio::test]
async fn a_request_that_does_not_decode_is_refused_with_400_not_retried_as_503() {
    let app = spawn_app().await;
    for path in [
        "/api/posts/page?lang=xx&slug=a",
        "/api/posts/page?slug=a",
        "/api/events/list?lang=bg&when=someday",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), 400, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
        assert_eq!(response.text().await.unwrap(), "\"BadRequest\"", "{path}");
    }
    let garbage = app
        .client
        .post(format!("{}/api/events/register", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body("children=%ZZ&&&lang[=]")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status().as_u16(), 400);
}

#[tokio::test]
async fn private_data_is_never_stored() {
    let app = spawn_app().await;
    let response = app.get("/api/registrations/view?lang=bg&token=not-a-token").await;
    assert!(response.status().is_client_error());
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(response.headers().get("etag").is_none());
}

#[tokio::test]
async fn pages_are_valid_html_that_carries_its_data_for_hydration() {
    let app = spawn_app().await;
    for path in [
        "/bg/",
        "/bg/posts/summer-art-party-workshop",
        "/en/events/summer-art-party",
        "/bg/nowhere",
    ] {
        let html = app.get(path).await.text().await.unwrap();
        assert!(
            !html.contains("<!>"),
            "{path}: an empty marker written as a parse error"
        );
        assert!(html.trim_end().ends_with("</html>"), "{path}: something after </html>");
        let after_body = &html[html.rfind("</body>").expect("a body")..];
        assert!(!after_body.contains("<script"), "{path}: a script outside <body>");
        assert!(html.contains("__RESOLVED_RESOURCES["), "{path}: no data for hydration");
    }
}
