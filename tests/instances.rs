//! Two app instances on one database, as behind a load balancer: started together, they seed
//! once; parents registering through both at once never overbook; a session made on one works
//! on the other; a change on one is seen at once in the other's cached pages (PostgreSQL tells
//! the others by NOTIFY; SQLite's second process waits for the pages' TTL).
#![cfg(feature = "ssr")]
mod common;

use common::admin::{admin_home, call, create_admin, register_for, signed_in};
use common::database::{self, Engine};
use common::{TestApp, png, select, test_config};
use ngo_portal::server::Server;
use ngo_portal::server::seed::DEMO_EDITOR;
use std::time::{Duration, Instant};

const WORKSHOP: &str = "summer-art-party";

/// Two servers on the database of `url`, started at the same moment, sharing the secret key and
/// the pictures' folder (a shared volume) as instances of one deployment do.
async fn two_instances(data_dir: &std::path::Path, url: &str) -> (TestApp, TestApp) {
    let config = |name: &str| {
        let mut config = test_config(data_dir);
        config.database_url = url.to_owned();
        config.demo_accounts = true;
        config.secret_key = Some("5ec7e7".repeat(11));
        config.media_dir = data_dir.join("shared-media");
        config.pkg_dir = data_dir.join(format!("{name}-no-bundle"));
        config
    };
    let (first, second) = tokio::join!(Server::start(config("a")), Server::start(config("b")));
    let mut apps = Vec::new();
    for server in [first, second] {
        let server = server.expect("both instances start on one database");
        let address = format!("http://{}", server.address());
        tokio::spawn(server.run(std::future::pending()));
        apps.push(TestApp {
            address,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            data_dir: tempfile::tempdir().expect("unused"),
            database_url: url.to_owned(),
        });
    }
    let second = apps.pop().expect("two");
    (apps.pop().expect("two"), second)
}

async fn availability(app: &TestApp) -> serde_json::Value {
    app.get(&format!("/api/events/{WORKSHOP}/availability"))
        .await
        .json()
        .await
        .expect("json")
}

/// The page at `path` once `app` serves it from its cache (news of the changes made before
/// may still be on the way, each forgetting the page again).
async fn cached_page(app: &TestApp, path: &str) -> String {
    let started = Instant::now();
    loop {
        let first = app.get(path).await.text().await.expect("page");
        let again = app.get(path).await;
        let hit = again.headers().get(ngo_portal::server::cache::HIT_HEADER).is_some();
        if hit && again.text().await.expect("page") == first {
            return first;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "{path} is never kept");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits (briefly) until `ok` holds for what `app` serves at `path`; the time it took.
async fn until_served(app: &TestApp, path: &str, ok: impl Fn(&str) -> bool) -> Duration {
    let started = Instant::now();
    loop {
        let page = app.get(path).await.text().await.expect("page");
        if ok(&page) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{path} on the other instance still shows the old page"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_seats_sessions_and_news_of_changes() {
    let data_dir = tempfile::tempdir().expect("temporary directory");
    let url = database::fresh_url(database::engine(), data_dir.path())
        .await
        .expect("the engine's database");
    let (a, b) = two_instances(data_dir.path(), &url).await;
    let posts_a = a.page("/bg/posts").await.1;
    let posts_b = b.page("/bg/posts").await.1;
    assert_eq!(
        select(&posts_a, "article").len(),
        select(&posts_b, "article").len(),
        "one seeding: the same posts on both"
    );

    // 60 parents, one child each, half through each instance, all at once: 30 seats.
    let parents: Vec<_> = (0..60)
        .map(|n| {
            let app = if n % 2 == 0 { a.clone_app() } else { b.clone_app() };
            tokio::spawn(async move {
                register_for(&app, WORKSHOP, &format!("parent{n}@example.bg"), &[("Дете", "7")]).await
            })
        })
        .collect();
    for parent in parents {
        assert!(parent.await.expect("registered").contains("/registrations/"));
    }
    for app in [&a, &b] {
        let seats = availability(app).await;
        assert_eq!(seats["confirmed"], 30, "{seats}");
        assert_eq!(seats["waitlisted"], 30, "{seats}");
    }

    // Signed in on one instance, the session works on the other; signed out there, on neither.
    let cookie = signed_in(&a, DEMO_EDITOR).await;
    assert_eq!(admin_home(&b, Some(&cookie)).await.status().as_u16(), 200);
    let out = call(&b, "/api/admin/sign-out", Some(&cookie), &[("lang", "bg")]).await;
    assert_eq!(out.status().as_u16(), 200);
    assert_eq!(admin_home(&a, Some(&cookie)).await.status().as_u16(), 401);

    if database::engine() != Engine::Postgres {
        return;
    }
    // The other instance's cached list of events: a registration on this one shows there at once.
    let event = "/bg/events".to_owned();
    let seen_before = cached_page(&b, &event).await;
    register_for(&a, WORKSHOP, "late@example.bg", &[("Късно", "8")]).await;
    let took = until_served(&b, &event, |page| {
        page != seen_before && page.contains(r#"\"waitlisted\":31"#)
    })
    .await;
    eprintln!("a registration on one instance reached the other's pages in {took:?}");

    // Content: an admin gives an NGO a logo on one instance; the other shows it at once.
    let admin = signed_in(&a, create_admin(&a).await).await;
    let profile = "/bg/ngos/zeleni-rodopi";
    assert!(select(&b.page(profile).await.1, "[data-testid=ngo-logo]").is_empty());
    let logo = a
        .client
        .post(format!("{}/api/admin/ngos/zeleni-rodopi/logo", a.address))
        .header("cookie", &admin)
        .header("content-type", "image/png")
        .header("sec-fetch-site", "same-origin")
        .body(png(300, 300))
        .send()
        .await
        .expect("answered");
    assert_eq!(logo.status().as_u16(), 200);
    let took = until_served(&b, profile, |page| page.contains(r#"data-testid="ngo-logo""#)).await;
    eprintln!("a content change on one instance reached the other's pages in {took:?}");
}

trait CloneApp {
    fn clone_app(&self) -> TestApp;
}

impl CloneApp for TestApp {
    fn clone_app(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            client: self.client.clone(),
            data_dir: tempfile::tempdir().expect("unused"),
            database_url: self.database_url.clone(),
        }
    }
}
