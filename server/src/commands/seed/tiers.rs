//! Demo tiers. The affiliates' program climbs Registered, Silver and Gold by revenue over 90
//! days, Gold paying 25% on a plan of its own; the thresholds are set from the sample traffic so
//! that Bright Reviews (Ana) holds Silver and is most of the way to Gold. The resellers' program
//! climbs by won deals over a year, with longer deal protection higher up. Both are evaluated
//! once, so the demo opens with everyone placed. Runs once per program.

use app::api::error::AppError;
use app::backend::repos::{partners, plans, programs, tiers};
use app::backend::tiers::evaluate::evaluate_program;
use app::domain::commission::plan::{Model, PeriodKind, Plan, Qualification, Recurring, Rule};
use app::domain::tiers::{Criteria, Ladder, Tier};
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use time::OffsetDateTime;

fn tier(name: &str, criteria: Criteria, plan_id: Option<i64>, protection_days: Option<i32>) -> Tier {
    Tier {
        name: name.into(),
        criteria,
        plan_id,
        protection_days,
        mdf_share: None,
    }
}

/// `tier` with a share of allocations by tier shares, in percent.
fn with_mdf_share(tier: Tier, percent: i64) -> Tier {
    Tier {
        mdf_share: Some(Decimal::from(percent)),
        ..tier
    }
}

/// A round threshold: `amount` rounded up to the next hundred.
fn hundreds(amount: Decimal) -> Decimal {
    let hundred = Decimal::from(100);
    (amount / hundred).ceil() * hundred
}

pub async fn seed(conn: &mut AsyncPgConnection, base_url: &str, now: OffsetDateTime) -> Result<(), AppError> {
    if let Some((program, _)) = programs::find_by_slug(conn, "acme-affiliates").await? {
        if tiers::ladder(conn, program.id).await?.tiers.is_empty() {
            affiliates(conn, program.id, &program.currency, base_url, now).await?;
        }
    }
    if let Some((program, _)) = programs::find_by_slug(conn, "acme-resellers").await? {
        if tiers::ladder(conn, program.id).await?.tiers.is_empty() {
            resellers(conn, program.id, base_url, now).await?;
        }
    }
    Ok(())
}

async fn affiliates(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    currency: &str,
    base_url: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let gold_plan = Plan {
        currency: currency.into(),
        period: PeriodKind::Month,
        rules: vec![Rule {
            events: vec!["sale".into()],
            model: Model::Percent {
                rate: Decimal::from(25),
            },
            recurring: Recurring::Lifetime,
            qualify: Qualification::default(),
        }],
        cap_per_conversion: None,
        cap_per_period: None,
        override_shares: vec![Decimal::from(10)],
        override_cap: None,
    };
    let gold = plans::insert(conn, program_id, "Gold creators 25%", &gold_plan, None, now)
        .await?
        .map(|row| row.id);
    // Ana's revenue over the window sets the thresholds: Silver at half of it, Gold a quarter above.
    let ana = partners::find_by_email(conn, "ana@brightreviews.test").await?;
    let figures = tiers::figures(conn, program_id, ana.as_ref().map(|p| p.id), 90, now).await?;
    let revenue = figures
        .first()
        .map_or(Decimal::from(4000), |f| f.measures().revenue.max(Decimal::from(400)));
    let revenue_at_least = |amount: Decimal| Criteria {
        min_revenue: amount,
        ..Criteria::default()
    };
    let ladder = Ladder {
        window_days: 90,
        grace_days: 30,
        tiers: vec![
            tier("Registered", Criteria::default(), None, None),
            tier(
                "Silver",
                revenue_at_least(hundreds(revenue / Decimal::from(2))),
                None,
                None,
            ),
            tier(
                "Gold",
                Criteria {
                    min_conversions: 5,
                    ..revenue_at_least(hundreds(revenue * Decimal::new(125, 2)))
                },
                gold,
                None,
            ),
        ],
    };
    tiers::replace(conn, program_id, &ladder).await?;
    evaluate_program(conn, program_id, None, None, base_url, now).await?;
    Ok(())
}

async fn resellers(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    base_url: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let won = |deals: i64, value: i64| Criteria {
        min_won_deals: deals,
        min_won_value: Decimal::from(value),
        ..Criteria::default()
    };
    let ladder = Ladder {
        window_days: 365,
        grace_days: 60,
        tiers: vec![
            tier("Registered", Criteria::default(), None, None),
            with_mdf_share(tier("Silver", won(1, 10_000), None, Some(120)), 30),
            with_mdf_share(
                tier(
                    "Gold",
                    Criteria {
                        min_days_in_program: 30,
                        ..won(3, 100_000)
                    },
                    None,
                    Some(180),
                ),
                60,
            ),
        ],
    };
    tiers::replace(conn, program_id, &ladder).await?;
    evaluate_program(conn, program_id, None, None, base_url, now).await?;
    Ok(())
}
