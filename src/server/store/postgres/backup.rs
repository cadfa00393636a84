//! PostgreSQL: a backup is `pg_dump`'s custom-format archive (one snapshot, so writers go on
//! while it runs and the archive is as of its start), checked with `pg_restore` before it is
//! restored, and restored only into an empty database (`createdb`, then restore: nothing that
//! is already there is dropped).
//!
//! The password never goes on a command line (where `ps` shows it): the tools get the URL
//! without it, and the password in `PGPASSWORD`, which only the same user can read.
use super::super::{CheckedCopy, StoreError};
use std::collections::HashSet;
use std::path::Path;
use std::process::Stdio;
use tokio::process::Command;

/// The connection URL as `pg_dump` reads it, without its password, and the password: from
/// the user part or a `password=` parameter (percent-decoded as sqlx does), with the
/// parameters only sqlx knows dropped (libpq refuses them).
fn split_password(database_url: &str) -> Result<(String, Option<String>), StoreError> {
    let mut url = url::Url::parse(database_url).map_err(|_| StoreError::UnsupportedUrl)?;
    let mut password = url.password().map(|password| {
        percent_encoding::percent_decode_str(password)
            .decode_utf8_lossy()
            .into_owned()
    });
    url.set_password(None).map_err(|()| StoreError::UnsupportedUrl)?;
    let mut kept = Vec::new();
    for (key, value) in url.query_pairs().into_owned() {
        match key.as_str() {
            "password" => password = password.or(Some(value)),
            "statement-cache-capacity" => {}
            _ => kept.push((key, value)),
        }
    }
    url.set_query(None);
    if !kept.is_empty() {
        url.query_pairs_mut().extend_pairs(kept);
    }
    Ok((url.to_string(), password))
}

fn tool(name: &str, database_url: &str) -> Result<(Command, String), StoreError> {
    let (url, password) = split_password(database_url)?;
    let mut command = Command::new(name);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    command.stdin(Stdio::null()).kill_on_drop(true);
    Ok((command, url))
}

/// Runs `command`; its standard output, or what it said on failure.
async fn run(mut command: Command, what: &str) -> Result<Vec<u8>, StoreError> {
    let output = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .await
        .map_err(|error| StoreError::Tool(format!("{what} could not be started: {error}")))?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        return Err(StoreError::Tool(format!("{what} failed: {}", said.trim())));
    }
    Ok(output.stdout)
}

/// Writes an archive of the database of `database_url` to the new file `into`.
pub async fn dump(database_url: &str, into: &Path) -> Result<(), StoreError> {
    let (mut command, url) = tool("pg_dump", database_url)?;
    command
        .arg("--format=custom")
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg("--file")
        .arg(into)
        .arg("--dbname")
        .arg(url);
    run(command, "pg_dump").await?;
    Ok(())
}

/// Checks the archive `file`: `pg_restore` reads it whole, it is a database of the portal,
/// and its schema is this build's or an older one.
pub async fn check_archive(file: &Path) -> Result<CheckedCopy, StoreError> {
    let mut command = Command::new("pg_restore");
    command
        .arg("--data-only")
        .arg("--table=_sqlx_migrations")
        .arg("--file=-")
        .arg(file)
        .stdin(Stdio::null())
        .kill_on_drop(true);
    let script = run(command, "pg_restore").await?;
    let applied = applied_migrations(&String::from_utf8_lossy(&script))
        .ok_or_else(|| StoreError::Corrupt("the archive is not a database of the portal".into()))?;
    CheckedCopy::against(&super::MIGRATOR, &applied, "archive")
}

/// The successful migration versions in `pg_restore`'s script of `_sqlx_migrations`' data
/// (`COPY … FROM stdin;`, then a tab-separated row a line until `\.`); `None` without it.
fn applied_migrations(script: &str) -> Option<HashSet<i64>> {
    let mut lines = script
        .lines()
        .skip_while(|line| !line.starts_with("COPY ") || !line.contains("_sqlx_migrations"));
    let header = lines.next()?;
    let columns: Vec<&str> = header
        .split_once('(')?
        .1
        .split_once(')')?
        .0
        .split(',')
        .map(str::trim)
        .collect();
    let version = columns.iter().position(|c| *c == "version")?;
    let success = columns.iter().position(|c| *c == "success")?;
    let mut applied = HashSet::new();
    for line in lines.take_while(|line| *line != "\\.") {
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.get(success) == Some(&"t") {
            applied.insert(fields.get(version)?.parse().ok()?);
        }
    }
    Some(applied)
}

/// Restores the archive `file` into the database of `database_url`, which must be empty: in
/// one transaction, so a failed restore leaves it empty.
pub async fn restore(database_url: &str, file: &Path) -> Result<(), StoreError> {
    let pool = sqlx::PgPool::connect(database_url).await?;
    let tables: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'")
        .fetch_one(&pool)
        .await?;
    pool.close().await;
    if tables > 0 {
        return Err(StoreError::NotEmpty);
    }
    let (mut command, url) = tool("pg_restore", database_url)?;
    command
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg("--single-transaction")
        .arg("--exit-on-error")
        .arg("--dbname")
        .arg(url)
        .arg(file);
    run(command, "pg_restore").await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_for_the_environment() {
        let (url, password) = split_password("postgres://portal:s%40cret@db.example:5433/portal").unwrap();
        assert_eq!(url, "postgres://portal@db.example:5433/portal");
        assert_eq!(password.as_deref(), Some("s@cret"));
        let (url, password) = split_password("postgres://portal@localhost/portal").unwrap();
        assert_eq!((url.as_str(), password), ("postgres://portal@localhost/portal", None));
        // A `+` is a plus in a URL's user part (not a space), as sqlx reads it.
        let (_, password) = split_password("postgres://portal:a+b%2Bc@localhost/portal").unwrap();
        assert_eq!(password.as_deref(), Some("a+b+c"));
        let (url, password) = split_password(
            "postgres://portal@localhost/portal?password=s3cret&sslmode=require&statement-cache-capacity=10",
        )
        .unwrap();
        assert_eq!(url, "postgres://portal@localhost/portal?sslmode=require");
        assert_eq!(password.as_deref(), Some("s3cret"));
    }

    #[test]
    fn applied_migrations_are_read_from_the_restore_script() {
        let script = "SET x = 1;\n\nCOPY public._sqlx_migrations (version, description, installed_on, success, checksum, execution_time) FROM stdin;\n\
            20261207000001\taccounts\t2026-12-07\tt\t\\\\x00\t1\n20261207000002\tcontent\t2026-12-07\tf\t\\\\x00\t1\n\\.\n\n";
        assert_eq!(applied_migrations(script), Some(HashSet::from([20261207000001])));
        assert_eq!(applied_migrations("SET x = 1;\n"), None);
    }
}
