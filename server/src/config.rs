//! Configuration, read once from the environment into one typed value. A bad value stops
//! start-up with a message that names the variable.

use app::domain::training::video::VideoHost;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: Option<String>,
    /// A streaming standby of the primary, for heavy reports and CSV exports.
    pub database_replica_url: Option<String>,
    /// How far behind the standby may be before those reads go to the primary.
    pub replica_max_lag: Duration,
    pub addr: SocketAddr,
    pub base_url: String,
    pub data_dir: PathBuf,
    pub site_root: PathBuf,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub secret: Option<String>,
    /// The key that seals payout details (base64), from TRELLIS_DATA_KEY.
    pub data_key: Option<String>,
    /// A file holding that key, from TRELLIS_DATA_KEY_FILE.
    pub data_key_file: Option<PathBuf>,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub login_max_failures: i32,
    pub login_max_failures_per_ip: i32,
    pub login_window: Duration,
    pub client_ip_header: Option<String>,
    pub db_pool_size: usize,
    pub country_header: Option<String>,
    pub click_queue: usize,
    pub click_batch: usize,
    pub click_writers: usize,
    /// Most conversions stored in one batch (`TRELLIS_CONVERSION_BATCH`).
    pub conversion_batch: usize,
    /// Conversion writer tasks; 0 stores every conversion on its own (`TRELLIS_CONVERSION_WRITERS`).
    pub conversion_writers: usize,
    /// The largest file the content library takes, in bytes.
    pub library_max_bytes: usize,
    /// The video hosts lessons may embed.
    pub video_hosts: Vec<VideoHost>,
    pub bench_routes: bool,
    /// A file holding seconds to add to the clock; for browser tests only.
    pub test_clock_file: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

/// Every variable with its meaning, for `--help` and the README.
pub const VARIABLES: &[(&str, &str, &str)] = &[
    (
        "DATABASE_URL",
        "(unset)",
        "PostgreSQL URL. Unset: Trellis runs a private PostgreSQL under the data folder. TLS: add sslmode=require (encrypted, certificate unchecked) or sslmode=verify-full (checked against Mozilla's roots, or the CA file in sslrootcert=/path/ca.pem).",
    ),
    (
        "DATABASE_REPLICA_URL",
        "(unset)",
        "A streaming standby of DATABASE_URL (same form, sslmode too). Reports, dashboard figures and CSV exports read from it while it answers and lags at most TRELLIS_REPLICA_MAX_LAG_SECONDS; otherwise from the primary. A URL of the primary itself is refused at start.",
    ),
    (
        "TRELLIS_REPLICA_MAX_LAG_SECONDS",
        "30",
        "How far the replica's replay may be behind before reports read from the primary instead.",
    ),
    ("TRELLIS_ADDR", "127.0.0.1:3000", "Address and port to listen on."),
    (
        "TRELLIS_BASE_URL",
        "http://TRELLIS_ADDR",
        "Public URL, used in email links. https makes cookies Secure.",
    ),
    (
        "TRELLIS_DATA_DIR",
        "./.trellis",
        "Data folder: private PostgreSQL, .eml mail, generated secret.",
    ),
    (
        "TRELLIS_SITE_ROOT",
        "target/site",
        "Folder with the built CSS, JS and WebAssembly (cargo leptos build).",
    ),
    (
        "SMTP_URL",
        "(unset)",
        "SMTP server, e.g. smtps://user:pass@mail.example.com. Unset: .eml files in the data folder.",
    ),
    ("MAIL_FROM", "Trellis <no-reply@localhost>", "Sender of every email."),
    (
        "TRELLIS_SECRET",
        "(generated)",
        "At least 32 characters; signs CSRF tokens. Set the same value on every instance.",
    ),
    (
        "TRELLIS_DATA_KEY",
        "(unset)",
        "32 random bytes in base64 (trellis new-data-key) that encrypt bank account numbers, TINs and VAT ids. The same on every instance; serve refuses to start without it once encrypted data exists.",
    ),
    (
        "TRELLIS_DATA_KEY_FILE",
        "TRELLIS_DATA_DIR/data.key",
        "A file holding TRELLIS_DATA_KEY instead (make run creates .trellis/data.key for development).",
    ),
    (
        "TRELLIS_SESSION_IDLE_MINUTES",
        "480",
        "A session ends after this many minutes without a request.",
    ),
    (
        "TRELLIS_SESSION_ABSOLUTE_HOURS",
        "168",
        "A session ends this many hours after login, active or not.",
    ),
    (
        "TRELLIS_LOGIN_MAX_FAILURES",
        "5",
        "Failed logins per account within the window before a 429.",
    ),
    (
        "TRELLIS_LOGIN_MAX_FAILURES_PER_IP",
        "20",
        "Failed logins per client IP within the window before a 429.",
    ),
    (
        "TRELLIS_LOGIN_WINDOW_MINUTES",
        "15",
        "Length of the login throttling window.",
    ),
    (
        "TRELLIS_CLIENT_IP_HEADER",
        "(unset)",
        "Header with the client IP set by your trusted proxy, e.g. x-forwarded-for.",
    ),
    ("TRELLIS_DB_POOL_SIZE", "16", "Database connections per instance."),
    (
        "TRELLIS_COUNTRY_HEADER",
        "(unset)",
        "Header with the visitor's 2-letter country set by your trusted proxy or CDN, e.g. cf-ipcountry.",
    ),
    (
        "TRELLIS_CLICK_QUEUE",
        "10000",
        "Clicks waiting to be written; beyond this the redirect answers 503 with Retry-After.",
    ),
    (
        "TRELLIS_CLICK_BATCH",
        "500",
        "Most clicks committed in one transaction.",
    ),
    (
        "TRELLIS_CLICK_WRITERS",
        "1",
        "Click writer tasks, each with its own connection.",
    ),
    (
        "TRELLIS_LIBRARY_MAX_MB",
        "25",
        "The largest file the content library takes, in megabytes (uploads stream into PostgreSQL in 1 MB chunks).",
    ),
    (
        "TRELLIS_VIDEO_HOSTS",
        "youtube,vimeo,loom",
        "The video hosts lessons may embed, comma-separated (a subset of youtube, vimeo, loom), or none for no videos. The CSP admits only their players.",
    ),
    (
        "TRELLIS_BENCH_ROUTES",
        "false",
        "true adds /bench/bare/CODE and /bench/single/CODE for make bench, and allows bench-seed-commissions. Never in production.",
    ),
    (
        "TRELLIS_TEST_CLOCK_FILE",
        "(unset)",
        "Tests only: a file with a number of seconds added to the server's clock.",
    ),
    (
        "RUST_LOG",
        "info",
        "Log filter (tracing). Logs are JSON lines with a request id.",
    ),
];

