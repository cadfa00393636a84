//! The admin side's doors: who gets in, who stays out, and what a session is worth. Each test
//! drives the real server on a fresh database with the demo editor and organiser.
#![cfg(feature = "ssr")]
mod common;

use common::admin::{
    admin_home, call, create_admin, get_as, header, post_sign_in, session_cookie, signed_in, spawn_admin_app,
};
use common::{TestApp, spawn_app_with, text};
use ngo_portal::server::seed::{DEMO_EDITOR, DEMO_ORGANISER};
use scraper::Html;

#[tokio::test]
async fn admin_functions_answer_401_without_a_session() {
    let app = spawn_admin_app().await;
    let home = admin_home(&app, None).await;
    assert_eq!(home.status().as_u16(), 401);
    assert!(header(&home, "cache-control").contains("no-store"));
    let forged = admin_home(&app, Some("session=not-a-session")).await;
    assert_eq!(forged.status().as_u16(), 401);
    // Signing out without a session ends nothing and only clears the cookie.
    let everywhere = call(&app, "/api/admin/sign-out-everywhere", None, &[("lang", "bg")]).await;
    assert_eq!(everywhere.status().as_u16(), 200);
    assert!(header(&everywhere, "set-cookie").contains("Max-Age=0"));
}

#[tokio::test]
async fn the_admin_page_sends_a_signed_out_visitor_to_sign_in() {
    let app = spawn_admin_app().await;
    for lang in ["bg", "en"] {
        let response = app
            .get_with(&format!("/{lang}/admin"), &[("accept", "text/html")])
            .await;
        assert_eq!(response.status().as_u16(), 302);
        assert_eq!(header(&response, "location"), format!("/{lang}/admin/sign-in"));
    }
}

