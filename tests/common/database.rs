//! The database a test runs on: a fresh SQLite file in the test's directory, or — when the
//! test command started its throwaway PostgreSQL cluster and named it in `TEST_POSTGRES_URL` —
//! a fresh database in that cluster.
use sqlx::Connection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The engine the integration suite runs on: `TEST_ENGINE=postgres`, else SQLite.
pub fn engine() -> Engine {
    match std::env::var("TEST_ENGINE").as_deref() {
        Ok("postgres") => Engine::Postgres,
        _ => Engine::Sqlite,
    }
}

/// The cluster's URL. The test command always starts one; a bare `cargo test` on a machine
/// without it skips the PostgreSQL half of the contract (CI may not).
pub fn postgres_cluster() -> Option<String> {
    match std::env::var("TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os("CI").is_none() && engine() == Engine::Sqlite,
                "TEST_POSTGRES_URL is not set: run the tests with scripts/test"
            );
            None
        }
    }
}

/// A `DATABASE_URL` for a new, empty database on `engine`.
pub async fn fresh_url(engine: Engine, data_dir: &std::path::Path) -> Option<String> {
    match engine {
        Engine::Sqlite => Some(format!("sqlite://{}/portal.db", data_dir.display())),
        Engine::Postgres => {
            let cluster = postgres_cluster()?;
            let name = format!("test_{}", uuid_like());
            let mut admin = sqlx::PgConnection::connect(&cluster).await.expect("test cluster");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .expect("create test database");
            let (base, _) = cluster.rsplit_once('/').expect("cluster URL has a database");
            Some(format!("{base}/{name}"))
        }
    }
}

/// Runs one statement on the database behind `url` directly, past the store (for a test that
/// damages a row on purpose).
pub async fn execute(url: &str, sql: &str) {
    if url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(url).await.expect("sqlite");
        sqlx::query(sql).execute(&mut conn).await.expect("statement");
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.expect("postgres");
        sqlx::query(sql).execute(&mut conn).await.expect("statement");
    }
}

/// Whether `needle` is anywhere in what the database keeps: the SQLite file and its
/// write-ahead log byte for byte, or every row of a PostgreSQL dump (live rows: dead ones are
/// PostgreSQL's to vacuum).
pub async fn contains(url: &str, data_dir: &std::path::Path, needle: &str) -> bool {
    if url.starts_with("sqlite:") {
        return ["portal.db", "portal.db-wal"].iter().any(|file| {
            let bytes = std::fs::read(data_dir.join(file)).unwrap_or_default();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        });
    }
    let dump = tokio::process::Command::new("pg_dump")
        .args(["--data-only", "--dbname", url])
        .output()
        .await
        .expect("pg_dump runs");
    assert!(dump.status.success(), "{}", String::from_utf8_lossy(&dump.stderr));
    dump.stdout.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Throws the database behind `url` away and leaves an empty one under the same name: the
/// SQLite file and its logs deleted, the PostgreSQL database dropped (its connections too) and
/// created again.
pub async fn wipe(url: &str) {
    if let Some(file) = url.strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{file}{suffix}"));
        }
        return;
    }
    let (_, name) = url.rsplit_once('/').expect("a database name");
    let cluster = postgres_cluster().expect("the test cluster");
    let mut admin = sqlx::PgConnection::connect(&cluster).await.expect("test cluster");
    for sql in [
        format!("DROP DATABASE {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::query(&sql).execute(&mut admin).await.expect("wipe");
    }
}

/// Makes the PostgreSQL database behind `url` refuse every connection, its open ones cut
/// (`reachable: false`: as if its server went away), or take them again.
pub async fn set_reachable(url: &str, reachable: bool) {
    let (_, name) = url.rsplit_once('/').expect("a database name");
    let cluster = postgres_cluster().expect("the test cluster");
    let mut admin = sqlx::PgConnection::connect(&cluster).await.expect("test cluster");
    sqlx::query(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS {reachable}"))
        .execute(&mut admin)
        .await
        .expect("alter database");
    if !reachable {
        sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
            .bind(name)
            .execute(&mut admin)
            .await
            .expect("connections cut");
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}
