//! Whatever arrives, every endpoint answers with a status below 500 — wrong types, missing
//! fields, 10 MB bodies, invalid UTF-8, truncated bodies, huge numbers, emoji and bidi text —
//! signed out and signed in as an admin, and the server keeps serving afterwards.
#![cfg(feature = "ssr")]
mod common;

use common::TestApp;
use common::admin::{create_admin, signed_in, spawn_admin_app};

/// The server functions, by their endpoint under `/api/`, and whether they are GETs.
const SERVER_FUNCTIONS: &[(&str, bool)] = &[
    ("admin/accounts", true),
    ("admin/accounts/create", false),
    ("admin/accounts/disabled", false),
    ("admin/accounts/password", false),
    ("admin/accounts/role", false),
    ("admin/audit", true),
    ("admin/cancel-registration", false),
    ("admin/check-in", false),
    ("admin/door", true),
    ("admin/events", true),
    ("admin/events/editor", true),
    ("admin/events/ngos", true),
    ("admin/events/save", false),
    ("admin/home", true),
    ("admin/import/status", true),
    ("admin/ngos/find", true),
    ("admin/ngos/import/progress", true),
    ("admin/ngos/one", true),
    ("admin/outbox", true),
    ("admin/outbox/resend", false),
    ("admin/posts", true),
    ("admin/posts/editor", true),
    ("admin/posts/preview", false),
    ("admin/posts/save", false),
    ("admin/privacy/erase", false),
    ("admin/sign-in", false),
    ("admin/sign-out", false),
    ("admin/sign-out-everywhere", false),
    ("events/list", true),
    ("events/page", true),
    ("events/register", false),
    ("ngos/list", true),
    ("ngos/profile", true),
    ("posts/latest", true),
    ("posts/list", true),
    ("posts/page", true),
    ("registrations/cancel", false),
    ("registrations/view", true),
    ("search", true),
    ("site/stats", true),
];

/// Other endpoints: (method, path).
const HTTP_ENDPOINTS: &[(&str, &str)] = &[
    ("POST", "/bg/events/summer-art-party"),
    ("POST", "/en/events/no-such-event"),
    ("POST", "/bg/admin/sign-in"),
    ("POST", "/api/admin/images"),
    ("POST", "/api/admin/import"),
    ("POST", "/api/admin/ngos/import"),
    ("POST", "/api/admin/ngos/zeleni-rodopi/logo"),
    ("DELETE", "/api/admin/ngos/zeleni-rodopi/logo"),
    ("GET", "/api/events/summer-art-party/availability"),
    ("GET", "/api/events/summer-art-party/calendar.ics"),
    ("GET", "/api/admin/ngos/export.csv"),
    ("GET", "/bg/events/feed.atom"),
    ("GET", "/sitemaps/posts-1.xml"),
    ("GET", "/media/x-1.jpg"),
    ("GET", "/covers/x.svg"),
    ("GET", "/metrics"),
];

/// Text no form expects: emoji, right-to-left overrides, zero-width joiners, NUL, a long run.
fn strange_text() -> String {
    format!(
        "👩‍👧‍👦 \u{202e}евил\u{202c} \u{200f}עברית\u{200e} \u{2066}x\u{2069} a\u{0}b {} {}",
        "🦀".repeat(300),
        "ж".repeat(2000)
    )
}

/// Query strings a GET server function may be sent.
fn queries() -> Vec<String> {
    let strange = urlencode(&strange_text());
    vec![
        String::new(),
        "lang=xx".into(),
        "lang=bg&page=99999999999999999999999999".into(),
        "lang=bg&page=-1&id=abc&event_id=1e400&slug=..%2F..%2Fetc%2Fpasswd".into(),
        format!("lang=bg&q={strange}&slug={strange}&token={strange}&region={strange}"),
        "lang=bg&q=%FF%FE%C3%28".into(),
        "lang=bg&q=%".into(),
        "lang[]=bg&lang[x]=en&page[]=1".into(),
        format!("lang=bg&q={}", "a".repeat(20_000)),
    ]
}

