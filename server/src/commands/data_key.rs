//! `trellis new-data-key` and `trellis rotate-key`: the key that seals payout details.

use crate::config::Config;
use crate::startup;
use app::backend::data_key::DataKey;
use std::io::Write;
use std::path::Path;

/// A new key, in base64, for TRELLIS_DATA_KEY or a key file.
pub fn new_key() -> String {
    DataKey::generate()
}

/// Writes a new key to `path` (owner-only permissions); refuses to overwrite a file.
pub fn write_new_key(path: &Path) -> Result<DataKey, String> {
    let text = DataKey::generate();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            format!("{} exists already: give a new file for the new key", path.display())
        }
        _ => format!("cannot create {}: {e}", path.display()),
    })?;
    file.write_all(format!("{text}\n").as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    DataKey::from_base64(&text).map_err(|e| e.to_string())
}

/// Re-seals every payout detail and partner document under a new key written to `new_key_file`. The current key is
/// the configured one (TRELLIS_DATA_KEY, its file, or the data folder's data.key). All or
/// nothing: if anything fails, the database keeps the old key's seals and the new file is removed.
pub async fn rotate(config: &Config, url: &str, new_key_file: &Path) -> Result<(), String> {
    let old = startup::data_key(config)?
        .ok_or("no data key is set: set TRELLIS_DATA_KEY (or TRELLIS_DATA_KEY_FILE) to the current key")?;
    let new = write_new_key(new_key_file)?;
    let mut conn = app::backend::db::connect(url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    match app::backend::payouts::keys::rotate(&mut conn, &old, &new).await {
        Ok(count) => {
            eprintln!(
                "Re-sealed {count} values from key {} to key {}, written to {}.",
                old.id(),
                new.id(),
                new_key_file.display()
            );
            eprintln!("Now give every instance the new key (TRELLIS_DATA_KEY_FILE={}) and restart them; the old key opens nothing any more.", new_key_file.display());
            Ok(())
        }
        Err(message) => {
            let _ = std::fs::remove_file(new_key_file);
            Err(format!("nothing was changed: {message}"))
        }
    }
}
