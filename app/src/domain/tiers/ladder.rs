//! A ladder of tiers, lowest first, and the rule that keeps it a ladder: each tier needs at
//! least as much as the one below it in every criterion, and more in at least one (otherwise
//! nobody could stay in the lower tier).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What one tier asks for. Revenue, conversions and won deals count over the program's trailing
/// window; the others are as of the evaluation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criteria {
    pub min_revenue: Decimal,
    pub min_conversions: i64,
    pub min_won_value: Decimal,
    pub min_won_deals: i64,
    pub min_certified_people: i64,
    pub min_documents: i64,
    pub min_days_in_program: i64,
}

/// A partner's figures, measured the way the criteria count them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measures {
    pub revenue: Decimal,
    pub conversions: i64,
    pub won_value: Decimal,
    pub won_deals: i64,
    pub certified_people: i64,
    pub documents: i64,
    pub days_in_program: i64,
}

/// One criterion, to walk them all alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Criterion {
    Revenue,
    Conversions,
    WonValue,
    WonDeals,
    CertifiedPeople,
    Documents,
    DaysInProgram,
}

impl Criterion {
    pub const ALL: [Criterion; 7] = [
        Criterion::Revenue,
        Criterion::Conversions,
        Criterion::WonValue,
        Criterion::WonDeals,
        Criterion::CertifiedPeople,
        Criterion::Documents,
        Criterion::DaysInProgram,
    ];

    /// The form field that sets it.
    pub fn field(self) -> &'static str {
        match self {
            Criterion::Revenue => "min_revenue",
            Criterion::Conversions => "min_conversions",
            Criterion::WonValue => "min_won_value",
            Criterion::WonDeals => "min_won_deals",
            Criterion::CertifiedPeople => "min_certified_people",
            Criterion::Documents => "min_documents",
            Criterion::DaysInProgram => "min_days_in_program",
        }
    }

    /// What it measures, in a sentence's middle ("needs less revenue than…").
    pub fn noun(self) -> &'static str {
        match self {
            Criterion::Revenue => "revenue",
            Criterion::Conversions => "conversions",
            Criterion::WonValue => "won deal value",
            Criterion::WonDeals => "won deals",
            Criterion::CertifiedPeople => "certified people",
            Criterion::Documents => "approved documents",
            Criterion::DaysInProgram => "days in the program",
        }
    }

    /// Counted over the trailing window (the rest are as of the evaluation).
    pub fn windowed(self) -> bool {
        matches!(
            self,
            Criterion::Revenue | Criterion::Conversions | Criterion::WonValue | Criterion::WonDeals
        )
    }

    /// An amount of money (the rest are whole numbers).
    pub fn is_money(self) -> bool {
        matches!(self, Criterion::Revenue | Criterion::WonValue)
    }

    pub fn threshold(self, criteria: &Criteria) -> Decimal {
        match self {
            Criterion::Revenue => criteria.min_revenue,
            Criterion::Conversions => criteria.min_conversions.into(),
            Criterion::WonValue => criteria.min_won_value,
            Criterion::WonDeals => criteria.min_won_deals.into(),
            Criterion::CertifiedPeople => criteria.min_certified_people.into(),
            Criterion::Documents => criteria.min_documents.into(),
            Criterion::DaysInProgram => criteria.min_days_in_program.into(),
        }
    }

    pub fn measure(self, measures: &Measures) -> Decimal {
        match self {
            Criterion::Revenue => measures.revenue,
            Criterion::Conversions => measures.conversions.into(),
            Criterion::WonValue => measures.won_value,
            Criterion::WonDeals => measures.won_deals.into(),
            Criterion::CertifiedPeople => measures.certified_people.into(),
            Criterion::Documents => measures.documents.into(),
            Criterion::DaysInProgram => measures.days_in_program.into(),
        }
    }
}

impl Criteria {
    pub fn met_by(&self, measures: &Measures) -> bool {
        Criterion::ALL.iter().all(|c| c.measure(measures) >= c.threshold(self))
    }
}

/// A tier and its benefits: the commission plan it pays (`None`: the program's default plan), its
/// deal protection days (`None`: the program's) and its MDF share, the percent of an allocation
/// by tier shares that its partners split (`None`: none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub name: String,
    pub criteria: Criteria,
    pub plan_id: Option<i64>,
    pub protection_days: Option<i32>,
    pub mdf_share: Option<Decimal>,
}

