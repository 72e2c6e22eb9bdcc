//! Commission plans: what an operator defines. A plan is a list of rules, each for one or more
//! event types, plus caps and multi-level override shares. Plans are data (stored as JSON) and
//! are checked by `Plan::validate` before anyone can use them.

use crate::domain::money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub currency: String,
    /// The period that tiers, caps and net revenue are counted over.
    pub period: PeriodKind,
    pub rules: Vec<Rule>,
    /// The most one conversion can earn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_per_conversion: Option<Decimal>,
    /// The most a partner can earn in one period under this plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_per_period: Option<Decimal>,
    /// Percent of a sub-partner's commission that its master earns, level 1 (direct master)
    /// first. Empty means no overrides.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub override_shares: Vec<Decimal>,
    /// The most all levels together may take, in percent of the sub-partner's commission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_cap: Option<Decimal>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
}

impl PeriodKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Quarter => "quarter",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "month" => Some(Self::Month),
            "quarter" => Some(Self::Quarter),
            _ => None,
        }
    }

    pub fn adjective(self) -> &'static str {
        match self {
            Self::Month => "monthly",
            Self::Quarter => "quarterly",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// The event types this rule pays for ("sale", "lead", "signup" ...).
    pub events: Vec<String>,
    pub model: Model,
    #[serde(default)]
    pub recurring: Recurring,
    #[serde(default)]
    pub qualify: Qualification,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum Model {
    /// `rate` percent of the amount.
    Percent { rate: Decimal },
    /// A fixed amount per event (CPA for sales, CPL for leads).
    Flat { amount: Decimal },
    /// Bands of period volume, each paying a percent or a flat amount.
    Tiered {
        basis: TierBasis,
        mode: TierMode,
        pays: TierPays,
        bands: Vec<Band>,
    },
    /// `rate` percent of net revenue (amount minus reported deductions), netted over the period.
    RevShare { rate: Decimal, carryover: bool },
    /// A fixed amount plus a revenue share.
    Hybrid {
        amount: Decimal,
        rate: Decimal,
        carryover: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TierBasis {
    /// The number of conversions in the period.
    Count,
    /// The revenue of conversions in the period.
    Revenue,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TierMode {
    /// Each conversion (or each part of its amount) pays the rate of the band it falls in.
    Marginal,
    /// The band reached applies to the whole period: the conversion that crosses into a higher
    /// band also earns the difference on the period's earlier conversions.
    WholePeriod,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TierPays {
    /// A band's value is a percent of the amount.
    Percent,
    /// A band's value is a fixed amount per conversion.
    Flat,
}

/// A band covers period volume above `from` up to and including `to` (`None`: no upper end).
/// With bands 0–1000 and 1000+, a period volume of exactly 1000 is still in the first band.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub from: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Decimal>,
    pub value: Decimal,
}

/// Whether later conversions of a customer bound to the partner pay.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Recurring {
    /// Only the conversion that brought the customer pays.
    Once,
    /// Conversions within `months` whole months of the customer's first pay.
    Months { months: u32 },
    /// Every conversion of the customer pays.
    #[default]
    Lifetime,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Qualification {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_amount: Option<Decimal>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub first_purchase_only: bool,
    /// ISO country codes; empty means every country.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries_allowed: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries_denied: Vec<String>,
}

impl Plan {
    /// The rule that pays for `event`, if any.
    pub fn rule_for(&self, event: &str) -> Option<(usize, &Rule)> {
        self.rules
            .iter()
            .enumerate()
            .find(|(_, rule)| rule.events.iter().any(|e| e == event))
    }
}

impl Band {
    pub fn contains(&self, volume: Decimal) -> bool {
        volume > self.from && self.to.is_none_or(|to| volume <= to) || (volume.is_zero() && self.from.is_zero())
    }
}

/// The band that a period volume falls in; bands are validated to cover every volume.
pub fn band_for(bands: &[Band], volume: Decimal) -> Option<(usize, &Band)> {
    bands.iter().enumerate().find(|(_, band)| band.contains(volume))
}

pub(crate) fn percent(value: Decimal) -> String {
    format!("{}%", value.normalize())
}

pub(crate) fn amount(value: Decimal, currency: &str) -> String {
    money::format(value, currency)
}