/// Bodies a POST may be sent, with their content type.
fn bodies() -> Vec<(&'static str, Vec<u8>)> {
    let form = "application/x-www-form-urlencoded";
    let strange = urlencode(&strange_text());
    vec![
        (form, Vec::new()),
        (form, b"lang=".to_vec()),
        (form, b"lang=bg&event=summer-art-part".to_vec()),
        (form, b"lang=5&id=abc&event_id=xyz&disabled=maybe&present=2".to_vec()),
        (
            form,
            b"lang=bg&id=99999999999999999999999999999&event_id=-99999999999999999999".to_vec(),
        ),
        (
            form,
            vec![b'l', b'a', b'n', b'g', b'=', 0xff, 0xfe, 0xfd, b'&', 0xc3, 0x28],
        ),
        (
            form,
            format!(
                "lang=bg&event=summer-art-party&idempotency_key={strange}&parent_name={strange}&email={strange}\
                 &phone={strange}&note={strange}&children[0][first_name]={strange}&children[0][age]=999999999999\
                 &children[99999999][age]=7&consent=yes&email={strange}&password={strange}&title_bg={strange}"
            )
            .into_bytes(),
        ),
        (form, "children[0][first_name]=a&".repeat(5_000).into_bytes()),
        ("application/json", b"{\"lang\": ".to_vec()),
        ("application/json", b"[1, 2, 3]".to_vec()),
        (
            "application/json",
            b"{\"lang\": \"bg\", \"id\": 1e999, \"children\": {\"a\": null}}".to_vec(),
        ),
        ("text/plain", strange_text().into_bytes()),
        ("image/png", vec![0x89, b'P', b'N', b'G', 0, 0, 0]),
        ("text/csv", "name,eik\n\"unterminated,1\n".as_bytes().to_vec()),
        ("application/x-www-form-urlencoded", vec![b'a'; 10 * 1024 * 1024]),
    ]
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Sends a body too large to be taken over a plain connection, reading the answer while the
/// body is still being written: the server answers 413 as soon as it sees the length and
/// closes, which an HTTP client that writes first reports as a failed send.
async fn send_large(
    app: &TestApp,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    (content_type, body): (&str, &[u8]),
) -> Result<u16, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.address.trim_start_matches("http://").to_owned();
    let stream = tokio::net::TcpStream::connect(&host).await.map_err(|e| e.to_string())?;
    let (mut from_server, mut to_server) = stream.into_split();
    let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Sec-Fetch-Site: same-origin\r\n{cookie}Connection: close\r\n\r\n",
        body.len()
    );
    let body = body.to_vec();
    let writer = tokio::spawn(async move {
        let _ = to_server.write_all(head.as_bytes()).await;
        let _ = to_server.write_all(&body).await;
    });
    let mut answer = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(30), from_server.read_to_end(&mut answer)).await;
    writer.abort();
    let text = String::from_utf8_lossy(&answer);
    text.split_whitespace()
        .nth(1)
        .and_then(|status| status.parse().ok())
        .ok_or_else(|| format!("no answer ({read:?})"))
}

/// Sends one request; the status, or what went wrong on the way (a dropped connection is the
/// mark of a panic).
async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<(&str, &[u8])>,
) -> Result<u16, String> {
    let verb = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = app
        .client
        .request(verb.clone(), format!("{}{path}", app.address))
        .header("sec-fetch-site", "same-origin");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    if let Some((content_type, bytes)) = body {
        if bytes.len() > 16 * 1024 {
            // A large body: taken whole by the upload endpoints; refused at once by the others
            // (too large, or a GET function posted to), which answer and close
            // the connection: a connection of its own, not one the next request would reuse.
            let alone = reqwest::Client::builder()
                .pool_max_idle_per_host(0)
                .build()
                .expect("client");
            let mut request = alone
                .request(verb, format!("{}{path}", app.address))
                .header("sec-fetch-site", "same-origin")
                .header("content-type", content_type)
                .body(bytes.to_vec());
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            return match request.send().await {
                Ok(response) => Ok(response.status().as_u16()),
                Err(_) => send_large(app, method, path, cookie, (content_type, bytes)).await,
            };
        }
        request = request.header("content-type", content_type).body(bytes.to_vec());
    }
    match request.send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            // The whole answer must arrive too.
            response.bytes().await.map_err(|error| format!("body: {error}"))?;
            Ok(status)
        }
        Err(error) => Err(error.to_string()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_malformed_request_gets_a_server_error_and_the_server_keeps_serving() {
    let app = spawn_admin_app().await;
    let admin = signed_in(&app, create_admin(&app).await).await;
    let mut failures = Vec::new();
    let mut sent = 0;
    let mut check = |what: String, outcome: Result<u16, String>| {
        sent += 1;
        match outcome {
            Ok(status) if status < 500 => {}
            Ok(status) => failures.push(format!("{status} for {what}")),
            Err(error) => failures.push(format!("no answer ({error}) for {what}")),
        }
    };
    for cookie in [None, Some(admin.as_str())] {
        let who = if cookie.is_some() { "admin" } else { "visitor" };
        for (endpoint, get) in SERVER_FUNCTIONS {
            let path = format!("/api/{endpoint}");
            if *get {
                for query in queries() {
                    let outcome = send(&app, "GET", &format!("{path}?{query}"), cookie, None).await;
                    check(format!("{who} GET {path}?{}", &query[..query.len().min(80)]), outcome);
                }
            }
            for (content_type, body) in bodies() {
                // Signing out or erasing with a valid admin cookie would end the session for the rest.
                if cookie.is_some() && endpoint.starts_with("admin/sign-out") {
                    continue;
                }
                let outcome = send(&app, "POST", &path, cookie, Some((content_type, &body))).await;
                check(
                    format!("{who} POST {path} ({content_type}, {} bytes)", body.len()),
                    outcome,
                );
            }
        }
        for (method, path) in HTTP_ENDPOINTS {
            for (content_type, body) in bodies() {
                let body = (*method != "GET").then_some((content_type, body.as_slice()));
                let outcome = send(&app, method, path, cookie, body).await;
                check(format!("{who} {method} {path} ({content_type})"), outcome);
            }
            for query in queries() {
                let outcome = send(&app, "GET", &format!("{path}?{query}"), cookie, None).await;
                check(format!("{who} GET {path}?{}", &query[..query.len().min(80)]), outcome);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {sent} requests failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Still serving, pages and registrations alike.
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
    assert_eq!(app.get("/bg/posts").await.status().as_u16(), 200);
    common::admin::register_for(&app, "summer-art-party", "after@example.bg", &[("Ана", "6")]).await;
    eprintln!("{sent} malformed requests, every answer below 500");
}
