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
