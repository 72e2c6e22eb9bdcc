//! A report table as typed cells, so one definition gives the page (formatted, sorted, paged)
//! and the CSV export (plain values, every row) the same rows.

use super::{csv, money};
use rust_decimal::Decimal;
use std::cmp::Ordering;
use time::Date;

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Count(i64),
    /// An amount in a currency: "USD 1,234.50" on the page, "1234.50" in CSV (the table has a
    /// currency column of its own).
    Money(Decimal, String),
    /// A percentage (0–100).
    Percent(Decimal),
    Day(Date),
    /// A number there is none of (a rate of nothing, the average of no deals): "—" on the
    /// page, empty in CSV, below every number when sorting.
    Missing,
}

/// "62.5%", or "—" when there is no share to show.
pub fn percent_text(value: Option<Decimal>) -> String {
    value.map_or_else(|| "—".to_owned(), |p| format!("{}%", p.round_dp(1).normalize()))
}

impl Cell {
    pub fn display(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Count(n) => n.to_string(),
            Self::Money(amount, currency) => money::format(*amount, currency),
            Self::Percent(p) => percent_text(Some(*p)),
            Self::Day(day) => day.to_string(),
            Self::Missing => "—".to_owned(),
        }
    }

    pub fn csv(&self) -> String {
        match self {
            Self::Money(amount, currency) => {
                format!(
                    "{:.*}",
                    money::minor_units(currency) as usize,
                    money::round(*amount, currency)
                )
            }
            Self::Percent(p) => p.round_dp(1).normalize().to_string(),
            Self::Missing => String::new(),
            other => other.display(),
        }
    }

    pub fn is_numeric(&self) -> bool {
        !matches!(self, Self::Text(_))
    }

    fn compare(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Count(a), Self::Count(b)) => a.cmp(b),
            (Self::Money(a, _), Self::Money(b, _)) => a.cmp(b),
            (Self::Percent(a), Self::Percent(b)) => a.cmp(b),
            (Self::Day(a), Self::Day(b)) => a.cmp(b),
            (Self::Missing, Self::Missing) => Ordering::Equal,
            (Self::Missing, _) => Ordering::Less,
            (_, Self::Missing) => Ordering::Greater,
            (a, b) => a.display().to_lowercase().cmp(&b.display().to_lowercase()),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The CSV header and the value of the sort parameter.
    pub key: &'static str,
    pub label: &'static str,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(columns: &[(&'static str, &'static str)]) -> Self {
        Self {
            columns: columns.iter().map(|(key, label)| Column { key, label }).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    /// Sorts by the column named `key`: numbers largest first, text A to Z; ties keep the
    /// table's own order. An unknown key leaves the order as built (returns false).
    pub fn sort_by(&mut self, key: &str) -> bool {
        let Some(index) = self.columns.iter().position(|c| c.key == key) else {
            return false;
        };
        let numeric = self.numeric_columns()[index];
        self.rows.sort_by(|a, b| {
            let order = a[index].compare(&b[index]);
            if numeric {
                order.reverse()
            } else {
                order
            }
        });
        true
    }

    /// Whether each column holds numbers (for right-aligning them).
    pub fn numeric_columns(&self) -> Vec<bool> {
        (0..self.columns.len())
            .map(|i| {
                self.rows
                    .iter()
                    .any(|row| row[i].is_numeric() && row[i] != Cell::Missing)
            })
            .collect()
    }

    /// The rows of 1-based `page` (clamped to the pages there are) and the number of pages.
    pub fn page(&self, page: i64, per_page: usize) -> (&[Vec<Cell>], i64, i64) {
        let pages = self.rows.len().div_ceil(per_page).max(1) as i64;
        let page = page.clamp(1, pages);
        let start = (page as usize - 1) * per_page;
        let end = (start + per_page).min(self.rows.len());
        (&self.rows[start.min(end)..end], page, pages)
    }

    /// Every row as CSV, headed by the column keys.
    pub fn to_csv(&self) -> String {
        let mut out = csv::record(&self.columns.iter().map(|c| c.key).collect::<Vec<_>>());
        for row in &self.rows {
            out.push_str(&csv::record(&row.iter().map(Cell::csv).collect::<Vec<_>>()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::new(&[("partner", "Partner"), ("currency", "Currency"), ("value", "Value")]);
        t.push(vec![
            Cell::Text("beta".into()),
            Cell::Text("USD".into()),
            Cell::Money(Decimal::new(150_000, 2), "USD".into()),
        ]);
        t.push(vec![
            Cell::Text("=Alpha, Inc.".into()),
            Cell::Text("JPY".into()),
            Cell::Money(Decimal::from(90_000), "JPY".into()),
        ]);
        t.push(vec![
            Cell::Text("Gamma".into()),
            Cell::Text("USD".into()),
            Cell::Money(Decimal::ZERO, "USD".into()),
        ]);
        t.push(vec![
            Cell::Text("Delta".into()),
            Cell::Text("USD".into()),
            Cell::Money(Decimal::new(2_505, 3), "USD".into()),
        ]);
        t
    }

    #[test]
    fn tables_sort_numbers_down_and_text_up() {
        let mut t = table();
        assert!(t.sort_by("value"));
        let names: Vec<_> = t.rows.iter().map(|r| r[0].display()).collect();
        assert_eq!(names, ["=Alpha, Inc.", "beta", "Delta", "Gamma"]);
        assert!(t.sort_by("partner"));
        let names: Vec<_> = t.rows.iter().map(|r| r[0].display()).collect();
        assert_eq!(names, ["=Alpha, Inc.", "beta", "Delta", "Gamma"]);
        assert!(!t.sort_by("nope"), "unknown keys leave the order");
        assert_eq!(t.numeric_columns(), [false, false, true]);
    }

    #[test]
    fn tables_page_and_clamp() {
        let t = table();
        let (rows, page, pages) = t.page(2, 3);
        assert_eq!((rows.len(), page, pages), (1, 2, 2));
        let (rows, page, _) = t.page(9, 3);
        assert_eq!((rows.len(), page), (1, 2));
        let empty = Table::new(&[("a", "A")]);
        let (rows, page, pages) = empty.page(0, 25);
        assert_eq!((rows.len(), page, pages), (0, 1, 1));
    }

    #[test]
    fn csv_has_plain_values_and_defused_text() {
        let csv = table().to_csv();
        assert_eq!(
            csv,
            "partner,currency,value\r\nbeta,USD,1500.00\r\n\"'=Alpha, Inc.\",JPY,90000\r\nGamma,USD,0.00\r\nDelta,USD,2.50\r\n"
        );
    }

    #[test]
    fn cells_show_money_and_percentages() {
        assert_eq!(
            Cell::Money(Decimal::new(123_456, 2), "EUR".into()).display(),
            "EUR 1,234.56"
        );
        assert_eq!(Cell::Percent(Decimal::new(62_549, 3)).display(), "62.5%");
        assert_eq!(Cell::Percent(Decimal::from(100)).display(), "100%");
        assert_eq!(Cell::Missing.display(), "—");
        assert_eq!(Cell::Missing.csv(), "");
        let mut t = Table::new(&[("rate", "Rate")]);
        t.push(vec![Cell::Missing]);
        t.push(vec![Cell::Percent(Decimal::from(5))]);
        t.sort_by("rate");
        assert_eq!(t.rows[1], [Cell::Missing], "nothing sorts below every number");
        assert_eq!(Cell::Day(time::macros::date!(2026 - 11 - 16)).csv(), "2026-11-16");
    }
}
