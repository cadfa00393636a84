//! Parents' data stays theirs: what a stranger can and cannot get out of the registration flow,
//! and what the server keeps, sends and remembers. Each test drives the real server.
#![cfg(feature = "ssr")]
mod common;

use common::smtp::SmtpSink;
use common::{TestApp, attr, spawn_app, spawn_app_with, text};
use scraper::Html;

const WORKSHOP: &str = "summer-art-party";

fn form(key: &str, email: &str, phone: &str, children: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields = common::registration_fields(WORKSHOP, key, email, children);
    common::set_field(&mut fields, "phone", phone);
    common::set_field(&mut fields, "note", "Алергия към ядки");
    fields
}

/// A same-origin form post to `path`, wanting `accept`.
async fn post_same_origin(app: &TestApp, path: &str, accept: &str, fields: &[(String, String)]) -> reqwest::Response {
    app.client
        .post(format!("{}{path}", app.address))
        .header("accept", accept)
        .header("origin", &app.address)
        .header("sec-fetch-site", "same-origin")
        .form(fields)
        .send()
        .await
        .expect("answered")
}

/// The form posted without JavaScript, from the event page, as a browser sends it.
async fn post_page_form(app: &TestApp, fields: &[(String, String)]) -> reqwest::Response {
    post_same_origin(app, &format!("/bg/events/{WORKSHOP}"), "text/html", fields).await
}

