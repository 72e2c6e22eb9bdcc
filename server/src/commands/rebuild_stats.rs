//! `trellis rebuild-stats`: recompute the daily rollups from the raw rows, in one transaction
//! (reports keep showing the old numbers until the new ones commit).

use app::backend::repos::stats;
use diesel_async::{AsyncConnection, AsyncPgConnection};

pub async fn run(database_url: &str) -> Result<(), String> {
    let mut conn = AsyncPgConnection::establish(database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    stats::rebuild(&mut conn)
        .await
        .map_err(|e| format!("rebuild failed: {e}"))
}
