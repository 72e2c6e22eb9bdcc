//! The period a plan counts tiers, caps and net revenue over (UTC calendar months or quarters).

use super::plan::PeriodKind;
use time::{Date, Month, OffsetDateTime, Time};

/// The start (inclusive) and end (exclusive) of the period containing `at`.
pub fn bounds(kind: PeriodKind, at: OffsetDateTime) -> (OffsetDateTime, OffsetDateTime) {
    let at = at.to_offset(time::UtcOffset::UTC);
    let first_month = match kind {
        PeriodKind::Month => at.month() as u8,
        PeriodKind::Quarter => (at.month() as u8 - 1) / 3 * 3 + 1,
    };
    let months = match kind {
        PeriodKind::Month => 1,
        PeriodKind::Quarter => 3,
    };
    let start = month_start(at.year(), first_month);
    let end_month = first_month + months;
    let end = if end_month > 12 {
        month_start(at.year() + 1, end_month - 12)
    } else {
        month_start(at.year(), end_month)
    };
    (start, end)
}

fn month_start(year: i32, month: u8) -> OffsetDateTime {
    let month = Month::try_from(month).expect("months are 1 to 12 by construction");
    Date::from_calendar_date(year, month, 1)
        .expect("the first of a month exists")
        .with_time(Time::MIDNIGHT)
        .assume_utc()
}

/// Whole months from `since` to `at` (a customer bound on 31 January is one month old on 28
/// February only if the day has passed; we count by calendar day).
pub fn whole_months(since: OffsetDateTime, at: OffsetDateTime) -> u32 {
    let (a, b) = (since.date(), at.date());
    let mut months = (b.year() - a.year()) * 12 + (b.month() as i32 - a.month() as i32);
    if b.day() < a.day() {
        months -= 1;
    }
    months.max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn months_and_quarters() {
        let at = datetime!(2026-11-21 10:00 UTC);
        assert_eq!(
            bounds(PeriodKind::Month, at),
            (datetime!(2026-11-01 0:00 UTC), datetime!(2026-12-01 0:00 UTC))
        );
        assert_eq!(
            bounds(PeriodKind::Quarter, at),
            (datetime!(2026-10-01 0:00 UTC), datetime!(2027-01-01 0:00 UTC))
        );
        assert_eq!(
            bounds(PeriodKind::Month, datetime!(2026-12-31 23:59:59 UTC)).1,
            datetime!(2027-01-01 0:00 UTC)
        );
        assert_eq!(
            bounds(PeriodKind::Quarter, datetime!(2026-02-01 0:00 UTC)).0,
            datetime!(2026-01-01 0:00 UTC)
        );
        assert_eq!(
            whole_months(datetime!(2026-01-31 0:00 UTC), datetime!(2026-02-28 0:00 UTC)),
            0
        );
        assert_eq!(
            whole_months(datetime!(2026-01-15 0:00 UTC), datetime!(2026-03-15 0:00 UTC)),
            2
        );
    }
}
