//! Multi-level overrides: masters above a sub-partner earn a share of the sub-partner's
//! commission. Shares are rounded toward zero so that no level ever gets more than its share,
//! and all levels together never more than the cap.

use crate::domain::money;
use rust_decimal::{Decimal, RoundingStrategy};

/// The override for each master, nearest first. `masters` is how many levels of masters the
/// sub-partner actually has; levels beyond the plan's shares earn nothing.
pub fn override_amounts(
    commission: Decimal,
    shares: &[Decimal],
    cap: Option<Decimal>,
    masters: usize,
    currency: &str,
) -> Vec<Decimal> {
    if commission <= Decimal::ZERO {
        return Vec::new();
    }
    let down = |value: Decimal| value.round_dp_with_strategy(money::minor_units(currency), RoundingStrategy::ToZero);
    let mut room = cap.map_or(Decimal::MAX, |cap| down(commission * cap / Decimal::ONE_HUNDRED));
    shares
        .iter()
        .take(masters)
        .map(|share| {
            let amount = down(commission * share / Decimal::ONE_HUNDRED)
                .min(room)
                .max(Decimal::ZERO);
            room -= amount;
            amount
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn levels_are_limited_by_masters_and_cap() {
        let shares = [Decimal::from(10), Decimal::from(5), Decimal::from(5)];
        let amounts = override_amounts(Decimal::from(100), &shares, Some(Decimal::from(12)), 3, "EUR");
        assert_eq!(amounts, vec![Decimal::from(10), Decimal::from(2), Decimal::ZERO]);
        assert_eq!(override_amounts(Decimal::from(100), &shares, None, 1, "EUR").len(), 1);
        assert!(override_amounts(Decimal::ZERO, &shares, None, 3, "EUR").is_empty());
    }

    proptest! {
        /// No level earns more than its share and all levels together no more than the cap.
        #[test]
        fn shares_never_exceed_their_caps(
            cents in 0i64..10_000_000,
            shares in proptest::collection::vec(0u32..=10_000, 0..6),
            cap in proptest::option::of(0u32..=10_000),
            masters in 0usize..7,
        ) {
            let commission = Decimal::new(cents, 2);
            let shares: Vec<Decimal> = shares.into_iter().map(|s| Decimal::new(s.into(), 2)).collect();
            let cap = cap.map(|c| Decimal::new(c.into(), 2));
            let amounts = override_amounts(commission, &shares, cap, masters, "EUR");
            prop_assert!(amounts.len() <= masters.min(shares.len()));
            for (amount, share) in amounts.iter().zip(&shares) {
                prop_assert!(*amount >= Decimal::ZERO);
                prop_assert!(*amount <= commission * share / Decimal::ONE_HUNDRED);
                prop_assert_eq!(amount.scale() <= 2, true);
            }
            if let Some(cap) = cap {
                prop_assert!(amounts.iter().sum::<Decimal>() <= commission * cap / Decimal::ONE_HUNDRED);
            }
        }
    }
}
