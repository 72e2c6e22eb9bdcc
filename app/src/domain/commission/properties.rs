//! Property tests across every model: never negative, recomputation is exact, rounding happens
//! once, band edges behave as declared, and period sums come out as the plan says.

use super::plan::*;
use super::{compute, Inputs};
use crate::domain::money;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn cents(value: i64) -> Decimal {
    Decimal::new(value, 2)
}

fn plan_with(model: Model, recurring: Recurring) -> Plan {
    Plan {
        currency: "EUR".into(),
        period: PeriodKind::Month,
        rules: vec![Rule {
            events: vec!["sale".into()],
            model,
            recurring,
            qualify: Qualification::default(),
        }],
        cap_per_conversion: None,
        cap_per_period: None,
        override_shares: vec![],
        override_cap: None,
    }
}

fn bands_strategy() -> impl Strategy<Value = Vec<Band>> {
    proptest::collection::vec((1i64..5_000, 0i64..3_000), 1..5).prop_map(|steps| {
        let mut from = Decimal::ZERO;
        let last = steps.len() - 1;
        steps
            .into_iter()
            .enumerate()
            .map(|(i, (width, value))| {
                let to = (i < last).then(|| from + Decimal::from(width));
                let band = Band {
                    from,
                    to,
                    value: cents(value),
                };
                from = to.unwrap_or(from);
                band
            })
            .collect()
    })
}

fn model_strategy() -> impl Strategy<Value = Model> {
    let rate = (0i64..=10_000).prop_map(cents);
    let flat = (0i64..100_000).prop_map(cents);
    prop_oneof![
        rate.clone().prop_map(|rate| Model::Percent { rate }),
        flat.clone().prop_map(|amount| Model::Flat { amount }),
        (rate.clone(), any::<bool>()).prop_map(|(rate, carryover)| Model::RevShare { rate, carryover }),
        (flat, rate, any::<bool>()).prop_map(|(amount, rate, carryover)| Model::Hybrid {
            amount,
            rate,
            carryover
        }),
        (any::<bool>(), any::<bool>(), any::<bool>(), bands_strategy()).prop_map(|(count, marginal, pct, bands)| {
            Model::Tiered {
                basis: if count { TierBasis::Count } else { TierBasis::Revenue },
                mode: if marginal {
                    TierMode::Marginal
                } else {
                    TierMode::WholePeriod
                },
                pays: if pct { TierPays::Percent } else { TierPays::Flat },
                bands,
            }
        }),
    ]
}

fn plan_strategy() -> impl Strategy<Value = Plan> {
    (
        model_strategy(),
        prop_oneof![
            Just(Recurring::Lifetime),
            Just(Recurring::Once),
            (1u32..24).prop_map(|months| Recurring::Months { months })
        ],
        proptest::option::of((0i64..50_000).prop_map(cents)),
        proptest::option::of((0i64..500_000).prop_map(cents)),
    )
        .prop_map(|(model, recurring, cap_conv, cap_period)| {
            let mut plan = plan_with(model, recurring);
            plan.cap_per_conversion = cap_conv;
            plan.cap_per_period = cap_period;
            plan
        })
}

fn inputs_strategy() -> impl Strategy<Value = Inputs> {
    (
        proptest::option::of((0i64..10_000_000).prop_map(cents)),
        (0i64..2_000_000).prop_map(cents),
        proptest::option::of(0u32..40),
        0u64..5_000,
        (0i64..100_000_000).prop_map(cents),
        (0i64..10_000_000).prop_map(cents),
        (-10_000_000i64..10_000_000).prop_map(cents),
        (-10_000_000i64..=0).prop_map(cents),
    )
        .prop_map(
            |(amount, deductions, months, count, revenue, paid, net, carry)| Inputs {
                event: "sale".into(),
                amount,
                deductions,
                country: Some("DE".into()),
                customer_months: months,
                period_count_before: count,
                period_revenue_before: revenue,
                period_paid_before: paid,
                period_earned_before: paid,
                period_net_before: net,
                carry_in: carry,
            },
        )
}