#[tokio::test]
async fn an_organiser_sees_only_their_event_and_an_editor_sees_all() {
    let app = spawn_admin_app().await;
    let organiser = signed_in(&app, DEMO_ORGANISER).await;
    let home: serde_json::Value = admin_home(&app, Some(&organiser)).await.json().await.expect("json");
    let slugs: Vec<&str> = home["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["slug"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(slugs, ["summer-art-party"]);
    assert_eq!(home["account"]["role"], "organiser");

    let editor = signed_in(&app, DEMO_EDITOR).await;
    let home: serde_json::Value = admin_home(&app, Some(&editor)).await.json().await.expect("json");
    assert!(home["events"].as_array().expect("events").len() > 1);

    // The page itself, server-rendered for the signed-in browser, private to it.
    let page = app
        .get_with("/bg/admin", &[("accept", "text/html"), ("cookie", &organiser)])
        .await;
    assert_eq!(page.status().as_u16(), 200);
    assert_eq!(header(&page, "cache-control"), "private, no-store");
    let html = Html::parse_document(&page.text().await.expect("body"));
    assert!(text(&html, "[data-testid=signed-in-as]").contains("Демо организатор"));
    assert_eq!(
        common::texts(&html, "[data-testid=admin-event] .admin-event__title"),
        ["Лятно парти"]
    );
}

#[tokio::test]
async fn a_wrong_password_is_refused_next_to_the_field_keeping_the_address() {
    let app = spawn_admin_app().await;
    let response = post_sign_in(&app, DEMO_EDITOR.0, "not the password", None).await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(session_cookie(&response).is_none());
    assert_eq!(header(&response, "cache-control"), "private, no-store");
    let html = Html::parse_document(&response.text().await.expect("body"));
    assert_eq!(text(&html, "[data-testid=error-password]"), "Грешен имейл или парола.");
    assert_eq!(common::attr(&html, "#email", "value").as_deref(), Some(DEMO_EDITOR.0));
    assert_eq!(
        common::attr(&html, "#password", "value"),
        None,
        "the password never comes back"
    );
    // An address without an account gets the very same answer.
    let unknown = post_sign_in(&app, "nobody@example.org", "not the password", None).await;
    assert_eq!(unknown.status().as_u16(), 422);
    let html = Html::parse_document(&unknown.text().await.expect("body"));
    assert_eq!(text(&html, "[data-testid=error-password]"), "Грешен имейл или парола.");
}

#[tokio::test]
async fn repeated_failures_lock_the_address_even_for_the_right_password() {
    let app = spawn_admin_app().await;
    for attempt in 1..=4 {
        let response = post_sign_in(&app, DEMO_EDITOR.0, "guess", None).await;
        assert_eq!(response.status().as_u16(), 422, "attempt {attempt}");
    }
    let fifth = post_sign_in(&app, DEMO_EDITOR.0, "guess", None).await;
    assert_eq!(fifth.status().as_u16(), 429);
    let html = Html::parse_document(&fifth.text().await.expect("body"));
    assert!(
        text(&html, "[data-testid=form-error]").contains("Опитайте отново след 15 мин."),
        "{}",
        text(&html, "[data-testid=form-error]")
    );
    let right = post_sign_in(&app, DEMO_EDITOR.0, DEMO_EDITOR.1, None).await;
    assert_eq!(right.status().as_u16(), 429, "locked, whatever the password");
    assert!(session_cookie(&right).is_none());
    // Through the app's server function, the same lock, as data.
    let app_answer = call(
        &app,
        "/api/admin/sign-in",
        None,
        &[("lang", "en"), ("email", DEMO_EDITOR.0), ("password", DEMO_EDITOR.1)],
    )
    .await;
    assert_eq!(app_answer.status().as_u16(), 429);
    // Another account is not affected.
    signed_in(&app, DEMO_ORGANISER).await;
}

/// A sign-in through a trusted proxy that names the visitor `ip`.
async fn post_sign_in_from(app: &TestApp, ip: &str, email: &str, password: &str) -> u16 {
    app.client
        .post(format!("{}/bg/admin/sign-in", app.address))
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin")
        .header("x-forwarded-for", ip)
        .form(&[("lang", "bg"), ("email", email), ("password", password)])
        .send()
        .await
        .expect("answered")
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_strangers_failures_do_not_lock_the_editor_out_from_elsewhere() {
    let app = spawn_app_with(|config| {
        config.demo_accounts = true;
        config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("network")];
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(post_sign_in_from(&app, "203.0.113.7", DEMO_EDITOR.0, "guess").await);
    }
    assert_eq!(statuses, [422, 422, 422, 422, 429, 429]);
    assert_eq!(
        post_sign_in_from(&app, "198.51.100.20", DEMO_EDITOR.0, DEMO_EDITOR.1).await,
        303
    );
}

#[tokio::test]
async fn attempts_made_at_the_same_moment_cannot_slip_past_the_lock() {
    let app = spawn_app_with(|config| {
        config.demo_accounts = true;
        config.sign_ins_per_minute = 1_000;
    })
    .await;
    let attempts = (0..20).map(|_| post_sign_in(&app, DEMO_EDITOR.0, "guess", None));
    let statuses: Vec<u16> = futures::future::join_all(attempts)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    let checked = statuses.iter().filter(|s| **s == 422).count();
    let locked = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, locked), (4, 16), "{statuses:?}");
}

#[tokio::test]
async fn one_visitor_cannot_try_many_addresses_quickly() {
    let app = spawn_admin_app().await;
    let mut statuses = Vec::new();
    for n in 0..12 {
        let response = post_sign_in(&app, &format!("guess{n}@example.org"), "guess", None).await;
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses[..10], [422; 10]);
    assert_eq!(statuses[10..], [429; 2]);
}

