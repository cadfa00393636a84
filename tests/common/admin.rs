//! Signing in and calling admin server functions as the app and the browser do.
use super::{TestApp, spawn_app_with};

/// The server with the demo editor and organiser.
pub async fn spawn_admin_app() -> TestApp {
    spawn_app_with(|config| config.demo_accounts = true).await
}

/// The sign-in form posted without JavaScript from the sign-in page, as a browser sends it;
/// `cookie` is whatever session cookie the browser already had.
pub async fn post_sign_in(app: &TestApp, email: &str, password: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .post(format!("{}/bg/admin/sign-in", app.address))
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin")
        .form(&[("lang", "bg"), ("email", email), ("password", password)]);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("answered")
}

/// The `name=value` of the session cookie a response sets.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// Signs in and returns the cookie to send.
pub async fn signed_in(app: &TestApp, (email, password): (&str, &str)) -> String {
    let response = post_sign_in(app, email, password, None).await;
    assert_eq!(response.status().as_u16(), 303, "signed in");
    assert_eq!(header(&response, "location"), "/bg/admin");
    session_cookie(&response).expect("a session cookie")
}

pub fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A GET of `path` by a browser holding `cookie` (or none).
pub async fn get_as(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("answered")
}

pub async fn admin_home(app: &TestApp, cookie: Option<&str>) -> reqwest::Response {
    get_as(app, "/api/admin/home?lang=bg", cookie).await
}

/// A server function called as the app calls it (a same-origin fetch).
pub async fn call(app: &TestApp, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app
        .client
        .post(format!("{}{path}", app.address))
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .form(fields);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("answered")
}

/// A parent registers `children` for `event` (the form without JavaScript); returns the
/// registration's private page.
pub async fn register_for(app: &TestApp, event: &str, email: &str, children: &[(&str, &str)]) -> String {
    let names: String = children.iter().map(|(name, _)| *name).collect();
    let fields = super::registration_fields(event, &format!("key-{email}-{names}"), email, children);
    let response = app
        .client
        .post(format!("{}/bg/events/{event}", app.address))
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin")
        .form(&fields)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status().as_u16(), 303, "registered");
    header(&response, "location")
}

/// Creates an admin account in the test server's database, as `ngo-portal admin create` does.
pub async fn create_admin(app: &TestApp) -> (&'static str, &'static str) {
    use ngo_portal::admin::model::Role;
    use ngo_portal::server::auth::password;
    use ngo_portal::server::store::{self, Actor, NewAccount};
    let credentials = ("boss@example.org", "a long admin password");
    let url = app.database_url.clone();
    let store = store::connect(&url).await.expect("store");
    let account = NewAccount {
        email: credentials.0.into(),
        display_name: "Главен администратор".into(),
        role: Role::Admin,
        password_hash: password::hash(credentials.1).expect("hash"),
    };
    store
        .create_account(&account, 0, &Actor::system("command line"))
        .await
        .expect("created");
    credentials
}