/// The form sent by the app (hydrated) to its server function.
async fn post_app_form(app: &TestApp, fields: &[(String, String)]) -> reqwest::Response {
    post_same_origin(app, "/api/events/register", "application/json", fields).await
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn registered(app: &TestApp, fields: &[(String, String)]) -> String {
    let response = post_page_form(app, fields).await;
    assert_eq!(response.status().as_u16(), 303);
    let manage = location(&response);
    assert!(manage.starts_with("/bg/registrations/"), "{manage}");
    manage
}

async fn confirmed_children(app: &TestApp) -> u64 {
    let seats: serde_json::Value = app
        .get(&format!("/api/events/{WORKSHOP}/availability"))
        .await
        .json()
        .await
        .expect("json");
    seats["confirmed"].as_u64().expect("a count")
}

/// Whether `needle` stands anywhere the database keeps data.
async fn database_contains(app: &TestApp, needle: &str) -> bool {
    common::database::contains(&app.database_url, app.data_dir.path(), needle).await
}

#[tokio::test]
async fn a_second_submission_of_the_same_parent_and_children_learns_nothing_and_the_link_is_mailed_again() {
    let sink = SmtpSink::start().await;
    let smtp_url = sink.url.clone();
    let app = spawn_app_with(|config| config.smtp_url = Some(smtp_url)).await;
    let children = [("Ива", "6"), ("Петър", "9")];
    let manage = registered(&app, &form("first", "maria@example.bg", "0888123456", &children)).await;
    let (_, first_page) = app.page(&manage).await;
    let code = text(&first_page, "[data-testid=registration-code]");

    // Someone who knows the e-mail and the children's names, without JavaScript …
    let stranger = post_page_form(
        &app,
        &form(
            "stranger",
            "Maria@Example.bg",
            "0899000000",
            &[("петър", "9"), ("Ива", "6")],
        ),
    )
    .await;
    assert_eq!(stranger.status().as_u16(), 303);
    let neutral = location(&stranger);
    assert_eq!(neutral, format!("/bg/events/{WORKSHOP}/link-sent"));
    let (status, page) = app.page(&neutral).await;
    assert_eq!(status, 200);
    let html = page.html();
    assert!(!html.contains(&code) && !html.contains("/registrations/"), "{html}");
    assert_eq!(
        text(&page, "h1"),
        "Вече има такава регистрация",
        "a neutral page in the visitor's language"
    );
    // … and with it, through the server function.
    let app_answer = post_app_form(&app, &form("stranger-2", "maria@example.bg", "0899000000", &children)).await;
    let redirect = location(&app_answer);
    let body = app_answer.text().await.unwrap();
    assert_eq!(redirect, neutral);
    assert!(!body.contains("registrations/") && !body.contains(&code), "{body}");

    // The parent who registered gets the link, at the address stored with the registration.
    let mail = sink.wait_for("опита отново").await;
    assert!(mail.contains(&format!("{}{manage}", common::PUBLIC_URL)), "{mail}");
    assert!(mail.contains("maria@example.bg"), "to the stored address:\n{mail}");
    assert_eq!(confirmed_children(&app).await, 2, "nothing was registered twice");
}

#[tokio::test]
async fn a_key_replays_only_its_own_submission() {
    let app = spawn_app().await;
    let children = [("Ива", "6")];
    let original = form("the-key", "maria@example.bg", "0888123456", &children);
    let manage = registered(&app, &original).await;
    // The same submission again (a double tap, the offline queue): the same registration.
    assert_eq!(registered(&app, &original).await, manage);

    // The key with another e-mail: refused, and no token in the answer.
    let planted = form("the-key", "attacker@example.bg", "0888123456", &children);
    let answer = post_app_form(&app, &planted).await;
    assert_eq!(answer.status().as_u16(), 409);
    assert!(location(&answer).is_empty());
    assert!(!answer.text().await.unwrap().contains("registrations/"));
    let page_answer = post_page_form(&app, &planted).await;
    assert_eq!(page_answer.status().as_u16(), 409);
    assert!(location(&page_answer).is_empty());
    let html = page_answer.text().await.unwrap();
    assert!(!html.contains("/registrations/"), "{html}");
    assert!(!html.contains("the-key"), "the key is never echoed");
    // Other children under the key: refused too.
    let other_children = form("the-key", "maria@example.bg", "0888123456", &[("Боян", "7")]);
    assert_eq!(post_app_form(&app, &other_children).await.status().as_u16(), 409);
    assert_eq!(confirmed_children(&app).await, 1);
}

#[tokio::test]
async fn a_rejected_form_without_javascript_keeps_personal_data_out_of_every_url() {
    let app = spawn_app().await;
    let mut fields = form("typo", "maria@", "0888123456", &[("Ива", "15")]);
    fields.retain(|(name, _)| name != "consent");
    let response = post_page_form(&app, &fields).await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(location(&response).is_empty(), "shown in the response, not redirected");
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    let page = Html::parse_document(&response.text().await.unwrap());
    assert_eq!(attr(&page, "#email", "value").as_deref(), Some("maria@"));
    assert_eq!(attr(&page, "#phone", "value").as_deref(), Some("0888123456"));
    assert_eq!(text(&page, "#note"), "Алергия към ядки");
    assert_eq!(
        text(&page, "[data-testid=error-email]"),
        "Въведете валиден имейл адрес, например maria@example.bg."
    );
    assert_ne!(
        attr(&page, "input[name=idempotency_key]", "value").as_deref(),
        Some("typo"),
        "a fresh key, never the posted one"
    );

    // The app's endpoint posted as a plain form (an old page): the error may travel in the
    // redirect, but never what was typed.
    let legacy = app
        .client
        .post(format!("{}/api/events/register", app.address))
        .header("accept", "text/html")
        .header("referer", format!("{}/bg/events/{WORKSHOP}", app.address))
        .form(&fields)
        .send()
        .await
        .unwrap();
    let legacy_location = location(&legacy);
    for personal in ["maria", "0888123456", "Мария", "%D0%9C", "Ива", "typo"] {
        assert!(!legacy_location.contains(personal), "{personal} in {legacy_location}");
    }
    let decoded = legacy_location
        .split("__err=")
        .nth(1)
        .map(|err| err.split('&').next().unwrap_or_default().replace("%3D", "="))
        .map(|err| {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE
                .decode(err)
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    assert!(!decoded.contains("maria") && !decoded.contains("0888"), "{decoded}");
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let fields = form("csrf", "maria@example.bg", "0888123456", &[("Ива", "6")]);
    let foreign_origin = app
        .client
        .post(format!("{}/bg/events/{WORKSHOP}", app.address))
        .header("accept", "text/html")
        .header("origin", "https://evil.example")
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(foreign_origin.status().as_u16(), 403);
    let page = Html::parse_document(&foreign_origin.text().await.unwrap());
    assert_eq!(text(&page, "h1"), "Заявката не е приета");
    let cross_site = app
        .client
        .post(format!("{}/api/events/register", app.address))
        .header("accept", "application/json")
        .header("sec-fetch-site", "cross-site")
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status().as_u16(), 403);
    assert_eq!(cross_site.text().await.unwrap(), "\"Forbidden\"");
    let cancel = app
        .client
        .post(format!("{}/api/registrations/cancel", app.address))
        .header("sec-fetch-site", "same-site")
        .form(&[("lang", "bg"), ("token", "whatever")])
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status().as_u16(), 403);
    assert_eq!(confirmed_children(&app).await, 0, "nothing changed");

    // The same form from the portal's own page, and the service worker's replay, go through.
    registered(&app, &fields).await;
    let replay = post_app_form(
        &app,
        &form("sw-replay", "ana@example.bg", "0888123456", &[("Ана", "7")]),
    )
    .await;
    assert!(location(&replay).starts_with("/bg/registrations/"));
    assert_eq!(confirmed_children(&app).await, 2);
}

#[tokio::test]
async fn the_limiter_honours_only_trusted_proxies() {
    let behind_proxy = spawn_app_with(|config| {
        config.registrations_per_minute = 2;
        config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    let post_as = |app: &TestApp, visitor: &str, n: usize| {
        let request = app
            .client
            .post(format!("{}/bg/events/{WORKSHOP}", app.address))
            .header("accept", "text/html")
            .header("x-forwarded-for", visitor)
            .form(&form(
                &format!("k{n}"),
                &format!("p{n}@example.bg"),
                "0888123456",
                &[("Ива", "6")],
            ));
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(post_as(&behind_proxy, "198.51.100.1", 1).await, 303);
    assert_eq!(post_as(&behind_proxy, "198.51.100.1", 2).await, 303);
    assert_eq!(post_as(&behind_proxy, "198.51.100.1", 3).await, 429, "the same visitor");
    assert_eq!(post_as(&behind_proxy, "198.51.100.2", 4).await, 303, "another visitor");
    assert_eq!(
        post_as(&behind_proxy, "2001:db8:1:2::1", 5).await,
        303,
        "an IPv6 visitor"
    );
    assert_eq!(post_as(&behind_proxy, "2001:db8:1:2::1", 6).await, 303);
    assert_eq!(
        post_as(&behind_proxy, "2001:db8:1:2::ffff", 7).await,
        429,
        "the same /64"
    );

    // Without trusted proxies a forged header changes nothing: the peer is the visitor.
    let direct = spawn_app_with(|config| config.registrations_per_minute = 2).await;
    assert_eq!(post_as(&direct, "198.51.100.1", 1).await, 303);
    assert_eq!(post_as(&direct, "198.51.100.2", 2).await, 303);
    let limited = direct
        .client
        .post(format!("{}/bg/events/{WORKSHOP}", direct.address))
        .header("accept", "text/html")
        .header("x-forwarded-for", "198.51.100.3")
        .form(&form("k3", "p3@example.bg", "0888123456", &[("Ива", "6")]))
        .send()
        .await
        .unwrap();
    assert_eq!(limited.status().as_u16(), 429);
    assert!(limited.headers().contains_key("content-security-policy"));
    let html = limited.text().await.unwrap();
    assert!(
        html.contains("<html lang=\"bg\"") && html.contains("Твърде много опити"),
        "{html}"
    );
}

#[tokio::test]
async fn one_email_holds_at_most_three_registrations_per_event() {
    let app = spawn_app().await;
    for (n, child) in ["Ива", "Петър", "Боян"].iter().enumerate() {
        registered(
            &app,
            &form(&format!("cap-{n}"), "busy@example.bg", "0888123456", &[(child, "6")]),
        )
        .await;
    }
    let fourth = post_page_form(&app, &form("cap-4", "busy@example.bg", "0888123456", &[("Дара", "6")])).await;
    assert_eq!(fourth.status().as_u16(), 422);
    let page = Html::parse_document(&fourth.text().await.unwrap());
    assert!(
        text(&page, "[data-testid=error-email]").starts_with("С този имейл вече има 3 регистрации"),
        "{}",
        text(&page, "[data-testid=error-email]")
    );
    assert_eq!(
        attr(&page, "#child-0-name", "value").as_deref(),
        Some("Дара"),
        "nothing typed is lost"
    );
    assert_eq!(confirmed_children(&app).await, 3);
}

#[tokio::test]
async fn the_database_holds_no_private_link_in_clear() {
    let app = spawn_app().await;
    let manage = registered(&app, &form("db", "maria@example.bg", "0888123456", &[("Ива", "6")])).await;
    let token = manage.rsplit('/').next().unwrap().to_owned();
    assert_eq!(app.page(&manage).await.0, 200, "the link works");
    assert!(!database_contains(&app, &token).await, "token in clear in the database");
    assert!(
        !database_contains(&app, &manage).await,
        "link in clear in the database (outbox)"
    );
    // A token with a valid shape but not signed by this server opens nothing.
    let mut forged = token.into_bytes();
    let last = forged.len() - 3;
    forged[last] = if forged[last] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    assert_eq!(app.page(&format!("/bg/registrations/{forged}")).await.0, 404);
}

#[tokio::test]
async fn cancelling_erases_the_registrations_personal_data_at_once() {
    let app = spawn_app().await;
    let manage = registered(
        &app,
        &form("cancel", "cancel@example.bg", "0877111222", &[("Здравко", "8")]),
    )
    .await;
    assert_eq!(app.cancel(&manage).await, 302);
    let (status, page) = app.page(&manage).await;
    assert_eq!(status, 200);
    assert_eq!(
        text(&page, "[data-testid=registration-status]"),
        "Регистрацията е отменена."
    );
    let html = page.html();
    assert!(!html.contains("Здравко") && !html.contains("Мария Иванова"), "{html}");
    assert!(
        !database_contains(&app, "0877111222").await,
        "the phone is gone at once"
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_the_cache_control_its_route_intends() {
    let app = spawn_app().await;
    let manage = registered(
        &app,
        &form("headers", "maria@example.bg", "0888123456", &[("Ива", "6")]),
    )
    .await;
    let routes: Vec<(String, &str)> = vec![
        ("/bg/".into(), "public, no-cache"),
        ("/en/posts".into(), "public, no-cache"),
        ("/bg/events".into(), "public, no-cache"),
        ("/bg/offline".into(), "public, no-cache"),
        (format!("/bg/events/{WORKSHOP}"), "private, no-cache"),
        (manage.clone(), "private, no-store"),
        ("/bg/no-such-page".into(), "no-cache"),
        ("/".into(), "private, no-store"),
        (format!("/api/events/{WORKSHOP}/availability"), "public, max-age=5"),
        ("/sw.js".into(), "no-cache"),
    ];
    // Twice each: the second answer of a public page or public data comes from the page cache,
    // which must keep every header the first one had.
    for (path, cache_control) in routes.iter().flat_map(|route| [route, route]) {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["cache-control"], *cache_control, "{path}");
        assert!(headers.contains_key("content-security-policy"), "CSP on {path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        // The tests' public URL is https.
        assert_eq!(headers["strict-transport-security"], "max-age=63072000", "{path}");
    }
    assert_eq!(app.get(&manage).await.headers()["referrer-policy"], "no-referrer");
    let cookie = app.get("/en/").await.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.ends_with("; Secure"), "{cookie}");
}

#[tokio::test]
async fn the_page_cache_ignores_unknown_query_parameters_and_keeps_only_public_pages() {
    let app = spawn_app().await;
    assert!(
        app.get("/bg/posts?page=1")
            .await
            .headers()
            .get("x-page-cache")
            .is_none()
    );
    let hit = app.get("/bg/posts?utm_source=x&page=1&nonce=42").await;
    assert_eq!(
        hit.headers()["x-page-cache"],
        "hit",
        "the same page, whatever else the address says"
    );
    assert_eq!(
        app.get("/bg/posts?page=x7").await.headers()["x-page-cache"],
        "hit",
        "an invented page number is page 1, not a page of its own"
    );
    // The first visitor's spelling is not kept in the page served to the next one.
    assert!(
        !app.get("/bg/events?when=soon")
            .await
            .text()
            .await
            .unwrap()
            .contains("soon")
    );
    let upcoming = app.get("/bg/events?when=upcoming").await;
    assert_eq!(upcoming.headers()["x-page-cache"], "hit");
    assert!(
        upcoming.text().await.unwrap().contains("when=upcoming"),
        "the language switch keeps the tab"
    );
    let event = format!("/bg/events/{WORKSHOP}");
    app.get(&event).await;
    assert!(
        app.get(&event).await.headers().get("x-page-cache").is_none(),
        "private pages are never kept"
    );
    let seats = format!("/api/events/{WORKSHOP}/availability");
    app.get(&seats).await;
    assert!(
        app.get(&seats).await.headers().get("x-page-cache").is_none(),
        "an answer with its own max-age is not kept longer than that"
    );
}

#[tokio::test]
async fn names_and_notes_are_stored_without_line_breaks_or_hidden_characters() {
    let sink = SmtpSink::start().await;
    let smtp_url = sink.url.clone();
    let app = spawn_app_with(|config| config.smtp_url = Some(smtp_url)).await;
    let mut fields = form(
        "controls",
        "ctrl@example.bg",
        "0888123456",
        &[("Ива\u{202E}xe.gpj", "6")],
    );
    common::set_field(&mut fields, "parent_name", "Мария\r\nBcc: victim@example.com");
    let manage = registered(&app, &fields).await;
    let (_, page) = app.page(&manage).await;
    assert!(page.html().contains("Мария Bcc: victim@example.com"));
    assert!(page.html().contains("Иваxe.gpj"));
    let mail = sink.wait_for("Мария Bcc").await;
    assert!(!mail.contains("\nBcc:"), "{mail}");
}
