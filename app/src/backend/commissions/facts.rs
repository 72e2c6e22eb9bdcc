//! The engine's inputs for one conversion, read from the ledger and the conversions of the
//! partner's period. The caller holds the partner's accrual lock, so "before" means every
//! conversion accrued before this one.

use crate::backend::repos::conversions::ConversionRow;
use crate::domain::commission::plan::{Model, Plan};
use crate::domain::commission::{carryover, periods, Inputs};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Numeric, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;

/// Serializes accruals per partner and program, so period totals are read and extended by one
/// conversion at a time.
pub async fn lock_partner(conn: &mut AsyncPgConnection, program_id: i64, partner_id: i64) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended('accrual:' || $1 || ':' || $2, 0))")
        .bind::<BigInt, _>(program_id)
        .bind::<BigInt, _>(partner_id)
        .execute(conn)
        .await
        .map(drop)
}

#[derive(QueryableByName)]
struct PeriodTotals {
    #[diesel(sql_type = BigInt)]
    count: i64,
    #[diesel(sql_type = Numeric)]
    revenue: Decimal,
    #[diesel(sql_type = Numeric)]
    net: Decimal,
    #[diesel(sql_type = Numeric)]
    paid: Decimal,
    #[diesel(sql_type = Numeric)]
    earned: Decimal,
}

#[derive(QueryableByName)]
struct PeriodNet {
    #[diesel(sql_type = Numeric)]
    net: Decimal,
}

/// What the engine needs besides the plan. `country` and `customer_since` come from the
/// caller (the conversion, its click, the customer binding).
pub async fn inputs(
    conn: &mut AsyncPgConnection,
    plan: &Plan,
    conversion: &ConversionRow,
    partner_id: i64,
    country: Option<String>,
    customer_since: Option<OffsetDateTime>,
) -> QueryResult<Inputs> {
    let (start, end) = periods::bounds(plan.period, conversion.occurred_at);
    let rule = plan.rule_for(&conversion.event).map(|(_, rule)| rule);
    let events: Vec<String> = rule
        .map(|r| r.events.clone())
        .unwrap_or_else(|| vec![conversion.event.clone()]);
    // Conversions of the rule's events in the period, and what the ledger holds for them.
    let totals: PeriodTotals = diesel::sql_query(
        "SELECT count(*) FILTER (WHERE v.event = ANY($5)) AS count,
                COALESCE(sum(v.amount) FILTER (WHERE v.event = ANY($5)), 0) AS revenue,
                COALESCE(sum(COALESCE(v.amount, 0) - v.deductions) FILTER (WHERE v.event = ANY($5)), 0) AS net,
                COALESCE(sum(c.amount) FILTER (WHERE v.event = ANY($5)), 0) AS paid,
                COALESCE(sum(c.amount), 0) AS earned
         FROM conversions v
         LEFT JOIN commissions c ON c.conversion_id = v.id AND c.kind = 'commission'
         WHERE v.program_id = $1 AND v.partner_id = $2 AND v.occurred_at >= $3 AND v.occurred_at < $4
           AND v.id <> $6",
    )
    .bind::<BigInt, _>(conversion.program_id)
    .bind::<BigInt, _>(partner_id)
    .bind::<Timestamptz, _>(start)
    .bind::<Timestamptz, _>(end)
    .bind::<Array<Text>, _>(&events)
    .bind::<BigInt, _>(conversion.id)
    .get_result(conn)
    .await?;
    let carries = rule.is_some_and(|r| {
        matches!(
            r.model,
            Model::RevShare { carryover: true, .. } | Model::Hybrid { carryover: true, .. }
        )
    });
    let carry_in = if carries {
        let nets: Vec<PeriodNet> = diesel::sql_query(format!(
            "SELECT date_trunc('{}', occurred_at AT TIME ZONE 'UTC') AS period,
                    sum(COALESCE(amount, 0) - deductions) AS net
             FROM conversions
             WHERE program_id = $1 AND partner_id = $2 AND occurred_at < $3 AND event = ANY($4)
             GROUP BY 1 ORDER BY 1",
            plan.period.as_str()
        ))
        .bind::<BigInt, _>(conversion.program_id)
        .bind::<BigInt, _>(partner_id)
        .bind::<Timestamptz, _>(start)
        .bind::<Array<Text>, _>(&events)
        .load(conn)
        .await?;
        carryover::carry_in(&nets.into_iter().map(|n| n.net).collect::<Vec<_>>())
    } else {
        Decimal::ZERO
    };
    Ok(Inputs {
        event: conversion.event.clone(),
        amount: conversion.amount,
        deductions: conversion.deductions,
        country,
        customer_months: customer_since.map(|since| periods::whole_months(since, conversion.occurred_at)),
        period_count_before: totals.count.max(0) as u64,
        period_revenue_before: totals.revenue,
        period_paid_before: totals.paid,
        period_earned_before: totals.earned,
        period_net_before: totals.net,
        carry_in,
    })
}
