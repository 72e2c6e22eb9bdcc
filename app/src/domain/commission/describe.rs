//! A plan in plain words, for operators and for partners reading their terms.

use super::plan::{amount, percent, Model, Plan, Recurring, Rule, TierBasis, TierMode, TierPays};
use super::validate::describe_band;

impl Plan {
    /// One line per rule, then caps and overrides.
    pub fn describe(&self) -> Vec<String> {
        let c = self.currency.as_str();
        let mut lines: Vec<String> = self.rules.iter().map(|rule| describe_rule(rule, self)).collect();
        if let Some(cap) = self.cap_per_conversion {
            lines.push(format!("At most {} per conversion.", amount(cap, c)));
        }
        if let Some(cap) = self.cap_per_period {
            lines.push(format!("At most {} per {}.", amount(cap, c), self.period.as_str()));
        }
        if !self.override_shares.is_empty() {
            let shares: Vec<String> = self
                .override_shares
                .iter()
                .enumerate()
                .map(|(i, s)| format!("level {}: {}", i + 1, percent(*s)))
                .collect();
            let cap = self
                .override_cap
                .map(|cap| format!(", {} in all at most", percent(cap)))
                .unwrap_or_default();
            lines.push(format!(
                "Masters earn a share of sub-partner commission ({}{cap}).",
                shares.join(", ")
            ));
        }
        lines
    }
}

fn describe_rule(rule: &Rule, plan: &Plan) -> String {
    let c = plan.currency.as_str();
    let events = rule.events.join(", ");
    let pays = match &rule.model {
        Model::Percent { rate } => format!("{} of the amount", percent(*rate)),
        Model::Flat { amount: a } => format!("{} each", amount(*a, c)),
        Model::RevShare { rate, carryover } => revshare_text(*rate, *carryover),
        Model::Hybrid {
            amount: a,
            rate,
            carryover,
        } => format!("{} each plus {}", amount(*a, c), revshare_text(*rate, *carryover)),
        Model::Tiered {
            basis,
            mode,
            pays,
            bands,
        } => {
            let bands: Vec<String> = bands
                .iter()
                .map(|b| {
                    let value = match pays {
                        TierPays::Percent => percent(b.value),
                        TierPays::Flat => amount(b.value, c),
                    };
                    format!("{} → {value}", describe_band(b))
                })
                .collect();
            let basis = match basis {
                TierBasis::Count => "conversions",
                TierBasis::Revenue => "revenue",
            };
            let mode = match mode {
                TierMode::Marginal => "each band at its own rate",
                TierMode::WholePeriod => "the band reached applies to the whole period",
            };
            format!(
                "tiers by {} {basis} ({}; {mode})",
                plan.period.adjective(),
                bands.join(", ")
            )
        }
    };
    let mut extra = Vec::new();
    match rule.recurring {
        Recurring::Once => extra.push("first conversion of each customer only".to_string()),
        Recurring::Months { months } => extra.push(format!("repeat purchases for {months} months")),
        Recurring::Lifetime => {}
    }
    let q = &rule.qualify;
    if let Some(min) = q.min_amount {
        extra.push(format!("minimum {}", amount(min, c)));
    }
    if q.first_purchase_only {
        extra.push("first purchases only".into());
    }
    if !q.countries_allowed.is_empty() {
        extra.push(format!("only {}", q.countries_allowed.join(", ")));
    }
    if !q.countries_denied.is_empty() {
        extra.push(format!("not {}", q.countries_denied.join(", ")));
    }
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(" ({})", extra.join("; "))
    };
    format!("{events}: {pays}{extra}.")
}

fn revshare_text(rate: rust_decimal::Decimal, carryover: bool) -> String {
    let carry = if carryover { ", losses carried over" } else { "" };
    format!("{} of net revenue{carry}", percent(rate))
}
