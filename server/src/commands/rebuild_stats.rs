//! `trellis rebuild-stats`: recompute the daily rollups and the partners' running month totals
//! from the raw rows, each in one transaction (readers keep the old numbers until the new ones
//! commit).

use app::backend::repos::{month_totals, stats};

pub async fn run(database_url: &str) -> Result<(), String> {
    let mut conn = app::backend::db::connect(database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    stats::rebuild(&mut conn)
        .await
        .map_err(|e| format!("rebuilding the daily rollups failed: {e}"))?;
    month_totals::rebuild(&mut conn)
        .await
        .map_err(|e| format!("rebuilding the month totals failed: {e}"))
}