proptest! {
    #[test]
    fn a_commission_is_never_negative_and_is_rounded_once(plan in plan_strategy(), inputs in inputs_strategy()) {
        prop_assert!(plan.validate().is_ok(), "{:?}", plan.validate());
        let outcome = compute(&plan, &inputs);
        prop_assert!(outcome.amount >= Decimal::ZERO);
        prop_assert!(outcome.amount.scale() <= money::minor_units("EUR"));
        if let Some(cap) = plan.cap_per_conversion {
            prop_assert!(outcome.amount <= cap);
        }
    }

    /// What is stored (the plan and the inputs as JSON) computes to the same amount again.
    #[test]
    fn a_recomputation_from_stored_json_equals_the_stored_value(plan in plan_strategy(), inputs in inputs_strategy()) {
        let stored = compute(&plan, &inputs);
        let plan_again: Plan = serde_json::from_value(serde_json::to_value(&plan).unwrap()).unwrap();
        let inputs_again: Inputs = serde_json::from_value(serde_json::to_value(&inputs).unwrap()).unwrap();
        prop_assert_eq!(&plan_again, &plan);
        prop_assert_eq!(compute(&plan_again, &inputs_again), stored);
    }

    /// A percent is rounded half to even from the exact product, not from a rounded step.
    #[test]
    fn percent_rounds_half_even_from_the_exact_value(amount in 0i64..100_000_000, rate in 0i64..=10_000) {
        let plan = plan_with(Model::Percent { rate: cents(rate) }, Recurring::Lifetime);
        let inputs = Inputs { event: "sale".into(), amount: Some(cents(amount)), ..Inputs::default() };
        let exact = cents(amount) * cents(rate) / Decimal::ONE_HUNDRED;
        let expected = exact.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven);
        prop_assert_eq!(compute(&plan, &inputs).amount, expected);
    }

    /// The conversion whose number equals a band's upper edge is paid by that band; the next
    /// one by the band above.
    #[test]
    fn count_band_edges_behave_as_declared(bands in bands_strategy()) {
        prop_assume!(bands.len() > 1);
        let plan = plan_with(Model::Tiered {
            basis: TierBasis::Count,
            mode: TierMode::Marginal,
            pays: TierPays::Flat,
            bands: bands.clone(),
        }, Recurring::Lifetime);
        for (i, band) in bands.iter().enumerate() {
            let Some(to) = band.to else { continue };
            // The conversion numbered `to` has `to - 1` before it in the period.
            let before: u64 = to.try_into().unwrap();
            let at_edge = Inputs { event: "sale".into(), period_count_before: before - 1, ..Inputs::default() };
            prop_assert_eq!(compute(&plan, &at_edge).amount, band.value);
            let above = Inputs { period_count_before: at_edge.period_count_before + 1, ..at_edge };
            prop_assert_eq!(compute(&plan, &above).amount, bands[i + 1].value);
        }
    }

    /// Marginal revenue tiers pay each part of the amount at its band's rate, so one big sale
    /// earns what the same revenue split into two sales earns (before rounding each).
    #[test]
    fn marginal_revenue_tiers_do_not_depend_on_how_sales_are_split(
        bands in bands_strategy(),
        first in 0i64..1_000_000,
        second in 0i64..1_000_000,
    ) {
        let plan = plan_with(Model::Tiered { basis: TierBasis::Revenue, mode: TierMode::Marginal, pays: TierPays::Percent, bands }, Recurring::Lifetime);
        let one = compute(&plan, &Inputs { event: "sale".into(), amount: Some(cents(first + second)), ..Inputs::default() }).amount;
        let a = compute(&plan, &Inputs { event: "sale".into(), amount: Some(cents(first)), ..Inputs::default() }).amount;
        let b = compute(&plan, &Inputs {
            event: "sale".into(),
            amount: Some(cents(second)),
            period_revenue_before: cents(first),
            ..Inputs::default()
        }).amount;
        prop_assert!((a + b - one).abs() <= cents(1), "{a} + {b} vs {one}");
    }

    /// Over a period, whole-period tiers with rising bands pay exactly the band reached times
    /// the period's volume; net RevShare pays the rate of the period's highest net balance.
    #[test]
    fn period_totals_come_out_as_declared(sales in proptest::collection::vec((1i64..500_000, 0i64..700_000), 1..30), carry in -1_000_000i64..=0) {
        let rising = vec![
            Band { from: Decimal::ZERO, to: Some(Decimal::from(3)), value: Decimal::from(5) },
            Band { from: Decimal::from(3), to: Some(Decimal::from(10)), value: Decimal::from(7) },
            Band { from: Decimal::from(10), to: None, value: Decimal::from(9) },
        ];
        let tiered = plan_with(Model::Tiered { basis: TierBasis::Count, mode: TierMode::WholePeriod, pays: TierPays::Percent, bands: rising.clone() }, Recurring::Lifetime);
        let revshare = plan_with(Model::RevShare { rate: Decimal::from(25), carryover: true }, Recurring::Lifetime);
        let mut state = Inputs { event: "sale".into(), carry_in: cents(carry), ..Inputs::default() };
        let (mut tier_paid, mut share_paid, mut high_water) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for (amount, deductions) in &sales {
            let inputs = Inputs { amount: Some(cents(*amount)), deductions: cents(*deductions), period_paid_before: tier_paid, ..state.clone() };
            tier_paid += compute(&tiered, &inputs).amount;
            share_paid += compute(&revshare, &Inputs { period_paid_before: share_paid, ..inputs.clone() }).amount;
            high_water = high_water.max(cents(carry) + state.period_net_before + inputs.net());
            state.period_count_before += 1;
            state.period_revenue_before += cents(*amount);
            state.period_net_before += inputs.net();
        }
        let reached = super::plan::band_for(&rising, Decimal::from(sales.len())).unwrap().1.value;
        let target = money::round(state.period_revenue_before * reached / Decimal::ONE_HUNDRED, "EUR");
        prop_assert!((tier_paid - target).abs() <= cents(1), "{tier_paid} vs {target}");
        // RevShare never takes back: it pays the rate of the highest net balance of the period.
        let share_target = money::round(high_water * Decimal::from(25) / Decimal::ONE_HUNDRED, "EUR");
        prop_assert!((share_paid - share_target).abs() <= cents(1), "{share_paid} vs {share_target}");
    }
}

