//! The home page's two partner lists, within one currency: the top partners of the last 30
//! days, and the partners whose numbers fell most against the 30 days before. Revenue leads
//! (it is what partners bring in); clicks decide between partners without sales.

use rust_decimal::Decimal;
use std::cmp::Reverse;

/// How many partners each list shows.
pub const LISTED: usize = 5;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Numbers {
    pub clicks: i64,
    pub conversions: i64,
    pub revenue: Decimal,
}

impl Numbers {
    fn is_empty(&self) -> bool {
        self.clicks == 0 && self.conversions == 0 && self.revenue.is_zero()
    }
}

/// One partner's numbers in both periods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compared {
    pub partner_id: i64,
    pub name: String,
    pub current: Numbers,
    pub previous: Numbers,
}

impl Compared {
    fn revenue_drop(&self) -> Decimal {
        self.previous.revenue - self.current.revenue
    }

    fn clicks_drop(&self) -> i64 {
        self.previous.clicks - self.current.clicks
    }

    /// Fell: less revenue than before, or as much revenue (often none) on fewer clicks.
    pub fn fell(&self) -> bool {
        self.revenue_drop() > Decimal::ZERO || (self.revenue_drop().is_zero() && self.clicks_drop() > 0)
    }
}

/// The `n` partners with the most revenue in the last 30 days (then conversions, then clicks);
/// partners with no activity at all in the period are left out.
pub fn top(rows: &[Compared], n: usize) -> Vec<&Compared> {
    let mut active: Vec<&Compared> = rows.iter().filter(|r| !r.current.is_empty()).collect();
    active.sort_by_key(|r| {
        (
            Reverse(r.current.revenue),
            Reverse(r.current.conversions),
            Reverse(r.current.clicks),
            r.name.clone(),
            r.partner_id,
        )
    });
    active.truncate(n);
    active
}

/// The `n` partners that fell most: the largest drop in revenue first, then in clicks.
pub fn fell_most(rows: &[Compared], n: usize) -> Vec<&Compared> {
    let mut fallen: Vec<&Compared> = rows.iter().filter(|r| r.fell()).collect();
    fallen.sort_by_key(|r| {
        (
            Reverse(r.revenue_drop()),
            Reverse(r.clicks_drop()),
            r.name.clone(),
            r.partner_id,
        )
    });
    fallen.truncate(n);
    fallen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, name: &str, before: (i64, i64, i64), now: (i64, i64, i64)) -> Compared {
        let numbers = |(clicks, conversions, revenue): (i64, i64, i64)| Numbers {
            clicks,
            conversions,
            revenue: Decimal::from(revenue),
        };
        Compared {
            partner_id: id,
            name: name.into(),
            current: numbers(now),
            previous: numbers(before),
        }
    }

    fn names(list: Vec<&Compared>) -> Vec<&str> {
        list.into_iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn top_partners_by_revenue_then_conversions_then_clicks() {
        let rows = [
            row(1, "Ada", (0, 0, 0), (100, 5, 500)),
            row(2, "Bob", (0, 0, 0), (900, 2, 500)),
            row(3, "Cy", (0, 0, 0), (50, 5, 500)),
            row(4, "Dee", (0, 0, 0), (3000, 0, 0)),
            row(5, "Eve", (400, 9, 900), (0, 0, 0)),
        ];
        assert_eq!(
            names(top(&rows, 10)),
            ["Ada", "Cy", "Bob", "Dee"],
            "Eve did nothing lately"
        );
        assert_eq!(names(top(&rows, 2)), ["Ada", "Cy"]);
    }

    #[test]
    fn the_largest_drop_in_revenue_comes_first() {
        let rows = [
            // A large partner losing a fifth loses more than a small one losing everything.
            row(1, "Big", (1000, 50, 10_000), (800, 40, 8_000)),
            row(2, "Small", (50, 2, 300), (0, 0, 0)),
            // No sales either time, but fewer clicks: fell, after anyone who lost revenue.
            row(3, "Quiet", (200, 0, 0), (20, 0, 0)),
            // More clicks but less revenue: fell.
            row(4, "Busy", (100, 3, 600), (500, 1, 200)),
            // Grew, or stayed the same: not listed.
            row(5, "Up", (10, 1, 100), (30, 2, 300)),
            row(6, "Same", (10, 1, 100), (10, 1, 100)),
            // Less revenue outweighs more clicks; more revenue outweighs fewer clicks.
            row(7, "Richer", (900, 1, 100), (10, 1, 150)),
        ];
        assert_eq!(names(fell_most(&rows, 10)), ["Big", "Busy", "Small", "Quiet"]);
        assert_eq!(names(fell_most(&rows, 1)), ["Big"]);
        assert!(!rows[6].fell());
    }
}
