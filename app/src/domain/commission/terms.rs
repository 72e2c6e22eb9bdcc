//! A partner's terms: a plan plus per-partner overrides. The effective plan is what the engine
//! computes with; a terms version stores both parts so it can be recomputed forever.

use super::plan::{Model, Plan};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Per-partner changes to a plan. Each field left empty keeps the plan's value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermOverrides {
    /// Replaces the percent of every percent, RevShare and hybrid rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Decimal>,
    /// Replaces the amount of every flat and hybrid rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flat: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_per_conversion: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_per_period: Option<Decimal>,
}

impl TermOverrides {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The plan with these overrides applied.
    pub fn apply(&self, plan: &Plan) -> Plan {
        let mut plan = plan.clone();
        for rule in &mut plan.rules {
            match &mut rule.model {
                Model::Percent { rate } | Model::RevShare { rate, .. } => {
                    *rate = self.rate.unwrap_or(*rate);
                }
                Model::Flat { amount } => *amount = self.flat.unwrap_or(*amount),
                Model::Hybrid { amount, rate, .. } => {
                    *amount = self.flat.unwrap_or(*amount);
                    *rate = self.rate.unwrap_or(*rate);
                }
                Model::Tiered { .. } => {}
            }
        }
        plan.cap_per_conversion = self.cap_per_conversion.or(plan.cap_per_conversion);
        plan.cap_per_period = self.cap_per_period.or(plan.cap_per_period);
        plan
    }

    pub fn describe(&self, currency: &str) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(rate) = self.rate {
            lines.push(format!("rate {}", super::plan::percent(rate)));
        }
        if let Some(flat) = self.flat {
            lines.push(format!("flat amount {}", super::plan::amount(flat, currency)));
        }
        if let Some(cap) = self.cap_per_conversion {
            lines.push(format!("cap per conversion {}", super::plan::amount(cap, currency)));
        }
        if let Some(cap) = self.cap_per_period {
            lines.push(format!("cap per period {}", super::plan::amount(cap, currency)));
        }
        lines
    }
}
