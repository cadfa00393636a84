//! An NGO's logo over HTTP: an admin gives one (`POST /api/admin/ngos/{slug}/logo`) and every
//! public page shows it at once; removed, the initials come back; nobody else may change it.
#![cfg(feature = "ssr")]
mod common;

use common::admin::{create_admin, get_as, header, signed_in, spawn_admin_app};
use common::{TestApp, attr, json_ld, select};
use ngo_portal::server::seed::DEMO_EDITOR;

const LOGO: &str = "/api/admin/ngos/zeleni-rodopi/logo";

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    cookie: Option<&str>,
    body: Vec<u8>,
) -> reqwest::Response {
    let mut request = app
        .client
        .request(method, format!("{}{path}", app.address))
        .header("content-type", "image/png")
        .header("sec-fetch-site", "same-origin")
        .body(body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("answered")
}

async fn upload(app: &TestApp, path: &str, cookie: Option<&str>, body: Vec<u8>) -> reqwest::Response {
    send(app, reqwest::Method::POST, path, cookie, body).await
}

/// A square PNG logo with a transparent corner.
fn logo_png(side: u32) -> Vec<u8> {
    let picture = image::RgbaImage::from_fn(side, side, |x, y| {
        let alpha = if x < side / 4 && y < side / 4 { 0 } else { 255 };
        image::Rgba([20, (x % 256) as u8, (y % 256) as u8, alpha])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut bytes, image::ImageFormat::Png).expect("encoded");
    bytes.into_inner()
}

async fn admin(app: &TestApp) -> String {
    signed_in(app, create_admin(app).await).await
}

async fn profile_json(app: &TestApp) -> serde_json::Value {
    let response = app.get("/api/ngos/profile?lang=en&slug=zeleni-rodopi").await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("json")
}

#[tokio::test]
async fn an_admins_logo_shows_at_once_on_the_profile_the_directory_and_in_structured_data() {
    let app = spawn_admin_app().await;
    let admin = admin(&app).await;
    // Seen (and cached) before the logo: the initials.
    let (_, before) = app.page("/bg/ngos/zeleni-rodopi").await;
    assert_eq!(select(&before, "[data-testid=ngo-initials]").len(), 1);
    assert!(select(&before, "[data-testid=ngo-logo]").is_empty());

    let uploaded = upload(&app, LOGO, Some(&admin), logo_png(500)).await;
    assert_eq!(uploaded.status().as_u16(), 200);
    assert!(header(&uploaded, "cache-control").contains("no-store"));
    let answer: serde_json::Value = uploaded.json().await.expect("json");
    let src = answer["logo"]["src"].as_str().expect("a logo").to_owned();
    assert!(src.starts_with("/media/") && src.ends_with("-384.jpg"), "{src}");

    let (_, after) = app.page("/bg/ngos/zeleni-rodopi").await;
    assert!(
        select(&after, "[data-testid=ngo-initials]").is_empty(),
        "the cached page was replaced"
    );
    let srcset = attr(&after, "[data-testid=ngo-logo]", "srcset").expect("the logo");
    for width in [96, 192, 384] {
        assert!(srcset.contains(&format!("-{width}.jpg {width}w")), "{srcset}");
    }
    let data = json_ld(&after, "NGO");
    assert_eq!(data["logo"], format!("https://portal.test{src}"));

    assert_eq!(profile_json(&app).await["card"]["logo"]["src"], src.as_str());
    let listed: serde_json::Value = app
        .get("/api/ngos/list?lang=bg&q=zeleni+rodopi")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed["ngos"][0]["slug"], "zeleni-rodopi");
    assert_eq!(listed["ngos"][0]["logo"]["src"], src.as_str());

    // The smallest file, as a phone's list asks for it: a JPEG 96 px wide, cached for good,
    // its transparent corner white.
    let small = app.get(&src.replace("-384.jpg", "-96.jpg")).await;
    assert_eq!(small.status().as_u16(), 200);
    assert_eq!(header(&small, "content-type"), "image/jpeg");
    assert!(header(&small, "cache-control").contains("immutable"));
    let picture = image::load_from_memory(&small.bytes().await.expect("bytes")).expect("a picture");
    assert_eq!((picture.width(), picture.height()), (96, 96));
    let corner = picture.to_rgb8().get_pixel(2, 2).0;
    assert!(corner.iter().all(|c| *c > 240), "white, not black: {corner:?}");

    let audit = get_as(&app, "/api/admin/audit?page=1", Some(&admin))
        .await
        .text()
        .await
        .expect("body");
    assert!(audit.contains("ngo.logo"), "{audit}");
}

async fn logo_src(response: reqwest::Response) -> String {
    assert_eq!(response.status().as_u16(), 200);
    let answer: serde_json::Value = response.json().await.expect("json");
    answer["logo"]["src"].as_str().expect("a logo").to_owned()
}

#[tokio::test]
async fn a_removed_logo_gives_the_initials_back_and_a_replaced_or_removed_one_is_no_longer_served() {
    let app = spawn_admin_app().await;
    let admin = admin(&app).await;
    let first = logo_src(upload(&app, LOGO, Some(&admin), logo_png(200)).await).await;
    let second = logo_src(upload(&app, LOGO, Some(&admin), logo_png(300)).await).await;
    assert_ne!(first, second);
    assert_eq!(
        app.get(&first).await.status().as_u16(),
        404,
        "the replaced logo is gone"
    );
    assert_eq!(app.get(&second).await.status().as_u16(), 200);
    let (_, with_logo) = app.page("/en/ngos/zeleni-rodopi").await;
    assert_eq!(select(&with_logo, "[data-testid=ngo-logo]").len(), 1);

    let removed = send(&app, reqwest::Method::DELETE, LOGO, Some(&admin), Vec::new()).await;
    assert_eq!(removed.status().as_u16(), 200);
    let answer: serde_json::Value = removed.json().await.expect("json");
    assert!(answer["logo"].is_null());
    let (_, without) = app.page("/en/ngos/zeleni-rodopi").await;
    assert!(select(&without, "[data-testid=ngo-logo]").is_empty());
    assert_eq!(select(&without, "[data-testid=ngo-initials]").len(), 1);
    assert!(profile_json(&app).await["card"]["logo"].is_null());
    let small = second.replace("-300.jpg", "-96.jpg");
    for gone in [second, small] {
        assert_eq!(
            app.get(&gone).await.status().as_u16(),
            404,
            "{gone}: removed, not served"
        );
    }
}

#[tokio::test]
async fn only_an_admin_changes_a_logo_and_only_to_a_picture_of_an_existing_ngo() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    for (cookie, expected) in [(None, 401), (Some(editor.as_str()), 403)] {
        assert_eq!(
            upload(&app, LOGO, cookie, logo_png(100)).await.status().as_u16(),
            expected
        );
        let removal = send(&app, reqwest::Method::DELETE, LOGO, cookie, Vec::new()).await;
        assert_eq!(removal.status().as_u16(), expected);
        let page = get_as(&app, "/api/admin/ngos/one?lang=bg&slug=zeleni-rodopi", cookie).await;
        assert_eq!(page.status().as_u16(), expected);
        let found = get_as(&app, "/api/admin/ngos/find?lang=bg&q=zeleni", cookie).await;
        assert_eq!(found.status().as_u16(), expected);
    }
    let admin = admin(&app).await;
    let cross_site = app
        .client
        .post(format!("{}{LOGO}", app.address))
        .header("cookie", &admin)
        .header("sec-fetch-site", "cross-site")
        .body(logo_png(100))
        .send()
        .await
        .expect("answered");
    assert_eq!(cross_site.status().as_u16(), 403);
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".to_vec();
    assert_eq!(upload(&app, LOGO, Some(&admin), svg).await.status().as_u16(), 415);
    let huge = upload(&app, LOGO, Some(&admin), vec![0; 16 * 1024 * 1024]).await;
    assert_eq!(huge.status().as_u16(), 413);
    for unknown in ["/api/admin/ngos/no-such-ngo/logo", "/api/admin/ngos/..%2Fetc/logo"] {
        assert_eq!(
            upload(&app, unknown, Some(&admin), logo_png(100))
                .await
                .status()
                .as_u16(),
            404
        );
    }
    let missing = get_as(&app, "/api/admin/ngos/one?lang=bg&slug=no-such-ngo", Some(&admin)).await;
    assert_eq!(missing.status().as_u16(), 404);
    // None of it gave the NGO a logo.
    assert!(profile_json(&app).await["card"]["logo"].is_null());
}

