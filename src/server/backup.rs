//! `ngo-portal backup --to DIR` and `ngo-portal restore --from DIR`, for either engine.
//!
//! A backup is a folder: `portal.db` (SQLite) or `portal.pgdump` (PostgreSQL, `pg_dump`'s
//! archive), a consistent copy taken while the server runs, and `media/`, the uploaded
//! pictures. A PostgreSQL restore goes into an empty database only (see
//! `store::postgres::backup`); what follows about replacing a database is SQLite's. It holds parents' and children's data, so the folder is
//! made readable by its owner only. A restore checks the copy first (SQLite's integrity check,
//! a schema this build knows), keeps the database it replaces beside it, and refuses while a
//! server serves the database: every serving process holds a shared lock on `portal.db.lock`,
//! which a restore takes exclusively.
use super::store::postgres::backup as pg_backup;
use super::store::{StoreError, sqlite_backup};
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// The database's file in a backup.
pub const DATABASE_FILE: &str = "portal.db";
/// The PostgreSQL archive in a backup.
pub const ARCHIVE_FILE: &str = "portal.pgdump";
/// The uploaded pictures' folder in a backup.
pub const MEDIA_DIR: &str = "media";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("this DATABASE_URL names no database file or PostgreSQL server to back up")]
    NotSqlite,
    #[error("there is no database at {0}")]
    NoDatabase(PathBuf),
    #[error("{0} is not empty: back up into a new folder")]
    NotEmpty(PathBuf),
    #[error("{0} holds no {DATABASE_FILE} or {ARCHIVE_FILE}: it is not a backup")]
    NotABackup(PathBuf),
    #[error("a server is running on this database: stop it, then restore")]
    InUse,
    #[error("a restore is putting a backup in place: start the server when it is done")]
    Restoring,
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub database_bytes: u64,
    pub pictures: usize,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    /// Where the database it replaced is kept (none when there was none).
    pub kept: Option<PathBuf>,
    /// Pictures of the backup put back (those already there are left as they are).
    pub pictures: usize,
    /// Migrations of this build the backup lacks: applied when the server starts.
    pub behind: usize,
}

/// The database file of `database_url`; `NotSqlite` for another engine.
pub fn database_file(database_url: &str) -> Result<PathBuf, BackupError> {
    use std::str::FromStr;
    // A database in memory has no file to copy or replace.
    if !database_url.starts_with("sqlite:") || database_url.contains(":memory:") || database_url.contains("mode=memory")
    {
        return Err(BackupError::NotSqlite);
    }
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(database_url)
        .map_err(|error| BackupError::Store(StoreError::Database(error)))?;
    let file = options.get_filename();
    if file.as_os_str().is_empty() {
        return Err(BackupError::NotSqlite);
    }
    Ok(file.to_path_buf())
}

/// `file` with `suffix` after its whole name (`portal.db` → `portal.db-wal`).
fn beside(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A lock on the database's `.lock` file beside it: shared by the processes that serve it,
/// exclusive for a restore. The operating system lets it go when the process ends, however.
#[derive(Debug)]
pub struct DatabaseLock(#[allow(dead_code)] File);

impl DatabaseLock {
    fn open(database: &Path) -> io::Result<File> {
        if let Some(parent) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(beside(database, ".lock"))
    }

    /// The lock a serving process holds; `None` for a database that is not a SQLite file.
    pub fn for_serving(database_url: &str) -> Result<Option<DatabaseLock>, BackupError> {
        let Ok(database) = database_file(database_url) else {
            return Ok(None);
        };
        let file = Self::open(&database)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(Some(DatabaseLock(file))),
            Err(fs::TryLockError::WouldBlock) => Err(BackupError::Restoring),
            Err(fs::TryLockError::Error(error)) => Err(error.into()),
        }
    }

    fn for_restoring(database: &Path) -> Result<DatabaseLock, BackupError> {
        let file = Self::open(database)?;
        match file.try_lock() {
            Ok(()) => Ok(DatabaseLock(file)),
            Err(fs::TryLockError::WouldBlock) => Err(BackupError::InUse),
            Err(fs::TryLockError::Error(error)) => Err(error.into()),
        }
    }
}

/// Makes `dir` (new or empty) readable by its owner only.
fn private_dir(dir: &Path) -> Result<(), BackupError> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(BackupError::NotEmpty(dir.to_path_buf()));
    }
    fs::create_dir_all(dir)?;
    owner_only(dir, 0o700)
}

#[cfg(unix)]
fn owner_only(path: &Path, mode: u32) -> Result<(), BackupError> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
    Ok(())
}

#[cfg(not(unix))]
fn owner_only(_path: &Path, _mode: u32) -> Result<(), BackupError> {
    Ok(())
}

/// Copies the files of `from` (if it is there) into `to`, but those `to` already has:
/// pictures never change under their name. Returns how many were copied.
fn copy_new_files(from: &Path, to: &Path) -> Result<usize, BackupError> {
    let entries = match fs::read_dir(from) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(error) => return Err(error.into()),
    };
    fs::create_dir_all(to)?;
    let mut copied = 0;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        // Only finished pictures: not a folder, not an upload still being written.
        if !entry.file_type()?.is_file() || name.to_string_lossy().starts_with('.') {
            continue;
        }
        let target = to.join(&name);
        if !target.exists() {
            fs::copy(entry.path(), &target)?;
            copied += 1;
        }
    }
    Ok(copied)
}

