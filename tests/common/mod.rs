//! `spawn_app`: the real server on port 0 with a fresh database per test (SQLite, or
//! PostgreSQL under `TEST_ENGINE=postgres`: see `database`).
#![allow(dead_code)] // each test file uses its own part of these helpers
pub mod admin;
pub mod database;
pub mod smtp;

use ngo_portal::server::{Config, Server};
use scraper::{Html, Selector};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub data_dir: tempfile::TempDir,
    /// The app's `DATABASE_URL`.
    pub database_url: String,
}

pub const PUBLIC_URL: &str = "https://portal.test";

pub fn test_config(data_dir: &std::path::Path) -> Config {
    Config {
        address: "127.0.0.1:0".parse().expect("address"),
        database_url: format!("sqlite://{}/portal.db", data_dir.display()),
        public_url: PUBLIC_URL.into(),
        public_dir: "public".into(),
        pkg_dir: data_dir.join("no-bundle"),
        seed_demo_content: true,
        seed_extra: None,
        // A directory of its own size keeps each test's fresh database quick to seed.
        demo_ngos: 300,
        demo_accounts: false,
        smtp_url: None,
        mail_from: "НПО портал <no-reply@portal.test>".into(),
        registrations_per_minute: 100_000,
        sign_ins_per_minute: 10,
        trusted_proxies: Vec::new(),
        secret_key: None,
        metrics_token: None,
        cdn_max_age: None,
        secret_file: data_dir.join("secret.key"),
        media_dir: data_dir.join("media"),
        wp_uploads_dir: Some("tests/fixtures/wordpress/uploads".into()),
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like `spawn_app`, with the configuration adjusted first.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temporary directory");
    let mut config = test_config(data_dir.path());
    config.database_url = database::fresh_url(database::engine(), data_dir.path())
        .await
        .expect("the engine's database");
    adjust(&mut config);
    let database_url = config.database_url.clone();
    let server = Server::start(config).await.expect("server starts");
    let address = format!("http://{}", server.address());
    tokio::spawn(server.run(std::future::pending()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    TestApp {
        address,
        client,
        data_dir,
        database_url,
    }
}

impl TestApp {
    /// Cancels the registration of the private page `manage_path` as its cancel button does
    /// without JavaScript; returns the HTTP status.
    pub async fn cancel(&self, manage_path: &str) -> u16 {
        let token = manage_path.rsplit('/').next().unwrap_or_default();
        self.client
            .post(format!("{}/api/registrations/cancel", self.address))
            .header("accept", "text/html")
            .header("referer", format!("{}{manage_path}", self.address))
            .form(&[("lang", "bg"), ("token", token)])
            .send()
            .await
            .expect("request is answered")
            .status()
            .as_u16()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request is answered")
    }

    /// A GET with these request headers (a browser's `Accept-Encoding`, `If-None-Match` …).
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self.client.get(format!("{}{path}", self.address));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("request is answered")
    }

    pub async fn page(&self, path: &str) -> (u16, Html) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, Html::parse_document(&response.text().await.expect("body")))
    }
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).expect("valid selector")).collect()
}

pub fn text(html: &Html, css: &str) -> String {
    select(html, css)
        .first()
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .unwrap_or_default()
}

/// The text of every element `css` selects, trimmed.
pub fn texts(html: &Html, css: &str) -> Vec<String> {
    select(html, css)
        .iter()
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

/// The page's JSON-LD object of schema.org `@type` `kind` (`"NGO"`), parsed.
pub fn json_ld(html: &Html, kind: &str) -> serde_json::Value {
    select(html, "script[type='application/ld+json']")
        .iter()
        .filter_map(|script| serde_json::from_str::<serde_json::Value>(&script.inner_html()).ok())
        .find(|data| data["@type"] == kind)
        .unwrap_or_else(|| panic!("no valid JSON-LD of @type {kind}"))
}

/// A PNG of `width` × `height` pixels whose colours change across it (so that JPEG has
/// something to encode).
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut bytes, image::ImageFormat::Png).expect("encoded");
    bytes.into_inner()
}

pub fn attr(html: &Html, css: &str, name: &str) -> Option<String> {
    select(html, css)
        .first()
        .and_then(|e| e.value().attr(name))
        .map(str::to_owned)
}

/// The registration form's fields as a browser posts them: `children` as (name, age).
pub fn registration_fields(event: &str, key: &str, email: &str, children: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("lang", "bg"),
        ("event", event),
        ("idempotency_key", key),
        ("parent_name", "Мария Иванова"),
        ("email", email),
        ("phone", "0888 123 456"),
        ("note", ""),
        ("consent", "yes"),
        ("website", ""),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for (i, (name, age)) in children.iter().enumerate() {
        fields.push((format!("children[{i}][first_name]"), (*name).to_owned()));
        fields.push((format!("children[{i}][age]"), (*age).to_owned()));
    }
    fields
}

/// Sets the field `name` of posted `fields`.
pub fn set_field(fields: &mut [(String, String)], name: &str, value: &str) {
    fields
        .iter_mut()
        .filter(|(k, _)| k == name)
        .for_each(|(_, v)| *v = value.to_owned());
}