#[tokio::test]
async fn an_admin_finds_an_ngo_by_words_of_its_name_in_either_alphabet() {
    let app = spawn_admin_app().await;
    let admin = admin(&app).await;
    for q in [
        "zeleni+rodopi",
        "%D0%B7%D0%B5%D0%BB%D0%B5%D0%BD%D0%B8+%D1%80%D0%BE%D0%B4%D0%BE%D0%BF%D0%B8",
    ] {
        let found: serde_json::Value = get_as(&app, &format!("/api/admin/ngos/find?lang=bg&q={q}"), Some(&admin))
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(found[0]["slug"], "zeleni-rodopi", "{q}: {found}");
        assert!(found[0]["place"].as_str().is_some_and(|place| place.contains(", ")));
    }
    let (status, page) = {
        let response = get_as(&app, "/bg/admin/ngos?q=zeleni+rodopi", Some(&admin)).await;
        let status = response.status().as_u16();
        (
            status,
            scraper::Html::parse_document(&response.text().await.expect("body")),
        )
    };
    assert_eq!(status, 200);
    assert_eq!(
        attr(&page, "[data-testid=ngo-found] a", "href").as_deref(),
        Some("/bg/admin/ngos/zeleni-rodopi")
    );
    let response = get_as(&app, "/bg/admin/ngos/zeleni-rodopi", Some(&admin)).await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(header(&response, "cache-control").contains("no-store"));
    let page = scraper::Html::parse_document(&response.text().await.expect("body"));
    assert_eq!(select(&page, "[data-testid=logo-file]").len(), 1);
    assert_eq!(
        select(&page, "[data-testid=admin-logo] [data-testid=ngo-initials]").len(),
        1
    );
}
