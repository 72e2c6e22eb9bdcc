//! A program's stage probabilities as typed in the console, checked field by field: each open
//! stage is a percentage from 0 to 100 with at most two decimals, and none is below an earlier
//! stage's. Won is always 100% and lost 0%, so they are not fields.

use super::forecast::{Probabilities, Stage};
use crate::domain::validate::FieldErrors;
use rust_decimal::Decimal;
use std::str::FromStr;

/// The open stages in order, with their form field names (the stage names).
pub const OPEN_STAGES: [Stage; 4] = [Stage::Registered, Stage::Qualified, Stage::Proposal, Stage::Negotiation];

fn percent(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    let plain = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.');
    match Decimal::from_str(text) {
        Ok(value) if plain && value <= Decimal::ONE_HUNDRED => {
            if value.normalize().scale() > 2 {
                Err("Use at most two decimals, like 12.5.".into())
            } else {
                Ok(value.normalize())
            }
        }
        _ if text.is_empty() => Err("Enter a percentage from 0 to 100.".into()),
        _ => Err(format!("“{text}” is not a percentage from 0 to 100.")),
    }
}

/// Parses the four fields (in `OPEN_STAGES` order); errors name the field they belong to and
/// keep what was typed.
pub fn parse(inputs: [&str; 4]) -> Result<Probabilities, FieldErrors> {
    let mut errors = FieldErrors::default();
    let values: Vec<Option<Decimal>> = OPEN_STAGES
        .iter()
        .zip(inputs)
        .map(|(stage, text)| errors.check(stage.as_str(), percent(text)))
        .collect();
    if let [Some(registered), Some(qualified), Some(proposal), Some(negotiation)] = values[..] {
        let p = Probabilities {
            registered,
            qualified,
            proposal,
            negotiation,
        };
        let ordered = [registered, qualified, proposal, negotiation];
        if let Some(i) = (1..4).find(|&i| ordered[i] < ordered[i - 1]) {
            errors.add(
                OPEN_STAGES[i].as_str(),
                format!(
                    "{}% is below the {} stage's {}%: a deal that advances can't become less likely to close.",
                    ordered[i],
                    OPEN_STAGES[i - 1].as_str(),
                    ordered[i - 1]
                ),
            );
        } else if p.validate().is_ok() {
            return Ok(p);
        }
    }
    let submitted: Vec<(&str, &str)> = OPEN_STAGES.iter().map(|s| s.as_str()).zip(inputs).collect();
    Err(errors.with_submitted(&submitted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_probabilities_are_read() {
        let p = parse(["5", "25.5", " 50 ", "100"]).unwrap();
        assert_eq!(p.registered, Decimal::from(5));
        assert_eq!(p.qualified, Decimal::new(255, 1));
        assert_eq!(p.negotiation, Decimal::ONE_HUNDRED);
        assert_eq!(p.of(Stage::Won), Decimal::ONE_HUNDRED);
        assert_eq!(p.of(Stage::Lost), Decimal::ZERO);
        assert!(parse(["0", "0", "0", "0"]).is_ok());
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        let e = parse(["-5", "101", "", "1.234"]).unwrap_err();
        assert!(e.get("registered").unwrap().contains("not a percentage"));
        assert!(e.get("qualified").unwrap().contains("not a percentage"));
        assert_eq!(e.get("proposal"), Some("Enter a percentage from 0 to 100."));
        assert_eq!(e.get("negotiation"), Some("Use at most two decimals, like 12.5."));
        assert_eq!(e.submitted("registered"), Some("-5"));
        let e = parse(["10", "1e2", "50", "75"]).unwrap_err();
        assert!(e.get("qualified").is_some());
    }

    #[test]
    fn a_later_stage_may_not_be_less_likely() {
        let e = parse(["10", "40", "30", "75"]).unwrap_err();
        assert_eq!(e.errors.len(), 1);
        assert_eq!(
            e.get("proposal"),
            Some("30% is below the qualified stage's 40%: a deal that advances can't become less likely to close.")
        );
    }
}
