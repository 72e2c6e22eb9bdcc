//! The evaluation of one partner: promotion is immediate; a drop starts a grace period with a
//! warning and happens only if the partner still falls short when it ends; meeting the tier
//! again cancels it; a locked tier stays as it is.

use super::ladder::{Ladder, Measures};
use time::{Duration, OffsetDateTime};

/// Where a partner stands before the evaluation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Standing {
    /// The partner's tier name, if any (it may name a tier the ladder no longer has).
    pub tier: Option<String>,
    /// When a demotion announced by a warning falls due.
    pub demotion_due_at: Option<OffsetDateTime>,
    pub locked: bool,
}

/// What the evaluation does; tiers are places in the ladder (`None`: no tier).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Stay,
    /// Up at once (cancelling any grace period).
    Promote {
        to: usize,
    },
    /// Short of the tier: the grace period starts now and ends at `due`.
    Warn {
        to: Option<usize>,
        due: OffsetDateTime,
    },
    /// The grace period ended (or there is none) and the partner still falls short.
    Demote {
        to: Option<usize>,
    },
    /// Back on the tier within the grace period: the demotion is off.
    Recover,
    /// The partner's tier is not on the ladder (renamed or removed): placed where it qualifies.
    Place {
        to: Option<usize>,
    },
}

/// The highest tier whose criteria the measures meet.
pub fn qualified(ladder: &Ladder, measures: &Measures) -> Option<usize> {
    ladder.tiers.iter().rposition(|t| t.criteria.met_by(measures))
}

pub fn decide(ladder: &Ladder, standing: &Standing, measures: &Measures, now: OffsetDateTime) -> Decision {
    if standing.locked {
        return Decision::Stay;
    }
    let reached = qualified(ladder, measures);
    let current = match &standing.tier {
        Some(name) => match ladder.position(name) {
            Some(place) => Some(place),
            None => return Decision::Place { to: reached },
        },
        None => None,
    };
    if reached > current {
        return match reached {
            Some(to) => Decision::Promote { to },
            None => Decision::Stay,
        };
    }
    if reached == current {
        return match standing.demotion_due_at {
            Some(_) => Decision::Recover,
            None => Decision::Stay,
        };
    }
    match standing.demotion_due_at {
        _ if ladder.grace_days == 0 => Decision::Demote { to: reached },
        None => Decision::Warn {
            to: reached,
            due: now + Duration::days(ladder.grace_days.into()),
        },
        Some(due) if now >= due => Decision::Demote { to: reached },
        Some(_) => Decision::Stay,
    }
}