fn err(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        message: message.into(),
    }
}

fn number<T>(
    get: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: T,
    min: T,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    match get(variable) {
        None => Ok(default),
        Some(raw) => match raw.trim().parse::<T>() {
            Ok(v) if v >= min => Ok(v),
            _ => Err(err(
                variable,
                format!("'{raw}' is not a whole number of at least {min}"),
            )),
        },
    }
}

/// A PostgreSQL URL in `variable`, with its `sslmode` and `sslrootcert` checked (and the CA file
/// read) now, not at the first connection.
fn postgres_url(get: &impl Fn(&str) -> Option<String>, variable: &'static str) -> Result<Option<String>, ConfigError> {
    match get(variable) {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            app::backend::db::Connector::new(&url).map_err(|e| err(variable, e))?;
            Ok(Some(url))
        }
        Some(_) => Err(err(variable, "must start with postgres:// or postgresql://")),
        None => Ok(None),
    }
}

fn header_name(get: &impl Fn(&str) -> Option<String>, variable: &'static str) -> Result<Option<String>, ConfigError> {
    let Some(name) = get(variable).map(|h| h.trim().to_ascii_lowercase()) else {
        return Ok(None);
    };
    if axum::http::HeaderName::from_bytes(name.as_bytes()).is_err() {
        return Err(err(variable, format!("'{name}' is not a valid header name")));
    }
    Ok(Some(name))
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let addr_raw = get("TRELLIS_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr: SocketAddr = addr_raw.parse().map_err(|_| {
            err(
                "TRELLIS_ADDR",
                format!("'{addr_raw}' is not an address like 127.0.0.1:3000"),
            )
        })?;
        let base_url = match get("TRELLIS_BASE_URL") {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                url.trim_end_matches('/').to_owned()
            }
            Some(url) => {
                return Err(err(
                    "TRELLIS_BASE_URL",
                    format!("'{url}' must start with http:// or https://"),
                ))
            }
            None => format!("http://{addr}"),
        };
        let database_url = postgres_url(&get, "DATABASE_URL")?;
        let database_replica_url = postgres_url(&get, "DATABASE_REPLICA_URL")?;
        if database_replica_url.is_some() && database_replica_url == database_url {
            return Err(err(
                "DATABASE_REPLICA_URL",
                "is the same URL as DATABASE_URL: reports would read from the primary; give the URL of a streaming standby, or unset it",
            ));
        }
        let smtp_url = match get("SMTP_URL") {
            Some(url) if url.starts_with("smtp://") || url.starts_with("smtps://") => Some(url),
            Some(_) => return Err(err("SMTP_URL", "must start with smtp:// or smtps://")),
            None => None,
        };
        let mail_from = get("MAIL_FROM").unwrap_or_else(|| "Trellis <no-reply@localhost>".into());
        if mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(err(
                "MAIL_FROM",
                format!("'{mail_from}' is not an address like Trellis <no-reply@example.com>"),
            ));
        }
        let secret = get("TRELLIS_SECRET");
        if secret.as_ref().is_some_and(|s| s.len() < 32) {
            return Err(err("TRELLIS_SECRET", "must be at least 32 characters long"));
        }
        let client_ip_header = header_name(&get, "TRELLIS_CLIENT_IP_HEADER")?;
        Ok(Self {
            database_url,
            database_replica_url,
            replica_max_lag: Duration::from_secs(number(&get, "TRELLIS_REPLICA_MAX_LAG_SECONDS", 30u64, 1)?),
            addr,
            base_url,
            data_dir: PathBuf::from(get("TRELLIS_DATA_DIR").unwrap_or_else(|| "./.trellis".into())),
            site_root: PathBuf::from(
                get("TRELLIS_SITE_ROOT")
                    .or_else(|| get("LEPTOS_SITE_ROOT"))
                    .unwrap_or_else(|| "target/site".into()),
            ),
            smtp_url,
            mail_from,
            secret,
            data_key: get("TRELLIS_DATA_KEY"),
            data_key_file: get("TRELLIS_DATA_KEY_FILE").map(PathBuf::from),
            session_idle: Duration::from_secs(60 * number(&get, "TRELLIS_SESSION_IDLE_MINUTES", 480u64, 1)?),
            session_absolute: Duration::from_secs(3600 * number(&get, "TRELLIS_SESSION_ABSOLUTE_HOURS", 168u64, 1)?),
            login_max_failures: number(&get, "TRELLIS_LOGIN_MAX_FAILURES", 5i32, 1)?,
            login_max_failures_per_ip: number(&get, "TRELLIS_LOGIN_MAX_FAILURES_PER_IP", 20i32, 1)?,
            login_window: Duration::from_secs(60 * number(&get, "TRELLIS_LOGIN_WINDOW_MINUTES", 15u64, 1)?),
            client_ip_header,
            db_pool_size: number(&get, "TRELLIS_DB_POOL_SIZE", 16usize, 1)?,
            country_header: header_name(&get, "TRELLIS_COUNTRY_HEADER")?,
            click_queue: number(&get, "TRELLIS_CLICK_QUEUE", 10_000usize, 1)?,
            click_batch: number(&get, "TRELLIS_CLICK_BATCH", 500usize, 1)?,
            click_writers: number(&get, "TRELLIS_CLICK_WRITERS", 1usize, 1)?,
            conversion_batch: number(&get, "TRELLIS_CONVERSION_BATCH", 256usize, 1)?,
            conversion_writers: number(&get, "TRELLIS_CONVERSION_WRITERS", 2usize, 0)?,
            library_max_bytes: 1024 * 1024 * number(&get, "TRELLIS_LIBRARY_MAX_MB", 25usize, 1)?.min(1024),
            video_hosts: match get("TRELLIS_VIDEO_HOSTS") {
                None => VideoHost::ALL.to_vec(),
                Some(list) => VideoHost::parse_list(&list).map_err(|e| err("TRELLIS_VIDEO_HOSTS", e))?,
            },
            test_clock_file: get("TRELLIS_TEST_CLOCK_FILE").map(PathBuf::from),
            bench_routes: match get("TRELLIS_BENCH_ROUTES").as_deref() {
                None | Some("false") | Some("0") => false,
                Some("true") | Some("1") => true,
                Some(other) => return Err(err("TRELLIS_BENCH_ROUTES", format!("'{other}' is not true or false"))),
            },
        })
    }

    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_local_and_safe() {
        let c = config(&[]).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.base_url, "http://127.0.0.1:3000");
        assert!(!c.secure_cookies());
        assert!(c.database_url.is_none());
        assert_eq!(c.login_max_failures, 5);
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (name, value) in [
            ("TRELLIS_ADDR", "localhost"),
            ("TRELLIS_BASE_URL", "example.com"),
            ("DATABASE_URL", "mysql://x"),
            ("DATABASE_URL", "postgres://db.example.com/trellis?sslmode=verify"),
            (
                "DATABASE_URL",
                "postgres://db.example.com/trellis?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem",
            ),
            ("DATABASE_REPLICA_URL", "mysql://replica"),
            (
                "DATABASE_REPLICA_URL",
                "postgres://replica.example.com/trellis?sslmode=prefer-not",
            ),
            ("TRELLIS_REPLICA_MAX_LAG_SECONDS", "0"),
            ("TRELLIS_REPLICA_MAX_LAG_SECONDS", "half a minute"),
            ("SMTP_URL", "http://mail"),
            ("MAIL_FROM", "not an address"),
            ("TRELLIS_SECRET", "short"),
            ("TRELLIS_SESSION_IDLE_MINUTES", "0"),
            ("TRELLIS_LOGIN_MAX_FAILURES", "many"),
            ("TRELLIS_CLIENT_IP_HEADER", "bad header"),
            ("TRELLIS_COUNTRY_HEADER", "bad header"),
            ("TRELLIS_CLICK_QUEUE", "0"),
            ("TRELLIS_BENCH_ROUTES", "maybe"),
        ] {
            let error = config(&[(name, value)]).unwrap_err();
            assert_eq!(error.variable, name);
            assert!(error.to_string().starts_with(name));
        }
    }

    #[test]
    fn tls_database_urls_are_accepted() {
        for url in [
            "postgres://u:p@db.example.com/trellis?sslmode=require",
            "postgresql://u@db.example.com:6543/trellis?sslmode=verify-full",
            "postgresql:///trellis?host=/tmp/pg&user=trellis&sslmode=disable",
        ] {
            assert_eq!(
                config(&[("DATABASE_URL", url)]).unwrap().database_url.as_deref(),
                Some(url)
            );
        }
    }

    #[test]
    fn a_replica_url_is_optional_and_never_the_primarys() {
        let primary = "postgres://u@db.example.com/trellis";
        let replica = "postgres://u@replica.example.com/trellis?sslmode=require";
        let c = config(&[("DATABASE_URL", primary)]).unwrap();
        assert_eq!(
            (c.database_replica_url, c.replica_max_lag),
            (None, Duration::from_secs(30))
        );
        let c = config(&[
            ("DATABASE_URL", primary),
            ("DATABASE_REPLICA_URL", replica),
            ("TRELLIS_REPLICA_MAX_LAG_SECONDS", "5"),
        ])
        .unwrap();
        assert_eq!(c.database_replica_url.as_deref(), Some(replica));
        assert_eq!(c.replica_max_lag, Duration::from_secs(5));
        let same = config(&[("DATABASE_URL", primary), ("DATABASE_REPLICA_URL", primary)]).unwrap_err();
        assert_eq!(same.variable, "DATABASE_REPLICA_URL");
        assert!(same.to_string().contains("same URL as DATABASE_URL"), "{same}");
    }

    #[test]
    fn https_base_urls_make_cookies_secure() {
        let c = config(&[("TRELLIS_BASE_URL", "https://partners.example.com/")]).unwrap();
        assert_eq!(c.base_url, "https://partners.example.com");
        assert!(c.secure_cookies());
    }

    #[test]
    fn every_variable_is_documented() {
        let source = include_str!("config.rs");
        for (name, _, _) in VARIABLES {
            assert!(
                source.matches(&format!("\"{name}\"")).count() >= 2 || *name == "RUST_LOG",
                "{name}"
            );
        }
    }
}
