//! What a refund takes back: a reversal row for the refunded share of the commission.

use crate::domain::money;
use rust_decimal::Decimal;

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
