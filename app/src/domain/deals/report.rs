//! The pipeline report's rules: the dates a report covers, weeks and quarters, win rates and
//! approval SLA compliance.

use rust_decimal::Decimal;
use time::{Date, Duration, Month, OffsetDateTime};

/// Registration dates a report covers (inclusive, UTC); `None` is open-ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

fn parse_day(value: Option<&str>, field: &'static str) -> Result<Option<Date>, (&'static str, String)> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => Date::parse(text, time::macros::format_description!("[year]-[month]-[day]"))
            .map(Some)
            .map_err(|_| (field, format!("“{text}” is not a date: use the form 2026-11-21."))),
    }
}

impl DateRange {
    /// Both ends are optional; an unreadable date or a start after the end is an error for that
    /// field (`from` or `to`).
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, (&'static str, String)> {
        let range = Self {
            from: parse_day(from, "from")?,
            to: parse_day(to, "to")?,
        };
        if let (Some(from), Some(to)) = (range.from, range.to) {
            if from > to {
                return Err(("to", "The end date must be on or after the start date.".into()));
            }
        }
        Ok(range)
    }
}

/// The Monday of `day`'s week (ISO weeks, as PostgreSQL's `date_trunc('week', …)`).
pub fn week_start(day: Date) -> Date {
    day - Duration::days(i64::from(day.weekday().number_days_from_monday()))
}

/// The Mondays of the `n` weeks that end with `last`'s week, oldest first.
pub fn weeks_ending(last: Date, n: usize) -> Vec<Date> {
    let last = week_start(last);
    (0..n as i64).rev().map(|i| last - Duration::weeks(i)).collect()
}

/// One count per week of `weeks`, zero where `counted` (week start, count) has none.
pub fn per_week(weeks: &[Date], counted: &[(Date, i64)]) -> Vec<(Date, i64)> {
    weeks
        .iter()
        .map(|week| {
            let n = counted.iter().filter(|(w, _)| w == week).map(|(_, n)| n).sum();
            (*week, n)
        })
        .collect()
}

/// A calendar quarter: its first and last day and a label ("Q4 2026").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quarter {
    pub first: Date,
    pub last: Date,
    pub label: String,
}

pub fn quarter_of(day: Date) -> Quarter {
    let index = (day.month() as u8 - 1) / 3;
    let first_month = Month::try_from(index * 3 + 1).unwrap_or(Month::January);
    let first = Date::from_calendar_date(day.year(), first_month, 1).unwrap_or(day);
    let next = if index == 3 {
        Date::from_calendar_date(day.year() + 1, Month::January, 1)
    } else {
        Date::from_calendar_date(day.year(), Month::try_from(index * 3 + 4).unwrap_or(Month::January), 1)
    }
    .unwrap_or(day);
    Quarter {
        first,
        last: next - Duration::days(1),
        label: format!("Q{} {}", index + 1, day.year()),
    }
}

/// `part` of `whole` in percent, unrounded; `None` when `whole` is zero.
pub fn share(part: i64, whole: i64) -> Option<Decimal> {
    (whole > 0).then(|| Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole))
}

/// Won deals as a share of closed ones: won / (won + lost).
pub fn win_rate(won: i64, lost: i64) -> Option<Decimal> {
    share(won, won + lost)
}

/// The mean of `count` amounts that add up to `total`; `None` for none.
pub fn average(total: Decimal, count: i64) -> Option<Decimal> {
    (count > 0).then(|| total / Decimal::from(count))
}

/// When a registration submitted at `submitted` must be decided under an SLA of `hours`.
pub fn sla_deadline(submitted: OffsetDateTime, hours: i32) -> OffsetDateTime {
    submitted + Duration::hours(i64::from(hours))
}

/// A decision at the deadline itself is on time.
pub fn decided_on_time(submitted: OffsetDateTime, decided: OffsetDateTime, hours: i32) -> bool {
    decided <= sla_deadline(submitted, hours)
}

/// A pending registration is overdue once its deadline has passed.
pub fn is_overdue(submitted: OffsetDateTime, now: OffsetDateTime, hours: i32) -> bool {
    now > sla_deadline(submitted, hours)
}

/// Decided and pending registrations of a program against its approval SLA.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SlaCounts {
    pub decided: i64,
    pub decided_on_time: i64,
    pub pending: i64,
    pub pending_overdue: i64,
}

