//! Demo commission plans: the affiliates' program pays 20% up to EUR 5,000 of monthly revenue
//! and 25% above it (marginal), EUR 5 per lead, and 10% overrides to masters; the resellers'
//! program pays a flat referral fee and 10% of won deals. Small commissions are approved
//! automatically, large ones need a manager and then finance.

use app::api::error::AppError;
use app::backend::commissions::terms;
use app::backend::deals::progress::WON_EVENT;
use app::backend::repos::commission_settings::{self, CommissionSettings};
use app::backend::repos::{memberships, plans};
use app::domain::commission::plan::{
    Band, Model, PeriodKind, Plan, Qualification, Recurring, Rule, TierBasis, TierMode, TierPays,
};
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use time::OffsetDateTime;

fn rule(events: &[&str], model: Model) -> Rule {
    Rule {
        events: events.iter().map(|e| e.to_string()).collect(),
        model,
        recurring: Recurring::Lifetime,
        qualify: Qualification::default(),
    }
}

fn demo_plan(slug: &str, currency: &str) -> (&'static str, Plan) {
    let d = Decimal::from;
    let mut plan = Plan {
        currency: currency.into(),
        period: PeriodKind::Month,
        rules: vec![],
        cap_per_conversion: None,
        cap_per_period: None,
        override_shares: vec![],
        override_cap: None,
    };
    if slug == "acme-affiliates" {
        plan.rules = vec![
            rule(
                &["sale"],
                Model::Tiered {
                    basis: TierBasis::Revenue,
                    mode: TierMode::Marginal,
                    pays: TierPays::Percent,
                    bands: vec![
                        Band {
                            from: d(0),
                            to: Some(d(5000)),
                            value: d(20),
                        },
                        Band {
                            from: d(5000),
                            to: None,
                            value: d(25),
                        },
                    ],
                },
            ),
            rule(&["lead"], Model::Flat { amount: d(5) }),
        ];
        plan.override_shares = vec![d(10)];
        ("Creators 2026", plan)
    } else {
        plan.rules = vec![
            rule(&["sale"], Model::Flat { amount: d(50) }),
            // A won registered deal pays a resale margin on its value.
            rule(&[WON_EVENT], Model::Percent { rate: d(10) }),
        ];
        ("Referral fee and resale margin", plan)
    }
}

pub async fn seed_program(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    currency: &str,
    slug: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let (name, plan) = demo_plan(slug, currency);
    let Some(row) = plans::insert(conn, program_id, name, &plan, None, now).await? else {
        return Ok(());
    };
    plans::set_default(conn, program_id, row.id).await?;
    commission_settings::update(
        conn,
        program_id,
        &CommissionSettings {
            auto_approve_below: Some(Decimal::from(25)),
            finance_above: Some(Decimal::from(500)),
            lock_days: 30,
            sla_remind_hours: 48,
            sla_escalate_hours: 96,
            sub_partner_invites: slug == "acme-affiliates",
        },
    )
    .await?;
    for partner_id in memberships::active_partner_ids(conn, program_id).await? {
        terms::ensure_initial(conn, program_id, partner_id, now - time::Duration::days(60)).await?;
    }
    Ok(())
}
