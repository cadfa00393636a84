//! The post editor end to end over HTTP: who may write, what a save puts on the public site
//! (and what it keeps off it), old addresses, untranslated posts, cover photos.
#![cfg(feature = "ssr")]
mod common;

use common::admin::{call, get_as, header, signed_in, spawn_admin_app};
use common::{TestApp, attr, png, select, text, texts};
use ngo_portal::server::seed::{DEMO_EDITOR, DEMO_ORGANISER};
use scraper::Html;

/// A post as the editor's form sends it (`draft[...]` fields); `extra` adds or overrides.
fn draft_fields<'a>(slug: &'a str, status: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("draft[slug]", slug),
        ("draft[bg][title]", "Доброволци почистиха брега на Искър"),
        (
            "draft[bg][summary]",
            "Над сто доброволци от пет организации събраха отпадъци.",
        ),
        (
            "draft[bg][body]",
            "## Какво направихме\n\nДоброволци от **пет организации** почистиха брега.\n\n- чували\n- ръкавици",
        ),
        ("draft[en][title]", "Volunteers cleaned the Iskar riverbank"),
        (
            "draft[en][summary]",
            "Over a hundred volunteers from five organisations collected litter.",
        ),
        (
            "draft[en][body]",
            "## What we did\n\nVolunteers from **five organisations** cleaned the bank.",
        ),
        ("draft[category]", "volunteering"),
        ("draft[new_category]", ""),
        ("draft[tags]", "доброволчество, околна среда"),
        ("draft[status]", status),
        ("draft[publish_at]", ""),
    ];
    for (name, value) in extra {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value,
            None => fields.push((name, value)),
        }
    }
    fields
}

async fn save(app: &TestApp, cookie: Option<&str>, fields: &[(&str, &str)]) -> reqwest::Response {
    call(app, "/api/admin/posts/save", cookie, fields).await
}

/// Saves and returns the post's id.
async fn saved_id(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> i64 {
    let response = save(app, Some(cookie), fields).await;
    let status = response.status().as_u16();
    let body = response.text().await.expect("body");
    assert_eq!(status, 200, "saved: {body}");
    let saved: serde_json::Value = serde_json::from_str(&body).expect("json");
    saved["id"].as_i64().expect("an id")
}

async fn upload(app: &TestApp, cookie: Option<&str>, bytes: Vec<u8>, content_type: &str) -> reqwest::Response {
    let mut request = app
        .client
        .post(format!("{}/api/admin/images", app.address))
        .header("content-type", content_type)
        .header("sec-fetch-site", "same-origin")
        .body(bytes);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("answered")
}

#[tokio::test]
async fn the_editor_answers_401_signed_out_and_403_to_an_organiser() {
    let app = spawn_admin_app().await;
    let organiser = signed_in(&app, DEMO_ORGANISER).await;
    for cookie in [None, Some(organiser.as_str())] {
        let expected = if cookie.is_some() { 403 } else { 401 };
        let list = get_as(&app, "/api/admin/posts?lang=bg", cookie).await;
        assert_eq!(list.status().as_u16(), expected, "list");
        let editor = get_as(&app, "/api/admin/posts/editor?lang=bg&id=1", cookie).await;
        assert_eq!(editor.status().as_u16(), expected, "editor");
        let saved = save(&app, cookie, &draft_fields("", "published", &[])).await;
        assert_eq!(saved.status().as_u16(), expected, "save");
        let preview = call(&app, "/api/admin/posts/preview", cookie, &[("body", "**x**")]).await;
        assert_eq!(preview.status().as_u16(), expected, "preview");
        let uploaded = upload(&app, cookie, png(10, 10), "image/png").await;
        assert_eq!(uploaded.status().as_u16(), expected, "upload");
    }
    // Nothing was written.
    let (_, posts) = app.page("/bg/posts").await;
    assert!(!text(&posts, "main").contains("Искър"));
}

#[tokio::test]
async fn a_published_bilingual_post_shows_on_both_sites_with_three_related_items() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    saved_id(&app, &editor, &draft_fields("", "published", &[])).await;
    // The slug came from the Bulgarian title, by the transliteration act.
    let (status, _) = app.page("/bg/posts/dobrovoltsi-pochistiha-bregana-iskar").await;
    assert_eq!(status, 404, "words are not glued together");
    let (status, bg) = app.page("/bg/posts/dobrovoltsi-pochistiha-brega-na-iskar").await;
    assert_eq!(status, 200);
    assert_eq!(text(&bg, "h1"), "Доброволци почистиха брега на Искър");
    assert!(text(&bg, ".post__body").contains("пет организации"));
    assert_eq!(select(&bg, "[data-testid=related] .card").len(), 3);
    assert!(texts(&bg, ".post__tags .tag").contains(&"#околна среда".to_owned()));
    let (status, en) = app.page("/en/posts/dobrovoltsi-pochistiha-brega-na-iskar").await;
    assert_eq!(status, 200);
    assert_eq!(text(&en, "h1"), "Volunteers cleaned the Iskar riverbank");
    assert!(select(&en, "[data-testid=untranslated]").is_empty());
    // It leads the list and the home page at once (the page cache let go of them).
    let (_, list) = app.page("/bg/posts").await;
    assert_eq!(
        texts(&list, ".card__title").first().map(String::as_str),
        Some("Доброволци почистиха брега на Искър")
    );
}

