//! Checks an operator's plan before it is saved: each problem is refused with a reason that
//! names the rule and the field.

use super::plan::{Band, Model, Plan, TierBasis, TierPays};
use crate::domain::country;
use crate::domain::money;
use rust_decimal::Decimal;
use std::collections::HashSet;

impl Plan {
    pub fn validate(&self) -> Result<(), String> {
        if !money::is_known_currency(&self.currency) {
            return Err(format!(
                "{} is not a currency we know (use an ISO code such as EUR).",
                self.currency
            ));
        }
        if self.rules.is_empty() {
            return Err("A plan needs at least one rule.".into());
        }
        let mut seen = HashSet::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let name = format!("Rule {}", i + 1);
            if rule.events.is_empty() {
                return Err(format!("{name} names no event type."));
            }
            for event in &rule.events {
                if !is_event_name(event) {
                    return Err(format!(
                        "{name}: \"{event}\" is not an event type (lowercase letters, digits, _ . -)."
                    ));
                }
                if !seen.insert(event.as_str()) {
                    return Err(format!(
                        "{name}: event \"{event}\" already has a rule; one rule per event type."
                    ));
                }
            }
            check_model(&rule.model, &self.currency).map_err(|e| format!("{name}: {e}"))?;
            if let Some(min) = rule.qualify.min_amount {
                self.check_amount(min, "the minimum amount")
                    .map_err(|e| format!("{name}: {e}"))?;
            }
            for code in rule
                .qualify
                .countries_allowed
                .iter()
                .chain(&rule.qualify.countries_denied)
            {
                if country::name(code).is_none() {
                    return Err(format!("{name}: \"{code}\" is not a two-letter country code."));
                }
            }
            if let super::plan::Recurring::Months { months: 0 } = rule.recurring {
                return Err(format!("{name}: recurring commission needs at least 1 month."));
            }
        }
        if let Some(cap) = self.cap_per_conversion {
            self.check_amount(cap, "the cap per conversion")?;
        }
        if let Some(cap) = self.cap_per_period {
            self.check_amount(cap, "the cap per period")?;
        }
        for (level, share) in self.override_shares.iter().enumerate() {
            check_percent(*share).map_err(|e| format!("Override level {}: {e}", level + 1))?;
        }
        if self.override_shares.len() > 5 {
            return Err("Overrides go at most 5 levels deep.".into());
        }
        if let Some(cap) = self.override_cap {
            check_percent(cap).map_err(|e| format!("Override cap: {e}"))?;
        }
        Ok(())
    }

    fn check_amount(&self, value: Decimal, what: &str) -> Result<(), String> {
        check_money(value, &self.currency).map_err(|e| format!("{what}: {e}"))
    }
}

pub fn is_event_name(event: &str) -> bool {
    (1..=40).contains(&event.len())
        && event
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b))
}

pub(super) fn check_percent(rate: Decimal) -> Result<(), String> {
    if rate.is_sign_negative() && !rate.is_zero() {
        return Err(format!("a rate can't be negative ({}%).", rate.normalize()));
    }
    if rate > Decimal::ONE_HUNDRED {
        return Err(format!(
            "a percentage can be at most 100 ({}% given).",
            rate.normalize()
        ));
    }
    if rate.normalize().scale() > 4 {
        return Err("use at most 4 decimals for a percentage.".into());
    }
    Ok(())
}

pub(super) fn check_money(value: Decimal, currency: &str) -> Result<(), String> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(format!("an amount can't be negative ({}).", value.normalize()));
    }
    if value.normalize().scale() > money::minor_units(currency) {
        return Err(format!(
            "use at most {} decimals for {currency}.",
            money::minor_units(currency)
        ));
    }
    if value > Decimal::new(1_000_000_000, 0) {
        return Err("the amount is too large.".into());
    }
    Ok(())
}

fn check_model(model: &Model, currency: &str) -> Result<(), String> {
    match model {
        Model::Percent { rate } => check_percent(*rate),
        Model::Flat { amount } => check_money(*amount, currency),
        Model::RevShare { rate, .. } => check_percent(*rate),
        Model::Hybrid { amount, rate, .. } => {
            check_money(*amount, currency)?;
            check_percent(*rate)
        }
        Model::Tiered { basis, pays, bands, .. } => {
            check_bands(bands, *basis)?;
            for band in bands {
                match pays {
                    TierPays::Percent => check_percent(band.value),
                    TierPays::Flat => check_money(band.value, currency),
                }
                .map_err(|e| format!("band from {}: {e}", band.from.normalize()))?;
            }
            Ok(())
        }
    }
}

