//! Retention of raw clicks (`trellis retention --clicks-older-than 13m`): whole months older than
//! the cutoff are dropped, each only after its daily rollups match a recount of its rows, and
//! never a month a program's cookie window may still attribute a conversion to. Reports keep
//! those months' totals from the rollups.

use crate::backend::repos::click_partitions::{self, next_month, Partition};
use diesel_async::AsyncPgConnection;
use time::Date;

/// How far back raw clicks are kept: whole days, months or years.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Age {
    Days(u32),
    Months(u32),
    Years(u32),
}

impl std::str::FromStr for Age {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let hint = || format!("'{raw}' is not an age like 400d, 13m or 2y");
        let raw = raw.trim();
        let unit = raw.chars().last().ok_or_else(hint)?;
        let number: u32 = raw[..raw.len() - unit.len_utf8()].parse().map_err(|_| hint())?;
        if number == 0 {
            return Err(hint());
        }
        match unit {
            'd' => Ok(Age::Days(number)),
            'm' => Ok(Age::Months(number)),
            'y' => Ok(Age::Years(number)),
            _ => Err(hint()),
        }
    }
}

impl Age {
    /// The first day whose clicks are kept, counting back from `today`.
    pub fn cutoff(self, today: Date) -> Option<Date> {
        let months_back = |months: u32| {
            let total = today.year() * 12 + i32::from(u8::from(today.month())) - 1 - i32::try_from(months).ok()?;
            let month = time::Month::try_from(u8::try_from(total.rem_euclid(12) + 1).ok()?).ok()?;
            let year = total.div_euclid(12);
            let last_day = time::util::days_in_month(month, year);
            Date::from_calendar_date(year, month, today.day().min(last_day)).ok()
        };
        match self {
            Age::Days(days) => today.checked_sub(time::Duration::days(i64::from(days))),
            Age::Months(months) => months_back(months),
            Age::Years(years) => months_back(years.checked_mul(12)?),
        }
    }
}

/// What a run did (or, with `dry_run`, would do).
#[derive(Debug, Default)]
pub struct Outcome {
    pub cutoff: Option<Date>,
    pub dropped: Vec<Date>,
    pub mismatched: Vec<(Date, i64)>,
}

/// Drops (or with `dry_run` only checks) every month of raw clicks that ends on or before the
/// cutoff `age` before `today`, oldest first, stopping at the first whose rollups differ from a
/// recount. Refuses, changing nothing, a cutoff inside the longest cookie window.
pub async fn run(conn: &mut AsyncPgConnection, age: Age, dry_run: bool, today: Date) -> Result<Outcome, String> {
    let conn = &mut *conn;
    let cutoff = age
        .cutoff(today)
        .ok_or_else(|| "the cutoff is before the calendar begins".to_owned())?;
    let window = click_partitions::longest_cookie_days(conn)
        .await
        .map_err(|e| format!("cannot read the programs' cookie windows: {e}"))?;
    let window_starts = today - time::Duration::days(i64::from(window));
    if cutoff > window_starts {
        return Err(format!(
            "refused: a cutoff of {cutoff} is inside the longest cookie window ({window} days, back to {window_starts}); \
             conversions may still be attributed to those clicks. Keep at least {window} days. Nothing was dropped."
        ));
    }
    let partitions = click_partitions::months(conn)
        .await
        .map_err(|e| format!("cannot list the click partitions: {e}"))?;
    let mut outcome = Outcome {
        cutoff: Some(cutoff),
        ..Outcome::default()
    };
    for partition in partitions.iter().filter(|p| next_month(p.month) <= cutoff) {
        drop_checked(conn, partition, dry_run, &mut outcome).await?;
        if !outcome.mismatched.is_empty() {
            // Later months stay too, so the raw clicks kept are always one unbroken span.
            break;
        }
    }
    Ok(outcome)
}

async fn drop_checked(
    conn: &mut AsyncPgConnection,
    partition: &Partition,
    dry_run: bool,
    outcome: &mut Outcome,
) -> Result<(), String> {
    let failed = |e| format!("checking the clicks of {} failed: {e}", partition.month);
    let differences = if dry_run {
        click_partitions::recount_differences(conn, partition).await
    } else {
        click_partitions::drop_month(conn, partition).await
    }
    .map_err(failed)?;
    match differences {
        0 => outcome.dropped.push(partition.month),
        n => outcome.mismatched.push((partition.month, n)),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn ages_read_days_months_and_years() {
        assert_eq!("13m".parse(), Ok(Age::Months(13)));
        assert_eq!("400d".parse(), Ok(Age::Days(400)));
        assert_eq!("2y".parse(), Ok(Age::Years(2)));
        for bad in ["", "m", "13", "13w", "-1m", "0m", "1.5y"] {
            assert!(bad.parse::<Age>().is_err(), "{bad}");
        }
    }

    #[test]
    fn cutoffs_count_back_calendar_months() {
        let today = date!(2026 - 12 - 05);
        assert_eq!(Age::Months(13).cutoff(today), Some(date!(2025 - 11 - 05)));
        assert_eq!(Age::Months(12).cutoff(today), Some(date!(2025 - 12 - 05)));
        assert_eq!(Age::Years(2).cutoff(today), Some(date!(2024 - 12 - 05)));
        assert_eq!(Age::Days(400).cutoff(today), Some(date!(2025 - 10 - 31)));
        // The 31st of a month goes to the last day of a shorter one.
        assert_eq!(
            Age::Months(1).cutoff(date!(2026 - 03 - 31)),
            Some(date!(2026 - 02 - 28))
        );
    }
}
