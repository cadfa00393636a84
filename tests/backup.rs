//! Backup and restore of the embedded store as an operator runs them: a backup taken while the
//! server serves, refused restores, then wipe → restore → the same content, every row of every
//! table, and a server on it that shows what was there (a parent's registration, a logo).
#![cfg(feature = "ssr")]
mod common;

use common::admin::{register_for, signed_in};
use common::{TestApp, png, select, test_config, text};
use ngo_portal::server::Server;
use ngo_portal::server::cli::{CliError, Command, run};
use sqlx::{Connection, Row};
use std::path::Path;

/// Starts a server on `data_dir`; returns it as a `TestApp`, what stops it, and its task.
async fn start(
    data_dir: &Path,
) -> (
    TestApp,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let config = test_config(data_dir);
    let database_url = config.database_url.clone();
    let server = Server::start(config).await.expect("server starts");
    let address = format!("http://{}", server.address());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run(async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let app = TestApp {
        address,
        client,
        data_dir: tempfile::tempdir().expect("unused"),
        database_url,
    };
    (app, stop, running)
}

/// Every row of every table of the database in `file`, as text, in a stable order (a copy
/// may number a table's rows anew; the rows themselves must be the same).
async fn every_row(file: &Path) -> Vec<(String, Vec<String>)> {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(file).read_only(true);
    let mut connection = sqlx::SqliteConnection::connect_with(&options).await.expect("opened");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
    )
    .fetch_all(&mut connection)
    .await
    .expect("tables");
    let mut everything = Vec::new();
    for table in tables {
        let columns: Vec<String> = sqlx::query(&format!("PRAGMA table_info(\"{table}\")"))
            .fetch_all(&mut connection)
            .await
            .expect("columns")
            .iter()
            .map(|column| column.get::<String, _>("name"))
            .collect();
        let row = columns
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let rows: Vec<String> = sqlx::query_scalar(&format!("SELECT {row} AS r FROM \"{table}\" ORDER BY r"))
            .fetch_all(&mut connection)
            .await
            .expect("rows");
        everything.push((table, rows));
    }
    everything
}

