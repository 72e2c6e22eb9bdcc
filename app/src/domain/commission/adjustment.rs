//! Manual adjustments: the form as typed, where a new one starts and who may decide one that
//! waits. Above the program's review threshold (compared with the absolute amount: a deduction
//! moves money too) the author's approval is recorded as the manager stage and the adjustment
//! waits for finance; the approval state machine then refuses the author at the finance stage,
//! as it refuses the manager who approved a commission. At or below it, the author's approval
//! stands.

use super::approval::{self, Action, Actor, Offered, Routing, Stage, State};
use crate::domain::money;
use crate::domain::validate::{required_text, FieldErrors};
use rust_decimal::Decimal;
use std::str::FromStr;

/// The longest reason an adjustment can carry (the partner reads it).
pub const REASON_MAX: usize = 500;

/// The form as submitted.
#[derive(Clone, Debug, Default)]
pub struct AdjustmentInput {
    pub amount: String,
    pub reason: String,
}

/// The checked form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adjustment {
    pub amount: Decimal,
    pub reason: String,
}

impl AdjustmentInput {
    pub fn parse(&self, currency: &str) -> Result<Adjustment, FieldErrors> {
        let mut errors = FieldErrors::default();
        let amount = errors.check("amount", amount(&self.amount, currency));
        let reason = errors.check("reason", reason(&self.reason));
        match (amount, reason) {
            (Some(amount), Some(reason)) => Ok(Adjustment { amount, reason }),
            _ => Err(errors.with_submitted(&[("amount", &self.amount), ("reason", &self.reason)])),
        }
    }
}

/// An amount of either sign, not zero, with no more decimals than the currency has. Written
/// plainly ("25.00", "-25.00"): no exponent, no thousands separator to mistake for a decimal.
pub fn amount(text: &str, currency: &str) -> Result<Decimal, String> {
    let text = text.trim();
    let value = Decimal::from_str(text)
        .ok()
        .filter(|_| !text.contains(['e', 'E', '_']))
        .ok_or("Enter an amount like 25.00, or -25.00 to deduct.")?;
    if value.is_zero() {
        return Err("Enter an amount other than zero (negative to deduct).".into());
    }
    money::positive_amount(value.abs(), currency)
        .map(|_| value)
        .map_err(|m| format!("The {m}."))
}

fn reason(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("An adjustment needs a reason; it is shown to the partner.".into());
    }
    required_text(text, "The reason", REASON_MAX)
}

/// Whether an adjustment of `amount` waits for finance under the program's threshold.
pub fn needs_finance(amount: Decimal, review_above: Decimal) -> bool {
    amount.abs() > review_above
}

/// Where a new adjustment starts, and why (the first decision's reason, recorded with the
/// author as the one who decided it).
pub fn route(amount: Decimal, review_above: Decimal, currency: &str) -> (State, String) {
    if needs_finance(amount, review_above) {
        let why = if review_above.is_zero() {
            "approved by its author; every adjustment also needs finance".to_owned()
        } else {
            format!(
                "approved by its author; above {}, so finance approves too",
                money::format(review_above, currency)
            )
        };
        (State::Pending(Stage::Finance), why)
    } else {
        let why = format!(
            "approved by its author: at most {}, no finance review",
            money::format(review_above, currency)
        );
        (State::Approved, why)
    }
}

/// What the adjustment form says before anyone types an amount.
pub fn review_note(review_above: Decimal, currency: &str) -> String {
    if review_above.is_zero() {
        "Every adjustment waits for a second person with finance rights before it counts; you can't approve your own."
            .into()
    } else {
        format!(
            "Adjustments above {} (either sign) wait for a second person with finance rights; smaller ones are approved at once.",
            money::format(review_above, currency)
        )
    }
}

/// What the form says about the amount being typed: whether it will wait for finance. `None`
/// until the amount can be read.
pub fn typed_note(text: &str, review_above: Decimal, currency: &str) -> Option<&'static str> {
    let amount = amount(text, currency).ok()?;
    Some(if needs_finance(amount, review_above) {
        "This adjustment will wait for finance before it counts."
    } else {
        "This adjustment will be approved at once."
    })
}

/// What the author is told once an adjustment is recorded.
pub fn recorded(state: State) -> &'static str {
    match state {
        State::Approved => "Adjustment recorded: it is approved and payable now.",
        _ => "Adjustment recorded: it waits in the commission queue for a second person with finance rights before it counts.",
    }
}

const NOT_HELD: &str =
    "An adjustment is approved or rejected, not held: reject it and record a new one if it needs changing.";

/// The decision on an adjustment. Only one waiting for finance can be decided, only approved or
/// rejected, and never approved by its author.
pub fn decide(state: State, action: &Action, actor: Actor, author: Option<i64>) -> Result<State, String> {
    match (state, action) {
        (_, Action::Hold { .. } | Action::Release) => Err(NOT_HELD.into()),
        (State::Pending(Stage::Finance), Action::Approve) if author == Some(actor.user_id) => {
            Err("You wrote this adjustment; someone else with finance rights must approve it.".into())
        }
        (State::Pending(Stage::Finance) | State::Approved | State::Rejected, _) => {
            // The author stands as the manager approver, so the four-eyes check holds twice.
            approval::decide(state, action, actor, Decimal::ZERO, &Routing::default(), author)
        }
        _ => Err("This adjustment doesn't wait for finance; there is nothing to decide.".into()),
    }
}

