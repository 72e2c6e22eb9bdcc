//! Everything the engine looks at for one conversion, recorded beside the commission so that
//! the same terms and the same inputs always give the same amount.

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
}
