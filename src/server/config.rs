//! Server configuration, read once from the environment.
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    /// `LEPTOS_SITE_ADDR`, default `127.0.0.1:3000`; port 0 picks a free port.
    pub address: SocketAddr,
    /// `DATABASE_URL`, default a SQLite file under `data/`.
    pub database_url: String,
    /// `PUBLIC_URL`: the origin used in canonical and OpenGraph URLs.
    pub public_url: String,
    /// `LEPTOS_SITE_ROOT`: static files served at `/` (`public/`).
    pub public_dir: PathBuf,
    /// `PKG_DIR`: Trunk's output (hashed JS, wasm, CSS), served under `/pkg/`.
    pub pkg_dir: PathBuf,
    /// `SEED_DEMO_CONTENT`: fill an empty database with demo content (default on).
    pub seed_demo_content: bool,
    /// `SEED_EXTRA`: a JSON file in the demo content's format stored with it (test fixtures).
    pub seed_extra: Option<PathBuf>,
    /// `SMTP_URL` (e.g. `smtp://127.0.0.1:2525`): where mail goes; without it mail stays in
    /// the outbox table.
    pub smtp_url: Option<String>,
    /// `MAIL_FROM`: the sender of the portal's mail.
    pub mail_from: String,
    /// `REGISTRATIONS_PER_MINUTE`: registrations one IP address may submit per minute.
    pub registrations_per_minute: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("LEPTOS_SITE_ADDR must be host:port, e.g. 127.0.0.1:3000")]
    Address,
    #[error("REGISTRATIONS_PER_MINUTE must be a whole number")]
    RateLimit,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/portal.db";

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let address: SocketAddr = var("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|_| ConfigError::Address)?;
        Ok(Config {
            address,
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            public_url: var("PUBLIC_URL").unwrap_or_else(|| format!("http://{address}")),
            public_dir: var("LEPTOS_SITE_ROOT").map_or_else(|| "public".into(), PathBuf::from),
            pkg_dir: var("PKG_DIR").map_or_else(|| "target/site/pkg".into(), PathBuf::from),
            seed_demo_content: var("SEED_DEMO_CONTENT").is_none_or(|v| v != "0" && v != "false"),
            seed_extra: var("SEED_EXTRA").map(PathBuf::from),
            smtp_url: var("SMTP_URL"),
            mail_from: var("MAIL_FROM").unwrap_or_else(|| "НПО портал <no-reply@ngo-portal.bg>".into()),
            registrations_per_minute: match var("REGISTRATIONS_PER_MINUTE") {
                Some(raw) => raw.parse().map_err(|_| ConfigError::RateLimit)?,
                None => 10,
            },
        })
    }
}