fn is_postgres(database_url: &str) -> bool {
    database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")
}

/// Writes a backup of the configured database and pictures into the new folder `to`.
pub async fn backup(config: &super::Config, to: &Path) -> Result<BackupReport, BackupError> {
    if is_postgres(&config.database_url) {
        private_dir(to)?;
        let archive = to.join(ARCHIVE_FILE);
        pg_backup::dump(&config.database_url, &archive).await?;
        owner_only(&archive, 0o600)?;
        pg_backup::check_archive(&archive).await?;
        let pictures = copy_new_files(&config.media_dir, &to.join(MEDIA_DIR))?;
        return Ok(BackupReport {
            database_bytes: fs::metadata(&archive)?.len(),
            pictures,
        });
    }
    let database = database_file(&config.database_url)?;
    if !database.is_file() {
        return Err(BackupError::NoDatabase(database));
    }
    private_dir(to)?;
    let copy = to.join(DATABASE_FILE);
    sqlite_backup::copy_database(&config.database_url, &copy).await?;
    owner_only(&copy, 0o600)?;
    sqlite_backup::check_copy(&copy).await?;
    let pictures = copy_new_files(&config.media_dir, &to.join(MEDIA_DIR))?;
    Ok(BackupReport {
        database_bytes: fs::metadata(&copy)?.len(),
        pictures,
    })
}

/// Puts the backup in `from` in place of the configured database (kept beside it) and adds
/// its pictures; the server must be stopped. The server migrates it when it starts.
pub async fn restore(config: &super::Config, from: &Path, now: i64) -> Result<RestoreReport, BackupError> {
    if is_postgres(&config.database_url) {
        let archive = from.join(ARCHIVE_FILE);
        if !archive.is_file() {
            return Err(BackupError::NotABackup(from.to_path_buf()));
        }
        let checked = pg_backup::check_archive(&archive).await?;
        pg_backup::restore(&config.database_url, &archive).await?;
        let pictures = copy_new_files(&from.join(MEDIA_DIR), &config.media_dir)?;
        return Ok(RestoreReport {
            kept: None,
            pictures,
            behind: checked.behind,
        });
    }
    let database = database_file(&config.database_url)?;
    let copy = from.join(DATABASE_FILE);
    if !copy.is_file() {
        return Err(BackupError::NotABackup(from.to_path_buf()));
    }
    let checked = sqlite_backup::check_copy(&copy).await?;
    let _lock = DatabaseLock::for_restoring(&database)?;
    let incoming = beside(&database, ".restoring");
    fs::copy(&copy, &incoming)?;
    owner_only(&incoming, 0o600)?;
    File::open(&incoming)?.sync_all()?;
    // The database as it was, with its write-ahead log, in case the backup was the wrong one.
    let kept = if database.exists() {
        let kept = beside(&database, &format!(".before-restore-{now}"));
        for suffix in ["", "-wal", "-shm"] {
            let file = beside(&database, suffix);
            if file.exists() {
                fs::rename(&file, beside(&kept, suffix))?;
            }
        }
        Some(kept)
    } else {
        None
    };
    fs::rename(&incoming, &database)?;
    if let Some(parent) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        File::open(parent)?.sync_all()?;
    }
    let pictures = copy_new_files(&from.join(MEDIA_DIR), &config.media_dir)?;
    Ok(RestoreReport {
        kept,
        pictures,
        behind: checked.behind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_sqlite_file_can_be_backed_up_here() {
        assert_eq!(
            database_file("sqlite://data/portal.db").unwrap(),
            PathBuf::from("data/portal.db")
        );
        assert_eq!(
            database_file("sqlite:/var/lib/portal/portal.db?mode=rwc").unwrap(),
            PathBuf::from("/var/lib/portal/portal.db")
        );
        assert!(matches!(
            database_file("postgres://portal@localhost/portal"),
            Err(BackupError::NotSqlite)
        ));
        assert!(matches!(database_file("sqlite::memory:"), Err(BackupError::NotSqlite)));
    }

    #[test]
    fn a_restore_waits_for_no_server_and_a_server_for_no_restore() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("portal.db");
        let url = format!("sqlite://{}", database.display());
        let serving = DatabaseLock::for_serving(&url).unwrap().expect("a lock");
        let second = DatabaseLock::for_serving(&url).unwrap().expect("servers share it");
        assert!(matches!(
            DatabaseLock::for_restoring(&database),
            Err(BackupError::InUse)
        ));
        drop((serving, second));
        let restoring = DatabaseLock::for_restoring(&database).unwrap();
        assert!(matches!(DatabaseLock::for_serving(&url), Err(BackupError::Restoring)));
        drop(restoring);
        assert!(DatabaseLock::for_serving(&url).unwrap().is_some());
    }

    #[test]
    fn a_backup_goes_into_a_new_or_empty_folder_only() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("backup");
        private_dir(&target).unwrap();
        fs::write(target.join("x"), "x").unwrap();
        assert!(matches!(private_dir(&target), Err(BackupError::NotEmpty(_))));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700);
        }
    }
}
