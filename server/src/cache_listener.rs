//! Each instance listens for the cache notifications of the others (`cache_events`) on a
//! connection of its own, and drops what they name. While it is not listening (the database
//! restarted, the connection dropped) it may miss some, so it drops everything cached each time it
//! starts listening again; the caches' TTL covers the gap in between.

use app::backend::state::AppState;
use app::backend::tracking::cache_events::{Stale, CHANNEL};
use diesel_async::RunQueryDsl;
use futures_util::StreamExt;
use std::time::Duration;
use tokio::sync::watch;

/// Listens until `shutdown` turns true, reconnecting after a second whenever the connection fails.
pub async fn run(state: AppState, database_url: String, mut shutdown: watch::Receiver<bool>) {
    loop {
        match listen(&state, &database_url, &mut shutdown).await {
            Ok(()) => return,
            Err(e) => tracing::warn!(error = %e, "cache notifications: not listening; retrying in a second"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Ok when asked to stop; an error when the connection could not be made or was lost.
async fn listen(state: &AppState, database_url: &str, shutdown: &mut watch::Receiver<bool>) -> Result<(), String> {
    let mut conn = app::backend::db::connect(database_url)
        .await
        .map_err(|e| e.to_string())?;
    diesel::sql_query(format!("LISTEN {CHANNEL}"))
        .execute(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    // Whatever was cached while nobody listened may be stale.
    Stale::forget_everything(&state.tracking);
    let mut notifications = std::pin::pin!(conn.notifications_stream());
    loop {
        tokio::select! {
            next = notifications.next() => match next {
                Some(Ok(notification)) => match Stale::parse(&notification.payload) {
                    Some(stale) => stale.apply(&state.tracking),
                    None => Stale::forget_everything(&state.tracking),
                },
                Some(Err(e)) => return Err(e.to_string()),
                None => return Err("the connection closed".into()),
            },
            _ = shutdown.changed() => return Ok(()),
        }
    }
}
