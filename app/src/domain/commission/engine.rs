//! The commission engine: one pure function from (effective plan, recorded inputs) to an
//! amount and the reasons for it. Nothing is rounded until the end, and then once, half to
//! even, to the currency's minor unit; so recomputing from the same inputs gives the same cent.

use super::inputs::Inputs;
use super::plan::{amount, percent, Model, Plan, Recurring, Rule, TierBasis, TierPays};
use super::validate::describe_band;
use crate::domain::money;
use rust_decimal::Decimal;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Never negative; rounded to the currency's minor unit.
    pub amount: Decimal,
    /// The index of the rule that applied, if one did.
    pub rule: Option<usize>,
    /// Each step in plain words: "5% of EUR 200.00 = EUR 10.00".
    pub why: Vec<String>,
}

impl Outcome {
    fn nothing(why: String) -> Self {
        Self {
            amount: Decimal::ZERO,
            rule: None,
            why: vec![why],
        }
    }

    /// The steps joined into one line: "5% of EUR 200.00; capped at EUR 8.00 per conversion = EUR 8.00".
    pub fn explanation(&self) -> String {
        match self.why.split_last() {
            Some((total, steps)) if total.starts_with("= ") && !steps.is_empty() => {
                format!("{} {total}", steps.join("; "))
            }
            _ => self.why.join("; "),
        }
    }
}

pub fn compute(plan: &Plan, inputs: &Inputs) -> Outcome {
    let currency = plan.currency.as_str();
    let Some((index, rule)) = plan.rule_for(&inputs.event) else {
        return Outcome::nothing(format!("no rule pays for \"{}\" events", inputs.event));
    };
    if let Err(reason) = qualifies(rule, inputs, currency) {
        return Outcome {
            rule: Some(index),
            ..Outcome::nothing(reason)
        };
    }
    let mut why = Vec::new();
    let mut value = model_amount(plan, rule, inputs, &mut why).max(Decimal::ZERO);
    if let Some(cap) = plan.cap_per_conversion.filter(|cap| value > *cap) {
        why.push(format!("capped at {} per conversion", amount(cap, currency)));
        value = cap;
    }
    if let Some(cap) = plan.cap_per_period {
        let room = (cap - inputs.period_earned_before).max(Decimal::ZERO);
        if value > room {
            why.push(format!(
                "{} {} cap leaves {}",
                amount(cap, currency),
                plan.period.adjective(),
                amount(room, currency)
            ));
            value = room;
        }
    }
    let rounded = money::round(value, currency);
    why.push(format!("= {}", amount(rounded, currency)));
    Outcome {
        amount: rounded,
        rule: Some(index),
        why,
    }
}

/// Why a conversion earns nothing under the rule, if it doesn't.
fn qualifies(rule: &Rule, inputs: &Inputs, currency: &str) -> Result<(), String> {
    let q = &rule.qualify;
    if let Some(min) = q.min_amount {
        if inputs.amount.is_none_or(|a| a < min) {
            return Err(format!("below the minimum amount of {}", amount(min, currency)));
        }
    }
    if q.first_purchase_only && inputs.customer_months.is_some() {
        return Err("not the customer's first purchase".into());
    }
    let country = inputs.country.as_deref();
    if !q.countries_allowed.is_empty() && !country.is_some_and(|c| q.countries_allowed.iter().any(|a| a == c)) {
        return Err(format!(
            "country {} is not among {}",
            country.unwrap_or("unknown"),
            q.countries_allowed.join(", ")
        ));
    }
    if let Some(c) = country.filter(|c| q.countries_denied.iter().any(|d| d == c)) {
        return Err(format!("country {c} is excluded"));
    }
    match (rule.recurring, inputs.customer_months) {
        (Recurring::Once, Some(_)) => Err("a returning customer; this rule pays once per customer".into()),
        (Recurring::Months { months }, Some(m)) if m >= months => Err(format!(
            "the customer came {m} months ago; recurring commission lasts {months} months"
        )),
        _ => Ok(()),
    }
}

fn model_amount(plan: &Plan, rule: &Rule, inputs: &Inputs, why: &mut Vec<String>) -> Decimal {
    let currency = plan.currency.as_str();
    let sale = inputs.amount.unwrap_or_default();
    match &rule.model {
        Model::Percent { rate } => {
            if inputs.amount.is_none() {
                why.push("the event has no amount to take a percentage of".into());
            }
            why.push(format!("{} of {}", percent(*rate), amount(sale, currency)));
            sale * rate / Decimal::ONE_HUNDRED
        }
        Model::Flat { amount: flat } => {
            why.push(format!("{} per {}", amount(*flat, currency), inputs.event));
            *flat
        }
        Model::RevShare { rate, carryover } => revshare(Decimal::ZERO, *rate, *carryover, plan, inputs, why),
        Model::Hybrid {
            amount: flat,
            rate,
            carryover,
        } => revshare(*flat, *rate, *carryover, plan, inputs, why),
        Model::Tiered {
            basis,
            mode,
            pays,
            bands,
        } => super::tiers::tiered(*basis, *mode, *pays, bands, plan, inputs, why),
    }
}

/// Net RevShare (plus `flat` per conversion for hybrid plans), settled against the period:
/// the period's total is `flat` × conversions + `rate` × max(0, carried-in balance + period
/// net revenue), and each conversion earns what brings the rule's paid total up to that. A
/// drop in net revenue is never taken back as a negative commission; later conversions in the
/// period earn less until the balance has recovered, and a negative balance at the period's
/// end is carried into the next when the plan says so.
fn revshare(
    flat: Decimal,
    rate: Decimal,
    carryover: bool,
    plan: &Plan,
    inputs: &Inputs,
    why: &mut Vec<String>,
) -> Decimal {
    let currency = plan.currency.as_str();
    let carry = if carryover {
        inputs.carry_in.min(Decimal::ZERO)
    } else {
        Decimal::ZERO
    };
    let balance = carry + inputs.period_net_before + inputs.net();
    let conversions = Decimal::from(inputs.period_count_before + 1);
    let target = flat * conversions + balance.max(Decimal::ZERO) * rate / Decimal::ONE_HUNDRED;
    if !flat.is_zero() {
        why.push(format!("{} per {}", amount(flat, currency), inputs.event));
    }
    why.push(format!(
        "{} of net revenue {} ({} less deductions {})",
        percent(rate),
        amount(inputs.net(), currency),
        amount(inputs.amount.unwrap_or_default(), currency),
        amount(inputs.deductions, currency)
    ));
    if !carry.is_zero() || !inputs.period_net_before.is_zero() || !inputs.period_paid_before.is_zero() {
        why.push(format!(
            "{} net balance now {} (carried in {}): {} in all, {} paid before",
            plan.period.adjective(),
            amount(balance, currency),
            amount(carry, currency),
            amount(target, currency),
            amount(inputs.period_paid_before, currency)
        ));
    }
    (target - inputs.period_paid_before).max(Decimal::ZERO)
}

/// Describes a band for explanations.
pub(crate) fn band_text(pays: TierPays, band: &super::plan::Band, basis: TierBasis, currency: &str) -> String {
    let value = match pays {
        TierPays::Percent => percent(band.value),
        TierPays::Flat => amount(band.value, currency),
    };
    let unit = match basis {
        TierBasis::Count => "conversions",
        TierBasis::Revenue => "revenue",
    };
    format!("band {} {unit} pays {value}", describe_band(band))
}