#[tokio::test]
async fn drafts_and_scheduled_posts_stay_off_the_public_site() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    saved_id(&app, &editor, &draft_fields("draft-post", "draft", &[])).await;
    saved_id(
        &app,
        &editor,
        &draft_fields(
            "scheduled-post",
            "scheduled",
            &[("draft[publish_at]", "2099-01-01T10:00")],
        ),
    )
    .await;
    for slug in ["draft-post", "scheduled-post"] {
        let (status, _) = app.page(&format!("/bg/posts/{slug}")).await;
        assert_eq!(status, 404, "{slug} is not public");
    }
    let (_, list) = app.page("/bg/posts").await;
    assert!(!text(&list, "main").contains("Искър"));
    // Nor does the site search find them.
    let (_, search) = app.page("/bg/search?q=%D0%98%D1%81%D0%BA%D1%8A%D1%80").await;
    assert_eq!(
        select(&search, "[data-testid=search-result]").len(),
        0,
        "drafts are not found"
    );
    // Nor offers their words for a mistyped one.
    let typo = app
        .get("/api/search?lang=bg&q=%D0%B8%D1%81%D0%BA%D0%B0%D1%8A%D1%80")
        .await; // искаър
    let typo: serde_json::Value = typo.json().await.expect("json");
    assert!(!typo.to_string().contains("искър"), "a draft's word: {typo}");
    // The editor's list has both, with their status.
    let drafts = get_as(&app, "/api/admin/posts?lang=bg&status=draft", Some(&editor)).await;
    let drafts: serde_json::Value = drafts.json().await.expect("json");
    assert_eq!(drafts["total"], 1);
    assert_eq!(drafts["posts"][0]["slug"], "draft-post");
    let found = get_as(
        &app,
        "/api/admin/posts?lang=bg&q=%D0%98%D0%A1%D0%9A%D0%AA%D0%A0",
        Some(&editor),
    )
    .await;
    let found: serde_json::Value = found.json().await.expect("json");
    assert_eq!(found["total"], 2, "a Cyrillic search ignores case: {found}");
    // Scheduling in the past is refused next to the field.
    let past = save(
        &app,
        Some(&editor),
        &draft_fields("late", "scheduled", &[("draft[publish_at]", "2001-01-01T10:00")]),
    )
    .await;
    assert_eq!(past.status().as_u16(), 422);
    assert!(past.text().await.expect("body").contains("publish_at"));
}

#[tokio::test]
async fn a_changed_slug_answers_the_old_address_with_301_and_stays_reserved() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let id = saved_id(&app, &editor, &draft_fields("iskar-cleanup", "published", &[])).await;
    let id = id.to_string();
    saved_id(
        &app,
        &editor,
        &draft_fields("iskar-riverbank-cleanup", "published", &[("draft[id]", &id)]),
    )
    .await;
    let old = app.get("/bg/posts/iskar-cleanup").await;
    assert_eq!(old.status().as_u16(), 301);
    assert_eq!(header(&old, "location"), "/bg/posts/iskar-riverbank-cleanup");
    let old_data = app.get("/api/posts/page?lang=en&slug=iskar-cleanup").await;
    assert!(old_data.text().await.expect("body").contains("iskar-riverbank-cleanup"));
    let (status, _) = app.page("/bg/posts/iskar-riverbank-cleanup").await;
    assert_eq!(status, 200);
    // Another post cannot take the old address: its links would change meaning.
    let taken = save(&app, Some(&editor), &draft_fields("iskar-cleanup", "published", &[])).await;
    assert_eq!(taken.status().as_u16(), 422);
    assert!(taken.text().await.expect("body").contains("SlugTaken"));
}

#[tokio::test]
async fn a_post_only_in_bulgarian_shows_on_the_english_site_as_written_with_a_note() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let only_bg = draft_fields(
        "only-bulgarian",
        "published",
        &[
            ("draft[en][title]", ""),
            ("draft[en][summary]", ""),
            ("draft[en][body]", ""),
        ],
    );
    saved_id(&app, &editor, &only_bg).await;
    let (status, en) = app.page("/en/posts/only-bulgarian").await;
    assert_eq!(status, 200);
    assert_eq!(text(&en, "h1"), "Доброволци почистиха брега на Искър");
    assert_eq!(attr(&en, "article.post", "lang").as_deref(), Some("bg"));
    assert!(text(&en, "[data-testid=untranslated]").contains("not been translated into English"));
    // Search engines are told of the Bulgarian page only.
    let alternates: Vec<String> = select(&en, "link[rel=alternate][hreflang]")
        .iter()
        .filter_map(|link| link.value().attr("hreflang").map(str::to_owned))
        .collect();
    assert_eq!(alternates, vec!["bg", "x-default"]);
    assert_eq!(
        attr(&en, "link[rel=canonical]", "href").as_deref(),
        Some("https://portal.test/bg/posts/only-bulgarian")
    );
}

