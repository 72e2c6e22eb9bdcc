//! `trellis retention --clicks-older-than 13m`: drops whole months of raw clicks older than the
//! cutoff once their rollups are checked (`app::backend::retention`), and says what it did.

use app::backend::retention::{self, Age, Outcome};
use time::OffsetDateTime;

pub async fn run(database_url: &str, age: Age, dry_run: bool) -> Result<Outcome, String> {
    let mut conn = app::backend::db::connect(database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    retention::run(&mut conn, age, dry_run, OffsetDateTime::now_utc().date()).await
}

/// Prints what a run did; an error (a non-zero exit) when a month's rollups did not match.
pub fn report(outcome: &Outcome, dry_run: bool) -> Result<(), String> {
    let verb = if dry_run { "would drop" } else { "dropped" };
    if let Some(cutoff) = outcome.cutoff {
        println!("Keeping raw clicks from {cutoff} on.");
    }
    for month in &outcome.dropped {
        println!("{verb} the clicks of {}", month.format(MONTH).unwrap_or_default());
    }
    if outcome.dropped.is_empty() && outcome.mismatched.is_empty() {
        println!("No whole month of clicks is older than the cutoff; nothing to drop.");
    }
    match outcome.mismatched.first() {
        None => Ok(()),
        Some((month, differences)) => Err(format!(
            "kept the clicks of {} and every later month: {differences} daily rollups differ from a recount of the raw \
             clicks. Run `trellis rebuild-stats`, then retention again.",
            month.format(MONTH).unwrap_or_default()
        )),
    }
}

const MONTH: &[time::format_description::FormatItem<'static>] = time::macros::format_description!("[year]-[month]");
