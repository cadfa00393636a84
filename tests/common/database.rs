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
