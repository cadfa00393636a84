//! The database goes away for 10 s under a serving instance: every request that needs it gets
//! a clear "try again in a minute" page (503, `Retry-After`) within seconds, never a 500 or a
//! hang; public pages already kept are still served; readiness says not ready, liveness
//! alive; and once the database is back the instance serves and registers again by itself.
#![cfg(feature = "ssr")]
mod common;

use common::admin::register_for;
use common::database::{self, Engine};
use common::spawn_app;
use std::time::{Duration, Instant};

const EVENT: &str = "/bg/events/summer-art-party";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_gone_for_ten_seconds_is_a_clear_503_at_once_and_the_server_recovers() {
    if database::engine() != Engine::Postgres {
        // The embedded SQLite file is opened by the process itself: it cannot go away as a
        // database server does. The suite runs this on PostgreSQL.
        eprintln!("PostgreSQL only (TEST_ENGINE=postgres)");
        return;
    }
    let app = spawn_app().await;
    let cookie = [("cookie", "lang=bg")];
    register_for(&app, "summer-art-party", "before@example.bg", &[("Ана", "6")]).await;
    // A public page kept by the page cache before the outage.
    assert_eq!(app.get_with("/bg/posts", &cookie).await.status().as_u16(), 200);
    assert_eq!(
        app.get_with("/bg/posts", &cookie).await.headers()["x-page-cache"],
        "hit"
    );

    database::set_reachable(&app.database_url, false).await;
    let outage = Instant::now();
    let mut answered = 0;
    let mut slowest = Duration::ZERO;
    while outage.elapsed() < Duration::from_secs(10) {
        let asked = Instant::now();
        let page = app.get_with(EVENT, &cookie).await;
        slowest = slowest.max(asked.elapsed());
        assert_eq!(page.status().as_u16(), 503, "the event page while the database is away");
        assert_eq!(page.headers()["retry-after"], "30");
        let text = page.text().await.expect("a page");
        assert!(
            text.contains("Порталът е временно недостъпен"),
            "a clear page in Bulgarian"
        );
        answered += 1;
    }
    assert!(answered >= 2, "{answered} answers in 10 s");
    assert!(
        slowest < Duration::from_secs(5),
        "each failed within seconds: the slowest took {slowest:?}"
    );
    let english = app
        .get_with("/en/events/summer-art-party", &[("cookie", "lang=en")])
        .await;
    assert_eq!(english.status().as_u16(), 503);
    assert!(
        english
            .text()
            .await
            .unwrap()
            .contains("The portal is briefly unavailable")
    );
    // A registration posted meanwhile is refused as such, not lost as a 500.
    let fields = common::registration_fields(
        "summer-art-party",
        "during-outage",
        "during@example.bg",
        &[("Иво", "7")],
    );
    let refused = app
        .client
        .post(format!("{}{EVENT}", app.address))
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin")
        .form(&fields)
        .send()
        .await
        .expect("answered");
    assert_eq!(refused.status().as_u16(), 503);
    assert_eq!(
        app.get_with("/bg/posts", &cookie).await.status().as_u16(),
        200,
        "kept pages still served"
    );
    assert_eq!(app.get("/readyz").await.status().as_u16(), 503);
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);

    database::set_reachable(&app.database_url, true).await;
    let back = Instant::now();
    loop {
        if app.get_with(EVENT, &cookie).await.status().as_u16() == 200 {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(10),
            "the server did not recover by itself"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    eprintln!(
        "{answered} answers during the outage, the slowest in {slowest:?}; serving again {:?} after",
        back.elapsed()
    );
    assert_eq!(app.get("/readyz").await.status().as_u16(), 200);
    register_for(&app, "summer-art-party", "after@example.bg", &[("Иво", "7")]).await;
    let seats: serde_json::Value = app
        .get("/api/events/summer-art-party/availability")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        seats["confirmed"], 2,
        "the registration before and the one after; none from the outage"
    );
}
