//! The commission benchmarks' synthetic workload: one program's plans (every model the engine
//! has, with recurring rules, qualification rules and caps), partners with one or two terms
//! versions (some with per-partner overrides) and masters, and two years of conversions.
//!
//! Each conversion's inputs are what `facts::inputs` reads for it at accrual time: the partner's
//! period totals (count, revenue, net revenue, what the rule paid, what the plan earned), the
//! balance carried in from earlier periods, and how long ago the customer was bound. They are
//! simulated in time order, and each conversion's commission is computed as it is generated, so
//! the totals the next conversions see include it, as in the ledger. Deterministic: the same
//! sizes give the same workload, on every machine and in every run.

use app::domain::commission::periods::whole_months;
use app::domain::commission::plan::{
    Band, Model, PeriodKind, Plan, Qualification, Recurring, Rule, TierBasis, TierMode, TierPays,
};
use app::domain::commission::{carryover, compute, Inputs, TermOverrides};
use rust_decimal::Decimal;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

pub const CURRENCY: &str = "EUR";
/// Conversions occur through 2025 and 2026: 24 monthly and 8 quarterly periods, and customers
/// old enough for recurring commission to run out.
pub const START: OffsetDateTime = datetime!(2025-01-01 0:00 UTC);
const SECONDS: i64 = 730 * 86_400;
const MONTHS: usize = 24;

/// Every event type the conversions report. "trial" has no rule in any plan: it earns nothing.
pub const EVENTS: [&str; 7] = ["sale", "lead", "signup", "subscription", "rebill", "install", "trial"];
const UNPAID: usize = 6;
const COUNTRIES: [&str; 10] = ["DE", "FR", "NL", "GB", "US", "ES", "IT", "BR", "IN", "PL"];

pub struct Workload {
    /// (name, plan); terms versions point at these.
    pub plans: Vec<(&'static str, Plan)>,
    pub partners: Vec<Partner>,
    /// In the order they occurred.
    pub conversions: Vec<Conversion>,
}

pub struct Partner {
    /// The index of the partner's master in `Workload::partners`.
    pub master: Option<usize>,
    /// Oldest first; the first takes effect before the first conversion.
    pub terms: Vec<Terms>,
}

pub struct Terms {
    pub plan: usize,
    pub overrides: TermOverrides,
    pub effective_from: OffsetDateTime,
    /// The plan with the overrides applied: what the engine computes with.
    pub effective: Plan,
}

pub struct Conversion {
    pub partner: u32,
    /// The index of the partner's terms version in force when it occurred.
    pub terms: u8,
    pub occurred_at: OffsetDateTime,
    /// A number unique in the program.
    pub customer: u32,
    /// The customer's first conversion, which binds them to the partner.
    pub new_customer: bool,
    pub inputs: Inputs,
    /// The accrual: what the engine computed when the conversion was generated.
    pub amount: Decimal,
}

impl Workload {
    pub fn plan_of(&self, conversion: &Conversion) -> &Plan {
        &self.partners[conversion.partner as usize].terms[conversion.terms as usize].effective
    }

    /// The masters above a partner, nearest first, at most `levels` of them.
    pub fn masters(&self, partner: usize, levels: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut current = partner;
        while let Some(master) = self.partners[current].master.filter(|_| chain.len() < levels) {
            chain.push(master);
            current = master;
        }
        chain
    }
}

/// SplitMix64: small, fast, and the same sequence forever (unlike `rand`'s StdRng, which may
/// change between versions and would change the workload with it).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0 to n - 1.
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() >> 32) * n) >> 32
    }

    /// 0 to 1.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Cents from `low` to `high` (in whole currency units), as an amount.
    fn money(&mut self, low: i64, high: i64, skew: i32) -> Decimal {
        let cents = low * 100 + ((high - low) as f64 * 100.0 * self.unit().powi(skew)) as i64;
        Decimal::new(cents, 2)
    }
}

fn d(value: i64) -> Decimal {
    Decimal::from(value)
}

fn band(from: i64, to: Option<i64>, value: Decimal) -> Band {
    Band {
        from: d(from),
        to: to.map(d),
        value,
    }
}

fn rule(events: &[&str], model: Model) -> Rule {
    Rule {
        events: events.iter().map(|e| e.to_string()).collect(),
        model,
        recurring: Recurring::Lifetime,
        qualify: Qualification::default(),
    }
}

fn plan(period: PeriodKind, rules: Vec<Rule>) -> Plan {
    Plan {
        currency: CURRENCY.into(),
        period,
        rules,
        cap_per_conversion: None,
        cap_per_period: None,
        override_shares: vec![],
        override_cap: None,
    }
}

