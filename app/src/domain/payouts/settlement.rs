//! Settling a run's items: by hand, one at a time, or from the bank's settlement file. The file
//! is checked whole before anything is applied: a reference the run doesn't have, an amount
//! that differs from the item's, an item settled already or listed twice, and nothing is
//! applied; the problems are listed back, row by row.
//!
//! The file is CSV with a header row naming these columns, in any order:
//! `reference,status,amount,date,bank_reference,reason` (status `paid` or `failed`; a paid row
//! needs the date and the bank's reference, a failed one the reason).

use crate::domain::money;
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use time::Date;

pub const COLUMNS: [&str; 6] = ["reference", "status", "amount", "date", "bank_reference", "reason"];
pub const BANK_REFERENCE_MAX: usize = 140;
pub const REASON_MAX: usize = 500;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Paid { paid_on: Date, bank_reference: String },
    Failed { reason: String },
}

/// One row of the file, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The row number in the file (the header is row 1).
    pub row: usize,
    pub reference: String,
    pub amount: Decimal,
    pub outcome: Outcome,
}

/// An item of the run as the check needs it.
#[derive(Clone, Debug)]
pub struct ItemView {
    pub amount: Decimal,
    pub currency: String,
    pub status: String,
}

/// A paid date: today or earlier, and not before the run was made.
pub fn check_paid_on(paid_on: Date, run_made: Date, today: Date) -> Result<Date, String> {
    if paid_on > today {
        return Err("The payment date can't be in the future.".into());
    }
    if paid_on < run_made {
        return Err(format!(
            "The payment date can't be before the run was made ({run_made})."
        ));
    }
    Ok(paid_on)
}

pub fn parse_date(value: &str) -> Result<Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(value.trim(), format).map_err(|_| format!("\"{}\" is not a date like 2026-12-31.", value.trim()))
}

/// What the bank called the payment: required for a paid item.
pub fn bank_reference(value: &str) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("Give the bank's reference for the payment.".into());
    }
    if value.chars().count() > BANK_REFERENCE_MAX {
        return Err(format!(
            "The bank reference is longer than {BANK_REFERENCE_MAX} characters."
        ));
    }
    Ok(value.to_owned())
}

/// Why an item failed: required, the partner reads it.
pub fn failure_reason(value: &str) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("Say why the payment failed: the partner is told.".into());
    }
    if value.chars().count() > REASON_MAX {
        return Err(format!("The reason is longer than {REASON_MAX} characters."));
    }
    Ok(value.to_owned())
}

/// Reads one record (its fields by column name) into a line, or says what is wrong with it.
pub fn parse_line(row: usize, field: impl Fn(&str) -> String) -> Result<Line, String> {
    let reference = field("reference").trim().to_uppercase();
    if reference.is_empty() {
        return Err(format!("Row {row}: the reference is empty."));
    }
    let at = |message: String| format!("Row {row} ({reference}): {message}");
    let amount_text = field("amount");
    let amount = Decimal::from_str(amount_text.trim())
        .map_err(|_| at(format!("\"{}\" is not an amount like 120.00.", amount_text.trim())))?;
    let outcome = match field("status").trim().to_lowercase().as_str() {
        "paid" => Outcome::Paid {
            paid_on: parse_date(&field("date")).map_err(at)?,
            bank_reference: bank_reference(&field("bank_reference")).map_err(at)?,
        },
        "failed" => Outcome::Failed {
            reason: failure_reason(&field("reason")).map_err(at)?,
        },
        other => return Err(at(format!("the status is \"{other}\"; write paid or failed."))),
    };
    Ok(Line {
        row,
        reference,
        amount,
        outcome,
    })
}

/// The header's missing columns, if any.
pub fn missing_columns(header: &[String]) -> Vec<&'static str> {
    let have: HashSet<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    COLUMNS.into_iter().filter(|c| !have.contains(*c)).collect()
}

