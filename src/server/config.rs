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
    /// `DEMO_NGOS`: how many NGOs the demo directory has (default 14 427, the sector's count);
    /// the demo content's own NGOs are among them.
    pub demo_ngos: usize,
    /// `DEMO_ACCOUNTS`: create the demo editor and organiser (known passwords, see README).
    /// Off unless set to `1` or `true`; never on in production.
    pub demo_accounts: bool,
    /// `SEED_EXTRA`: a JSON file in the demo content's format stored with it (test fixtures).
    pub seed_extra: Option<PathBuf>,
    /// `SMTP_URL` (e.g. `smtp://127.0.0.1:2525`): where mail goes; without it mail stays in
    /// the outbox table.
    pub smtp_url: Option<String>,
    /// `MAIL_FROM`: the sender of the portal's mail.
    pub mail_from: String,
    /// `REGISTRATIONS_PER_MINUTE`: registrations one IP address may submit per minute.
    pub registrations_per_minute: u32,
    /// `SIGN_INS_PER_MINUTE`: sign-in attempts one IP address may make per minute.
    pub sign_ins_per_minute: u32,
    /// `TRUSTED_PROXIES`: networks (CIDR, comma-separated) of reverse proxies whose
    /// `X-Forwarded-For` names the visitor; without it the TCP peer is the visitor.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `SECRET_KEY`: the secret private links are signed with (base64 or hex, 32+ bytes).
    pub secret_key: Option<String>,
    /// `SECRET_KEY_FILE`: where the secret is kept when `SECRET_KEY` is not set; made on
    /// first start. Default: `secret.key` beside the SQLite file (`data/`).
    pub secret_file: PathBuf,
    /// `MEDIA_DIR`: where uploaded images are stored. Default: `media/` beside the SQLite file.
    pub media_dir: PathBuf,
    /// `METRICS_TOKEN`: the bearer token `/metrics` asks for; without it, `/metrics` answers
    /// direct connections from this machine only.
    pub metrics_token: Option<String>,
    /// `WP_UPLOADS_DIR`: a WordPress site's `wp-content/uploads` copied to the server, where
    /// imports from the admin page find featured images.
    pub wp_uploads_dir: Option<PathBuf>,
    /// `CDN_MAX_AGE`: seconds a CDN in front may keep public pages (`server::cdn`); none: they
    /// say `public, no-cache` only.
    pub cdn_max_age: Option<u32>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("CDN_MAX_AGE must be a number of seconds")]
    CdnMaxAge,
    #[error("DEMO_NGOS is not a number")]
    DemoNgos,
    #[error("LEPTOS_SITE_ADDR must be host:port, e.g. 127.0.0.1:3000")]
    Address,
    #[error("REGISTRATIONS_PER_MINUTE and SIGN_INS_PER_MINUTE must be whole numbers")]
    RateLimit,
    #[error("TRUSTED_PROXIES must be comma-separated networks or addresses, e.g. 10.0.0.0/8, ::1")]
    TrustedProxies,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/portal.db";

/// `secret.key` in the folder of a SQLite database file, else under `data/`.
pub fn default_secret_file(database_url: &str) -> PathBuf {
    default_data_dir(database_url).join("secret.key")
}

/// The folder of a SQLite database file, else `data/`: where the server keeps its files.
pub fn default_data_dir(database_url: &str) -> PathBuf {
    database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or_default())
        .filter(|file| !file.is_empty() && *file != ":memory:")
        .and_then(|file| std::path::Path::new(file).parent().map(PathBuf::from))
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("data"))
}

/// `10.0.0.0/8, 192.168.1.7, ::1`: networks, a bare address being a network of one.
pub fn parse_networks(text: &str) -> Option<Vec<ipnet::IpNet>> {
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .ok()
                .or_else(|| item.parse::<std::net::IpAddr>().ok().map(ipnet::IpNet::from))
        })
        .collect()
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let address: SocketAddr = var("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|_| ConfigError::Address)?;
        let database_url = var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        Ok(Config {
            address,
            secret_file: var("SECRET_KEY_FILE").map_or_else(|| default_secret_file(&database_url), PathBuf::from),
            secret_key: var("SECRET_KEY"),
            metrics_token: var("METRICS_TOKEN"),
            cdn_max_age: match var("CDN_MAX_AGE") {
                Some(raw) => Some(raw.parse().map_err(|_| ConfigError::CdnMaxAge)?),
                None => None,
            },
            wp_uploads_dir: var("WP_UPLOADS_DIR").map(PathBuf::from),
            media_dir: var("MEDIA_DIR").map_or_else(|| default_data_dir(&database_url).join("media"), PathBuf::from),
            trusted_proxies: match var("TRUSTED_PROXIES") {
                Some(raw) => parse_networks(&raw).ok_or(ConfigError::TrustedProxies)?,
                None => Vec::new(),
            },
            database_url,
            public_url: var("PUBLIC_URL").unwrap_or_else(|| format!("http://{address}")),
            public_dir: var("LEPTOS_SITE_ROOT").map_or_else(|| "public".into(), PathBuf::from),
            pkg_dir: var("PKG_DIR").map_or_else(|| "target/site/pkg".into(), PathBuf::from),
            seed_demo_content: var("SEED_DEMO_CONTENT").is_none_or(|v| v != "0" && v != "false"),
            seed_extra: var("SEED_EXTRA").map(PathBuf::from),
            demo_ngos: match var("DEMO_NGOS") {
                Some(raw) => raw.parse().map_err(|_| ConfigError::DemoNgos)?,
                None => super::seed::DEMO_NGO_COUNT,
            },
            demo_accounts: var("DEMO_ACCOUNTS").is_some_and(|v| v == "1" || v == "true"),
            smtp_url: var("SMTP_URL"),
            mail_from: var("MAIL_FROM").unwrap_or_else(|| "НПО портал <no-reply@ngo-portal.bg>".into()),
            registrations_per_minute: match var("REGISTRATIONS_PER_MINUTE") {
                Some(raw) => raw.parse().map_err(|_| ConfigError::RateLimit)?,
                None => 10,
            },
            sign_ins_per_minute: match var("SIGN_INS_PER_MINUTE") {
                Some(raw) => raw.parse().map_err(|_| ConfigError::RateLimit)?,
                None => 10,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_lives_beside_the_sqlite_file() {
        assert_eq!(
            default_secret_file("sqlite://data/portal.db"),
            PathBuf::from("data/secret.key")
        );
        assert_eq!(
            default_secret_file("sqlite:///tmp/x/e2e.db?mode=rwc"),
            PathBuf::from("/tmp/x/secret.key")
        );
        assert_eq!(
            default_secret_file("sqlite://portal.db"),
            PathBuf::from("data/secret.key")
        );
        assert_eq!(
            default_secret_file("postgres://db/portal"),
            PathBuf::from("data/secret.key")
        );
    }

    #[test]
    fn trusted_proxies_are_networks_or_single_addresses() {
        let networks = parse_networks("10.0.0.0/8, 127.0.0.1 ,::1").unwrap();
        assert_eq!(networks.len(), 3);
        assert!(networks[0].contains(&"10.1.2.3".parse::<std::net::IpAddr>().unwrap()));
        assert!(networks[1].contains(&"127.0.0.1".parse::<std::net::IpAddr>().unwrap()));
        assert!(!networks[1].contains(&"127.0.0.2".parse::<std::net::IpAddr>().unwrap()));
        assert_eq!(parse_networks("10.0.0.0/8, nonsense"), None);
        assert_eq!(parse_networks(""), Some(Vec::new()));
    }
}
