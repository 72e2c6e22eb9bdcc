//! A partner's market development funds for one period: what was allocated, requested,
//! approved, claimed and paid, and what is still available. Approved funds are committed; a
//! claim approved for less than was approved returns the rest, and a request whose claim
//! deadline passed unclaimed returns all of it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Where one fund request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Request {
    Pending {
        requested: Decimal,
    },
    Declined,
    Approved {
        approved: Decimal,
    },
    /// A claim is filed and waits for review.
    Claimed {
        approved: Decimal,
        claimed: Decimal,
    },
    /// The claim was approved for `payable` (at most the approved amount).
    Payable {
        payable: Decimal,
    },
    Paid {
        paid: Decimal,
    },
    /// Approved, but not claimed before the deadline: the funds return.
    Lapsed,
}

impl Request {
    /// The funds this request holds back from the partner's available balance.
    pub fn committed(self) -> Decimal {
        match self {
            Self::Approved { approved } | Self::Claimed { approved, .. } => approved,
            Self::Payable { payable } => payable,
            Self::Paid { paid } => paid,
            Self::Pending { .. } | Self::Declined | Self::Lapsed => Decimal::ZERO,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    pub allocated: Decimal,
    /// Waiting for a decision.
    pub requested: Decimal,
    /// Approved and not yet claimed, or claimed and waiting for review.
    pub approved: Decimal,
    /// Claims approved and waiting for payout, plus claims waiting for review.
    pub claimed: Decimal,
    pub paid: Decimal,
    /// What new requests can still be approved for.
    pub available: Decimal,
}

pub fn balance(allocated: Decimal, requests: &[Request]) -> Balance {
    let mut b = Balance {
        allocated,
        ..Balance::default()
    };
    for request in requests {
        match *request {
            Request::Pending { requested } => b.requested += requested,
            Request::Approved { approved } => b.approved += approved,
            Request::Claimed { approved, claimed } => {
                b.approved += approved;
                b.claimed += claimed;
            }
            Request::Payable { payable } => b.claimed += payable,
            Request::Paid { paid } => b.paid += paid,
            Request::Declined | Request::Lapsed => {}
        }
    }
    b.available = allocated - requests.iter().map(|r| r.committed()).sum::<Decimal>();
    b
}

/// Whether a request (or an approval) of `amount` fits what is available.
pub fn check_request(amount: Decimal, available: Decimal, currency: &str) -> Result<(), String> {
    if amount <= Decimal::ZERO {
        return Err("Request an amount greater than zero.".into());
    }
    if amount > available {
        return Err(format!(
            "That is more than the {} available in this period.",
            crate::domain::money::format(available, currency)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn committed_funds_come_off_what_is_available() {
        let d = Decimal::from;
        let requests = [
            Request::Pending { requested: d(300) },
            Request::Approved { approved: d(1000) },
            Request::Claimed {
                approved: d(500),
                claimed: d(450),
            },
            Request::Payable { payable: d(200) },
            Request::Paid { paid: d(100) },
            Request::Declined,
            Request::Lapsed,
        ];
        let b = balance(d(5000), &requests);
        assert_eq!(
            (b.requested, b.approved, b.claimed, b.paid),
            (d(300), d(1500), d(650), d(100))
        );
        assert_eq!(b.available, d(5000 - 1000 - 500 - 200 - 100));
        assert!(check_request(d(3201), b.available, "EUR")
            .unwrap_err()
            .contains("EUR 3,200.00 available"));
        assert!(check_request(d(0), b.available, "EUR").is_err());
        assert!(check_request(d(3200), b.available, "EUR").is_ok());
    }

    fn request() -> impl Strategy<Value = Request> {
        let amount = (1i64..100_000).prop_map(|c| Decimal::new(c, 2));
        prop_oneof![
            amount.clone().prop_map(|requested| Request::Pending { requested }),
            Just(Request::Declined),
            amount.clone().prop_map(|approved| Request::Approved { approved }),
            (amount.clone(), 0u32..=100).prop_map(|(approved, pct)| Request::Claimed {
                approved,
                claimed: approved * Decimal::from(pct) / Decimal::ONE_HUNDRED
            }),
            amount.clone().prop_map(|payable| Request::Payable { payable }),
            amount.prop_map(|paid| Request::Paid { paid }),
            Just(Request::Lapsed),
        ]
    }

    proptest! {
        /// Allocated = available + everything committed, however requests stand.
        #[test]
        fn balances_always_add_up(allocated in 0i64..10_000_000, requests in proptest::collection::vec(request(), 0..20)) {
            let allocated = Decimal::new(allocated, 2);
            let b = balance(allocated, &requests);
            let committed: Decimal = requests.iter().map(|r| r.committed()).sum();
            prop_assert_eq!(b.available + committed, allocated);
            let payable: Decimal = requests.iter().filter_map(|r| match r { Request::Payable { payable } => Some(*payable), _ => None }).sum();
            prop_assert!(b.claimed >= payable);
            prop_assert!(b.requested >= Decimal::ZERO && b.paid >= Decimal::ZERO);
        }
    }
}
