//! What a payout run does with each partner's balance in one brand and currency: pay it as one
//! item, or hold it back for a reason the partner and finance can read. The balance itself is
//! gathered by the database (the sum of the payable entries no unfailed item holds yet); the
//! rules for what happens to it live here.

use crate::domain::money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Why a balance stays for a later run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Clawbacks (refunds after an earlier payment) exceed what is owed: the next runs take
    /// them back from new earnings.
    NegativeBalance,
    BelowMinimum,
    /// The partner is flagged or suspended in one of the programs.
    OnHold,
    NoDetails,
    NoTaxForm,
    /// The payout details changed recently (account-takeover defence).
    InReview,
    /// Documents the programs need before paying aren't approved.
    Documents,
}

impl SkipReason {
    pub const ALL: [SkipReason; 7] = [
        Self::NegativeBalance,
        Self::BelowMinimum,
        Self::OnHold,
        Self::NoDetails,
        Self::NoTaxForm,
        Self::InReview,
        Self::Documents,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NegativeBalance => "negative_balance",
            Self::BelowMinimum => "below_minimum",
            Self::OnHold => "on_hold",
            Self::NoDetails => "no_details",
            Self::NoTaxForm => "no_tax_form",
            Self::InReview => "in_review",
            Self::Documents => "documents",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NegativeBalance => "Clawback outstanding",
            Self::BelowMinimum => "Below the minimum",
            Self::OnHold => "Partner on hold",
            Self::NoDetails => "No payout details",
            Self::NoTaxForm => "No tax form",
            Self::InReview => "Details under review",
            Self::Documents => "Documents missing",
        }
    }
}

/// One partner's gathered balance in one brand and currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Balance {
    pub amount: Decimal,
    pub currency: String,
    /// The largest minimum payout among the programs the entries come from: a consolidated
    /// payment must satisfy every program it pays for.
    pub minimum: Decimal,
}

/// What is known about the partner when the run is made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Standing {
    /// The flag or suspension reason in one of the programs, if any.
    pub on_hold: Option<String>,
    /// A current payout method for this currency.
    pub has_method: bool,
    /// Payouts wait until then after a change of details.
    pub review_until: Option<OffsetDateTime>,
    /// The current tax form ("w9", "w8ben", "w8bene"), if any.
    pub tax_form: Option<String>,
    /// The partner's country (a US partner needs a W-9).
    pub country: String,
    /// Documents needed before payouts that aren't approved.
    pub documents_missing: Vec<String>,
}

/// Pay the balance, or hold it back with a reason and a sentence that explains it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pay,
    Skip(SkipReason, String),
}

/// The rules, in the order a partner would fix them: there must be something to pay, enough of
/// it, no hold, details to pay to, a tax form, the documents the programs need, and no review
/// in progress.
pub fn decide(balance: &Balance, standing: &Standing, now: OffsetDateTime) -> Outcome {
    let amount = |value| money::format(value, &balance.currency);
    if balance.amount <= Decimal::ZERO {
        return Outcome::Skip(
            SkipReason::NegativeBalance,
            format!(
                "Refunds after earlier payouts leave {}; later earnings pay it back before anything is paid out.",
                amount(balance.amount)
            ),
        );
    }
    if balance.amount < balance.minimum {
        return Outcome::Skip(
            SkipReason::BelowMinimum,
            format!(
                "{} is below the minimum payout of {}; it stays in the balance for the next run.",
                amount(balance.amount),
                amount(balance.minimum)
            ),
        );
    }
    if let Some(why) = &standing.on_hold {
        return Outcome::Skip(SkipReason::OnHold, format!("On hold: {why}"));
    }
    if !standing.has_method {
        return Outcome::Skip(
            SkipReason::NoDetails,
            format!("No payout details for {} yet.", balance.currency),
        );
    }
    if let Some(why) = tax_form_missing(&standing.country, standing.tax_form.as_deref()) {
        return Outcome::Skip(SkipReason::NoTaxForm, why.into());
    }
    if !standing.documents_missing.is_empty() {
        let names: Vec<&str> = standing.documents_missing.iter().map(String::as_str).collect();
        return Outcome::Skip(
            SkipReason::Documents,
            format!(
                "Needs {} approved before it is paid.",
                crate::domain::documents::names_text(&names)
            ),
        );
    }
    if let Some(until) = standing.review_until.filter(|until| *until > now) {
        return Outcome::Skip(
            SkipReason::InReview,
            format!(
                "Payout details changed recently; payouts resume after {}.",
                crate::domain::format::datetime(until)
            ),
        );
    }
    Outcome::Pay
}

/// The reference sent with a payment and matched in the bank's settlement file: unique per
/// run, partner, brand and currency, and within the SEPA end-to-end id's 35 characters.
pub fn reference(run_id: i64, partner_id: i64, brand_id: i64, currency: &str) -> String {
    format!("TR{run_id}-{partner_id}-{brand_id}-{currency}")
}

/// The next payout's date, estimated: runs are monthly, on the first day of the next month.
pub fn next_run_date(today: time::Date) -> time::Date {
    let (year, month) = match today.month() {
        time::Month::December => (today.year() + 1, time::Month::January),
        month => (today.year(), month.next()),
    };
    time::Date::from_calendar_date(year, month, 1).unwrap_or(today)
}

