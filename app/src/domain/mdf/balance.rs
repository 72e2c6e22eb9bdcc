//! A partner's market development funds for one period: what was allocated, requested,
//! approved, claimed and paid, and what is still available. Approved funds are committed; a
//! claim approved for less than was approved returns the rest, and a request whose claim
//! deadline passed unclaimed returns all of it. Once the fund's period is over, whatever is not
//! committed has expired (and so does anything released after that).
//!
//! The stored balance rows are kept by adding each transition's `Share` difference, so they
//! always equal `balance` over the partner's requests (a database test compares them).

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

/// What one request adds to each column of a balance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Share {
    pub requested: Decimal,
    pub approved: Decimal,
    pub claimed: Decimal,
    pub paid: Decimal,
    /// Held back from what is available.
    pub committed: Decimal,
}

impl Share {
    fn plus(self, other: Share) -> Share {
        Share {
            requested: self.requested + other.requested,
            approved: self.approved + other.approved,
            claimed: self.claimed + other.claimed,
            paid: self.paid + other.paid,
            committed: self.committed + other.committed,
        }
    }

    /// The change from `before` to `self`: what a transition adds to the stored columns.
    pub fn minus(self, before: Share) -> Share {
        Share {
            requested: self.requested - before.requested,
            approved: self.approved - before.approved,
            claimed: self.claimed - before.claimed,
            paid: self.paid - before.paid,
            committed: self.committed - before.committed,
        }
    }
}

impl Request {
    /// The request as stored: its status, the amounts asked and approved, and its open claim's
    /// amount and approved amount. `None` for a status this version doesn't know.
    pub fn from_columns(
        status: &str,
        requested: Decimal,
        approved: Option<Decimal>,
        claim: Option<(Decimal, Option<Decimal>)>,
    ) -> Option<Self> {
        let approved_or_zero = approved.unwrap_or_default();
        Some(match status {
            "pending" => Self::Pending { requested },
            "declined" => Self::Declined,
            "approved" => Self::Approved {
                approved: approved_or_zero,
            },
            "claimed" => Self::Claimed {
                approved: approved_or_zero,
                claimed: claim.map(|c| c.0).unwrap_or_default(),
            },
            "payable" => Self::Payable {
                payable: claim.and_then(|c| c.1).unwrap_or_default(),
            },
            "paid" => Self::Paid {
                paid: claim.and_then(|c| c.1).unwrap_or_default(),
            },
            "lapsed" => Self::Lapsed,
            _ => return None,
        })
    }

    pub fn status(self) -> &'static str {
        match self {
            Self::Pending { .. } => "pending",
            Self::Declined => "declined",
            Self::Approved { .. } => "approved",
            Self::Claimed { .. } => "claimed",
            Self::Payable { .. } => "payable",
            Self::Paid { .. } => "paid",
            Self::Lapsed => "lapsed",
        }
    }

    pub fn share(self) -> Share {
        let zero = Share::default();
        match self {
            Self::Pending { requested } => Share { requested, ..zero },
            Self::Approved { approved } => Share {
                approved,
                committed: approved,
                ..zero
            },
            Self::Claimed { approved, claimed } => Share {
                approved,
                claimed,
                committed: approved,
                ..zero
            },
            Self::Payable { payable } => Share {
                claimed: payable,
                committed: payable,
                ..zero
            },
            Self::Paid { paid } => Share {
                paid,
                committed: paid,
                ..zero
            },
            Self::Declined | Self::Lapsed => zero,
        }
    }

    /// The funds this request holds back from the partner's available balance.
    pub fn committed(self) -> Decimal {
        self.share().committed
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
    /// Not committed when the fund's period ended.
    pub expired: Decimal,
    /// What new requests can still be approved for.
    pub available: Decimal,
}

pub fn balance(allocated: Decimal, requests: &[Request], fund_expired: bool) -> Balance {
    let total = requests.iter().map(|r| r.share()).fold(Share::default(), Share::plus);
    let unused = allocated - total.committed;
    Balance {
        allocated,
        requested: total.requested,
        approved: total.approved,
        claimed: total.claimed,
        paid: total.paid,
        expired: if fund_expired { unused } else { Decimal::ZERO },
        available: if fund_expired { Decimal::ZERO } else { unused },
    }
}

