//! Turning a `Config` into running parts: the database (local or given), migrations, the pool,
//! the secret, the mail transport and the app state.

use crate::assets;
use crate::config::Config;
use crate::local_pg::LocalPostgres;
use app::backend::api_v1::conversion_writer::BatchConfig;
use app::backend::data_key::DataKey;
use app::backend::db::{build_pool, run_migrations};
use app::backend::mailer::Transport;
use app::backend::settings::{LoginLimit, Settings};
use app::backend::state::AppState;
use app::backend::tracking::click_writer::WriterConfig;
use leptos::config::LeptosOptions;

/// The database this process uses, and the local cluster to stop on exit (if this process
/// started it).
pub struct Database {
    pub url: String,
    pub local: Option<LocalPostgres>,
}

impl Database {
    pub fn stop(&self) {
        if let Some(local) = &self.local {
            match local.stop() {
                Ok(()) => tracing::info!("stopped the private PostgreSQL"),
                Err(e) => tracing::error!(error = %e, "could not stop the private PostgreSQL"),
            }
        }
    }
}

/// Uses `DATABASE_URL`, or starts the private cluster under the data folder.
pub fn open_database(config: &Config) -> Result<Database, String> {
    match &config.database_url {
        Some(url) => Ok(Database {
            url: url.clone(),
            local: None,
        }),
        None => {
            let local = LocalPostgres::new(&config.data_dir)?;
            let (url, started_here) = local.start()?;
            tracing::info!(url = %url, "using the private PostgreSQL in the data folder");
            // A cluster that another process started (a running `trellis serve`) stays up.
            Ok(Database {
                url,
                local: started_here.then_some(local),
            })
        }
    }
}

pub async fn migrate(url: &str) -> Result<(), String> {
    let applied = run_migrations(url)
        .await
        .map_err(|e| format!("{e}\nCheck that PostgreSQL is running and that DATABASE_URL points at it."))?;
    for version in applied {
        tracing::info!(%version, "applied migration");
    }
    fill_derived_columns(url).await
}

/// Columns a migration adds but only Rust can compute, filled for rows stored before it (a no-op
/// once they are): the deals' near-match keys. And the click partitions of this month and the
/// next few, in case the server was stopped past the daily job's horizon.
async fn fill_derived_columns(url: &str) -> Result<(), String> {
    let mut conn = app::backend::db::connect(url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    let filled = app::backend::repos::deals::fill_match_keys(&mut conn)
        .await
        .map_err(|e| format!("filling the deals' match keys failed: {e}"))?;
    if filled > 0 {
        tracing::info!(deals = filled, "filled in near-match keys");
    }
    let today = time::OffsetDateTime::now_utc().date();
    app::backend::repos::click_partitions::ensure_ahead(&mut conn, today)
        .await
        .map_err(|e| format!("making the click partitions failed: {e}"))?;
    Ok(())
}

/// Refuses to go on when sealed payout details exist and the data key can't open them.
pub async fn check_data_key(state: &AppState) -> Result<(), String> {
    let mut conn = state
        .pool
        .get()
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    app::backend::payouts::keys::check(&mut conn, state.settings.data_key.as_ref()).await
}

/// The CSRF secret: `TRELLIS_SECRET`, or one generated once and kept in the data folder.
fn secret(config: &Config) -> Result<Vec<u8>, String> {
    if let Some(secret) = &config.secret {
        return Ok(secret.as_bytes().to_vec());
    }
    let path = config.data_dir.join("secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        if existing.trim().len() >= 32 {
            return Ok(existing.trim().as_bytes().to_vec());
        }
    }
    std::fs::create_dir_all(&config.data_dir).map_err(|e| format!("cannot create the data folder: {e}"))?;
    let generated = app::backend::tokens::new_token();
    std::fs::write(&path, &generated).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    }
    Ok(generated.into_bytes())
}

/// The data key: `TRELLIS_DATA_KEY`, else the file `TRELLIS_DATA_KEY_FILE` names (which must
/// exist), else `data.key` in the data folder if it is there, else none.
pub fn data_key(config: &Config) -> Result<Option<DataKey>, String> {
    let (text, source) = match (&config.data_key, &config.data_key_file) {
        (Some(key), _) => (key.clone(), "TRELLIS_DATA_KEY".to_owned()),
        (None, Some(path)) => (
            std::fs::read_to_string(path)
                .map_err(|e| format!("TRELLIS_DATA_KEY_FILE: cannot read {}: {e}", path.display()))?,
            path.display().to_string(),
        ),
        (None, None) => {
            let path = config.data_dir.join("data.key");
            match std::fs::read_to_string(&path) {
                Ok(text) => (text, path.display().to_string()),
                Err(_) => return Ok(None),
            }
        }
    };
    DataKey::from_base64(&text)
        .map(Some)
        .map_err(|e| format!("{source}: {e}"))
}

pub fn settings(config: &Config) -> Result<Settings, String> {
    Ok(Settings {
        data_key: data_key(config)?,
        base_url: config.base_url.clone(),
        secure_cookies: config.secure_cookies(),
        secret: secret(config)?,
        data_dir: config.data_dir.clone(),
        mail_from: config.mail_from.clone(),
        session_idle: config.session_idle,
        session_absolute: config.session_absolute,
        login_limit: LoginLimit {
            per_account: config.login_max_failures,
            per_ip: config.login_max_failures_per_ip,
            window: config.login_window,
        },
        reset_token_ttl: std::time::Duration::from_secs(3600),
        invite_token_ttl: std::time::Duration::from_secs(72 * 3600),
        library_max_bytes: config.library_max_bytes,
        video_hosts: config.video_hosts.clone(),
        clock: match &config.test_clock_file {
            Some(path) => app::backend::clock::Clock::Shifted(path.clone()),
            None => app::backend::clock::Clock::System,
        },
    })
}

/// Leptos' options. The pages load the content-hashed file names when `hash.txt` lies beside
/// the binary (see `assets`); a site that lacks those files is reported at start-up, since its
/// pages would come without styles or scripts.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let hash_file = assets::hash_file();
    if let Some(path) = &hash_file {
        let hashes = std::fs::read_to_string(path).unwrap_or_default();
        let missing = assets::missing_from_site(&hashes, &config.site_root);
        if !missing.is_empty() {
            tracing::error!(
                site_root = %config.site_root.display(), hash_file = %path.display(), missing = ?missing,
                "the site in TRELLIS_SITE_ROOT is not the one built with this binary: rebuild both (make run, make release)"
            );
        }
    }
    LeptosOptions::builder()
        .output_name("trellis")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .hash_files(hash_file.is_some())
        .hash_file(std::sync::Arc::from(assets::HASH_FILE))
        .build()
}

pub fn app_state(config: &Config, database_url: &str) -> Result<AppState, String> {
    let pool = build_pool(database_url, config.db_pool_size)?;
    let transport = Transport::new(config.smtp_url.as_deref(), &config.data_dir)?;
    let writer = WriterConfig {
        queue: config.click_queue,
        max_batch: config.click_batch,
        writers: config.click_writers,
    };
    let batches = BatchConfig {
        // A full queue only means a conversion is stored on its own, so it needs no setting.
        queue: BatchConfig::default().queue,
        max_batch: config.conversion_batch,
        writers: config.conversion_writers,
    };
    Ok(AppState::new(
        pool,
        settings(config)?,
        leptos_options(config),
        transport,
        writer,
        batches,
    ))
}