impl Tier {
    /// The criteria in words ("Revenue of at least EUR 1,000.00 in 90 days"), or that anyone
    /// qualifies.
    pub fn describe(&self, window_days: i32, currency: &str) -> Vec<String> {
        let lines: Vec<String> = Criterion::ALL
            .iter()
            .filter(|c| c.threshold(&self.criteria) > Decimal::ZERO)
            .map(|c| {
                let need = c.threshold(&self.criteria);
                let amount = if c.is_money() {
                    crate::domain::money::format(need, currency)
                } else {
                    need.normalize().to_string()
                };
                let window = if c.windowed() {
                    format!(" in {window_days} days")
                } else {
                    String::new()
                };
                format!("At least {amount} {}{window}", c.noun())
            })
            .collect();
        if lines.is_empty() {
            vec!["Every active partner".into()]
        } else {
            lines
        }
    }
}

/// What a tier move does to the partner's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermsMove {
    Keep,
    /// A new terms version on this plan.
    Pay(i64),
    /// A new terms version with the partner's own terms from before tiers (the newest version no
    /// tier move wrote), or the program's default plan if it never had any.
    RestoreOwn,
}

/// A program's tiers, lowest first (a tier's rank is its place here, from 1), with the trailing
/// window the criteria count over and the grace period before a demotion.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ladder {
    pub window_days: i32,
    pub grace_days: i32,
    pub tiers: Vec<Tier>,
}

impl Ladder {
    /// The tiers' MDF shares added up, in percent (at most 100 in a saved ladder).
    pub fn mdf_shares_total(&self) -> Decimal {
        self.tiers.iter().filter_map(|t| t.mdf_share).sum()
    }

    /// The place of the tier called `name` (names match whatever their case).
    pub fn position(&self, name: &str) -> Option<usize> {
        self.tiers.iter().position(|t| t.name.eq_ignore_ascii_case(name))
    }

    /// What a move to place `to` does to the partner's commission terms, given the plan in force
    /// and whether a tier move wrote it. A tier's own plan applies. A tier without one keeps the
    /// partner's terms, unless a tier wrote them: then the nearest tier below with a plan applies,
    /// or the partner's own terms from before tiers (`RestoreOwn`), so a demoted partner stops
    /// being paid the higher tier's rates and gets back what it had negotiated.
    pub fn terms_for_move(&self, to: Option<usize>, in_force: Option<(i64, bool)>) -> TermsMove {
        let plan_in_force = in_force.map(|(plan, _)| plan);
        let pay = |plan: i64| {
            if plan_in_force == Some(plan) {
                TermsMove::Keep
            } else {
                TermsMove::Pay(plan)
            }
        };
        if let Some(plan) = to.and_then(|p| self.tiers[p].plan_id) {
            return pay(plan);
        }
        if !in_force.is_some_and(|(_, by_tier)| by_tier) {
            return TermsMove::Keep;
        }
        let below = to.map_or(&[][..], |p| &self.tiers[..p]);
        match below.iter().rev().find_map(|t| t.plan_id) {
            Some(plan) => pay(plan),
            None => TermsMove::RestoreOwn,
        }
    }

