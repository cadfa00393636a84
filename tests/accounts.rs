//! Account management over HTTP: only admins manage accounts, a new account signs in, a
//! turned-off account's sessions end at once, the portal always keeps an active admin.
#![cfg(feature = "ssr")]
mod common;

use common::TestApp;
use common::admin::{admin_home, call, create_admin, get_as, post_sign_in, signed_in, spawn_admin_app};
use ngo_portal::server::seed::{DEMO_EDITOR, DEMO_ORGANISER};

const PASSWORD: &str = "дълга парола за вход";

/// The accounts list as the page reads it.
async fn accounts(app: &TestApp, cookie: &str) -> Vec<serde_json::Value> {
    let list: serde_json::Value = get_as(app, "/api/admin/accounts", Some(cookie))
        .await
        .json()
        .await
        .expect("json");
    list["accounts"].as_array().expect("accounts").clone()
}

async fn id_of(app: &TestApp, cookie: &str, email: &str) -> String {
    accounts(app, cookie)
        .await
        .iter()
        .find(|account| account["email"] == email)
        .map(|account| account["id"].to_string())
        .expect("listed")
}

/// The problems of a refused call, by field.
async fn problems(response: reqwest::Response) -> Vec<(String, serde_json::Value)> {
    assert_eq!(response.status().as_u16(), 422);
    let body: serde_json::Value = response.json().await.expect("json");
    body["Validation"]
        .as_array()
        .expect("field errors")
        .iter()
        .map(|e| (e["field"].as_str().unwrap_or_default().to_owned(), e["problem"].clone()))
        .collect()
}

async fn create(app: &TestApp, cookie: Option<&str>, email: &str, role: &str, password: &str) -> reqwest::Response {
    call(
        app,
        "/api/admin/accounts/create",
        cookie,
        &[
            ("email", email),
            ("display_name", "Мария Иванова"),
            ("role", role),
            ("password", password),
        ],
    )
    .await
}

#[tokio::test]
async fn only_an_admin_manages_accounts() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let organiser = signed_in(&app, DEMO_ORGANISER).await;
    for (cookie, expected) in [
        (None, 401),
        (Some(editor.as_str()), 403),
        (Some(organiser.as_str()), 403),
    ] {
        assert_eq!(
            get_as(&app, "/api/admin/accounts", cookie).await.status().as_u16(),
            expected
        );
        let created = create(&app, cookie, "new@example.org", "admin", PASSWORD).await;
        assert_eq!(created.status().as_u16(), expected, "create");
        for (path, fields) in [
            ("/api/admin/accounts/role", vec![("id", "1"), ("role", "admin")]),
            ("/api/admin/accounts/disabled", vec![("id", "1"), ("disabled", "true")]),
            (
                "/api/admin/accounts/password",
                vec![("id", "1"), ("password", PASSWORD)],
            ),
        ] {
            assert_eq!(
                call(&app, path, cookie, &fields).await.status().as_u16(),
                expected,
                "{path}"
            );
        }
    }
    // The editor did not make themselves an admin, nor an account for anyone.
    let still = post_sign_in(&app, "new@example.org", PASSWORD, None).await;
    assert_eq!(still.status().as_u16(), 422);
}

#[tokio::test]
async fn an_admin_creates_an_organiser_who_then_signs_in() {
    let app = spawn_admin_app().await;
    let admin = signed_in(&app, create_admin(&app).await).await;
    let short = create(&app, Some(&admin), "maria@example.org", "organiser", "short").await;
    assert_eq!(
        problems(short).await,
        [(
            "password".to_owned(),
            serde_json::json!({ "PasswordLength": { "min": 12 } })
        )]
    );
    let created = create(&app, Some(&admin), " Maria@Example.org ", "organiser", PASSWORD).await;
    assert_eq!(created.status().as_u16(), 200);
    let again = create(&app, Some(&admin), "maria@example.org", "editor", PASSWORD).await;
    assert_eq!(
        problems(again).await,
        [("email".to_owned(), serde_json::json!("EmailTaken"))]
    );
    let maria = signed_in(&app, ("maria@example.org", PASSWORD)).await;
    let home: serde_json::Value = admin_home(&app, Some(&maria)).await.json().await.expect("json");
    assert_eq!(home["account"]["role"], "organiser");
    let listed = accounts(&app, &admin).await;
    let entry = listed
        .iter()
        .find(|account| account["email"] == "maria@example.org")
        .expect("listed");
    assert_eq!(entry["role"], "organiser");
    assert_eq!(entry["disabled"], false);
    assert!(
        !serde_json::to_string(&listed).expect("json").contains("argon2"),
        "no hash leaves the server"
    );
}

