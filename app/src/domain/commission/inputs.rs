//! Everything the engine looks at for one conversion, recorded beside the commission so that
//! the same terms and the same inputs always give the same amount.

use crate::domain::money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    pub event: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    /// Bonuses, fees and chargebacks the merchant reported; net revenue is amount minus these.
    #[serde(default)]
    pub deductions: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Whole months since the customer was bound to the partner; `None` for a new customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_months: Option<u32>,
    /// This partner's conversions of the rule's events earlier in the period.
    #[serde(default)]
    pub period_count_before: u64,
    /// Their revenue.
    #[serde(default)]
    pub period_revenue_before: Decimal,
    /// What the rule already paid in the period (for whole-period tiers).
    #[serde(default)]
    pub period_paid_before: Decimal,
    /// Everything the partner earned under the plan in the period (for the period cap).
    #[serde(default)]
    pub period_earned_before: Decimal,
    /// Net revenue of the rule's events earlier in the period.
    #[serde(default)]
    pub period_net_before: Decimal,
    /// A negative net balance carried in from earlier periods (0 or less).
    #[serde(default)]
    pub carry_in: Decimal,
}

impl Inputs {
    pub fn net(&self) -> Decimal {
        self.amount.unwrap_or_default() - self.deductions
    }

    /// The recorded inputs as labelled lines for people, money in `currency`.
    pub fn facts(&self, currency: &str) -> Vec<(&'static str, String)> {
        let m = |amount: Decimal| money::format(amount, currency);
        let mut lines = vec![("Event", self.event.clone())];
        if let Some(amount) = self.amount {
            lines.push(("Sale amount", m(amount)));
        }
        lines.push(("Deductions", m(self.deductions)));
        lines.push(("Net revenue", m(self.net())));
        lines.push(("Country", self.country.clone().unwrap_or_else(|| "not known".into())));
        lines.push((
            "Customer",
            match self.customer_months {
                None => "new customer".into(),
                Some(months) => format!("customer for {months} month(s)"),
            },
        ));
        lines.push((
            "Conversions earlier in the period",
            self.period_count_before.to_string(),
        ));
        lines.push(("Revenue earlier in the period", m(self.period_revenue_before)));
        lines.push(("Paid earlier in the period", m(self.period_paid_before)));
        lines.push(("Earned earlier in the period", m(self.period_earned_before)));
        lines.push(("Net revenue earlier in the period", m(self.period_net_before)));
        lines.push(("Losses carried in", m(self.carry_in)));
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_name_every_input_with_money_in_the_currency() {
        let inputs = Inputs {
            event: "sale".into(),
            amount: Some(Decimal::new(12000, 2)),
            deductions: Decimal::new(2000, 2),
            ..Inputs::default()
        };
        let facts = inputs.facts("EUR");
        assert_eq!(facts[0], ("Event", "sale".to_string()));
        assert!(facts.contains(&("Net revenue", "EUR 100.00".to_string())), "{facts:?}");
        assert!(facts.contains(&("Customer", "new customer".to_string())));
    }
}