/// Eight plans, one program's worth.
pub fn plans() -> Vec<(&'static str, Plan)> {
    let mut percent = plan(
        PeriodKind::Month,
        vec![
            rule(&["sale"], Model::Percent { rate: d(8) }),
            rule(&["lead"], Model::Flat { amount: d(3) }),
        ],
    );
    percent.rules[0].qualify = Qualification {
        min_amount: Some(d(10)),
        countries_denied: vec!["BR".into()],
        ..Qualification::default()
    };

    let mut cpa = plan(
        PeriodKind::Month,
        vec![
            rule(&["sale"], Model::Flat { amount: d(40) }),
            rule(
                &["lead", "install"],
                Model::Flat {
                    amount: Decimal::new(250, 2),
                },
            ),
        ],
    );
    cpa.cap_per_period = Some(d(5000));

    let mut revenue_tiers = plan(
        PeriodKind::Month,
        vec![
            rule(
                &["sale"],
                Model::Tiered {
                    basis: TierBasis::Revenue,
                    mode: TierMode::Marginal,
                    pays: TierPays::Percent,
                    bands: vec![
                        band(0, Some(5_000), d(10)),
                        band(5_000, Some(20_000), d(15)),
                        band(20_000, None, d(20)),
                    ],
                },
            ),
            rule(&["lead"], Model::Flat { amount: d(2) }),
        ],
    );
    revenue_tiers.cap_per_conversion = Some(d(250));
    revenue_tiers.override_shares = vec![d(10), d(5)];
    revenue_tiers.override_cap = Some(d(12));

    let count_tiers = plan(
        PeriodKind::Quarter,
        vec![
            rule(
                &["sale"],
                Model::Tiered {
                    basis: TierBasis::Count,
                    mode: TierMode::WholePeriod,
                    pays: TierPays::Flat,
                    bands: vec![
                        band(0, Some(20), d(15)),
                        band(20, Some(100), d(20)),
                        band(100, None, d(25)),
                    ],
                },
            ),
            rule(
                &["lead", "signup"],
                Model::Tiered {
                    basis: TierBasis::Count,
                    mode: TierMode::Marginal,
                    pays: TierPays::Flat,
                    bands: vec![band(0, Some(100), d(1)), band(100, None, d(2))],
                },
            ),
        ],
    );

    let mut revshare = plan(
        PeriodKind::Month,
        vec![rule(
            &["sale", "rebill"],
            Model::RevShare {
                rate: d(25),
                carryover: true,
            },
        )],
    );
    revshare.override_shares = vec![d(8)];

    let mut hybrid = plan(
        PeriodKind::Quarter,
        vec![
            rule(
                &["sale"],
                Model::Hybrid {
                    amount: d(15),
                    rate: d(10),
                    carryover: false,
                },
            ),
            rule(&["signup"], Model::Flat { amount: d(1) }),
        ],
    );
    hybrid.rules[1].recurring = Recurring::Once;
    hybrid.rules[1].qualify.first_purchase_only = true;

    let mut recurring = plan(
        PeriodKind::Month,
        vec![
            rule(&["subscription", "rebill"], Model::Percent { rate: d(30) }),
            rule(&["signup"], Model::Flat { amount: d(2) }),
        ],
    );
    recurring.rules[0].recurring = Recurring::Months { months: 12 };
    recurring.rules[0].qualify = Qualification {
        min_amount: Some(d(5)),
        countries_allowed: ["DE", "FR", "NL", "GB", "US", "ES", "IT"].map(String::from).to_vec(),
        ..Qualification::default()
    };
    recurring.rules[1].recurring = Recurring::Once;

    let mut capped = plan(
        PeriodKind::Month,
        vec![
            rule(
                &["sale", "subscription"],
                Model::Tiered {
                    basis: TierBasis::Revenue,
                    mode: TierMode::WholePeriod,
                    pays: TierPays::Percent,
                    bands: vec![band(0, Some(10_000), d(5)), band(10_000, None, d(7))],
                },
            ),
            rule(&["lead"], Model::Flat { amount: d(1) }),
        ],
    );
    capped.cap_per_conversion = Some(d(100));
    capped.cap_per_period = Some(d(3000));

    vec![
        ("Bench: percent with qualification", percent),
        ("Bench: CPA and CPL, capped per month", cpa),
        ("Bench: marginal revenue tiers with overrides", revenue_tiers),
        ("Bench: whole-quarter count tiers", count_tiers),
        ("Bench: net RevShare with carryover", revshare),
        ("Bench: hybrid CPA plus RevShare", hybrid),
        ("Bench: recurring subscriptions for 12 months", recurring),
        ("Bench: whole-month revenue tiers, capped", capped),
    ]
}

fn overrides(rng: &mut Rng) -> TermOverrides {
    let mut o = TermOverrides::default();
    match rng.below(20) {
        0 => o.rate = Some(d(12)),
        1 => o.flat = Some(d(50)),
        2 => o.cap_per_conversion = Some(d(150)),
        3 => o.cap_per_period = Some(d(2500)),
        _ => {}
    }
    o
}

