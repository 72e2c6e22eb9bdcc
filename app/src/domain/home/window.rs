//! The two periods the home page compares: the last 30 days (today included, UTC days, as the
//! reports' "Last 30 days") and the 30 days before them.

use super::super::period::Period;
use time::{Date, Duration, OffsetDateTime, Time};

pub const DAYS: i64 = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Windows {
    pub current: Period,
    pub previous: Period,
}

impl Windows {
    pub fn ending(today: Date) -> Self {
        let current = Period {
            from: today - Duration::days(DAYS - 1),
            to: today,
        };
        let previous = Period {
            from: current.from - Duration::days(DAYS),
            to: current.from - Duration::days(1),
        };
        Self { current, previous }
    }

    /// Both periods, oldest day first: what the trend chart shows.
    pub fn both(&self) -> Period {
        Period {
            from: self.previous.from,
            to: self.current.to,
        }
    }

    /// The first instant of each period (midnight UTC), for facts stamped with a time.
    pub fn starts(&self) -> (OffsetDateTime, OffsetDateTime) {
        let midnight = |d: Date| d.with_time(Time::MIDNIGHT).assume_utc();
        (midnight(self.previous.from), midnight(self.current.from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn two_adjacent_periods_of_thirty_days() {
        let w = Windows::ending(date!(2026 - 12 - 05));
        assert_eq!(
            (w.current.from, w.current.to),
            (date!(2026 - 11 - 06), date!(2026 - 12 - 05))
        );
        assert_eq!(
            (w.previous.from, w.previous.to),
            (date!(2026 - 10 - 07), date!(2026 - 11 - 05))
        );
        assert_eq!((w.current.days(), w.previous.days(), w.both().days()), (30, 30, 60));
        assert_eq!(
            w.starts(),
            (datetime!(2026-10-07 00:00 UTC), datetime!(2026-11-06 00:00 UTC))
        );
    }
}