#[tokio::test]
async fn a_session_id_from_before_sign_in_is_useless_after_it() {
    let app = spawn_admin_app().await;
    // A cookie planted by someone else before the editor signs in (session fixation) …
    let planted = "__Host-session=planted-by-an-attacker-000000000000000000";
    let response = post_sign_in(&app, DEMO_EDITOR.0, DEMO_EDITOR.1, Some(planted)).await;
    let issued = session_cookie(&response).expect("a new session");
    assert_ne!(issued, planted);
    assert_eq!(admin_home(&app, Some(planted)).await.status().as_u16(), 401);
    assert_eq!(admin_home(&app, Some(&issued)).await.status().as_u16(), 200);
    // … and a real earlier session of this browser ends when it signs in again.
    let again = post_sign_in(&app, DEMO_EDITOR.0, DEMO_EDITOR.1, Some(&issued)).await;
    let newer = session_cookie(&again).expect("a new session");
    assert_ne!(newer, issued);
    assert_eq!(admin_home(&app, Some(&issued)).await.status().as_u16(), 401);
    assert_eq!(admin_home(&app, Some(&newer)).await.status().as_u16(), 200);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_lax_and_secure_under_https() {
    let app = spawn_admin_app().await;
    // The test server's public URL is https: the cookie is `__Host-` and `Secure`.
    let response = post_sign_in(&app, DEMO_EDITOR.0, DEMO_EDITOR.1, None).await;
    let set_cookie = header(&response, "set-cookie");
    assert!(set_cookie.starts_with("__Host-session="), "{set_cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie} lacks {attribute}");
    }
}

#[tokio::test]
async fn a_cross_site_sign_in_or_sign_out_is_refused() {
    let app = spawn_admin_app().await;
    let cookie = signed_in(&app, DEMO_EDITOR).await;
    let sign_in = app
        .client
        .post(format!("{}/bg/admin/sign-in", app.address))
        .header("sec-fetch-site", "cross-site")
        .form(&[("lang", "bg"), ("email", DEMO_EDITOR.0), ("password", DEMO_EDITOR.1)])
        .send()
        .await
        .expect("answered");
    assert_eq!(sign_in.status().as_u16(), 403);
    assert!(session_cookie(&sign_in).is_none());
    let sign_out = app
        .client
        .post(format!("{}/api/admin/sign-out-everywhere", app.address))
        .header("sec-fetch-site", "cross-site")
        .header("cookie", &cookie)
        .form(&[("lang", "bg")])
        .send()
        .await
        .expect("answered");
    assert_eq!(sign_out.status().as_u16(), 403);
    assert_eq!(
        admin_home(&app, Some(&cookie)).await.status().as_u16(),
        200,
        "still signed in"
    );
}

#[tokio::test]
async fn signing_out_ends_this_session_and_everywhere_ends_all() {
    let app = spawn_admin_app().await;
    let phone = signed_in(&app, DEMO_EDITOR).await;
    let laptop = signed_in(&app, DEMO_EDITOR).await;
    let tablet = signed_in(&app, DEMO_EDITOR).await;
    let out = call(&app, "/api/admin/sign-out", Some(&phone), &[("lang", "bg")]).await;
    assert_eq!(out.status().as_u16(), 200);
    assert!(header(&out, "set-cookie").contains("Max-Age=0"));
    assert_eq!(admin_home(&app, Some(&phone)).await.status().as_u16(), 401);
    assert_eq!(admin_home(&app, Some(&laptop)).await.status().as_u16(), 200);
    let everywhere = call(&app, "/api/admin/sign-out-everywhere", Some(&laptop), &[("lang", "bg")]).await;
    assert_eq!(everywhere.status().as_u16(), 200);
    assert_eq!(admin_home(&app, Some(&laptop)).await.status().as_u16(), 401);
    assert_eq!(admin_home(&app, Some(&tablet)).await.status().as_u16(), 401);
}