/// The standing after `decision` (what the backend writes), for tests and the preview.
pub fn after(ladder: &Ladder, standing: &Standing, decision: &Decision) -> Standing {
    let name = |place: &Option<usize>| place.map(|p| ladder.tiers[p].name.clone());
    match decision {
        Decision::Stay => standing.clone(),
        Decision::Promote { to } => Standing {
            tier: Some(ladder.tiers[*to].name.clone()),
            demotion_due_at: None,
            locked: standing.locked,
        },
        Decision::Warn { due, .. } => Standing {
            demotion_due_at: Some(*due),
            ..standing.clone()
        },
        Decision::Demote { to } | Decision::Place { to } => Standing {
            tier: name(to),
            demotion_due_at: None,
            locked: standing.locked,
        },
        Decision::Recover => Standing {
            demotion_due_at: None,
            ..standing.clone()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::ladder::tests::{ladder, tier};
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::Decimal;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-06 03:00 UTC);

    fn gold_ladder() -> Ladder {
        ladder(vec![
            tier("Registered", 0, 0),
            tier("Silver", 1000, 0),
            tier("Gold", 5000, 0),
        ])
    }

    fn revenue(amount: i64) -> Measures {
        Measures {
            revenue: Decimal::from(amount),
            ..Measures::default()
        }
    }

    fn on(tier: &str) -> Standing {
        Standing {
            tier: Some(tier.into()),
            ..Standing::default()
        }
    }

    #[test]
    fn promotion_is_immediate_and_skips_tiers_reached() {
        let l = gold_ladder();
        assert_eq!(
            decide(&l, &on("Registered"), &revenue(6000), NOW),
            Decision::Promote { to: 2 }
        );
        assert_eq!(
            decide(&l, &Standing::default(), &revenue(0), NOW),
            Decision::Promote { to: 0 }
        );
    }

    #[test]
    fn a_drop_warns_first_then_demotes_when_the_grace_period_ends() {
        let l = gold_ladder();
        let due = NOW + Duration::days(30);
        assert_eq!(
            decide(&l, &on("Gold"), &revenue(2000), NOW),
            Decision::Warn { to: Some(1), due }
        );
        let warned = Standing {
            demotion_due_at: Some(due),
            ..on("Gold")
        };
        assert_eq!(
            decide(&l, &warned, &revenue(2000), NOW + Duration::days(29)),
            Decision::Stay
        );
        assert_eq!(
            decide(&l, &warned, &revenue(500), due),
            Decision::Demote { to: Some(0) }
        );
        assert_eq!(
            decide(&l, &warned, &revenue(5000), NOW + Duration::days(3)),
            Decision::Recover
        );
    }

    #[test]
    fn a_locked_tier_stays_and_a_tier_off_the_ladder_is_placed() {
        let l = gold_ladder();
        let locked = Standing {
            locked: true,
            ..on("Gold")
        };
        assert_eq!(decide(&l, &locked, &revenue(0), NOW), Decision::Stay);
        assert_eq!(
            decide(&l, &on("Platinum"), &revenue(1200), NOW),
            Decision::Place { to: Some(1) }
        );
        let no_grace = Ladder { grace_days: 0, ..l };
        assert_eq!(
            decide(&no_grace, &on("Gold"), &revenue(0), NOW),
            Decision::Demote { to: Some(0) }
        );
    }

    fn any_standing() -> impl Strategy<Value = Standing> {
        (
            prop::option::of(prop::sample::select(vec!["Registered", "Silver", "Gold", "Retired"])),
            prop::option::of(-40i64..40),
            any::<bool>(),
        )
            .prop_map(|(tier, due, locked)| Standing {
                tier: tier.map(str::to_owned),
                demotion_due_at: due.map(|d| NOW + Duration::days(d)),
                locked,
            })
    }

    proptest! {
        /// Whatever the standing and figures: a lock freezes, promotion never waits, a demotion
        /// never comes before its grace period ends, and evaluating again at once changes nothing.
        #[test]
        fn evaluation_rules_hold(standing in any_standing(), amount in 0i64..8000) {
            let l = gold_ladder();
            let m = revenue(amount);
            let decision = decide(&l, &standing, &m, NOW);
            if standing.locked {
                prop_assert_eq!(&decision, &Decision::Stay);
            }
            let current = standing.tier.as_deref().and_then(|t| l.position(t));
            let reached = qualified(&l, &m);
            if !standing.locked && standing.tier.as_deref() != Some("Retired") && reached > current {
                prop_assert_eq!(&decision, &Decision::Promote { to: reached.unwrap() });
            }
            if let Decision::Demote { .. } = decision {
                prop_assert!(standing.demotion_due_at.is_some_and(|due| due <= NOW));
            }
            let next = after(&l, &standing, &decision);
            prop_assert_eq!(decide(&l, &next, &m, NOW), Decision::Stay, "{:?} then {:?}", decision, next);
        }

        /// Day by day over random figures, a partner is never demoted unless it was warned at
        /// least the grace period before and still falls short on the day.
        #[test]
        fn demotions_follow_a_warning_by_the_grace_period(days in prop::collection::vec(0i64..7000, 1..90)) {
            let l = gold_ladder();
            let mut standing = Standing::default();
            let mut warned_at = None;
            for (day, amount) in days.iter().enumerate() {
                let now = NOW + Duration::days(day as i64);
                let m = revenue(*amount);
                let decision = decide(&l, &standing, &m, now);
                match &decision {
                    Decision::Warn { .. } => warned_at = Some(now),
                    Decision::Demote { to } => {
                        prop_assert!(warned_at.is_some_and(|w| now - w >= Duration::days(30)));
                        prop_assert_eq!(*to, qualified(&l, &m));
                        warned_at = None;
                    }
                    Decision::Recover | Decision::Promote { .. } => warned_at = None,
                    _ => {}
                }
                standing = after(&l, &standing, &decision);
            }
        }
    }
}