#[tokio::test]
async fn a_cover_photo_is_converted_and_shown_in_responsive_widths_with_its_alt_text() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let uploaded = upload(&app, Some(&editor), png(2000, 1200), "image/png").await;
    assert_eq!(uploaded.status().as_u16(), 200);
    let uploaded: serde_json::Value = uploaded.json().await.expect("json");
    let image_id = uploaded["id"].as_i64().expect("id").to_string();
    assert_eq!(
        (uploaded["width"].as_u64(), uploaded["height"].as_u64()),
        (Some(1600), Some(960))
    );
    // A cover needs words for those who cannot see it, in both languages.
    let without_alt = save(
        &app,
        Some(&editor),
        &draft_fields("with-photo", "published", &[("draft[cover][image_id]", &image_id)]),
    )
    .await;
    assert_eq!(without_alt.status().as_u16(), 422);
    let with_alt = draft_fields(
        "with-photo",
        "published",
        &[
            ("draft[cover][image_id]", &image_id),
            ("draft[cover][alt_bg]", "Доброволци с чували на брега"),
            ("draft[cover][alt_en]", "Volunteers with bags on the bank"),
        ],
    );
    saved_id(&app, &editor, &with_alt).await;
    let (_, page) = app.page("/en/posts/with-photo").await;
    let srcset = attr(&page, ".post__cover", "srcset").expect("srcset");
    assert_eq!(srcset.matches("w,").count() + 1, 3, "three widths: {srcset}");
    assert_eq!(
        attr(&page, ".post__cover", "alt").as_deref(),
        Some("Volunteers with bags on the bank")
    );
    assert_eq!(attr(&page, ".post__cover", "width").as_deref(), Some("1600"));
    let og = attr(&page, "meta[property='og:image']", "content").expect("og:image");
    assert!(og.ends_with("-1600.jpg"), "social networks get the JPEG: {og}");
    let file = app.get(og.trim_start_matches("https://portal.test")).await;
    assert_eq!(header(&file, "content-type"), "image/jpeg");
    assert!(header(&file, "cache-control").contains("immutable"));
    let bytes = file.bytes().await.expect("bytes");
    assert_eq!(image::load_from_memory(&bytes).expect("a picture").width(), 1600);
}

#[tokio::test]
async fn what_is_not_a_photo_is_refused_and_cross_site_uploads_too() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".to_vec();
    let refused = upload(&app, Some(&editor), svg, "image/png").await;
    assert_eq!(refused.status().as_u16(), 415);
    let cross_site = app
        .client
        .post(format!("{}/api/admin/images", app.address))
        .header("cookie", &editor)
        .header("sec-fetch-site", "cross-site")
        .body(png(10, 10))
        .send()
        .await
        .expect("answered");
    assert_eq!(cross_site.status().as_u16(), 403);
    let huge = upload(&app, Some(&editor), vec![0; 16 * 1024 * 1024], "image/jpeg").await;
    assert_eq!(huge.status().as_u16(), 413);
}

#[tokio::test]
async fn the_preview_is_the_public_pages_sanitised_html() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let preview = call(
        &app,
        "/api/admin/posts/preview",
        Some(&editor),
        &[(
            "body",
            "## Здравей\n\n<script>alert(1)</script>[x](javascript:alert%281%29)",
        )],
    )
    .await;
    assert_eq!(preview.status().as_u16(), 200);
    let html: String = preview.json().await.expect("json");
    let fragment = Html::parse_fragment(&html);
    assert_eq!(text(&fragment, "h2"), "Здравей");
    assert!(
        !html.contains("<script") && !html.contains("href=\"javascript"),
        "{html}"
    );
}

#[tokio::test]
async fn a_title_cannot_end_the_pages_title_element() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let hostile = "Отчет </title><script>alert(1)</script>";
    saved_id(
        &app,
        &editor,
        &draft_fields("hostile-title", "published", &[("draft[bg][title]", hostile)]),
    )
    .await;
    let page = app.get("/bg/posts/hostile-title").await.text().await.expect("body");
    assert!(
        page.contains("<title>Отчет &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; · "),
        "escaped"
    );
    assert!(!page.contains("<script>alert(1)"), "no script element from the title");
    let (_, html) = app.page("/bg/posts/hostile-title").await;
    assert_eq!(text(&html, "h1"), hostile);
}
