//! The directory's CSV over HTTP: admins export it and import it back, matched by ЕИК; a file
//! with any bad row stores nothing and says which rows and why; nobody else may do either.
#![cfg(feature = "ssr")]
mod common;

use common::TestApp;
use common::admin::{create_admin, get_as, signed_in, spawn_admin_app};
use ngo_portal::server::seed::DEMO_EDITOR;
use ngo_portal::server::store::NgoRecord;

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

/// Imports `csv`, whose rows are all good, and waits until it is stored as the page does
/// (polling its job); returns how it ended.
async fn imported(app: &TestApp, cookie: &str, csv: &str) -> serde_json::Value {
    imported_with_progress(app, cookie, csv).await.0
}

/// [`imported`], and the counts of stored rows seen on the way (before it finished).
async fn imported_with_progress(app: &TestApp, cookie: &str, csv: &str) -> (serde_json::Value, Vec<u64>) {
    let mut seen = Vec::new();
    let started = import(app, Some(cookie), csv).await;
    let status = started.status().as_u16();
    let body = started.text().await.expect("body");
    assert_eq!(status, 200, "{}", &body[..body.len().min(600)]);
    let job = serde_json::from_str::<serde_json::Value>(&body).expect("json")["job"]
        .as_str()
        .expect("a job")
        .to_owned();
    for _ in 0..600 {
        let progress: serde_json::Value =
            get_as(app, &format!("/api/admin/ngos/import/progress?job={job}"), Some(cookie))
                .await
                .json()
                .await
                .expect("json");
        assert!(progress["stored"].as_u64() <= progress["rows"].as_u64(), "{progress}");
        if progress["finished"] == true {
            return (progress, seen);
        }
        seen.extend(progress["stored"].as_u64());
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import did not finish in 30 s");
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
    let (answer, seen) = imported_with_progress(&app, &admin, &csv).await;
    assert!(seen.is_sorted(), "counted up: {seen:?}");
    assert_eq!(answer["failed"], false);
    assert_eq!(answer["created"], 0);
    assert_eq!(answer["updated"].as_u64(), Some(before));
    assert_eq!(
        (answer["rows"].as_u64(), answer["stored"].as_u64()),
        (Some(before), Some(before))
    );

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
    let answer = imported(&app, &admin, &good).await;
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

#[tokio::test]
async fn an_imports_progress_is_for_the_admin_who_started_it_only() {
    let app = spawn_admin_app().await;
    let admin = signed_in(&app, create_admin(&app).await).await;
    let csv = get_as(&app, "/api/admin/ngos/export.csv", Some(&admin))
        .await
        .text()
        .await
        .expect("csv");
    let small: String = csv.lines().take(3).map(|line| format!("{line}\n")).collect();
    let started: serde_json::Value = import(&app, Some(&admin), &small).await.json().await.expect("json");
    let job = started["job"].as_str().expect("a job").to_owned();
    let path = format!("/api/admin/ngos/import/progress?job={job}");
    let mine = get_as(&app, &path, Some(&admin)).await;
    assert_eq!(mine.status().as_u16(), 200);
    assert_eq!(mine.headers()["cache-control"], "private, no-store");
    let editor = signed_in(&app, DEMO_EDITOR).await;
    assert_eq!(get_as(&app, &path, None).await.status().as_u16(), 401);
    assert_eq!(get_as(&app, &path, Some(&editor)).await.status().as_u16(), 403);
    let guessed = get_as(&app, "/api/admin/ngos/import/progress?job=guess", Some(&admin)).await;
    assert_eq!(guessed.status().as_u16(), 404);
}

#[tokio::test]
async fn the_store_tells_how_many_rows_it_has_written_after_each_batch() {
    use ngo_portal::server::store::{self, Actor};
    let app = spawn_admin_app().await;
    let url = app.database_url.clone();
    let store = store::connect(&url).await.expect("store");
    let all = store.all_ngos().await.expect("ngos");
    assert_eq!(all.len(), 300, "the test directory");
    let stored: Vec<NgoRecord> = all.into_iter().filter(|ngo| ngo.eik.is_some()).collect();
    // Every stored NGO again, and 150 new ones of the same names without a ЕИК: more rows
    // than a statement takes, and slugs that are taken.
    let mut ngos = stored.clone();
    ngos.extend(stored.iter().take(150).map(|ngo| NgoRecord {
        eik: None,
        ..ngo.clone()
    }));
    let seen = std::sync::Mutex::new(Vec::new());
    let progress = |stored: u64| seen.lock().expect("not poisoned").push(stored);
    let (created, updated) = store
        .import_ngos(&ngos, &Actor::system("test"), 0, &progress)
        .await
        .expect("imported");
    let rows = ngos.len() as u64;
    assert!(rows > 400, "{rows}");
    assert_eq!((created, updated), (150, rows - 150));
    assert_eq!(seen.into_inner().expect("not poisoned"), vec![400, rows]);
    let after = store.all_ngos().await.expect("ngos");
    assert_eq!(after.len(), 450);
    // Each new one is under its name's slug, numbered, all different.
    let before: std::collections::HashSet<&str> = stored.iter().map(|ngo| ngo.slug.as_str()).collect();
    let new: Vec<&NgoRecord> = after
        .iter()
        .filter(|ngo| ngo.eik.is_none() && !before.contains(ngo.slug.as_str()))
        .collect();
    assert!(new.len() >= 150, "{}", new.len());
    for ngo in stored.iter().take(150) {
        let numbered = |twin: &&&NgoRecord| {
            twin.slug
                .as_str()
                .strip_prefix(&format!("{}-", ngo.slug))
                .is_some_and(|n| n.parse::<u32>().is_ok())
        };
        let twin = new.iter().find(numbered);
        assert!(
            twin.is_some_and(|twin| twin.name_bg == ngo.name_bg && twin.fields == ngo.fields),
            "{}",
            ngo.slug
        );
    }
    // The stored ones kept their addresses and fields.
    for ngo in &stored {
        let same = after.iter().find(|other| other.eik.is_some() && other.eik == ngo.eik);
        assert!(
            same.is_some_and(|same| same.slug == ngo.slug && same.fields == ngo.fields),
            "{}",
            ngo.slug
        );
    }
}
