//! `/metrics` as Prometheus scrapes it, and who may.
#![cfg(feature = "ssr")]
mod common;

use common::admin::register_for;
use common::{TestApp, spawn_app, spawn_app_with};

/// The value of the sample `name{labels}` (labels as written, in order), if reported.
fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

async fn scrape(app: &TestApp) -> String {
    let response = app.get("/metrics").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    response.text().await.expect("text")
}

#[tokio::test]
async fn requests_cache_hits_registrations_and_the_outbox_are_counted() {
    let app = spawn_app().await;
    let before = scrape(&app).await;
    let confirmed_before = sample(&before, r#"ngo_portal_registrations{status="confirmed"}"#).expect("registrations");
    for _ in 0..3 {
        assert_eq!(app.get("/bg/posts").await.status().as_u16(), 200);
    }
    assert_eq!(app.get("/bg/no-such-page").await.status().as_u16(), 404);
    register_for(&app, "summer-art-party", "metrics-1@example.bg", &[("Ива", "6")]).await;
    register_for(&app, "summer-art-party", "metrics-2@example.bg", &[("Ива", "6")]).await;

    let after = scrape(&app).await;
    // By the route's pattern, never by the path typed.
    let posts = sample(
        &after,
        r#"ngo_portal_http_requests_total{method="GET",route="/bg/posts",status="200"}"#,
    );
    assert_eq!(posts, Some(3.0), "{after}");
    assert!(!after.contains("no-such-page"), "{after}");
    let latency = sample(
        &after,
        r#"ngo_portal_http_request_duration_seconds_count{route="/bg/posts"}"#,
    );
    assert_eq!(latency, Some(3.0), "{after}");
    assert!(
        sample(&after, "ngo_portal_page_cache_hits_total").is_some_and(|hits| hits >= 2.0),
        "{after}"
    );
    assert_eq!(
        sample(&after, r#"ngo_portal_registrations{status="confirmed"}"#),
        Some(confirmed_before + 2.0),
        "{after}"
    );
    // No mail server in the tests: both confirmations wait in the outbox.
    assert!(
        sample(&after, r#"ngo_portal_outbox_mail{status="pending"}"#).is_some_and(|n| n >= 2.0),
        "{after}"
    );
    // Nobody's address or name in them.
    assert!(!after.contains("example.bg") && !after.contains("Мария"));
}

#[tokio::test]
async fn a_request_forwarded_by_a_proxy_is_refused_without_a_token() {
    let app = spawn_app().await;
    let forwarded = app.get_with("/metrics", &[("x-forwarded-for", "203.0.113.7")]).await;
    assert_eq!(forwarded.status().as_u16(), 403);
    assert!(!forwarded.text().await.expect("text").contains("ngo_portal"));
}

#[tokio::test]
async fn with_a_token_set_only_its_bearer_reads_the_metrics() {
    let app = spawn_app_with(|config| config.metrics_token = Some("scrape-token-0123456789".into())).await;
    assert_eq!(app.get("/metrics").await.status().as_u16(), 403, "local, but no token");
    let wrong = app
        .get_with("/metrics", &[("authorization", "Bearer scrape-token-012345678")])
        .await;
    assert_eq!(wrong.status().as_u16(), 403);
    let right = app
        .get_with(
            "/metrics",
            &[
                ("authorization", "Bearer scrape-token-0123456789"),
                ("x-forwarded-for", "203.0.113.7"),
            ],
        )
        .await;
    assert_eq!(right.status().as_u16(), 200);
    assert!(
        right
            .text()
            .await
            .expect("text")
            .contains("ngo_portal_http_requests_total")
    );
}