/// Every problem of the file against the run's items (by reference), in row order; empty when
/// the whole file can be applied.
pub fn problems(lines: &[Line], items: &HashMap<String, ItemView>, run_made: Date, today: Date) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut problems = Vec::new();
    for line in lines {
        let at = |message: String| format!("Row {} ({}): {message}", line.row, line.reference);
        if !seen.insert(line.reference.as_str()) {
            problems.push(at("the reference appears twice in the file.".into()));
            continue;
        }
        let Some(item) = items.get(&line.reference) else {
            problems.push(at("no item of this run has this reference.".into()));
            continue;
        };
        if item.status != "open" {
            problems.push(at(format!("the item is already {}.", item.status)));
        }
        if line.amount != item.amount {
            problems.push(at(format!(
                "the file says {}, the item is {}.",
                money::format(line.amount, &item.currency),
                money::format(item.amount, &item.currency)
            )));
        }
        if let Outcome::Paid { paid_on, .. } = line.outcome {
            if let Err(message) = check_paid_on(paid_on, run_made, today) {
                problems.push(at(message));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn fields<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> String + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
                .unwrap_or_default()
        }
    }

    fn items() -> HashMap<String, ItemView> {
        let open = |amount: i64| ItemView {
            amount: Decimal::from(amount),
            currency: "EUR".into(),
            status: "open".into(),
        };
        HashMap::from([
            ("TR1-10-1-EUR".to_owned(), open(120)),
            ("TR1-11-1-EUR".to_owned(), open(80)),
            (
                "TR1-12-1-EUR".to_owned(),
                ItemView {
                    status: "paid".into(),
                    ..open(60)
                },
            ),
        ])
    }

    fn paid(row: usize, reference: &str, amount: i64) -> Line {
        Line {
            row,
            reference: reference.into(),
            amount: Decimal::from(amount),
            outcome: Outcome::Paid {
                paid_on: date!(2026 - 12 - 05),
                bank_reference: "B-1".into(),
            },
        }
    }

    #[test]
    fn rows_are_read_with_their_outcome() {
        let line = parse_line(
            2,
            fields(&[
                ("reference", "tr1-10-1-eur"),
                ("status", "Paid"),
                ("amount", "120.00"),
                ("date", "2026-12-05"),
                ("bank_reference", "SEPA-778"),
            ]),
        )
        .unwrap();
        assert_eq!(line.reference, "TR1-10-1-EUR");
        assert_eq!(line.amount, Decimal::new(12000, 2));
        assert!(matches!(line.outcome, Outcome::Paid { ref bank_reference, .. } if bank_reference == "SEPA-778"));
        let failed = parse_line(
            3,
            fields(&[
                ("reference", "X"),
                ("status", "failed"),
                ("amount", "5"),
                ("reason", "account closed"),
            ]),
        )
        .unwrap();
        assert_eq!(
            failed.outcome,
            Outcome::Failed {
                reason: "account closed".into()
            }
        );
    }

    #[test]
    fn bad_rows_say_which_row_and_why() {
        let err = |pairs: &[(&str, &str)]| parse_line(4, fields(pairs)).unwrap_err();
        assert!(err(&[("reference", "X"), ("status", "paid"), ("amount", "ten")])
            .contains("Row 4 (X): \"ten\" is not an amount"));
        assert!(err(&[
            ("reference", "X"),
            ("status", "paid"),
            ("amount", "1"),
            ("date", "5/12/2026"),
            ("bank_reference", "B")
        ])
        .contains("not a date"));
        assert!(err(&[
            ("reference", "X"),
            ("status", "paid"),
            ("amount", "1"),
            ("date", "2026-12-05")
        ])
        .contains("bank's reference"));
        assert!(err(&[("reference", "X"), ("status", "failed"), ("amount", "1")]).contains("Say why"));
        assert!(err(&[("reference", "X"), ("status", "sent"), ("amount", "1")]).contains("write paid or failed"));
        assert!(err(&[("status", "paid")]).contains("reference is empty"));
    }

    #[test]
    fn the_header_must_name_every_column() {
        let header: Vec<String> = ["Reference", "status", "amount"].map(String::from).to_vec();
        assert_eq!(missing_columns(&header), vec!["date", "bank_reference", "reason"]);
    }

    #[test]
    fn a_clean_file_has_no_problems() {
        let lines = [paid(2, "TR1-10-1-EUR", 120), paid(3, "TR1-11-1-EUR", 80)];
        assert!(problems(&lines, &items(), date!(2026 - 12 - 01), date!(2026 - 12 - 06)).is_empty());
    }

    #[test]
    fn unknown_references_different_amounts_settled_items_and_repeats_are_all_listed() {
        let lines = [
            paid(2, "TR9-99-9-EUR", 10),
            paid(3, "TR1-10-1-EUR", 119),
            paid(4, "TR1-12-1-EUR", 60),
            paid(5, "TR1-11-1-EUR", 80),
            paid(6, "TR1-11-1-EUR", 80),
        ];
        let found = problems(&lines, &items(), date!(2026 - 12 - 01), date!(2026 - 12 - 06));
        assert_eq!(
            found,
            vec![
                "Row 2 (TR9-99-9-EUR): no item of this run has this reference.",
                "Row 3 (TR1-10-1-EUR): the file says EUR 119.00, the item is EUR 120.00.",
                "Row 4 (TR1-12-1-EUR): the item is already paid.",
                "Row 6 (TR1-11-1-EUR): the reference appears twice in the file.",
            ]
        );
    }

    #[test]
    fn payment_dates_are_not_in_the_future_nor_before_the_run() {
        let run_made = date!(2026 - 12 - 01);
        let today = date!(2026 - 12 - 06);
        assert!(check_paid_on(date!(2026 - 12 - 07), run_made, today).is_err());
        assert!(check_paid_on(date!(2026 - 11 - 30), run_made, today).is_err());
        assert_eq!(check_paid_on(today, run_made, today), Ok(today));
    }
}