    /// Why the tiers don't make a ladder, field by field: `(row, field, message)`.
    pub fn disorder(&self) -> Vec<(usize, &'static str, String)> {
        let mut found = Vec::new();
        for (row, pair) in self.tiers.windows(2).enumerate() {
            let (lower, higher) = (&pair[0], &pair[1]);
            let mut more_somewhere = false;
            for c in Criterion::ALL {
                let (low, high) = (c.threshold(&lower.criteria), c.threshold(&higher.criteria));
                if high < low {
                    found.push((
                        row + 1,
                        c.field(),
                        format!(
                            "{} needs less {} than {} below it: a higher tier must need at least as much as a lower one.",
                            higher.name,
                            c.noun(),
                            lower.name
                        ),
                    ));
                }
                more_somewhere |= high > low;
            }
            if !more_somewhere {
                found.push((
                    row + 1,
                    "name",
                    format!(
                        "{} needs nothing more than {} below it, so nobody would stay in {}: raise one of its thresholds.",
                        higher.name, lower.name, lower.name
                    ),
                ));
            }
        }
        for (row, tier) in self.tiers.iter().enumerate() {
            if self.tiers[..row]
                .iter()
                .any(|t| t.name.eq_ignore_ascii_case(&tier.name))
            {
                found.push((
                    row,
                    "name",
                    format!("{} is named twice: each tier needs its own name.", tier.name),
                ));
            }
        }
        found
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(crate) fn tier(name: &str, revenue: i64, conversions: i64) -> Tier {
        Tier {
            name: name.into(),
            criteria: Criteria {
                min_revenue: Decimal::from(revenue),
                min_conversions: conversions,
                ..Criteria::default()
            },
            plan_id: None,
            protection_days: None,
            mdf_share: None,
        }
    }

    pub(crate) fn ladder(tiers: Vec<Tier>) -> Ladder {
        Ladder {
            window_days: 90,
            grace_days: 30,
            tiers,
        }
    }

    #[test]
    fn a_rising_ladder_is_in_order() {
        let l = ladder(vec![
            tier("Registered", 0, 0),
            tier("Silver", 1000, 0),
            tier("Gold", 5000, 10),
        ]);
        assert!(l.disorder().is_empty());
        assert_eq!(l.position("gold"), Some(2));
    }

    #[test]
    fn lower_thresholds_above_and_equal_tiers_are_refused_with_the_field() {
        let l = ladder(vec![tier("Silver", 1000, 5), tier("Gold", 800, 10)]);
        let found = l.disorder();
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].0, found[0].1), (1, "min_revenue"));
        assert!(
            found[0].2.contains("Gold needs less revenue than Silver"),
            "{}",
            found[0].2
        );

        let same = ladder(vec![tier("Silver", 1000, 5), tier("Gold", 1000, 5)]);
        assert!(same.disorder()[0].2.contains("nobody would stay in Silver"));

        let twice = ladder(vec![tier("Gold", 0, 0), tier("gold", 10, 0)]);
        assert!(twice
            .disorder()
            .iter()
            .any(|(row, _, m)| *row == 1 && m.contains("named twice")));
    }

    #[test]
    fn a_move_pays_the_tier_plan_and_a_demotion_falls_back_below_or_to_the_partners_own_terms() {
        let mut l = ladder(vec![
            tier("Registered", 0, 0),
            tier("Silver", 1000, 0),
            tier("Gold", 5000, 0),
        ]);
        l.tiers[2].plan_id = Some(30);
        // Up to Gold: its plan, whatever the terms were.
        assert_eq!(l.terms_for_move(Some(2), Some((1, false))), TermsMove::Pay(30));
        assert_eq!(
            l.terms_for_move(Some(2), Some((30, true))),
            TermsMove::Keep,
            "already on it"
        );
        // Down to Silver (no plan of its own) from terms a tier wrote, nothing below with a plan:
        // back to the partner's own terms.
        assert_eq!(l.terms_for_move(Some(1), Some((30, true))), TermsMove::RestoreOwn);
        // Terms a tier did not write (negotiated, or the default) stay when the tier has no plan,
        // even if they happen to be on a tier's plan.
        assert_eq!(l.terms_for_move(Some(1), Some((30, false))), TermsMove::Keep);
        assert_eq!(l.terms_for_move(Some(1), Some((7, false))), TermsMove::Keep);
        l.tiers[0].plan_id = Some(10);
        assert_eq!(
            l.terms_for_move(Some(1), Some((30, true))),
            TermsMove::Pay(10),
            "the nearest tier below with a plan"
        );
    }

    proptest! {
        /// In an ordered ladder, meeting a tier means meeting every tier below it, so the
        /// evaluation can read the highest tier met as the partner's place.
        #[test]
        fn in_an_ordered_ladder_meeting_a_tier_means_meeting_those_below(
            steps in prop::collection::vec((0i64..5000, 0i64..50), 1..6),
            revenue in 0i64..30_000,
            conversions in 0i64..300,
        ) {
            let mut tiers = Vec::new();
            let (mut r, mut c) = (0, 0);
            for (i, (dr, dc)) in steps.iter().enumerate() {
                r += dr + 1;
                c += dc;
                tiers.push(tier(&format!("T{i}"), r, c));
            }
            let l = ladder(tiers);
            prop_assert!(l.disorder().is_empty());
            let m = Measures { revenue: revenue.into(), conversions, ..Measures::default() };
            let met: Vec<bool> = l.tiers.iter().map(|t| t.criteria.met_by(&m)).collect();
            for pair in met.windows(2) {
                prop_assert!(pair[0] >= pair[1], "met {met:?}");
            }
        }

        /// Swapping two tiers of different thresholds is always caught.
        #[test]
        fn a_ladder_out_of_order_is_always_caught(low in 0i64..5000, more in 1i64..5000) {
            let l = ladder(vec![tier("A", low + more, 0), tier("B", low, 0)]);
            prop_assert!(!l.disorder().is_empty());
        }
    }
}
