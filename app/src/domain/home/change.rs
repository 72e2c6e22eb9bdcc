//! How a figure moved between two periods: up, down or flat, and by what percentage of the
//! earlier figure. A percentage of nothing (or of a negative figure, such as revenue that
//! refunds pushed below zero) means nothing, so those changes carry a direction only.

use rust_decimal::{Decimal, RoundingStrategy};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trend {
    Up,
    Down,
    Flat,
}

impl Trend {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Up => "up",
            Self::Down => "down",
            Self::Flat => "flat",
        }
    }

    fn arrow(self) -> &'static str {
        match self {
            Self::Up => "▲",
            Self::Down => "▼",
            Self::Flat => "",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub trend: Trend,
    /// Whole percent of the earlier figure, rounded half to even; `None` when the earlier figure
    /// is zero or negative.
    pub percent: Option<i64>,
}

pub fn change(previous: Decimal, current: Decimal) -> Change {
    let trend = match current.cmp(&previous) {
        std::cmp::Ordering::Greater => Trend::Up,
        std::cmp::Ordering::Less => Trend::Down,
        std::cmp::Ordering::Equal => Trend::Flat,
    };
    let percent = (previous > Decimal::ZERO).then(|| {
        let p = (current - previous) * Decimal::ONE_HUNDRED / previous;
        i64::try_from(p.round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven)).unwrap_or(i64::MAX)
    });
    Change { trend, percent }
}

/// For counts.
pub fn change_of_counts(previous: i64, current: i64) -> Change {
    change(Decimal::from(previous), Decimal::from(current))
}

impl Change {
    /// What the page shows: "▲ 12%", "▼ 3%", "▲ <1%", "No change", "▲ new" (from nothing).
    pub fn short(&self) -> String {
        match (self.trend, self.percent) {
            (Trend::Flat, _) => "No change".into(),
            (t, Some(0)) => format!("{} <1%", t.arrow()),
            (t, Some(p)) => format!("{} {}%", t.arrow(), p.abs()),
            (t, None) => format!("{} new", t.arrow()),
        }
    }

    /// The same in words, for screen readers and tooltips: "up 12% on the 30 days before".
    pub fn words(&self) -> String {
        match (self.trend, self.percent) {
            (Trend::Flat, _) => "the same as the 30 days before".into(),
            (t, Some(0)) => format!("{} less than 1% on the 30 days before", t.as_str()),
            (t, Some(p)) => format!("{} {}% on the 30 days before", t.as_str(), p.abs()),
            (t, None) => format!("{} from nothing or less in the 30 days before", t.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(value: &str) -> Decimal {
        value.parse().unwrap()
    }

    #[test]
    fn percentages_of_the_earlier_figure() {
        let rows = [
            ("100", "112", Trend::Up, Some(12), "▲ 12%"),
            ("200", "150", Trend::Down, Some(-25), "▼ 25%"),
            ("80", "80", Trend::Flat, Some(0), "No change"),
            ("1000", "1004", Trend::Up, Some(0), "▲ <1%"),
            // Half to even: 2.5% rounds to 2%, 3.5% to 4%.
            ("1000", "1025", Trend::Up, Some(2), "▲ 2%"),
            ("1000", "1035", Trend::Up, Some(4), "▲ 4%"),
            ("10", "0", Trend::Down, Some(-100), "▼ 100%"),
            ("0.50", "1.75", Trend::Up, Some(250), "▲ 250%"),
        ];
        for (before, now, trend, percent, short) in rows {
            let c = change(d(before), d(now));
            assert_eq!(
                (c.trend, c.percent, c.short().as_str()),
                (trend, percent, short),
                "{before} → {now}"
            );
        }
    }

    #[test]
    fn nothing_before_gives_a_direction_only() {
        assert_eq!(change_of_counts(0, 0).short(), "No change");
        let new = change_of_counts(0, 7);
        assert_eq!((new.trend, new.percent), (Trend::Up, None));
        assert_eq!(new.short(), "▲ new");
        assert_eq!(new.words(), "up from nothing or less in the 30 days before");
        // Refunds can leave a period's revenue below zero: no percentage of that.
        let negative = change(d("-40"), d("10"));
        assert_eq!((negative.trend, negative.percent), (Trend::Up, None));
        assert_eq!(change(d("0"), d("-5")).trend, Trend::Down);
        assert_eq!(change(d("100"), d("112")).words(), "up 12% on the 30 days before");
    }
}
