//! Tiered commission: bands of the partner's period volume (count or revenue). Marginal tiers
//! pay each conversion, or each part of its amount, at its own band's rate; whole-period tiers
//! apply the band reached to the whole period, so the conversion that crosses a band also earns
//! the difference on the period's earlier conversions.

use super::engine::band_text;
use super::inputs::Inputs;
use super::plan::{amount, band_for, Band, Plan, TierBasis, TierMode, TierPays};
use rust_decimal::Decimal;

pub(crate) fn tiered(
    basis: TierBasis,
    mode: TierMode,
    pays: TierPays,
    bands: &[Band],
    plan: &Plan,
    inputs: &Inputs,
    why: &mut Vec<String>,
) -> Decimal {
    let currency = plan.currency.as_str();
    let sale = inputs.amount.unwrap_or_default();
    let (before, after) = match basis {
        TierBasis::Count => {
            let before = Decimal::from(inputs.period_count_before);
            (before, before + Decimal::ONE)
        }
        TierBasis::Revenue => (inputs.period_revenue_before, inputs.period_revenue_before + sale),
    };
    let Some((_, reached)) = band_for(bands, after) else {
        why.push("no band covers this volume".into());
        return Decimal::ZERO;
    };
    let value_of = |band: &Band| match pays {
        TierPays::Percent => sale * band.value / Decimal::ONE_HUNDRED,
        TierPays::Flat => band.value,
    };
    match (mode, basis, pays) {
        (TierMode::Marginal, TierBasis::Revenue, TierPays::Percent) => {
            let mut total = Decimal::ZERO;
            for band in bands {
                let top = band.to.map_or(after, |to| to.min(after));
                let part = top - band.from.max(before);
                if part > Decimal::ZERO {
                    why.push(format!(
                        "{} of {} in {}",
                        super::plan::percent(band.value),
                        amount(part, currency),
                        band_text(pays, band, basis, currency)
                    ));
                    total += part * band.value / Decimal::ONE_HUNDRED;
                }
            }
            total
        }
        (TierMode::Marginal, _, _) => {
            why.push(format!(
                "{} ({})",
                band_text(pays, reached, basis, currency),
                volume_text(basis, after, currency)
            ));
            value_of(reached)
        }
        (TierMode::WholePeriod, _, _) => {
            let target = match pays {
                TierPays::Percent => (inputs.period_revenue_before + sale) * reached.value / Decimal::ONE_HUNDRED,
                TierPays::Flat => Decimal::from(inputs.period_count_before + 1) * reached.value,
            };
            why.push(format!(
                "{} applies to the whole {} ({}): {} in all, {} paid before",
                band_text(pays, reached, basis, currency),
                plan.period.as_str(),
                volume_text(basis, after, currency),
                amount(target, currency),
                amount(inputs.period_paid_before, currency)
            ));
            (target - inputs.period_paid_before).max(Decimal::ZERO)
        }
    }
}

fn volume_text(basis: TierBasis, volume: Decimal, currency: &str) -> String {
    match basis {
        TierBasis::Count => format!("conversion {} of the period", volume.normalize()),
        TierBasis::Revenue => format!("period revenue {}", amount(volume, currency)),
    }
}