/// Bands start at 0, follow each other without gap or overlap, and only the last is open.
pub(super) fn check_bands(bands: &[Band], basis: TierBasis) -> Result<(), String> {
    let Some(first) = bands.first() else {
        return Err("a tiered rule needs at least one band.".into());
    };
    if !first.from.is_zero() {
        return Err(format!(
            "the first band must start at 0, not {}.",
            first.from.normalize()
        ));
    }
    if let Some(i) = bands.windows(2).position(|pair| pair[1].from < pair[0].from) {
        return Err(format!(
            "bands are not in order: band {} starts below band {}.",
            i + 2,
            i + 1
        ));
    }
    for (i, band) in bands.iter().enumerate() {
        let label = format!("band {} ({})", i + 1, describe_band(band));
        if band.from.is_sign_negative() && !band.from.is_zero() {
            return Err(format!("{label} starts below 0."));
        }
        if basis == TierBasis::Count
            && (band.from.fract() != Decimal::ZERO || band.to.is_some_and(|t| t.fract() != Decimal::ZERO))
        {
            return Err(format!("{label}: conversion counts are whole numbers."));
        }
        match (band.to, bands.get(i + 1)) {
            (Some(to), _) if to <= band.from => return Err(format!("{label} ends before it starts.")),
            (None, Some(_)) => return Err(format!("{label} has no upper end but is not the last band.")),
            (Some(to), Some(next)) if next.from < to => {
                return Err(format!("band {} ({}) overlaps {label}.", i + 2, describe_band(next)))
            }
            (Some(to), Some(next)) if next.from > to => {
                return Err(format!(
                    "there is a gap between {} and {}.",
                    to.normalize(),
                    next.from.normalize()
                ))
            }
            _ => {}
        }
    }
    Ok(())
}

pub fn describe_band(band: &Band) -> String {
    match band.to {
        Some(to) => format!("{}–{}", band.from.normalize(), to.normalize()),
        None => format!("{}+", band.from.normalize()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::plan::*;
    use rust_decimal::Decimal;

    fn d(v: i64) -> Decimal {
        Decimal::from(v)
    }

    fn percent_plan(rate: i64) -> Plan {
        Plan {
            currency: "EUR".into(),
            period: PeriodKind::Month,
            rules: vec![Rule {
                events: vec!["sale".into()],
                model: Model::Percent { rate: d(rate) },
                recurring: Recurring::Lifetime,
                qualify: Qualification::default(),
            }],
            cap_per_conversion: None,
            cap_per_period: None,
            override_shares: vec![],
            override_cap: None,
        }
    }

    fn tiered(bands: Vec<(i64, Option<i64>, i64)>) -> Plan {
        let mut plan = percent_plan(1);
        plan.rules[0].model = Model::Tiered {
            basis: TierBasis::Revenue,
            mode: TierMode::Marginal,
            pays: TierPays::Percent,
            bands: bands
                .into_iter()
                .map(|(from, to, value)| Band {
                    from: d(from),
                    to: to.map(d),
                    value: d(value),
                })
                .collect(),
        };
        plan
    }

    fn refusal(plan: &Plan) -> String {
        plan.validate().expect_err("the plan should be refused")
    }

    #[test]
    fn every_listed_bad_plan_is_refused_with_its_reason() {
        assert!(percent_plan(20).validate().is_ok());
        assert!(tiered(vec![(0, Some(1000), 5), (1000, None, 7)]).validate().is_ok());
        assert!(refusal(&tiered(vec![(0, Some(1000), 5), (800, None, 7)])).contains("overlaps"));
        assert!(refusal(&tiered(vec![(0, Some(1000), 5), (1200, None, 7)])).contains("gap"));
        assert!(refusal(&tiered(vec![
            (0, Some(1000), 5),
            (2000, Some(3000), 9),
            (1000, Some(2000), 7)
        ]))
        .contains("not in order"));
        assert!(refusal(&tiered(vec![(0, None, 5), (1000, None, 7)])).contains("no upper end"));
        assert!(refusal(&tiered(vec![(100, None, 5)])).contains("start at 0"));
        assert!(refusal(&percent_plan(-1)).contains("negative"));
        assert!(refusal(&percent_plan(101)).contains("at most 100"));
        let mut unknown = percent_plan(5);
        unknown.currency = "XYZ".into();
        assert!(refusal(&unknown).contains("not a currency"));
        let mut empty = percent_plan(5);
        empty.rules.clear();
        assert!(refusal(&empty).contains("at least one rule"));
        let mut twice = percent_plan(5);
        twice.rules.push(twice.rules[0].clone());
        assert!(refusal(&twice).contains("already has a rule"));
        let mut bad_country = percent_plan(5);
        bad_country.rules[0].qualify.countries_denied = vec!["Germany".into()];
        assert!(refusal(&bad_country).contains("country code"));
        let mut bad_share = percent_plan(5);
        bad_share.override_shares = vec![d(120)];
        assert!(refusal(&bad_share).contains("Override level 1"));
    }
}