#[tokio::test]
async fn sessions_survive_a_server_restart() {
    use ngo_portal::server::Server;
    let data_dir = tempfile::tempdir().expect("temporary directory");
    let database_url = common::database::fresh_url(common::database::engine(), data_dir.path())
        .await
        .expect("the engine's database");
    let config = || {
        let mut config = common::test_config(data_dir.path());
        config.database_url = database_url.clone();
        config.demo_accounts = true;
        config
    };
    let start = |config| async move {
        let server = Server::start(config).await.expect("server starts");
        let address = format!("http://{}", server.address());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(server.run(async move {
            let _ = stopped.await;
        }));
        (address, stop, running)
    };
    let (address, stop, running) = start(config()).await;
    let first = TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        data_dir: tempfile::tempdir().expect("unused"),
        database_url: database_url.clone(),
    };
    let cookie = signed_in(&first, DEMO_EDITOR).await;
    let _ = stop.send(());
    running.await.expect("stopped").expect("served");

    let (address, _stop, _running) = start(config()).await;
    let second = TestApp { address, ..first };
    assert_eq!(admin_home(&second, Some(&cookie)).await.status().as_u16(), 200);
}

#[tokio::test]
async fn admin_answers_are_never_kept_by_a_cache() {
    let app = spawn_admin_app().await;
    let cookie = signed_in(&app, DEMO_EDITOR).await;
    for _ in 0..2 {
        let response = admin_home(&app, Some(&cookie)).await;
        assert_eq!(header(&response, "cache-control"), "private, no-store");
        assert!(response.headers().get("x-page-cache").is_none());
        assert!(response.headers().get("etag").is_none());
    }
    // A stranger asking the same URL after the editor gets no copy of it.
    assert_eq!(admin_home(&app, None).await.status().as_u16(), 401);
}

const ORGANISED: &str = "summer-art-party";
const NOT_ORGANISED: &str = "library-night";

/// A parent registers `children` for the organised event; returns the private page.
async fn register(app: &TestApp, email: &str, children: &[(&str, &str)]) -> String {
    common::admin::register_for(app, ORGANISED, email, children).await
}

/// The door list an account with `cookie` gets, as JSON.
async fn door_list(app: &TestApp, cookie: &str, slug: &str, q: &str) -> serde_json::Value {
    door(app, Some(cookie), slug, q).await.json().await.expect("json")
}

async fn door(app: &TestApp, cookie: Option<&str>, slug: &str, q: &str) -> reqwest::Response {
    let mut request =
        app.client
            .get(format!("{}/api/admin/door", app.address))
            .query(&[("lang", "bg"), ("slug", slug), ("q", q)]);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("answered")
}

async fn csv(app: &TestApp, cookie: Option<&str>, slug: &str) -> reqwest::Response {
    let mut request = app.client.get(format!(
        "{}/api/admin/events/{slug}/registrations.csv?lang=bg",
        app.address
    ));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("answered")
}

fn check_in_fields<'a>(slug: &'a str, code: &'a str, present: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("lang", "bg"),
        ("slug", slug),
        ("code", code),
        ("child", "0"),
        ("present", present),
    ]
}

/// Checks the first child of registration `code` in (`present` "true") or out, as the app does.
async fn check_in(app: &TestApp, cookie: Option<&str>, slug: &str, code: &str, present: &str) -> reqwest::Response {
    call(
        app,
        "/api/admin/check-in",
        cookie,
        &check_in_fields(slug, code, present),
    )
    .await
}