/// An admin made in the database of `data_dir`, signed in.
async fn admin(app: &TestApp, data_dir: &Path) -> String {
    use ngo_portal::admin::model::Role;
    use ngo_portal::server::auth::password;
    use ngo_portal::server::store::{self, Actor, NewAccount};
    let store = store::connect(&format!("sqlite://{}/portal.db", data_dir.display()))
        .await
        .expect("store");
    let account = NewAccount {
        email: "boss@example.org".into(),
        display_name: "Администратор".into(),
        role: Role::Admin,
        password_hash: password::hash("a long admin password").expect("hash"),
    };
    store
        .create_account(&account, 0, &Actor::system("test"))
        .await
        .expect("created");
    signed_in(app, ("boss@example.org", "a long admin password")).await
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_every_row_and_picture() {
    let data = tempfile::tempdir().expect("data");
    let config = test_config(data.path());
    let (app, stop, running) = start(data.path()).await;
    let manage = register_for(
        &app,
        "summer-art-party",
        "parent@example.bg",
        &[("Мила", "7"), ("Петър", "9")],
    )
    .await;
    let admin = admin(&app, data.path()).await;
    let logo = app
        .client
        .post(format!("{}/api/admin/ngos/zeleni-rodopi/logo", app.address))
        .header("cookie", &admin)
        .header("sec-fetch-site", "same-origin")
        .body(png(200, 200))
        .send()
        .await
        .expect("answered");
    assert_eq!(logo.status().as_u16(), 200);
    let logo_src = logo.json::<serde_json::Value>().await.expect("json")["logo"]["src"]
        .as_str()
        .expect("a logo")
        .to_owned();

    let backups = tempfile::tempdir().expect("backups");
    let folder = backups.path().join("2026-12-07");
    let done = run(Command::Backup { to: folder.clone() }, &config)
        .await
        .expect("backed up");
    assert!(done.contains("pictures"), "{done}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| std::fs::metadata(path).expect("there").permissions().mode() & 0o777;
        assert_eq!(mode(&folder), 0o700, "parents' data: the owner's only");
        assert_eq!(mode(&folder.join("portal.db")), 0o600);
    }
    // Not over a backup, and not under a running server.
    let again = run(Command::Backup { to: folder.clone() }, &config).await;
    assert!(matches!(again, Err(CliError::Backup(_))), "{again:?}");
    let refused = run(Command::Restore { from: folder.clone() }, &config).await;
    assert_eq!(
        refused.expect_err("refused").to_string(),
        "a server is running on this database: stop it, then restore"
    );
    let _ = stop.send(());
    running.await.expect("stopped").expect("served");
    let before = every_row(&data.path().join("portal.db")).await;
    assert!(
        before
            .iter()
            .any(|(table, rows)| table == "registrations" && !rows.is_empty())
    );

    // The machine is lost: database and pictures.
    for file in ["portal.db", "portal.db-wal", "portal.db-shm"] {
        let _ = std::fs::remove_file(data.path().join(file));
    }
    std::fs::remove_dir_all(data.path().join("media")).expect("pictures wiped");
    let not_a_backup = run(
        Command::Restore {
            from: backups.path().to_path_buf(),
        },
        &config,
    )
    .await;
    assert!(matches!(not_a_backup, Err(CliError::Backup(_))), "{not_a_backup:?}");
    let restored = run(Command::Restore { from: folder.clone() }, &config)
        .await
        .expect("restored");
    assert!(restored.contains("into a database that was empty"), "{restored}");
    assert_eq!(every_row(&data.path().join("portal.db")).await, before, "the same rows");

    let (app, _stop, _running) = start(data.path()).await;
    let (status, page) = app.page(&manage).await;
    assert_eq!(status, 200);
    assert!(text(&page, "main").contains("Мила"), "the registration is back");
    let (_, profile) = app.page("/bg/ngos/zeleni-rodopi").await;
    assert_eq!(select(&profile, "[data-testid=ngo-logo]").len(), 1);
    let picture = app.get(&logo_src).await;
    assert_eq!(picture.status().as_u16(), 200, "the picture is back");
}

#[tokio::test]
async fn a_restore_keeps_the_database_it_replaces_and_refuses_a_damaged_copy() {
    let data = tempfile::tempdir().expect("data");
    let config = test_config(data.path());
    let (app, stop, running) = start(data.path()).await;
    let backups = tempfile::tempdir().expect("backups");
    let folder = backups.path().join("first");
    run(Command::Backup { to: folder.clone() }, &config)
        .await
        .expect("backed up");
    register_for(&app, "summer-art-party", "later@example.bg", &[("Ива", "6")]).await;
    let _ = stop.send(());
    running.await.expect("stopped").expect("served");
    let newer = every_row(&data.path().join("portal.db")).await;

    // A damaged copy is refused and nothing is touched.
    let damaged = backups.path().join("damaged");
    std::fs::create_dir(&damaged).expect("folder");
    let mut bytes = std::fs::read(folder.join("portal.db")).expect("copy");
    let middle = bytes.len() / 2;
    bytes[middle..middle + 4096].fill(0x5a);
    std::fs::write(damaged.join("portal.db"), bytes).expect("written");
    assert!(run(Command::Restore { from: damaged }, &config).await.is_err());
    assert_eq!(every_row(&data.path().join("portal.db")).await, newer);

    let restored = run(Command::Restore { from: folder }, &config).await.expect("restored");
    let kept = restored
        .split("kept as ")
        .nth(1)
        .expect("the replaced database is kept")
        .trim();
    assert_eq!(every_row(Path::new(kept)).await, newer, "kept whole");
    let registrations = |rows: &[(String, Vec<String>)]| {
        rows.iter()
            .find(|(table, _)| table == "registrations")
            .map(|(_, rows)| rows.len())
    };
    let now = every_row(&data.path().join("portal.db")).await;
    assert_eq!(
        registrations(&now),
        registrations(&newer).map(|n| n - 1),
        "as at the backup"
    );
}

/// What a visitor, a parent and the staff see of a store's content.
async fn content_seen(store: &dyn ngo_portal::server::store::Store, now: i64, nonces: &[String]) -> Vec<String> {
    use ngo_portal::domain::Lang;
    use ngo_portal::events::model::EventsWhen;
    use ngo_portal::server::store::PostFilter;
    let mut seen = Vec::new();
    for post in store.posts(Lang::Bg, &PostFilter::everything(now)).await.unwrap() {
        seen.push(format!("post {} {} {}", post.slug, post.title, post.body_md.len()));
    }
    for when in [EventsWhen::Upcoming, EventsWhen::Past] {
        for event in store.events(Lang::En, when, now, 100).await.unwrap() {
            seen.push(format!(
                "event {} {} {}+{}",
                event.slug, event.title, event.confirmed_children, event.waitlisted_children
            ));
        }
    }
    for nonce in nonces {
        let record = store
            .registration(nonce)
            .await
            .unwrap()
            .expect("the parent's registration");
        seen.push(format!(
            "registration {} {:?} {:?} {}",
            record.code, record.status, record.children, record.email
        ));
    }
    for account in store.accounts().await.unwrap() {
        seen.push(format!("account {} {:?}", account.email, account.role));
    }
    seen.push(format!("ngos {}", store.ngo_count().await.unwrap()));
    seen.push(format!("{:?}", store.operational_counts().await.unwrap()));
    seen
}

#[tokio::test]
async fn backup_then_wipe_then_restore_gives_the_same_content_on_either_engine() {
    use ngo_portal::admin::model::Role;
    use ngo_portal::domain::Lang;
    use ngo_portal::server::store::{
        self, Actor, ComposedMail, MailComposer, NewAccount, NewRegistration, RegisterOutcome,
    };
    let data = tempfile::tempdir().expect("data");
    let mut config = test_config(data.path());
    config.database_url = common::database::fresh_url(common::database::engine(), data.path())
        .await
        .expect("the engine's database");
    let now = ngo_portal::server::time::now();
    let store = store::connect(&config.database_url).await.expect("store");
    let content = ngo_portal::server::seed::SeedContent::demo().unwrap();
    store.insert_content(&content.scheduled(now).unwrap()).await.unwrap();
    let account = NewAccount {
        email: "editor@example.bg".into(),
        display_name: "Редактор".into(),
        role: Role::Editor,
        password_hash: "$argon2id$test".into(),
    };
    store
        .create_account(&account, now, &Actor::system("test"))
        .await
        .unwrap();
    let event = store
        .event(Lang::Bg, &"summer-art-party".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let compose: Box<MailComposer> = Box::new(|_, _| ComposedMail {
        subject: "s".into(),
        body: "b".into(),
    });
    let mut nonces = Vec::new();
    for n in 0..3 {
        let nonce = format!("{n:032x}");
        let registration = NewRegistration {
            event_id: event.id,
            idempotency_key: format!("k{n}"),
            lang: Lang::Bg,
            parent_name: "Мария Иванова".into(),
            email: format!("parent{n}@example.bg").parse().unwrap(),
            phone: "0888123456".parse().unwrap(),
            note: "алергия 🥜 ‏עברית‏".into(),
            children: vec![("Зорница".into(), 6), ("Иво".into(), 9)],
            code: format!("LP-{n}"),
            token_nonce: nonce.clone(),
        };
        let outcome = store
            .register(registration, event.registration_opens_at + 1, compose.as_ref())
            .await
            .unwrap();
        assert!(matches!(outcome, RegisterOutcome::Created(_)), "{outcome:?}");
        nonces.push(nonce);
    }
    let before = content_seen(store.as_ref(), now, &nonces).await;
    assert!(
        before
            .iter()
            .any(|line| line.contains("summer-art-party") && line.contains("6+0")),
        "{before:?}"
    );

    let folder = data.path().join("backup");
    run(Command::Backup { to: folder.clone() }, &config)
        .await
        .expect("backed up");
    drop(store);
    common::database::wipe(&config.database_url).await;
    let wiped = store::connect(&config.database_url).await.expect("an empty store");
    assert!(wiped.is_empty().await.unwrap(), "the wipe left nothing");
    drop(wiped);
    // A restore goes into an empty database: a migrated one (as above) is refused on
    // PostgreSQL, so wipe again; SQLite replaces the file and keeps the old one beside it.
    common::database::wipe(&config.database_url).await;
    let said = run(Command::Restore { from: folder.clone() }, &config)
        .await
        .expect("restored");
    assert!(said.contains("restored"), "{said}");

    let restored = store::connect(&config.database_url).await.expect("the restored store");
    assert_eq!(restored.pending_migrations().await.unwrap(), 0);
    assert_eq!(content_seen(restored.as_ref(), now, &nonces).await, before);
    // Restoring over content is refused (PostgreSQL) or keeps what it replaced (SQLite).
    let again = run(Command::Restore { from: folder }, &config).await;
    if config.database_url.starts_with("sqlite:") {
        assert!(again.expect("restored again").contains("kept"));
    } else {
        let error = again.expect_err("not over content").to_string();
        assert!(error.contains("not empty"), "{error}");
    }
}
