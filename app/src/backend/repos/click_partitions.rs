//! The monthly partitions of `clicks` (migration 17): made ahead of time by a daily job, and
//! dropped whole by `trellis retention` once their rollups are checked against a recount.

use diesel::sql_types::{BigInt, Date, Text};
use diesel::QueryResult;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use time::{Date as CalendarDate, Month};

/// Months made ahead of the current one, so a click never waits for a partition to be made.
pub const MONTHS_AHEAD: u8 = 3;

/// The first day of `day`'s month.
pub fn month_of(day: CalendarDate) -> CalendarDate {
    day.replace_day(1).unwrap_or(day)
}

/// The first day of the month after `month`'s.
pub fn next_month(month: CalendarDate) -> CalendarDate {
    let (year, next) = match month.month() {
        Month::December => (month.year() + 1, Month::January),
        other => (month.year(), other.next()),
    };
    CalendarDate::from_calendar_date(year, next, 1).unwrap_or(month)
}

/// Makes the partitions of `today`'s month and the [`MONTHS_AHEAD`] after it that are missing;
/// returns how many it made.
pub async fn ensure_ahead(conn: &mut AsyncPgConnection, today: CalendarDate) -> QueryResult<usize> {
    let mut month = month_of(today);
    let mut made = 0;
    for _ in 0..=MONTHS_AHEAD {
        #[derive(diesel::QueryableByName)]
        struct Made {
            #[diesel(sql_type = diesel::sql_types::Bool)]
            made: bool,
        }
        let row: Made = diesel::sql_query("SELECT trellis_ensure_click_partition($1) AS made")
            .bind::<Date, _>(month)
            .get_result(conn)
            .await?;
        made += usize::from(row.made);
        month = next_month(month);
    }
    Ok(made)
}

/// A month's partition of `clicks`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partition {
    pub table: String,
    pub month: CalendarDate,
}

/// Every monthly partition, oldest first (the default partition is not a month).
pub async fn months(conn: &mut AsyncPgConnection) -> QueryResult<Vec<Partition>> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        table: String,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT c.relname::text AS table FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'clicks'::regclass AND c.relname ~ '^clicks_[0-9]{4}_[0-9]{2}$'",
    )
    .load(conn)
    .await?;
    let mut partitions: Vec<Partition> = rows
        .into_iter()
        .filter_map(|row| {
            let month = month_in_name(&row.table)?;
            Some(Partition {
                table: row.table,
                month,
            })
        })
        .collect();
    partitions.sort_by_key(|p| p.month);
    Ok(partitions)
}

fn month_in_name(table: &str) -> Option<CalendarDate> {
    let (year, month) = table.strip_prefix("clicks_")?.split_once('_')?;
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    CalendarDate::from_calendar_date(year.parse().ok()?, month, 1).ok()
}

/// Rollup keys of the partition's month whose click counts differ from a recount of its rows.
pub async fn recount_differences(conn: &mut AsyncPgConnection, partition: &Partition) -> QueryResult<i64> {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    // The table name comes from pg_class and matched the month pattern; quote it all the same.
    let table = partition.table.replace('"', "");
    let sql = format!(
        r#"WITH raw AS (
               SELECT program_id, partner_id, (clicked_at AT TIME ZONE 'UTC')::date AS day, link_id,
                      COALESCE(sub1, '') AS sub1, COALESCE(creative_id, 0) AS creative_id,
                      count(*) AS clicks, count(*) FILTER (WHERE flag IS NULL) AS unique_clicks
               FROM "{table}" GROUP BY 1, 2, 3, 4, 5, 6),
           rolled AS (
               SELECT program_id, partner_id, day, link_id, sub1, creative_id, sum(clicks) AS clicks,
                      sum(unique_clicks) AS unique_clicks
               FROM daily_stats WHERE day >= $1 AND day < $2
               GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(clicks) <> 0 OR sum(unique_clicks) <> 0)
           SELECT count(*) AS n FROM raw FULL JOIN rolled
               USING (program_id, partner_id, day, link_id, sub1, creative_id)
           WHERE raw.clicks IS DISTINCT FROM rolled.clicks
              OR raw.unique_clicks IS DISTINCT FROM rolled.unique_clicks"#
    );
    let row: Count = diesel::sql_query(sql)
        .bind::<Date, _>(partition.month)
        .bind::<Date, _>(next_month(partition.month))
        .get_result(conn)
        .await?;
    Ok(row.n)
}

/// Drops a month's raw clicks and records that rollups before the next month are the only count
/// of them, in one transaction, after a last recount under a lock that holds off late writers.
/// Returns the recount's differences: 0 when the month was dropped; otherwise nothing was.
pub async fn drop_month(conn: &mut AsyncPgConnection, partition: &Partition) -> QueryResult<i64> {
    let partition = partition.clone();
    conn.transaction(async move |conn| {
        let table = partition.table.replace('"', "");
        diesel::sql_query(format!(r#"LOCK TABLE "{table}" IN EXCLUSIVE MODE"#))
            .execute(conn)
            .await?;
        let differences = recount_differences(conn, &partition).await?;
        if differences != 0 {
            return Ok(differences);
        }
        diesel::sql_query(format!(r#"DROP TABLE "{table}""#))
            .execute(conn)
            .await?;
        diesel::sql_query(
            "INSERT INTO click_retention (kept_from) VALUES ($1)
             ON CONFLICT (only_row) DO UPDATE
             SET kept_from = GREATEST(click_retention.kept_from, EXCLUDED.kept_from), changed_at = now()",
        )
        .bind::<Date, _>(next_month(partition.month))
        .execute(conn)
        .await?;
        Ok(0)
    })
    .await
}

/// The longest cookie window of any program, in days: attribution reads raw clicks that old.
pub async fn longest_cookie_days(conn: &mut AsyncPgConnection) -> QueryResult<i32> {
    #[derive(diesel::QueryableByName)]
    struct Days {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        days: i32,
    }
    let row: Days = diesel::sql_query("SELECT COALESCE(max(cookie_days), 0) AS days FROM programs")
        .get_result(conn)
        .await?;
    Ok(row.days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_step_over_the_year_end() {
        assert_eq!(month_of(date!(2026 - 12 - 05)), date!(2026 - 12 - 01));
        assert_eq!(next_month(date!(2026 - 12 - 01)), date!(2027 - 01 - 01));
        assert_eq!(next_month(date!(2027 - 01 - 01)), date!(2027 - 02 - 01));
    }

    #[test]
    fn partition_names_give_their_month() {
        assert_eq!(month_in_name("clicks_2026_02"), Some(date!(2026 - 02 - 01)));
        assert_eq!(month_in_name("clicks_2026_13"), None);
        assert_eq!(month_in_name("clicks_default"), None);
    }
}