#[tokio::test]
async fn an_organiser_gets_403_for_another_events_registrations_and_401_signed_out() {
    let app = spawn_admin_app().await;
    let organiser = signed_in(&app, DEMO_ORGANISER).await;
    assert_eq!(door(&app, Some(&organiser), ORGANISED, "").await.status().as_u16(), 200);
    assert_eq!(
        door(&app, Some(&organiser), NOT_ORGANISED, "").await.status().as_u16(),
        403
    );
    // An event that does not exist reads the same to an organiser: nothing to learn.
    assert_eq!(
        door(&app, Some(&organiser), "no-such-event", "")
            .await
            .status()
            .as_u16(),
        403
    );
    assert_eq!(csv(&app, Some(&organiser), NOT_ORGANISED).await.status().as_u16(), 403);
    let refused = check_in(&app, Some(&organiser), NOT_ORGANISED, "XX-0000", "true").await;
    assert_eq!(refused.status().as_u16(), 403);

    for (status, response) in [
        (401, door(&app, None, ORGANISED, "").await),
        (401, csv(&app, None, ORGANISED).await),
        (401, check_in(&app, None, ORGANISED, "XX-0000", "true").await),
    ] {
        assert_eq!(response.status().as_u16(), status);
    }
    let editor = signed_in(&app, DEMO_EDITOR).await;
    assert_eq!(
        door(&app, Some(&editor), NOT_ORGANISED, "").await.status().as_u16(),
        200
    );
    assert_eq!(
        door(&app, Some(&editor), "no-such-event", "").await.status().as_u16(),
        404
    );
}

#[tokio::test]
async fn an_organiser_finds_a_family_checks_a_child_in_and_exports_the_list() {
    let app = spawn_admin_app().await;
    register(&app, "maria@example.org", &[("Ива", "7"), ("Петър", "9")]).await;
    register(&app, "georgi@example.org", &[("Никола", "8")]).await;
    let organiser = signed_in(&app, DEMO_ORGANISER).await;

    let list = door_list(&app, &organiser, ORGANISED, "").await;
    assert_eq!(list["registrations"].as_array().expect("list").len(), 2);
    assert_eq!(list["checked_in_children"], 0);
    let code = list["registrations"][0]["code"].as_str().expect("code").to_owned();
    // Found by code, any case.
    let found = door_list(&app, &organiser, ORGANISED, &code.to_lowercase()).await;
    assert_eq!(found["registrations"].as_array().expect("list").len(), 1);
    assert_eq!(found["registrations"][0]["children"][0]["first_name"], "Ива");

    let checked = check_in(&app, Some(&organiser), ORGANISED, &code, "true").await;
    assert_eq!(checked.status().as_u16(), 200);
    let list = door_list(&app, &organiser, ORGANISED, "").await;
    assert_eq!(list["checked_in_children"], 1);
    assert_eq!(list["registrations"][0]["children"][0]["checked_in"], true);
    assert_eq!(list["registrations"][0]["children"][1]["checked_in"], false);
    // A code of no registration of this event changes nothing.
    let unknown = check_in(&app, Some(&organiser), ORGANISED, "ZZ-ZZZZ", "true").await;
    assert_eq!(unknown.status().as_u16(), 404);

    let export = csv(&app, Some(&organiser), ORGANISED).await;
    assert_eq!(export.status().as_u16(), 200);
    assert_eq!(header(&export, "cache-control"), "private, no-store");
    assert!(header(&export, "content-type").starts_with("text/csv"));
    assert!(header(&export, "content-disposition").contains("attachment"));
    let bytes = export.bytes().await.expect("body");
    assert_eq!(&bytes[..3], [0xEF, 0xBB, 0xBF]);
    let text = std::str::from_utf8(&bytes[3..]).expect("utf-8");
    assert_eq!(text.lines().count(), 4, "a heading and one row per child");
    assert!(
        text.contains(&format!(
            "\"{code}\",\"Мария Иванова\",\"0888 123 456\",\"потвърдена\",\"Ива\",\"7\",\"да\""
        )),
        "{text}"
    );
}