#[test]
fn qualification_and_recurring_rules_explain_themselves() {
    let mut plan = plan_with(
        Model::Percent {
            rate: Decimal::from(10),
        },
        Recurring::Months { months: 12 },
    );
    plan.rules[0].qualify = Qualification {
        min_amount: Some(Decimal::from(20)),
        first_purchase_only: false,
        countries_allowed: vec![],
        countries_denied: vec!["FR".into()],
    };
    let sale = |amount: i64, country: &str, months: Option<u32>| Inputs {
        event: "sale".into(),
        amount: Some(Decimal::from(amount)),
        country: Some(country.into()),
        customer_months: months,
        ..Inputs::default()
    };
    assert_eq!(compute(&plan, &sale(100, "DE", None)).amount, Decimal::from(10));
    assert!(compute(&plan, &sale(10, "DE", None)).explanation().contains("minimum"));
    assert!(compute(&plan, &sale(100, "FR", None))
        .explanation()
        .contains("excluded"));
    assert_eq!(compute(&plan, &sale(100, "DE", Some(11))).amount, Decimal::from(10));
    let late = compute(&plan, &sale(100, "DE", Some(12)));
    assert_eq!(late.amount, Decimal::ZERO);
    assert!(late.explanation().contains("12 months"));
    let lead = Inputs {
        event: "lead".into(),
        ..Inputs::default()
    };
    assert!(compute(&plan, &lead).explanation().contains("no rule"));
}

#[test]
fn whole_period_tier_crossing_pays_the_difference_on_earlier_conversions() {
    let plan = plan_with(
        Model::Tiered {
            basis: TierBasis::Count,
            mode: TierMode::WholePeriod,
            pays: TierPays::Flat,
            bands: vec![
                Band {
                    from: Decimal::ZERO,
                    to: Some(Decimal::from(2)),
                    value: Decimal::from(10),
                },
                Band {
                    from: Decimal::from(2),
                    to: None,
                    value: Decimal::from(15),
                },
            ],
        },
        Recurring::Lifetime,
    );
    let nth = |before: u64, paid: i64| Inputs {
        event: "sale".into(),
        period_count_before: before,
        period_paid_before: Decimal::from(paid),
        ..Inputs::default()
    };
    assert_eq!(compute(&plan, &nth(0, 0)).amount, Decimal::from(10));
    assert_eq!(compute(&plan, &nth(1, 10)).amount, Decimal::from(10));
    // The third conversion enters the 15 band: 3 × 15 = 45, of which 20 was paid.
    let crossing = compute(&plan, &nth(2, 20));
    assert_eq!(crossing.amount, Decimal::from(25));
    assert!(
        crossing.explanation().contains("whole month"),
        "{}",
        crossing.explanation()
    );
}
