//! The command line: `ngo-portal` serves; `ngo-portal admin create` adds an account (the first
//! admin of a new installation). The password comes from a prompt without echo, or from
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
}

/// Runs `command` against the store at `database_url`; returns what to tell the operator.
pub async fn run(command: Command, database_url: &str) -> Result<String, CliError> {
    match command {
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