impl SlaCounts {
    /// The share of decided registrations decided within the SLA.
    pub fn compliance(&self) -> Option<Decimal> {
        share(self.decided_on_time, self.decided)
    }
}

impl std::ops::Add for SlaCounts {
    type Output = Self;

    fn add(self, other: Self) -> Self {
        Self {
            decided: self.decided + other.decided,
            decided_on_time: self.decided_on_time + other.decided_on_time,
            pending: self.pending + other.pending,
            pending_overdue: self.pending_overdue + other.pending_overdue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn date_ranges_are_optional_and_ordered() {
        assert_eq!(DateRange::parse(None, Some("")), Ok(DateRange::default()));
        let r = DateRange::parse(Some("2026-01-01"), Some(" 2026-03-31 ")).unwrap();
        assert_eq!(
            (r.from, r.to),
            (Some(date!(2026 - 01 - 01)), Some(date!(2026 - 03 - 31)))
        );
        assert_eq!(DateRange::parse(Some("2026-02-30"), None).unwrap_err().0, "from");
        assert_eq!(DateRange::parse(None, Some("tomorrow")).unwrap_err().0, "to");
        let reversed = DateRange::parse(Some("2026-03-01"), Some("2026-02-01")).unwrap_err();
        assert_eq!(reversed.0, "to");
        assert!(reversed.1.contains("on or after"));
    }

    #[test]
    fn weeks_start_on_monday_and_empty_weeks_count_zero() {
        // 2026-11-22 is a Sunday, 2026-11-23 a Monday.
        assert_eq!(week_start(date!(2026 - 11 - 22)), date!(2026 - 11 - 16));
        assert_eq!(week_start(date!(2026 - 11 - 23)), date!(2026 - 11 - 23));
        let weeks = weeks_ending(date!(2026 - 11 - 25), 12);
        assert_eq!(weeks.len(), 12);
        assert_eq!(weeks[11], date!(2026 - 11 - 23));
        assert_eq!(weeks[0], date!(2026 - 09 - 07));
        let counted = per_week(&weeks, &[(date!(2026 - 11 - 23), 4), (date!(2026 - 01 - 05), 9)]);
        assert_eq!(
            counted.iter().map(|(_, n)| n).sum::<i64>(),
            4,
            "weeks outside are ignored"
        );
        assert_eq!(counted[11], (date!(2026 - 11 - 23), 4));
        assert_eq!(counted[0].1, 0);
    }

    #[test]
    fn quarters_cover_three_months() {
        let q = quarter_of(date!(2026 - 11 - 21));
        assert_eq!(
            (q.first, q.last, q.label.as_str()),
            (date!(2026 - 10 - 01), date!(2026 - 12 - 31), "Q4 2026")
        );
        let q = quarter_of(date!(2027 - 02 - 28));
        assert_eq!((q.first, q.last), (date!(2027 - 01 - 01), date!(2027 - 03 - 31)));
        assert_eq!(quarter_of(date!(2026 - 06 - 30)).last, date!(2026 - 06 - 30));
    }

    #[test]
    fn win_rates_and_averages_need_something_to_divide_by() {
        assert_eq!(win_rate(3, 1), Some(Decimal::from(75)));
        assert_eq!(win_rate(0, 0), None);
        assert_eq!(win_rate(0, 4), Some(Decimal::ZERO));
        assert_eq!(
            average(Decimal::from(1000), 3).map(|a| a.round_dp(2)),
            Some(Decimal::new(33_333, 2))
        );
        assert_eq!(average(Decimal::from(1000), 0), None);
    }

    #[test]
    fn sla_compliance_counts_the_deadline_as_on_time() {
        let submitted = datetime!(2026-11-20 09:00 UTC);
        assert!(decided_on_time(submitted, datetime!(2026-11-22 09:00 UTC), 48));
        assert!(!decided_on_time(submitted, datetime!(2026-11-22 09:00:01 UTC), 48));
        assert!(!is_overdue(submitted, datetime!(2026-11-22 09:00 UTC), 48));
        assert!(is_overdue(submitted, datetime!(2026-11-22 09:01 UTC), 48));
        let counts = SlaCounts {
            decided: 8,
            decided_on_time: 6,
            pending: 3,
            pending_overdue: 1,
        };
        assert_eq!(counts.compliance(), Some(Decimal::from(75)));
        assert_eq!(SlaCounts::default().compliance(), None);
        assert_eq!((counts + counts).decided, 16);
    }
}
