//! What a conversion earns. `CommissionPolicy` is the seam: today each program has one
//! `SimpleRule`; the commission engine plugs versioned terms in behind the same trait.

use super::money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The facts about a conversion that a policy may look at.
#[derive(Clone, Debug)]
pub struct ConversionFacts<'a> {
    pub event: &'a str,
    pub amount: Option<Decimal>,
    pub currency: &'a str,
    pub partner_id: i64,
}

/// A commission to create, and a short description of the rule that produced it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    pub amount: Decimal,
    pub currency: String,
    pub rule: String,
}

pub trait CommissionPolicy {
    /// `None` when the conversion earns nothing under this policy.
    fn quote(&self, facts: &ConversionFacts<'_>) -> Option<Quote>;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleKind {
    /// A percentage of the sale amount (events without an amount earn nothing).
    Percent,
    /// A fixed amount for every attributed event.
    Flat,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Percent => "percent",
            Self::Flat => "flat",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "percent" => Some(Self::Percent),
            "flat" => Some(Self::Flat),
            _ => None,
        }
    }
}

/// One rule per program: a percent of the amount, or a flat amount per event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpleRule {
    pub kind: RuleKind,
    pub value: Decimal,
}

impl SimpleRule {
    pub fn describe(&self, currency: &str) -> String {
        match self.kind {
            RuleKind::Percent => format!("{}% of the sale", self.value.normalize()),
            RuleKind::Flat => format!("{} per conversion", money::format(self.value, currency)),
        }
    }

    /// Checks an operator's input: a percentage up to 100, or a flat amount in the currency.
    pub fn validate(kind: RuleKind, value: Decimal, currency: &str) -> Result<Self, String> {
        if value < Decimal::ZERO {
            return Err("The commission can't be negative.".into());
        }
        match kind {
            RuleKind::Percent if value > Decimal::ONE_HUNDRED => Err("A percentage can be at most 100.".into()),
            RuleKind::Percent if value.normalize().scale() > 2 => {
                Err("Use at most 2 decimals for a percentage.".into())
            }
            RuleKind::Flat if value.normalize().scale() > money::minor_units(currency) => Err(format!(
                "Use at most {} decimals for {currency}.",
                money::minor_units(currency)
            )),
            _ => Ok(Self { kind, value }),
        }
    }
}

impl CommissionPolicy for SimpleRule {
    fn quote(&self, facts: &ConversionFacts<'_>) -> Option<Quote> {
        let amount = match self.kind {
            RuleKind::Percent => money::round(facts.amount? * self.value / Decimal::ONE_HUNDRED, facts.currency),
            RuleKind::Flat => self.value,
        };
        Some(Quote {
            amount,
            currency: facts.currency.to_owned(),
            rule: self.describe(facts.currency),
        })
    }
}

/// The share of a commission that a refund takes back (a negative amount). The refund that
/// brings the refunded total to the full amount takes back exactly what is left, so rounding
/// never leaves a cent behind or takes one too many.
pub fn reversal_for_refund(
    commission: Decimal,
    reversed_so_far: Decimal,
    sale_amount: Decimal,
    refunded_before: Decimal,
    refund: Decimal,
    currency: &str,
) -> Decimal {
    let left = commission + reversed_so_far; // reversals are negative
    if refunded_before + refund >= sale_amount || sale_amount.is_zero() {
        return -left;
    }
    let share = money::round(commission * refund / sale_amount, currency);
    -share.min(left)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts(amount: Option<Decimal>) -> ConversionFacts<'static> {
        ConversionFacts {
            event: "sale",
            amount,
            currency: "EUR",
            partner_id: 1,
        }
    }

    #[test]
    fn percent_and_flat_rules() {
        let percent = SimpleRule {
            kind: RuleKind::Percent,
            value: Decimal::new(125, 1),
        };
        assert_eq!(
            percent.quote(&facts(Some(Decimal::new(9999, 2)))).unwrap().amount,
            Decimal::new(1250, 2)
        );
        assert_eq!(
            percent.quote(&facts(None)),
            None,
            "a lead without an amount earns no percentage"
        );
        let flat = SimpleRule {
            kind: RuleKind::Flat,
            value: Decimal::new(5, 0),
        };
        assert_eq!(flat.quote(&facts(None)).unwrap().amount, Decimal::new(5, 0));
        assert_eq!(flat.quote(&facts(None)).unwrap().rule, "EUR 5.00 per conversion");
    }

    #[test]
    fn operator_input_is_checked() {
        assert!(SimpleRule::validate(RuleKind::Percent, Decimal::new(101, 0), "EUR").is_err());
        assert!(SimpleRule::validate(RuleKind::Flat, Decimal::new(-1, 0), "EUR").is_err());
        assert!(SimpleRule::validate(RuleKind::Flat, Decimal::new(1001, 3), "EUR").is_err());
        assert!(SimpleRule::validate(RuleKind::Percent, Decimal::new(125, 1), "EUR").is_ok());
    }

    proptest! {
        /// However a sale is refunded in parts, the reversals add up to exactly the commission.
        #[test]
        fn partial_refunds_reverse_exactly_the_commission(
            sale_cents in 1i64..1_000_000,
            rate in 0u32..=100,
            cuts in proptest::collection::vec(1u32..100, 1..6),
        ) {
            let sale = Decimal::new(sale_cents, 2);
            let commission = money::round(sale * Decimal::from(rate) / Decimal::ONE_HUNDRED, "EUR");
            let total: u32 = cuts.iter().sum();
            let (mut refunded, mut reversed) = (Decimal::ZERO, Decimal::ZERO);
            for (i, cut) in cuts.iter().enumerate() {
                let refund = if i + 1 == cuts.len() {
                    sale - refunded
                } else {
                    money::round(sale * Decimal::from(*cut) / Decimal::from(total), "EUR")
                };
                if refund <= Decimal::ZERO || refunded + refund > sale { continue; }
                let reversal = reversal_for_refund(commission, reversed, sale, refunded, refund, "EUR");
                prop_assert!(reversal <= Decimal::ZERO);
                refunded += refund;
                reversed += reversal;
                prop_assert!(commission + reversed >= Decimal::ZERO, "never more than was earned");
            }
            if refunded == sale {
                prop_assert_eq!(commission + reversed, Decimal::ZERO);
            }
        }
    }
}
