//! The directory's CSV over HTTP: admins export it and import it back, matched by ЕИК; a file
//! with any bad row stores nothing and says which rows and why; nobody else may do either.
#![cfg(feature = "ssr")]
mod common;

use common::TestApp;
use common::admin::{create_admin, get_as, signed_in, spawn_admin_app};
use ngo_portal::server::seed::DEMO_EDITOR;

async fn import(app: &TestApp, cookie: Option<&str>, csv: &str) -> reqwest::Response {
    let mut request = app
        .client
        .post(format!("{}/api/admin/ngos/import", app.address))
        .header("content-type", "text/csv")
        .header("sec-fetch-site", "same-origin")
        .body(csv.to_owned());
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("answered")
}

async fn ngo_count(app: &TestApp) -> u64 {
    let stats: serde_json::Value = app.get("/api/site/stats").await.json().await.expect("json");
    stats["ngo_count"].as_u64().expect("count")
}

#[tokio::test]
async fn only_admins_export_and_import_the_directory() {
    let app = spawn_admin_app().await;
    assert_eq!(
        get_as(&app, "/api/admin/ngos/export.csv", None).await.status().as_u16(),
        401
    );
    assert_eq!(import(&app, None, "eik,name_bg\n").await.status().as_u16(), 401);
    let editor = signed_in(&app, DEMO_EDITOR).await;
    assert_eq!(
        get_as(&app, "/api/admin/ngos/export.csv", Some(&editor))
            .await
            .status()
            .as_u16(),
        403
    );
    assert_eq!(
        import(&app, Some(&editor), "eik,name_bg\n").await.status().as_u16(),
        403
    );
}

#[tokio::test]
async fn an_export_imports_back_and_a_bad_row_stores_nothing() {
    let app = spawn_admin_app().await;
    let admin = signed_in(&app, create_admin(&app).await).await;
    let before = ngo_count(&app).await;
    let exported = get_as(&app, "/api/admin/ngos/export.csv", Some(&admin)).await;
    assert_eq!(exported.status().as_u16(), 200);
    assert_eq!(exported.headers()["cache-control"], "private, no-store");
    let csv = exported.text().await.expect("csv");
    let mut lines = csv.lines();
    let header = lines.next().expect("header").to_owned();
    assert!(header.starts_with("eik,name_bg,name_en,legal_form,region"));
    assert_eq!(csv.lines().count() as u64, before + 1, "a row per NGO");
    // The export imports back unchanged: every NGO updated, none added.
    let again = import(&app, Some(&admin), &csv).await;
    let status = again.status().as_u16();
    let answer: serde_json::Value = again.json().await.expect("json");
    assert_eq!(
        status,
        200,
        "{}",
        &answer.to_string()[..answer.to_string().len().min(600)]
    );
    assert_eq!(answer["created"], 0);
    assert_eq!(answer["updated"].as_u64(), Some(before));

    // A new NGO and a renamed one, and a bad row: nothing is stored, every problem is named.
    let existing = lines.next().expect("a row").split(',').next().expect("eik").to_owned();
    let bad = format!(
        "{header}\n\
         {existing},Сдружение „Ново име“,,сдружение,varna,Варна,,,,,,,,,active,no\n\
         121640481,Фондация „Светулки“,Fireflies Foundation,фондация,Пловдив,Пловдив,children-youth,,,,office@svetulki.bg,,,2020,active,yes\n\
         121640488,,,кооперация,Атлантида,,,,,,not-an-address,,,3000,,\n"
    );
    let refused = import(&app, Some(&admin), &bad).await;
    assert_eq!(refused.status().as_u16(), 422);
    let answer: serde_json::Value = refused.json().await.expect("json");
    let problems: Vec<(u64, String)> = answer["rejected"]
        .as_array()
        .expect("rejected")
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap_or(0),
                p["problem"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    for expected in [
        "invalid_eik",
        "required",
        "unknown_legal_form",
        "unknown_region",
        "invalid_email",
        "invalid_year",
    ] {
        assert!(
            problems.contains(&(4, expected.to_owned())),
            "{expected} on line 4: {problems:?}"
        );
    }
    assert!(
        problems.iter().all(|(line, _)| *line == 4),
        "lines 2 and 3 are fine: {problems:?}"
    );
    assert_eq!(ngo_count(&app).await, before, "all or nothing");

    // Without the bad row: one added, one updated, and the site shows both at once.
    let good: String = bad.lines().take(3).map(|line| format!("{line}\n")).collect();
    let stored = import(&app, Some(&admin), &good).await;
    assert_eq!(stored.status().as_u16(), 200);
    let answer: serde_json::Value = stored.json().await.expect("json");
    assert_eq!(
        (answer["created"].as_u64(), answer["updated"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(ngo_count(&app).await, before + 1, "the header counts the new NGO");
    let found: serde_json::Value = app
        .get("/api/ngos/list?lang=bg&q=svetulki")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(found["ngos"][0]["name"], "Фондация „Светулки“");
    assert_eq!(found["ngos"][0]["region"], "plovdiv");
    let renamed: serde_json::Value = app
        .get("/api/search?lang=bg&q=%D0%BD%D0%BE%D0%B2%D0%BE+%D0%B8%D0%BC%D0%B5&kind=ngos")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(renamed["results"][0]["title"][0]["text"], "Сдружение „");
}