/// What a transition from `before` to `after` changes in the stored balance: the share's
/// difference, and after the period ended, released funds expire rather than become available.
pub fn delta(before: Request, after: Request, fund_expired: bool) -> (Share, Decimal) {
    let change = after.share().minus(before.share());
    let expired = if fund_expired { -change.committed } else { Decimal::ZERO };
    (change, expired)
}

/// A step in a request's life, as an operator, the partner or the deadline job takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Approve(Decimal),
    Decline,
    Claim(Decimal),
    ApproveClaim(Decimal),
    RejectClaim,
    Lapse,
    /// The payout item that carries the approved claim was paid.
    Pay,
}

/// Where `step` takes a request, or why it can't be taken (in words for the person taking it).
pub fn step(current: Request, step: Step) -> Result<Request, String> {
    let positive = |amount: Decimal| amount > Decimal::ZERO;
    match (current, step) {
        (Request::Pending { requested }, Step::Approve(amount)) => {
            if !positive(amount) {
                Err("Approve an amount greater than zero, or decline the request.".into())
            } else if amount > requested {
                Err("You can approve at most the amount requested.".into())
            } else {
                Ok(Request::Approved { approved: amount })
            }
        }
        (Request::Pending { .. }, Step::Decline) => Ok(Request::Declined),
        (Request::Approved { approved }, Step::Claim(claimed)) => {
            if !positive(claimed) {
                Err("Claim an amount greater than zero.".into())
            } else if claimed > approved {
                Err("You can claim at most the approved amount.".into())
            } else {
                Ok(Request::Claimed { approved, claimed })
            }
        }
        (Request::Claimed { claimed, .. }, Step::ApproveClaim(amount)) => {
            if !positive(amount) {
                Err("Approve an amount greater than zero, or reject the claim.".into())
            } else if amount > claimed {
                Err("You can approve at most the amount claimed.".into())
            } else {
                Ok(Request::Payable { payable: amount })
            }
        }
        (Request::Claimed { approved, .. }, Step::RejectClaim) => Ok(Request::Approved { approved }),
        (Request::Approved { .. }, Step::Lapse) => Ok(Request::Lapsed),
        (Request::Payable { payable }, Step::Pay) => Ok(Request::Paid { paid: payable }),
        (Request::Pending { .. }, _) => Err("This request still waits for a decision.".into()),
        (Request::Approved { .. }, _) => Err("This request is approved and waits for its claim.".into()),
        (Request::Claimed { .. }, _) => Err("A claim for this request waits for review.".into()),
        (Request::Declined, _) => Err("This request was declined.".into()),
        (Request::Lapsed, _) => Err("This request lapsed: its claim deadline passed.".into()),
        (Request::Payable { .. }, _) => Err("This request's claim was already approved.".into()),
        (Request::Paid { .. }, _) => Err("This request was already paid.".into()),
    }
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
        let b = balance(d(5000), &requests, false);
        assert_eq!(
            (b.requested, b.approved, b.claimed, b.paid),
            (d(300), d(1500), d(650), d(100))
        );
        assert_eq!(b.available, d(5000 - 1000 - 500 - 200 - 100));
        let ended = balance(d(5000), &requests, true);
        assert_eq!((ended.available, ended.expired), (d(0), d(3200)));
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
        fn balances_always_add_up(allocated in 0i64..10_000_000, requests in proptest::collection::vec(request(), 0..20), expired in any::<bool>()) {
            let allocated = Decimal::new(allocated, 2);
            let b = balance(allocated, &requests, expired);
            let committed: Decimal = requests.iter().map(|r| r.committed()).sum();
            prop_assert_eq!(b.available + b.expired + committed, allocated);
            prop_assert!(b.available.is_zero() || b.expired.is_zero());
            let payable: Decimal = requests.iter().filter_map(|r| match r { Request::Payable { payable } => Some(*payable), _ => None }).sum();
            prop_assert!(b.claimed >= payable);
            prop_assert!(b.requested >= Decimal::ZERO && b.paid >= Decimal::ZERO);
        }
    }

    /// Applying each step's delta to a running balance gives the same numbers as recomputing
    /// the balance from the requests, before and after the period ends.
    #[test]
    fn deltas_keep_a_stored_balance_equal_to_the_recomputed_one() {
        let d = Decimal::from;
        let steps = [
            (Request::Pending { requested: d(800) }, Step::Approve(d(600))),
            (Request::Approved { approved: d(600) }, Step::Claim(d(550))),
            (
                Request::Claimed {
                    approved: d(600),
                    claimed: d(550),
                },
                Step::ApproveClaim(d(500)),
            ),
            (Request::Payable { payable: d(500) }, Step::Pay),
        ];
        for expired in [false, true] {
            let first = Request::Pending { requested: d(800) };
            let start = balance(d(1000), &[first], expired);
            // Stored columns: what the balance row keeps.
            let (mut share, mut gone) = (first.share(), start.expired);
            for (before, s) in steps {
                let after = step(before, s).unwrap();
                let (change, released) = delta(before, after, expired);
                share = Share {
                    requested: share.requested + change.requested,
                    approved: share.approved + change.approved,
                    claimed: share.claimed + change.claimed,
                    paid: share.paid + change.paid,
                    committed: share.committed + change.committed,
                };
                gone += released;
                let fresh = balance(d(1000), &[after], expired);
                assert_eq!(
                    (share.requested, share.approved, share.claimed, share.paid),
                    (fresh.requested, fresh.approved, fresh.claimed, fresh.paid)
                );
                assert_eq!(
                    (d(1000) - share.committed - gone, gone),
                    (fresh.available, fresh.expired)
                );
            }
        }
    }

    #[test]
    fn steps_refuse_what_the_state_does_not_allow() {
        let d = Decimal::from;
        let pending = Request::Pending { requested: d(500) };
        assert_eq!(
            step(pending, Step::Approve(d(400))),
            Ok(Request::Approved { approved: d(400) })
        );
        assert!(step(pending, Step::Approve(d(501)))
            .unwrap_err()
            .contains("at most the amount requested"));
        assert!(step(pending, Step::Approve(d(0))).is_err());
        assert!(step(pending, Step::Claim(d(10))).is_err());
        let approved = Request::Approved { approved: d(400) };
        assert!(step(approved, Step::Claim(d(401)))
            .unwrap_err()
            .contains("at most the approved amount"));
        let claimed = step(approved, Step::Claim(d(300))).unwrap();
        assert_eq!(
            step(claimed, Step::RejectClaim),
            Ok(approved),
            "a rejected claim can be filed again"
        );
        assert!(step(claimed, Step::ApproveClaim(d(301))).is_err());
        assert_eq!(
            step(claimed, Step::ApproveClaim(d(250))),
            Ok(Request::Payable { payable: d(250) })
        );
        assert_eq!(step(approved, Step::Lapse), Ok(Request::Lapsed));
        assert!(step(Request::Declined, Step::Approve(d(1)))
            .unwrap_err()
            .contains("declined"));
        assert!(step(Request::Lapsed, Step::Claim(d(1))).unwrap_err().contains("lapsed"));
        for r in [
            pending,
            approved,
            claimed,
            Request::Declined,
            Request::Lapsed,
            Request::Payable { payable: d(1) },
        ] {
            let (share_claim, _) = match r {
                Request::Claimed { approved, claimed } => (Some((claimed, None)), approved),
                _ => (None, d(0)),
            };
            let approved_amount = match r {
                Request::Approved { approved } | Request::Claimed { approved, .. } => Some(approved),
                Request::Payable { .. } | Request::Lapsed => Some(d(1)),
                _ => None,
            };
            let claim = share_claim.or(match r {
                Request::Payable { payable } => Some((payable, Some(payable))),
                _ => None,
            });
            let requested = match r {
                Request::Pending { requested } => requested,
                _ => d(500),
            };
            assert_eq!(
                Request::from_columns(r.status(), requested, approved_amount, claim),
                Some(r)
            );
        }
        assert_eq!(Request::from_columns("weird", d(1), None, None), None);
    }
}
