//! SQLite: a consistent copy of a live database (`VACUUM INTO`: one read transaction, so
//! writers go on while it runs and the copy is as of its start), and the checks a copy passes
//! before it is put back.
use super::{CheckedCopy, StoreError};
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use std::collections::HashSet;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

async fn open(options: SqliteConnectOptions) -> Result<SqliteConnection, StoreError> {
    Ok(SqliteConnection::connect_with(&options.busy_timeout(Duration::from_secs(30))).await?)
}

/// Writes a copy of the database of `database_url` to the new file `into`.
pub async fn copy_database(database_url: &str, into: &Path) -> Result<(), StoreError> {
    let options = SqliteConnectOptions::from_str(database_url)?;
    let mut connection = open(options).await?;
    let target = into
        .to_str()
        .ok_or_else(|| StoreError::Corrupt("a backup path that is not UTF-8".into()))?;
    sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(&mut connection)
        .await?;
    connection.close().await?;
    Ok(())
}

/// Checks the copy in `file`, opened read-only: SQLite's integrity check passes and its
/// schema is this build's or an older one (never a newer build's, which this one could
/// not read).
pub async fn check_copy(file: &Path) -> Result<CheckedCopy, StoreError> {
    let options = SqliteConnectOptions::new().filename(file).read_only(true);
    let mut connection = open(options).await?;
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut connection)
        .await?;
    if integrity != ["ok"] {
        return Err(StoreError::Corrupt(format!(
            "the copy fails SQLite's integrity check: {}",
            integrity.join("; ")
        )));
    }
    let applied: HashSet<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = 1")
        .fetch_all(&mut connection)
        .await
        .map_err(|_| StoreError::Corrupt("the copy is not a database of the portal".into()))?
        .into_iter()
        .collect();
    connection.close().await?;
    CheckedCopy::against(&super::sqlite::MIGRATOR, &applied, "copy")
}
