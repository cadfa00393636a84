//! The probes a load balancer asks before and while sending traffic.
#![cfg(feature = "ssr")]
mod common;

use common::spawn_app;

async fn readiness(app: &common::TestApp) -> (u16, serde_json::Value) {
    let response = app.get("/readyz").await;
    assert_eq!(response.headers()["cache-control"], "no-store");
    let status = response.status().as_u16();
    (status, response.json().await.expect("readiness is JSON"))
}

#[tokio::test]
async fn a_live_server_answers_its_health_probe_uncached() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn readiness_needs_every_migration_of_the_build_applied() {
    let app = spawn_app().await;
    let (status, body) = readiness(&app).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ready"], true);
    assert_eq!(body["database"], "ok");
    assert_eq!(body["pending_migrations"], 0);

    // As if an instance of a newer build came up on a database not yet migrated for it.
    common::database::execute(
        &app.database_url,
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .await;
    let (status, body) = readiness(&app).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["ready"], false);
    assert_eq!(body["database"], "ok");
    assert_eq!(body["pending_migrations"], 1);
}

#[tokio::test]
async fn readiness_fails_when_the_database_cannot_answer_and_the_server_keeps_serving() {
    let app = spawn_app().await;
    common::database::execute(&app.database_url, "DROP TABLE _sqlx_migrations").await;
    let (status, body) = readiness(&app).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["ready"], false);
    assert_eq!(body["database"], "unavailable");
    assert!(body["pending_migrations"].is_null());
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
}
