//! Market development funds: funds per program and period, allocations, requests, claims with
//! proof of performance, and the balances that always add up.

pub mod activity;
pub mod balance;
pub mod claim;
pub mod decider;
pub mod emails;
pub mod fund;
pub mod upload;

use crate::domain::money;
use rust_decimal::Decimal;
use std::str::FromStr;
use time::Date;

/// Reads a money amount typed into a form ("1,500.50"): positive, with no more decimals than
/// the currency has. `label` starts the message ("Amount requested must …").
pub fn amount(text: &str, currency: &str, label: &str) -> Result<Decimal, String> {
    let cleaned = text.trim().replace(',', "");
    if cleaned.is_empty() {
        return Err(format!("{label} is required."));
    }
    let value = Decimal::from_str(&cleaned)
        .ok()
        .filter(|_| !cleaned.contains(['e', 'E']))
        .ok_or_else(|| format!("{label} must be a number like 1500 or 1500.50 (no currency sign)."))?;
    if value <= Decimal::ZERO {
        return Err(format!("{label} must be greater than zero."));
    }
    money::positive_amount(value, currency).map_err(|m| format!("{label}: the {m}."))
}

/// Reads a date typed as YYYY-MM-DD (what date inputs send).
pub fn date(text: &str, label: &str) -> Result<Date, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("{label} is required."));
    }
    Date::parse(text, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| format!("{label} must be a date like 2026-05-31."))
}

/// "31 May 2026".
pub fn date_text(date: Date) -> String {
    crate::domain::format::day(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn amounts_and_dates_from_forms() {
        assert_eq!(amount(" 1,500.50 ", "USD", "Amount"), Ok(Decimal::new(150050, 2)));
        assert_eq!(amount("", "USD", "Amount").unwrap_err(), "Amount is required.");
        assert!(amount("0", "USD", "Amount").unwrap_err().contains("greater than zero"));
        assert!(amount("-5", "USD", "Amount").unwrap_err().contains("greater than zero"));
        assert!(amount("1e3", "USD", "Amount").unwrap_err().contains("like 1500"));
        assert!(amount("USD 5", "USD", "Amount").is_err());
        assert!(amount("1.005", "USD", "Amount")
            .unwrap_err()
            .contains("2 decimal places"));
        assert_eq!(date("2026-05-31", "Start"), Ok(date!(2026 - 05 - 31)));
        assert!(date("31/05/2026", "Start").unwrap_err().contains("like 2026-05-31"));
        assert_eq!(date_text(date!(2026 - 05 - 01)), "1 May 2026");
    }
}
