//! The command line: `ngo-portal` serves; `ngo-portal admin create` adds an account (the first
//! admin of a new installation); `ngo-portal import wordpress` imports a WordPress export too
//! large for a browser upload; `ngo-portal import ngos` / `export ngos` read and write the
//! directory as CSV; `ngo-portal backup` / `restore` copy the embedded database and pictures
//! out and back (`server::backup`). The password comes from a prompt without echo, or from
//! standard input when that is not a terminal; never from the arguments, which other users of
//! the machine can read in the process list and which shells keep in their history.
use super::auth::{account_email, password};
use super::store::{self, NewAccount, StoreError};
use crate::admin::model::Role;
use clap::{Parser, Subcommand};
use std::io::{BufRead, IsTerminal};

#[derive(Debug, Parser)]
#[command(name = "ngo-portal", about = "Information portal for Bulgaria's NGOs")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage the accounts of editors and organisers.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Import content from another system.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export content.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Copy the embedded database (consistent while the server runs) and the uploaded
    /// pictures into a new folder, readable by its owner only: it holds parents' data.
    Backup {
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Put a backup in place of the embedded database (kept beside it) and add its pictures.
    /// Stop the server first; it migrates the restored database when it starts.
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write the NGO directory as CSV (the columns `import ngos` reads).
    Ngos {
        /// Where to write it (standard output when left out).
        #[arg(long)]
        file: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import posts from a WordPress export (WXR), updating those imported before.
    Wordpress {
        /// The export file (Tools → Export in WordPress).
        #[arg(long)]
        file: std::path::PathBuf,
        /// The site's `wp-content/uploads` folder, for featured images.
        #[arg(long)]
        uploads: Option<std::path::PathBuf>,
    },
    /// Import NGOs from CSV (UTF-8, a header row), matched to the directory by ЕИК. Every row
    /// is checked first: with any refused, nothing is stored and the refused rows are listed.
    Ngos {
        #[arg(long)]
        file: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an account (reads its password from a prompt or standard input).
    Create {
        #[arg(long)]
        email: String,
        /// The name shown in the admin pages and the audit log.
        #[arg(long, default_value = "")]
        name: String,
        /// admin, editor or organiser.
        #[arg(long, default_value = "admin")]
        role: Role,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("an account with this e-mail address already exists")]
    Exists,
    #[error("not a valid e-mail address")]
    Email,
    #[error("the password must be {min} to {max} bytes long (a Cyrillic letter takes two)", min = password::MIN_LENGTH, max = password::MAX_LENGTH)]
    PasswordLength,
    #[error("the two passwords differ")]
    PasswordMismatch,
    #[error("reading the password: {0}")]
    Read(#[from] std::io::Error),
    #[error("{0}")]
    Hash(#[from] password::HashError),
    #[error("{0}")]
    Import(#[from] super::wordpress::wxr::WxrError),
    #[error("nothing was imported:{0}")]
    Rejected(String),
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Backup(#[from] super::backup::BackupError),
}

/// Runs `command` against the configured store; returns what to tell the operator.
pub async fn run(command: Command, config: &super::Config) -> Result<String, CliError> {
    let database_url = config.database_url.as_str();
    match command {
        Command::Import(ImportCommand::Wordpress { file, uploads }) => {
            let xml = std::fs::read(&file)?;
            let store = store::connect(database_url).await?;
            let images = super::images::DiskImages::new(config.media_dir.clone());
            let importer = super::wordpress::Importer {
                store: store.as_ref(),
                images: &images,
                uploads: uploads.as_deref(),
                actor: &store::Actor::system("command line (WordPress import)"),
                now: super::time::now(),
            };
            let progress = |report: &crate::admin::import::ImportReport| {
                eprint!("\rimported {} of {} posts", report.done, report.total);
            };
            let report = importer.import(&xml, &progress).await?;
            eprintln!();
            let mut summary = format!(
                "{} created, {} updated, {} skipped",
                report.created,
                report.updated,
                report.skipped.len()
            );
            for skipped in &report.skipped {
                summary.push_str(&format!("\n  skipped „{}“: {}", skipped.title, skipped.reason));
            }
            Ok(summary)
        }
        Command::Import(ImportCommand::Ngos { file }) => {
            let bytes = std::fs::read(&file)?;
            let this_year = u16::try_from(super::time::sofia_date(super::time::now()).year).unwrap_or(u16::MAX);
            let records = super::ngo_csv::read(&bytes, this_year).map_err(|problems| {
                CliError::Rejected(
                    problems
                        .iter()
                        .map(|p| format!("\n  line {}, {}: {}", p.line, p.column, p.problem.explain()))
                        .collect(),
                )
            })?;
            let store = store::connect(database_url).await?;
            let actor = store::Actor::system("command line (NGO import)");
            let rows = records.len();
            // A line's worth of progress for each hundredth (not one per row: 100 000 rows).
            let step = (rows / 100).max(1) as u64;
            let progress = |stored: u64| {
                if stored.is_multiple_of(step) || stored == rows as u64 {
                    eprint!("\rstored {stored} of {rows} NGOs");
                }
            };
            let (created, updated) = store
                .import_ngos(&records, &actor, super::time::now(), &progress)
                .await?;
            eprintln!();
            Ok(format!("{created} created, {updated} updated"))
        }
        Command::Backup { to } => {
            let done = super::backup::backup(config, &to).await?;
            Ok(format!(
                "backed up the database ({} kB) and {} pictures to {}; it holds personal data: keep it private",
                done.database_bytes / 1024,
                done.pictures,
                to.display()
            ))
        }
        Command::Restore { from } => {
            let done = super::backup::restore(config, &from, super::time::now()).await?;
            let kept = done.kept.map_or_else(
                || "into a database that was empty".to_owned(),
                |kept| format!("the database it replaced is kept as {}", kept.display()),
            );
            let behind = if done.behind > 0 {
                format!("; the server applies {} newer migrations when it starts", done.behind)
            } else {
                String::new()
            };
            Ok(format!(
                "restored from {}, with {} pictures; {kept}{behind}",
                from.display(),
                done.pictures
            ))
        }
        Command::Export(ExportCommand::Ngos { file }) => {
            let store = store::connect(database_url).await?;
            let ngos = store.all_ngos().await?;
            let csv = super::ngo_csv::write(&ngos)?;
            match file {
                Some(path) => {
                    std::fs::write(&path, csv)?;
                    Ok(format!("wrote {} NGOs to {}", ngos.len(), path.display()))
                }
                None => {
                    use std::io::Write;
                    std::io::stdout().write_all(&csv)?;
                    Ok(String::new())
                }
            }
        }
        Command::Admin(AdminCommand::Create { email, name, role }) => {
            let email = account_email(&email);
            if email.parse::<crate::domain::Email>().is_err() {
                return Err(CliError::Email);
            }
            let secret = read_password()?;
            // Bytes, as sign-in counts them (a Cyrillic letter is two).
            let length = secret.len();
            if !(password::MIN_LENGTH..=password::MAX_LENGTH).contains(&length) {
                return Err(CliError::PasswordLength);
            }
            let store = store::connect(database_url).await?;
            let display_name = if name.trim().is_empty() {
                email.clone()
            } else {
                name.trim().to_owned()
            };
            let account = NewAccount {
                email: email.clone(),
                display_name,
                role,
                password_hash: password::hash(&secret)?,
            };
            match store
                .create_account(&account, super::time::now(), &store::Actor::system("command line"))
                .await
            {
                Ok(_) => Ok(format!("created the {} account {email}", role.as_str())),
                Err(StoreError::Duplicate) => Err(CliError::Exists),
                Err(error) => Err(error.into()),
            }
        }
    }
}

fn read_password() -> Result<String, CliError> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Password again: ")?;
        if first != second {
            return Err(CliError::PasswordMismatch);
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}
