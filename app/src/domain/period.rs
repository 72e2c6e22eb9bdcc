//! Report periods: the last 7, 30 or 90 days, or a custom range of dates (inclusive, UTC).

use time::{Date, Duration, Month};

pub const PRESETS: [(&str, &str); 3] = [("7d", "Last 7 days"), ("30d", "Last 30 days"), ("90d", "Last 90 days")];
/// The longest custom range a report covers.
pub const MAX_DAYS: i64 = 366;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    pub fn days(&self) -> i64 {
        (self.to - self.from).whole_days() + 1
    }

    /// Every date in the period, oldest first.
    pub fn dates(&self) -> Vec<Date> {
        (0..self.days()).map(|i| self.from + Duration::days(i)).collect()
    }
}

/// The first day of the month `months` before `date`'s month (0: `date`'s own month).
pub fn months_back(date: Date, months: i32) -> Date {
    let index = date.year() * 12 + (date.month() as i32 - 1) - months;
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    let month = Month::try_from(month as u8).unwrap_or(Month::January);
    Date::from_calendar_date(year, month, 1).unwrap_or(date)
}

fn parse_date(value: &str) -> Option<Date> {
    Date::parse(value, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

/// `preset` ("7d", "30d", "90d") or `from`/`to` dates (YYYY-MM-DD). Anything unreadable falls
/// back to the last 30 days; a reversed or too long range is an error to show.
pub fn resolve(preset: Option<&str>, from: Option<&str>, to: Option<&str>, today: Date) -> Result<Period, String> {
    if let (Some(from), Some(to)) = (from.filter(|f| !f.is_empty()), to.filter(|t| !t.is_empty())) {
        let (Some(from), Some(to)) = (parse_date(from), parse_date(to)) else {
            return Err("Dates must look like 2026-11-21.".into());
        };
        if from > to {
            return Err("The start date must be on or before the end date.".into());
        }
        if (to - from).whole_days() + 1 > MAX_DAYS {
            return Err(format!("Choose a range of at most {MAX_DAYS} days."));
        }
        return Ok(Period { from, to });
    }
    let days = match preset {
        Some("7d") => 7,
        Some("90d") => 90,
        _ => 30,
    };
    Ok(Period {
        from: today - Duration::days(days - 1),
        to: today,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn presets_and_custom_ranges() {
        let today = date!(2026 - 11 - 21);
        let p = resolve(Some("7d"), None, None, today).unwrap();
        assert_eq!((p.from, p.to, p.days()), (date!(2026 - 11 - 15), today, 7));
        assert_eq!(resolve(None, None, None, today).unwrap().days(), 30);
        let custom = resolve(None, Some("2026-01-01"), Some("2026-01-31"), today).unwrap();
        assert_eq!(custom.dates().len(), 31);
        assert!(resolve(None, Some("2026-02-01"), Some("2026-01-01"), today).is_err());
        assert!(resolve(None, Some("2024-01-01"), Some("2026-01-01"), today).is_err());
        assert!(resolve(None, Some("yesterday"), Some("2026-01-01"), today).is_err());
    }
}
