//! `DATABASE_REPLICA_URL` at start: a URL that reaches the primary itself, or any server that is
//! not a standby of it, stops start-up with a message naming the variable. A standby that can't
//! be reached yet is not fatal: reports read from the primary until it answers.

use crate::config::Config;
use app::backend::db::{build_pool, connect};
use app::backend::replica::{probe, Replica};
use std::sync::Arc;
use std::time::Duration;

/// How long start-up waits for the replica before going on without it.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The replica to read reports from, if one is configured and isn't the wrong server.
pub async fn open(config: &Config, primary_url: &str) -> Result<Option<Arc<Replica>>, String> {
    let Some(url) = &config.database_replica_url else {
        return Ok(None);
    };
    if url == primary_url {
        return Err("DATABASE_REPLICA_URL: is the URL of the primary database; give the URL of a streaming standby, or unset it".into());
    }
    let mut primary_conn = connect(primary_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    let primary = probe::probe(&mut primary_conn)
        .await
        .map_err(|e| format!("cannot read the primary's system identifier: {e}"))?;
    drop(primary_conn);
    match tokio::time::timeout(CONNECT_TIMEOUT, connect(url)).await {
        Ok(Ok(mut conn)) => {
            let replica = probe::probe(&mut conn)
                .await
                .map_err(|e| format!("DATABASE_REPLICA_URL: cannot ask the replica what it is: {e}"))?;
            if let Err(unfit) = probe::judge(&primary.system_identifier, &replica, config.replica_max_lag) {
                if unfit.is_wrong_server() {
                    return Err(format!("DATABASE_REPLICA_URL: {unfit}"));
                }
            }
        }
        Ok(Err(e)) => warn_unreachable(&e.to_string()),
        Err(_) => warn_unreachable(&format!("no answer within {} s", CONNECT_TIMEOUT.as_secs())),
    }
    let pool = build_pool(url, config.db_pool_size).map_err(|e| format!("DATABASE_REPLICA_URL: {e}"))?;
    Ok(Some(Replica::start(
        pool,
        primary.system_identifier,
        config.replica_max_lag,
    )))
}

fn warn_unreachable(error: &str) {
    tracing::warn!(
        error = %error,
        "DATABASE_REPLICA_URL: the replica can't be reached; reports read from the primary until it answers"
    );
}