#[tokio::test]
async fn a_turned_off_account_is_signed_out_at_once_and_cannot_sign_in_until_turned_on() {
    let app = spawn_admin_app().await;
    let admin = signed_in(&app, create_admin(&app).await).await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let id = id_of(&app, &admin, DEMO_EDITOR.0).await;
    let off = call(
        &app,
        "/api/admin/accounts/disabled",
        Some(&admin),
        &[("id", &id), ("disabled", "true")],
    )
    .await;
    assert_eq!(off.status().as_u16(), 200);
    assert_eq!(
        admin_home(&app, Some(&editor)).await.status().as_u16(),
        401,
        "session ended"
    );
    assert_eq!(
        post_sign_in(&app, DEMO_EDITOR.0, DEMO_EDITOR.1, None)
            .await
            .status()
            .as_u16(),
        422
    );
    let on = call(
        &app,
        "/api/admin/accounts/disabled",
        Some(&admin),
        &[("id", &id), ("disabled", "false")],
    )
    .await;
    assert_eq!(on.status().as_u16(), 200);
    signed_in(&app, DEMO_EDITOR).await;
}

#[tokio::test]
async fn a_role_change_takes_effect_on_the_next_request() {
    let app = spawn_admin_app().await;
    let admin = signed_in(&app, create_admin(&app).await).await;
    let organiser = signed_in(&app, DEMO_ORGANISER).await;
    assert_eq!(
        get_as(&app, "/api/admin/posts?lang=bg", Some(&organiser))
            .await
            .status()
            .as_u16(),
        403
    );
    let id = id_of(&app, &admin, DEMO_ORGANISER.0).await;
    let promoted = call(
        &app,
        "/api/admin/accounts/role",
        Some(&admin),
        &[("id", &id), ("role", "editor")],
    )
    .await;
    assert_eq!(promoted.status().as_u16(), 200);
    assert_eq!(
        get_as(&app, "/api/admin/posts?lang=bg", Some(&organiser))
            .await
            .status()
            .as_u16(),
        200
    );
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_turned_off_or_demoted() {
    let app = spawn_admin_app().await;
    let credentials = create_admin(&app).await;
    let admin = signed_in(&app, credentials).await;
    let me = id_of(&app, &admin, credentials.0).await;
    let demoted = call(
        &app,
        "/api/admin/accounts/role",
        Some(&admin),
        &[("id", &me), ("role", "editor")],
    )
    .await;
    assert_eq!(
        problems(demoted).await,
        [("role".to_owned(), serde_json::json!("LastAdmin"))]
    );
    let off = call(
        &app,
        "/api/admin/accounts/disabled",
        Some(&admin),
        &[("id", &me), ("disabled", "true")],
    )
    .await;
    assert_eq!(
        problems(off).await,
        [("disabled".to_owned(), serde_json::json!("LastAdmin"))]
    );
    // With a second admin, the first may step down.
    let created = create(&app, Some(&admin), "second@example.org", "admin", PASSWORD).await;
    assert_eq!(created.status().as_u16(), 200);
    let demoted = call(
        &app,
        "/api/admin/accounts/role",
        Some(&admin),
        &[("id", &me), ("role", "editor")],
    )
    .await;
    assert_eq!(demoted.status().as_u16(), 200);
    assert_eq!(
        get_as(&app, "/api/admin/accounts", Some(&admin))
            .await
            .status()
            .as_u16(),
        403
    );
}

#[tokio::test]
async fn a_new_password_replaces_the_old_one_ends_sessions_and_is_logged_without_it() {
    let app = spawn_admin_app().await;
    let admin = signed_in(&app, create_admin(&app).await).await;
    let organiser = signed_in(&app, DEMO_ORGANISER).await;
    let id = id_of(&app, &admin, DEMO_ORGANISER.0).await;
    let set = call(
        &app,
        "/api/admin/accounts/password",
        Some(&admin),
        &[("id", &id), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(set.status().as_u16(), 200);
    assert_eq!(admin_home(&app, Some(&organiser)).await.status().as_u16(), 401);
    assert_eq!(
        post_sign_in(&app, DEMO_ORGANISER.0, DEMO_ORGANISER.1, None)
            .await
            .status()
            .as_u16(),
        422
    );
    signed_in(&app, (DEMO_ORGANISER.0, PASSWORD)).await;
    let audit = get_as(&app, "/api/admin/audit?page=1", Some(&admin))
        .await
        .text()
        .await
        .expect("body");
    assert!(audit.contains("account.password"));
    assert!(!audit.contains(PASSWORD) && !audit.contains("argon2"), "{audit}");
}
