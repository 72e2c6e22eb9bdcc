//! Claims: when they are due, and what a claim form must hold (the amount claimed, at most the
//! approved amount; the actual cost; results; notes).

use super::{amount, date_text};
use crate::domain::money;
use crate::domain::validate::{optional_text, FieldErrors};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime, Time};

pub const NOTES_MAX: usize = 2000;

/// The first moment a claim is too late: the end of the activity's last day plus `claim_days`
/// whole days (UTC).
pub fn deadline(ends_on: Date, claim_days: i32) -> OffsetDateTime {
    (ends_on + Duration::days(i64::from(claim_days) + 1))
        .with_time(Time::MIDNIGHT)
        .assume_utc()
}

/// The last day a claim is accepted, as people read it ("14 Jul 2026").
pub fn last_day_text(deadline: OffsetDateTime) -> String {
    date_text((deadline - Duration::days(1)).date())
}

/// The claim form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimForm {
    pub amount: String,
    pub actual_cost: String,
    pub leads: String,
    pub attendees: String,
    pub notes: String,
}

impl ClaimForm {
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("amount", self.amount.as_str()),
            ("actual_cost", self.actual_cost.as_str()),
            ("leads", self.leads.as_str()),
            ("attendees", self.attendees.as_str()),
            ("notes", self.notes.as_str()),
        ]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidClaim {
    pub amount: Decimal,
    pub actual_cost: Decimal,
    pub leads: i32,
    pub attendees: i32,
    pub notes: Option<String>,
}

fn count(text: &str, label: &str) -> Result<i32, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse::<i32>()
        .ok()
        .filter(|n| (0..=10_000_000).contains(n))
        .ok_or_else(|| format!("{label} must be a whole number, 0 or more."))
}

/// Checks a claim against its request: the approved amount and the deadline.
pub fn validate(
    form: &ClaimForm,
    currency: &str,
    approved: Decimal,
    deadline: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<ValidClaim, FieldErrors> {
    let mut errors = FieldErrors::default();
    if now >= deadline {
        errors.add(
            "amount",
            format!(
                "The claim deadline ({}) has passed, so this activity can't be claimed any more.",
                last_day_text(deadline)
            ),
        );
        return Err(errors);
    }
    let claimed = errors.check("amount", amount(&form.amount, currency, "Amount claimed"));
    if claimed.is_some_and(|c| c > approved) {
        errors.add(
            "amount",
            format!(
                "You can claim at most {}, the approved amount.",
                money::format(approved, currency)
            ),
        );
    }
    let actual_cost = errors.check("actual_cost", amount(&form.actual_cost, currency, "Actual cost"));
    if let (Some(c), Some(cost)) = (claimed, actual_cost) {
        if cost < c {
            errors.add("actual_cost", "The actual cost can't be less than the amount claimed.");
        }
    }
    let leads = errors.check("leads", count(&form.leads, "Leads"));
    let attendees = errors.check("attendees", count(&form.attendees, "Attendees"));
    let notes = errors.check("notes", optional_text(&form.notes, "Notes", NOTES_MAX));
    match (claimed, actual_cost, leads, attendees, notes) {
        (Some(amount), Some(actual_cost), Some(leads), Some(attendees), Some(notes)) if errors.is_empty() => {
            Ok(ValidClaim {
                amount,
                actual_cost,
                leads,
                attendees,
                notes,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn form(amount: &str) -> ClaimForm {
        ClaimForm {
            amount: amount.into(),
            actual_cost: "2600".into(),
            leads: "14".into(),
            attendees: "".into(),
            notes: "Recording attached".into(),
        }
    }

    #[test]
    fn the_deadline_is_the_end_of_the_last_claim_day() {
        let due = deadline(date!(2026 - 05 - 10), 30);
        assert_eq!(due, datetime!(2026-06-10 00:00 UTC));
        assert_eq!(last_day_text(due), "9 Jun 2026");
    }

    #[test]
    fn claims_are_checked_against_the_approval_and_the_deadline() {
        let due = datetime!(2026-06-10 00:00 UTC);
        let before = datetime!(2026-06-09 23:59 UTC);
        let approved = Decimal::from(2000);
        let ok = validate(&form("2000"), "USD", approved, due, before).unwrap();
        assert_eq!((ok.amount, ok.leads, ok.attendees), (approved, 14, 0));
        let above = validate(&form("2000.01"), "USD", approved, due, before).unwrap_err();
        assert_eq!(
            above.get("amount"),
            Some("You can claim at most USD 2,000.00, the approved amount.")
        );
        let late = validate(&form("100"), "USD", approved, due, due).unwrap_err();
        assert!(late.get("amount").unwrap().contains("deadline (9 Jun 2026) has passed"));
        let cheap = ClaimForm {
            actual_cost: "10".into(),
            ..form("100")
        };
        assert!(validate(&cheap, "USD", approved, due, before)
            .unwrap_err()
            .get("actual_cost")
            .is_some());
        let negative = ClaimForm {
            leads: "-1".into(),
            ..form("0")
        };
        let errors = validate(&negative, "USD", approved, due, before).unwrap_err();
        assert!(errors.get("amount").unwrap().contains("greater than zero"));
        assert!(errors.get("leads").is_some());
    }
}