fn partners(count: usize, plans: &[(&'static str, Plan)], rng: &mut Rng) -> Vec<Partner> {
    (0..count)
        .map(|i| {
            // Groups of five under a master, and masters of masters every 25: two levels.
            let master = if i % 5 != 0 {
                Some(i - i % 5)
            } else if i % 25 != 0 {
                Some(i - i % 25)
            } else {
                None
            };
            let first = rng.below(plans.len() as u64) as usize;
            let mut versions = vec![(first, overrides(rng), START - Duration::days(1))];
            if rng.below(4) == 0 {
                let plan = (first + 1 + rng.below(plans.len() as u64 - 1) as usize) % plans.len();
                let from = START + Duration::days(90 + rng.below(540) as i64) + Duration::hours(rng.below(24) as i64);
                versions.push((plan, overrides(rng), from));
            }
            let terms = versions
                .into_iter()
                .map(|(plan, overrides, effective_from)| {
                    let effective = overrides.apply(&plans[plan].1);
                    Terms {
                        plan,
                        overrides,
                        effective_from,
                        effective,
                    }
                })
                .collect();
            Partner { master, terms }
        })
        .collect()
}

#[derive(Clone, Copy, Default)]
struct Totals {
    count: u64,
    revenue: Decimal,
    net: Decimal,
    paid: Decimal,
}

#[derive(Clone, Default)]
struct Month {
    events: [Totals; EVENTS.len()],
    /// Everything the partner earned in the month, whatever the event.
    earned: Decimal,
}

/// One partner's history as `facts::inputs` sees it in the database.
struct History {
    months: Vec<Month>,
    /// (customer, bound at), the most recent few.
    customers: Vec<(u32, OffsetDateTime)>,
}

const CUSTOMERS_KEPT: usize = 256;

fn event_index(event: &str) -> usize {
    EVENTS
        .iter()
        .position(|e| *e == event)
        .expect("plans use the workload's events")
}

impl History {
    /// The inputs of a conversion in `month`, as `facts::inputs` reads them.
    fn inputs(&self, plan: &Plan, month: usize, mut inputs: Inputs) -> Inputs {
        let first = match plan.period {
            PeriodKind::Month => month,
            PeriodKind::Quarter => month / 3 * 3,
        };
        let rule = plan.rule_for(&inputs.event).map(|(_, rule)| rule);
        let events: Vec<usize> = match rule {
            Some(rule) => rule.events.iter().map(|e| event_index(e)).collect(),
            None => vec![event_index(&inputs.event)],
        };
        for m in &self.months[first..=month] {
            for &e in &events {
                let t = &m.events[e];
                inputs.period_count_before += t.count;
                inputs.period_revenue_before += t.revenue;
                inputs.period_net_before += t.net;
                inputs.period_paid_before += t.paid;
            }
            inputs.period_earned_before += m.earned;
        }
        let carries = rule.is_some_and(|r| {
            matches!(
                r.model,
                Model::RevShare { carryover: true, .. } | Model::Hybrid { carryover: true, .. }
            )
        });
        if carries {
            let span = match plan.period {
                PeriodKind::Month => 1,
                PeriodKind::Quarter => 3,
            };
            let nets: Vec<Decimal> = self.months[..first]
                .chunks(span)
                .map(|period| {
                    period
                        .iter()
                        .flat_map(|m| events.iter().map(|&e| m.events[e].net))
                        .sum()
                })
                .collect();
            inputs.carry_in = carryover::carry_in(&nets);
        }
        inputs
    }

    fn record(&mut self, month: usize, inputs: &Inputs, commission: Decimal) {
        let m = &mut self.months[month];
        let t = &mut m.events[event_index(&inputs.event)];
        t.count += 1;
        t.revenue += inputs.amount.unwrap_or_default();
        t.net += inputs.net();
        t.paid += commission;
        m.earned += commission;
    }
}

/// `conversions` conversions by `partner_count` partners.
pub fn generate(conversions: usize, partner_count: usize) -> Workload {
    assert!(partner_count > 0, "at least one partner");
    let mut rng = Rng::new(0x7E11_15BE_4C4D);
    let plans = plans();
    for (name, plan) in &plans {
        plan.validate().unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let partners = partners(partner_count, &plans, &mut rng);
    let mut histories: Vec<History> = (0..partner_count)
        .map(|_| History {
            months: vec![Month::default(); MONTHS],
            customers: Vec::new(),
        })
        .collect();
    let mut next_customer = 0u32;
    let mut out = Vec::with_capacity(conversions);
    for i in 0..conversions {
        let occurred_at = START + Duration::seconds(i as i64 * SECONDS / conversions as i64);
        let month = (occurred_at.year() - START.year()) as usize * 12 + occurred_at.month() as usize - 1;
        // A few large partners and many small ones.
        let partner = ((rng.unit().powi(2) * partner_count as f64) as usize).min(partner_count - 1);
        let terms = partners[partner]
            .terms
            .iter()
            .rposition(|t| t.effective_from <= occurred_at)
            .expect("the first terms precede every conversion");
        let plan = &partners[partner].terms[terms].effective;
        // Mostly the plan's main rule, some of its others, and a few events nothing pays for.
        let roll = rng.below(100);
        let event = if roll < 3 {
            EVENTS[UNPAID]
        } else {
            let r = if plan.rules.len() == 1 || roll < 70 {
                0
            } else {
                1 + (roll as usize) % (plan.rules.len() - 1)
            };
            let events = &plan.rules[r].events;
            events[rng.below(events.len() as u64) as usize].as_str()
        };
        let amount = match event {
            "sale" => Some(rng.money(5, 2_000, 3)),
            "subscription" | "rebill" => Some([Decimal::new(999, 2), d(29), d(99)][rng.below(3) as usize]),
            _ => None,
        };
        let deductions = match (amount, rng.below(100)) {
            (None, _) | (_, 0..=59) => Decimal::ZERO,
            // Fees and bonuses, up to 30% of the amount.
            (Some(a), 60..=89) => (a * Decimal::new(rng.below(31) as i64, 2)).round_dp(2),
            // Chargebacks and bonus abuse: up to three times the amount.
            (Some(a), _) => (a * Decimal::new(100 + rng.below(201) as i64, 2)).round_dp(2),
        };
        // Most customers from a few countries; some from none the merchant could tell.
        let country = match rng.below(20) {
            0 => None,
            _ => Some(COUNTRIES[(rng.unit().powi(2) * COUNTRIES.len() as f64) as usize].to_owned()),
        };
        let history = &mut histories[partner];
        let returning_percent = match event {
            "rebill" => 95,
            "sale" => 25,
            "subscription" => 20,
            _ => 10,
        };
        let (customer, new_customer, customer_months) =
            if !history.customers.is_empty() && rng.below(100) < returning_percent {
                let (customer, since) = history.customers[rng.below(history.customers.len() as u64) as usize];
                (customer, false, Some(whole_months(since, occurred_at)))
            } else {
                next_customer += 1;
                if history.customers.len() == CUSTOMERS_KEPT {
                    history.customers.remove(0);
                }
                history.customers.push((next_customer, occurred_at));
                (next_customer, true, None)
            };
        let inputs = history.inputs(
            plan,
            month,
            Inputs {
                event: event.to_owned(),
                amount,
                deductions,
                country,
                customer_months,
                ..Inputs::default()
            },
        );
        let commission = compute(plan, &inputs).amount;
        history.record(month, &inputs, commission);
        out.push(Conversion {
            partner: partner as u32,
            terms: terms as u8,
            occurred_at,
            customer,
            new_customer,
            inputs,
            amount: commission,
        });
    }
    Workload {
        plans,
        partners,
        conversions: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workload_is_deterministic_and_uses_every_model() {
        let a = generate(20_000, 100);
        let b = generate(20_000, 100);
        let amounts = |w: &Workload| w.conversions.iter().map(|c| c.amount).collect::<Vec<_>>();
        assert_eq!(amounts(&a), amounts(&b));
        assert!(a
            .conversions
            .iter()
            .all(|c| compute(a.plan_of(c), &c.inputs).amount == c.amount));
        // Every plan is in force somewhere and pays something.
        for plan in 0..a.plans.len() {
            let paid: Decimal = a
                .conversions
                .iter()
                .filter(|c| a.partners[c.partner as usize].terms[c.terms as usize].plan == plan)
                .map(|c| c.amount)
                .sum();
            assert!(paid > Decimal::ZERO, "plan {plan} pays");
        }
        let inputs = || a.conversions.iter().map(|c| &c.inputs);
        assert!(inputs().any(|i| i.carry_in < Decimal::ZERO), "some negative carryover");
        assert!(
            inputs().any(|i| i.customer_months.is_some_and(|m| m >= 12)),
            "old customers"
        );
        assert!(
            inputs().any(|i| i.period_count_before > 20),
            "count tiers above the first"
        );
        assert!(
            inputs().any(|i| i.period_revenue_before > d(20_000)),
            "the top revenue tier"
        );
        assert!(a.conversions.iter().any(|c| c.amount.is_zero()), "some earn nothing");
        assert!(a.conversions.iter().any(|c| c.terms == 1), "second terms versions");
        assert_eq!(a.masters(7, 5), vec![5, 0]);
        assert_eq!(a.masters(7, 1), vec![5]);
    }
}