/// Which decisions to offer `actor` on an adjustment in `state`: the same rules as `decide`.
pub fn offered(state: State, actor: Actor, author: Option<i64>) -> Offered {
    let can = |action: Action| decide(state, &action, actor, author).is_ok();
    Offered {
        approve: can(Action::Approve),
        reject: can(Action::Reject { reason: "-".into() }),
        hold: false,
        release: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::OperatorRole;

    fn actor(user_id: i64, role: OperatorRole) -> Actor {
        Actor { user_id, role }
    }

    #[test]
    fn amounts_of_either_sign_but_not_zero_or_too_precise() {
        assert_eq!(amount(" 25.00 ", "EUR"), Ok(Decimal::new(2500, 2)));
        assert_eq!(amount("-25", "EUR"), Ok(Decimal::from(-25)));
        for bad in ["", "ten", "1e3", "1,000", "1_000", "EUR 5"] {
            assert!(amount(bad, "EUR").unwrap_err().contains("like 25.00"), "{bad}");
        }
        assert!(amount("0.00", "EUR").unwrap_err().contains("other than zero"));
        assert!(amount("-1.005", "EUR").unwrap_err().contains("2 decimal places"));
        assert!(amount("1.5", "JPY").unwrap_err().contains("0 decimal places"));
        assert!(amount("99999999999", "EUR").unwrap_err().contains("too large"));
    }

    #[test]
    fn the_form_checks_both_fields_and_gives_the_typed_values_back() {
        let good = AdjustmentInput {
            amount: "-40".into(),
            reason: "  duplicate order  ".into(),
        };
        assert_eq!(
            good.parse("EUR"),
            Ok(Adjustment {
                amount: Decimal::from(-40),
                reason: "duplicate order".into()
            })
        );
        let bad = AdjustmentInput {
            amount: "0".into(),
            reason: " ".into(),
        };
        let errors = bad.parse("EUR").unwrap_err();
        assert!(errors.get("amount").is_some() && errors.get("reason").unwrap().contains("needs a reason"));
        assert_eq!(errors.submitted("amount"), Some("0"));
        let long = AdjustmentInput {
            amount: "5".into(),
            reason: "x".repeat(REASON_MAX + 1),
        };
        assert!(long
            .parse("EUR")
            .unwrap_err()
            .get("reason")
            .unwrap()
            .contains("at most 500"));
    }

    #[test]
    fn routing_by_threshold_compares_the_absolute_amount() {
        let hundred = Decimal::from(100);
        assert_eq!(route(Decimal::from(100), hundred, "EUR").0, State::Approved);
        assert_eq!(route(Decimal::from(-100), hundred, "EUR").0, State::Approved);
        assert_eq!(
            route(Decimal::new(10001, 2), hundred, "EUR").0,
            State::Pending(Stage::Finance)
        );
        assert_eq!(
            route(Decimal::from(-101), hundred, "EUR").0,
            State::Pending(Stage::Finance)
        );
        let (state, why) = route(Decimal::new(1, 2), Decimal::ZERO, "EUR");
        assert_eq!(state, State::Pending(Stage::Finance), "0 by default: every adjustment");
        assert!(why.contains("every adjustment"));
        assert!(route(Decimal::from(500), hundred, "EUR").1.contains("above EUR 100.00"));
        assert!(review_note(Decimal::ZERO, "EUR").starts_with("Every adjustment"));
        assert!(review_note(hundred, "USD").contains("above USD 100.00"));
        assert!(typed_note("-150", hundred, "EUR").unwrap().contains("wait for finance"));
        assert!(recorded(State::Approved).contains("payable now"));
        assert!(recorded(State::Pending(Stage::Finance)).contains("finance rights"));
        assert!(typed_note("100", hundred, "EUR").unwrap().contains("at once"));
        assert_eq!(typed_note("1e9", hundred, "EUR"), None);
    }

    #[test]
    fn the_author_never_approves_their_own_and_finance_decides() {
        let waiting = State::Pending(Stage::Finance);
        let author = Some(1);
        let admin_author = actor(1, OperatorRole::Admin);
        let refused = decide(waiting, &Action::Approve, admin_author, author).unwrap_err();
        assert!(refused.contains("someone else"), "{refused}");
        assert!(!offered(waiting, admin_author, author).approve);
        let manager = actor(2, OperatorRole::Manager);
        assert!(decide(waiting, &Action::Approve, manager, author)
            .unwrap_err()
            .contains("Finance decides"));
        assert!(!offered(waiting, manager, author).any());
        let finance = actor(3, OperatorRole::Finance);
        assert_eq!(decide(waiting, &Action::Approve, finance, author), Ok(State::Approved));
        let reject = Action::Reject {
            reason: "no budget".into(),
        };
        assert_eq!(decide(waiting, &reject, finance, author), Ok(State::Rejected));
        assert_eq!(
            offered(waiting, finance, author),
            Offered {
                approve: true,
                reject: true,
                hold: false,
                release: false
            }
        );
        // Withdrawing one's own adjustment moves no money: an author with finance rights may.
        assert_eq!(decide(waiting, &reject, admin_author, author), Ok(State::Rejected));
        let viewer = actor(4, OperatorRole::Viewer);
        assert!(!offered(waiting, viewer, author).any());
    }

    #[test]
    fn no_holds_no_second_decisions_and_no_manager_stage() {
        let finance = actor(3, OperatorRole::Finance);
        let hold = Action::Hold { reason: "wait".into() };
        assert!(decide(State::Pending(Stage::Finance), &hold, finance, Some(1))
            .unwrap_err()
            .contains("not held"));
        assert!(decide(State::Approved, &Action::Approve, finance, Some(1))
            .unwrap_err()
            .contains("already approved"));
        assert!(decide(State::Rejected, &Action::Approve, finance, Some(1))
            .unwrap_err()
            .contains("already rejected"));
        let manager = actor(2, OperatorRole::Manager);
        for state in [State::Pending(Stage::Manager), State::OnHold] {
            assert!(decide(state, &Action::Approve, manager, Some(1)).is_err(), "{state:?}");
        }
    }
}