#[tokio::test]
async fn check_in_without_javascript_returns_to_the_registration_on_the_list() {
    let app = spawn_admin_app().await;
    register(&app, "maria@example.org", &[("Ива", "7")]).await;
    let organiser = signed_in(&app, DEMO_ORGANISER).await;
    let list = door_list(&app, &organiser, ORGANISED, "").await;
    let code = list["registrations"][0]["code"].as_str().expect("code").to_owned();
    let mut fields = check_in_fields(ORGANISED, &code, "true");
    fields.push(("q", "Мария"));
    let response = app
        .client
        .post(format!("{}/api/admin/check-in", app.address))
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin")
        .header("cookie", &organiser)
        .form(&fields)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status().as_u16(), 302);
    assert_eq!(
        header(&response, "location"),
        format!("/bg/admin/events/{ORGANISED}?q=%D0%9C%D0%B0%D1%80%D0%B8%D1%8F#registration-{code}")
    );
    let page = app
        .get_with(
            &format!("/bg/admin/events/{ORGANISED}?q=Мария"),
            &[("accept", "text/html"), ("cookie", &organiser)],
        )
        .await;
    assert_eq!(header(&page, "cache-control"), "private, no-store");
    let html = Html::parse_document(&page.text().await.expect("body"));
    assert_eq!(
        common::attr(&html, "[data-testid=check-in]", "aria-pressed").as_deref(),
        Some("true")
    );
    assert!(text(&html, "[data-testid=door-totals]").starts_with("Дошли: 1 от 1 деца"));
}

async fn audit(app: &TestApp, cookie: Option<&str>) -> reqwest::Response {
    get_as(app, "/api/admin/audit?page=1", cookie).await
}

