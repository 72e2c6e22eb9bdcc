//! Negative carryover for net RevShare: a period that ends with a negative net balance passes
//! it on to the next period, until positive net revenue has made up for it.

use rust_decimal::Decimal;

/// The balance carried into the period after `nets`, given each earlier period's net revenue,
/// oldest first. Periods with no activity can be left out.
pub fn carry_in(nets: &[Decimal]) -> Decimal {
    nets.iter()
        .fold(Decimal::ZERO, |carry, net| (carry + net).min(Decimal::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loss_is_made_up_before_anything_is_paid() {
        let d = Decimal::from;
        assert_eq!(carry_in(&[]), Decimal::ZERO);
        assert_eq!(carry_in(&[d(-300)]), d(-300));
        assert_eq!(carry_in(&[d(-300), d(100)]), d(-200));
        assert_eq!(carry_in(&[d(-300), d(500)]), Decimal::ZERO);
        assert_eq!(
            carry_in(&[d(500), d(-100)]),
            d(-100),
            "a surplus is paid out, not carried"
        );
    }
}