/// Why the partner's tax details don't allow a payout yet (none given, or a partner in the
/// United States without a W-9); `None` when they do.
pub fn tax_form_missing(country: &str, form: Option<&str>) -> Option<&'static str> {
    match form {
        None => Some("No tax details given yet."),
        Some(form) if country == "US" && form != "w9" => Some("A partner in the United States needs a W-9."),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    const NOW: OffsetDateTime = datetime!(2026-12-01 09:00 UTC);

    fn ready() -> Standing {
        Standing {
            on_hold: None,
            has_method: true,
            review_until: None,
            tax_form: Some("w8ben".into()),
            country: "DE".into(),
            documents_missing: vec![],
        }
    }

    fn eur(amount: i64, minimum: i64) -> Balance {
        Balance {
            amount: Decimal::from(amount),
            currency: "EUR".into(),
            minimum: Decimal::from(minimum),
        }
    }

    fn reason(outcome: Outcome) -> Option<SkipReason> {
        match outcome {
            Outcome::Pay => None,
            Outcome::Skip(reason, _) => Some(reason),
        }
    }

    #[test]
    fn a_ready_partner_over_the_minimum_is_paid() {
        assert_eq!(decide(&eur(50, 50), &ready(), NOW), Outcome::Pay);
    }

    #[test]
    fn each_missing_piece_holds_the_balance_back_with_its_reason() {
        let skip = |balance: Balance, standing: Standing| reason(decide(&balance, &standing, NOW));
        assert_eq!(skip(eur(-5, 50), ready()), Some(SkipReason::NegativeBalance));
        assert_eq!(skip(eur(0, 0), ready()), Some(SkipReason::NegativeBalance));
        assert_eq!(skip(eur(49, 50), ready()), Some(SkipReason::BelowMinimum));
        let held = Standing {
            on_hold: Some("traffic under review".into()),
            ..ready()
        };
        assert_eq!(skip(eur(80, 50), held), Some(SkipReason::OnHold));
        let no_method = Standing {
            has_method: false,
            ..ready()
        };
        assert_eq!(skip(eur(80, 50), no_method), Some(SkipReason::NoDetails));
        let no_tax = Standing {
            tax_form: None,
            ..ready()
        };
        assert_eq!(skip(eur(80, 50), no_tax), Some(SkipReason::NoTaxForm));
        let us_without_w9 = Standing {
            country: "US".into(),
            ..ready()
        };
        assert_eq!(skip(eur(80, 50), us_without_w9), Some(SkipReason::NoTaxForm));
        let us_with_w9 = Standing {
            country: "US".into(),
            tax_form: Some("w9".into()),
            ..ready()
        };
        assert_eq!(skip(eur(80, 50), us_with_w9), None);
        let in_review = Standing {
            review_until: Some(NOW + time::Duration::days(3)),
            ..ready()
        };
        assert_eq!(skip(eur(80, 50), in_review), Some(SkipReason::InReview));
        let no_documents = Standing {
            documents_missing: vec!["Government ID".into()],
            ..ready()
        };
        let outcome = decide(&eur(80, 50), &no_documents, NOW);
        assert_eq!(
            outcome,
            Outcome::Skip(
                SkipReason::Documents,
                "Needs Government ID approved before it is paid.".into()
            )
        );
        let review_over = Standing {
            review_until: Some(NOW - time::Duration::days(1)),
            ..ready()
        };
        assert_eq!(skip(eur(80, 50), review_over), None);
    }

    #[test]
    fn the_reason_says_what_is_missing_in_words() {
        let Outcome::Skip(_, detail) = decide(&eur(30, 50), &ready(), NOW) else {
            panic!("below the minimum is held back");
        };
        assert!(detail.contains("EUR 30.00") && detail.contains("EUR 50.00"), "{detail}");
        let Outcome::Skip(_, detail) = decide(&eur(-12, 50), &ready(), NOW) else {
            panic!("a negative balance is held back");
        };
        assert!(detail.contains("-EUR 12.00"), "{detail}");
    }

    #[test]
    fn references_fit_a_sepa_end_to_end_id() {
        let typical = reference(12_345, 1_234_567, 42, "EUR");
        assert_eq!(typical, "TR12345-1234567-42-EUR");
        assert!(typical.len() <= 35);
    }

    #[test]
    fn the_next_run_is_the_first_of_next_month() {
        assert_eq!(next_run_date(date!(2026 - 12 - 06)), date!(2027 - 01 - 01));
        assert_eq!(next_run_date(date!(2026 - 03 - 31)), date!(2026 - 04 - 01));
    }

    proptest! {
        /// Whatever the amounts, nothing negative or zero is ever paid, and nothing below the
        /// minimum: it all stays for a later run.
        #[test]
        fn only_positive_balances_at_or_over_the_minimum_are_paid(amount in -100_000i64..100_000, minimum in 0i64..1_000) {
            let balance = Balance { amount: Decimal::new(amount, 2), currency: "EUR".into(), minimum: Decimal::new(minimum, 0) };
            let paid = decide(&balance, &ready(), NOW) == Outcome::Pay;
            prop_assert_eq!(paid, balance.amount > Decimal::ZERO && balance.amount >= balance.minimum);
        }
    }
}