#[tokio::test]
async fn the_audit_log_is_for_admins_only() {
    let app = spawn_admin_app().await;
    let admin = create_admin(&app).await;
    assert_eq!(audit(&app, None).await.status().as_u16(), 401);
    let editor = signed_in(&app, DEMO_EDITOR).await;
    assert_eq!(audit(&app, Some(&editor)).await.status().as_u16(), 403);
    let organiser = signed_in(&app, DEMO_ORGANISER).await;
    assert_eq!(audit(&app, Some(&organiser)).await.status().as_u16(), 403);
    let admin = signed_in(&app, admin).await;
    let log: serde_json::Value = audit(&app, Some(&admin)).await.json().await.expect("json");
    let created: Vec<(&str, &str)> = log["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == "account.create")
        .map(|e| {
            (
                e["entity_id"].as_str().unwrap_or_default(),
                e["actor"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert!(created.contains(&(DEMO_EDITOR.0, "DEMO_ACCOUNTS")), "{created:?}");
    assert!(created.contains(&("boss@example.org", "command line")), "{created:?}");
    let page = app
        .get_with("/bg/admin/audit", &[("accept", "text/html"), ("cookie", &admin)])
        .await;
    assert_eq!(page.status().as_u16(), 200);
    let html = Html::parse_document(&page.text().await.expect("body"));
    assert!(common::texts(&html, "[data-testid=audit-entry] strong").contains(&"Създаден профил".to_owned()));
}

#[tokio::test]
async fn a_check_in_is_logged_with_who_and_what_but_no_family_names() {
    let app = spawn_admin_app().await;
    let admin = create_admin(&app).await;
    register(&app, "maria@example.org", &[("Ива", "7")]).await;
    let organiser = signed_in(&app, DEMO_ORGANISER).await;
    let list = door_list(&app, &organiser, ORGANISED, "").await;
    let code = list["registrations"][0]["code"].as_str().expect("code").to_owned();
    for present in ["true", "true", "false"] {
        let response = check_in(&app, Some(&organiser), ORGANISED, &code, present).await;
        assert_eq!(response.status().as_u16(), 200);
    }
    let admin = signed_in(&app, admin).await;
    let text = audit(&app, Some(&admin)).await.text().await.expect("body");
    let log: serde_json::Value = serde_json::from_str(&text).expect("json");
    let check_ins: Vec<&serde_json::Value> = log["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == "registration.check_in")
        .collect();
    // Twice "in" is one change; then out again: two entries, newest first.
    assert_eq!(check_ins.len(), 2, "{check_ins:?}");
    assert_eq!(check_ins[0]["entity_id"], code.as_str());
    assert_eq!(check_ins[0]["before"], r#"{"checked_in":true,"child":0}"#);
    assert_eq!(check_ins[0]["after"], r#"{"checked_in":false,"child":0}"#);
    assert!(
        check_ins[1]["actor"]
            .as_str()
            .expect("actor")
            .starts_with("Демо организатор <")
    );
    for private in ["Ива", "Мария", "maria@example.org", "888"] {
        assert!(!text.contains(private), "the log holds {private}");
    }
}

#[tokio::test]
async fn an_organiser_cancels_for_a_parent_and_the_parent_sees_it() {
    let app = spawn_admin_app().await;
    let admin = create_admin(&app).await;
    let private_page = register(&app, "maria@example.org", &[("Ива", "7"), ("Петър", "9")]).await;
    let organiser = signed_in(&app, DEMO_ORGANISER).await;
    let list = door_list(&app, &organiser, ORGANISED, "").await;
    let code = list["registrations"][0]["code"].as_str().expect("code").to_owned();
    let confirmed = list["event"]["confirmed_children"].as_u64().expect("count");

    let cancel = |slug: &'static str, code: String| {
        let (app, organiser) = (&app, organiser.clone());
        async move {
            call(
                app,
                "/api/admin/cancel-registration",
                Some(&organiser),
                &[("lang", "bg"), ("slug", slug), ("code", &code)],
            )
            .await
            .status()
            .as_u16()
        }
    };
    assert_eq!(cancel(NOT_ORGANISED, code.clone()).await, 403);
    assert_eq!(cancel(ORGANISED, "ZZ-ZZZZ".into()).await, 404);
    assert_eq!(cancel(ORGANISED, code.clone()).await, 200);
    assert_eq!(cancel(ORGANISED, code.clone()).await, 404, "cancelled once");

    let list = door_list(&app, &organiser, ORGANISED, "").await;
    assert!(list["registrations"].as_array().expect("list").is_empty());
    assert_eq!(list["event"]["confirmed_children"].as_u64(), Some(confirmed - 2));
    let (_, page) = app.page(&private_page).await;
    assert_eq!(
        text(&page, "[data-testid=registration-status]"),
        "Регистрацията е отменена."
    );

    let admin = signed_in(&app, admin).await;
    let log: serde_json::Value = audit(&app, Some(&admin)).await.json().await.expect("json");
    let entry = &log["entries"][0];
    assert_eq!(entry["action"], "registration.cancel");
    assert_eq!(entry["entity_id"], code.as_str());
    assert!(entry["actor"].as_str().expect("actor").starts_with("Демо организатор"));
    assert_eq!(entry["after"], r#"{"promoted":[],"status":"cancelled"}"#);
}

async fn export(app: &TestApp, cookie: &str, email: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/api/admin/privacy/export", app.address))
        .header("sec-fetch-site", "same-origin")
        .header("cookie", cookie)
        .form(&[("email", email)])
        .send()
        .await
        .expect("answered")
}

#[tokio::test]
async fn a_persons_data_is_exported_and_then_erased_without_a_trace() {
    let app = spawn_admin_app().await;
    let admin = create_admin(&app).await;
    let first = register(&app, "maria@example.org", &[("Ива", "7")]).await;
    register(&app, "maria@example.org", &[("Петър", "9")]).await;
    register(&app, "georgi@example.org", &[("Никола", "8")]).await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    assert_eq!(export(&app, &editor, "maria@example.org").await.status().as_u16(), 403);
    let refused = call(
        &app,
        "/api/admin/privacy/erase",
        Some(&editor),
        &[("lang", "bg"), ("email", "maria@example.org")],
    )
    .await;
    assert_eq!(refused.status().as_u16(), 403);

    let admin = signed_in(&app, admin).await;
    assert_eq!(export(&app, &admin, "not an address").await.status().as_u16(), 422);
    let response = export(&app, &admin, " Maria@Example.org ").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(header(&response, "cache-control"), "private, no-store");
    assert!(header(&response, "content-disposition").starts_with("attachment"));
    let data: serde_json::Value = response.json().await.expect("json");
    let children: Vec<&str> = data["registrations"]
        .as_array()
        .expect("registrations")
        .iter()
        .map(|r| r["children"][0]["first_name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(children, ["Ива", "Петър"]);
    assert_eq!(data["registrations"][0]["phone"], "+359888123456");
    assert!(!data.to_string().contains("Никола"), "only this address's data");

    let erased = call(
        &app,
        "/api/admin/privacy/erase",
        Some(&admin),
        &[("lang", "bg"), ("email", "maria@example.org")],
    )
    .await;
    assert_eq!(erased.status().as_u16(), 200);
    let erased: serde_json::Value = erased.json().await.expect("json");
    assert_eq!(erased["registrations"], 2);

    let after: serde_json::Value = export(&app, &admin, "maria@example.org")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(after["registrations"].as_array().map(Vec::len), Some(0));
    assert_eq!(after["mails"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        app.get(&first).await.status().as_u16(),
        404,
        "the private link leads nowhere"
    );
    let organiser = signed_in(&app, DEMO_ORGANISER).await;
    let list = door_list(&app, &organiser, ORGANISED, "").await;
    let parents: Vec<&str> = list["registrations"]
        .as_array()
        .expect("list")
        .iter()
        .map(|r| r["parent_name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(parents.len(), 1, "{parents:?}");
    assert_eq!(list["event"]["confirmed_children"], 1, "the places were given back");

    let log = audit(&app, Some(&admin)).await.text().await.expect("body");
    assert!(log.contains("person.erase"));
    assert!(!log.contains("maria"), "the erasure is recorded without the address");
}

#[tokio::test]
async fn mail_the_server_refused_is_shown_and_can_be_sent_again() {
    // A mail server that is down: a port with nobody listening.
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .to_string();
    let app = spawn_app_with(|config| {
        config.demo_accounts = true;
        config.smtp_url = Some(format!("smtp://{address}"));
    })
    .await;
    register(&app, "maria@example.org", &[("Ива", "7")]).await;
    let organiser = signed_in(&app, DEMO_ORGANISER).await;
    assert_eq!(
        get_as(&app, "/api/admin/outbox", Some(&organiser))
            .await
            .status()
            .as_u16(),
        403
    );
    assert_eq!(get_as(&app, "/api/admin/outbox", None).await.status().as_u16(), 401);
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let state_of_first = || async {
        let outbox: serde_json::Value = get_as(&app, "/api/admin/outbox", Some(&editor))
            .await
            .json()
            .await
            .expect("json");
        outbox["mails"][0].clone()
    };
    let mut mail = state_of_first().await;
    for _ in 0..100 {
        if mail["state"] == "failed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        mail = state_of_first().await;
    }
    assert_eq!(mail["state"], "failed", "{mail}");
    assert_eq!(mail["kind"], "confirmed");
    assert_eq!(mail["recipient"], "m•••@example.org");
    let id = mail["id"].as_i64().expect("id").to_string();

    // The mail server is back: the editor sends the mail again, and it arrives.
    let sink = common::smtp::SmtpSink::start_on(&address).await;
    let resent = call(
        &app,
        "/api/admin/outbox/resend",
        Some(&editor),
        &[("lang", "bg"), ("id", &id)],
    )
    .await;
    assert_eq!(resent.status().as_u16(), 200);
    let delivered = sink.wait_for("Ива").await;
    assert!(delivered.contains("maria@example.org"));
    for _ in 0..50 {
        if state_of_first().await["state"] == "sent" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(state_of_first().await["state"], "sent");
    // Only a failed mail can be sent again.
    let again = call(
        &app,
        "/api/admin/outbox/resend",
        Some(&editor),
        &[("lang", "bg"), ("id", &id)],
    )
    .await;
    assert_eq!(again.status().as_u16(), 404);
}
