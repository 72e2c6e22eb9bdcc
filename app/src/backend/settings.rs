//! Runtime settings that server functions need, derived from the server's `Config`.

use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Settings {
    /// Public address of this installation, without a trailing slash, used in email links.
    pub base_url: String,
    /// Cookies get the `Secure` attribute when the base URL is https.
    pub secure_cookies: bool,
    /// Key for CSRF tokens; every instance of one installation must share it.
    pub secret: Vec<u8>,
    pub data_dir: PathBuf,
    pub mail_from: String,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub login_limit: LoginLimit,
    pub reset_token_ttl: Duration,
    pub invite_token_ttl: Duration,
    /// The largest file the content library takes (`TRELLIS_LIBRARY_MAX_MB`).
    pub library_max_bytes: usize,
    /// The video hosts lessons may embed (`TRELLIS_VIDEO_HOSTS`); the CSP admits their players.
    pub video_hosts: Vec<crate::domain::training::video::VideoHost>,
    /// Seals payout details at rest (`TRELLIS_DATA_KEY`); none until one is set.
    pub data_key: Option<super::data_key::DataKey>,
    /// Where "now" comes from: the system clock, or a test's shifted clock.
    pub clock: super::clock::Clock,
}

/// Failed logins allowed per account and per client IP within one window.
#[derive(Clone, Copy, Debug)]
pub struct LoginLimit {
    pub per_account: i32,
    pub per_ip: i32,
    pub window: Duration,
}

impl Settings {
    /// Settings for tests and tools: localhost, a fixed secret, short-lived data folder.
    pub fn for_local(data_dir: PathBuf) -> Self {
        Self {
            base_url: "http://127.0.0.1:3000".into(),
            secure_cookies: false,
            secret: b"trellis-local-development-secret-only".to_vec(),
            data_dir,
            mail_from: "Trellis <no-reply@trellis.localhost>".into(),
            session_idle: Duration::from_secs(8 * 3600),
            session_absolute: Duration::from_secs(7 * 24 * 3600),
            login_limit: LoginLimit {
                per_account: 5,
                per_ip: 20,
                window: Duration::from_secs(15 * 60),
            },
            reset_token_ttl: Duration::from_secs(3600),
            invite_token_ttl: Duration::from_secs(72 * 3600),
            library_max_bytes: 25 * 1024 * 1024,
            video_hosts: crate::domain::training::video::VideoHost::ALL.to_vec(),
            data_key: None,
            clock: super::clock::Clock::System,
        }
    }
}
