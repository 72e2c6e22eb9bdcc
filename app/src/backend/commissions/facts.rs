//! The engine's inputs for one conversion, read from the partner's running month totals. The
//! caller holds the partner's accrual lock and adds the conversion to the totals only after
//! computing, so "before" means every conversion accrued before this one, and reading a period
//! costs a few rows however many conversions it holds.

use crate::backend::repos::conversions::ConversionRow;
use crate::backend::repos::month_totals::{self, MonthTotal};
use crate::domain::commission::plan::{Model, PeriodKind, Plan};
use crate::domain::commission::{carryover, periods, Inputs};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::{Date, OffsetDateTime};

/// Serializes accruals per partner and program, so period totals are read and extended by one
/// conversion at a time.
pub async fn lock_partner(mut conn: &AsyncPgConnection, program_id: i64, partner_id: i64) -> QueryResult<()> {
    AccrualLock { program_id, partner_id }
        .execute(&mut conn)
        .await
        .map(drop)
}

/// The lock statement as a query type, not `sql_query`, so that Diesel keeps it prepared (by its
/// text) instead of PostgreSQL parsing and planning it for every conversion.
struct AccrualLock {
    program_id: i64,
    partner_id: i64,
}

impl QueryId for AccrualLock {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl QueryFragment<Pg> for AccrualLock {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("SELECT pg_advisory_xact_lock(hashtextextended('accrual:' || ");
        out.push_bind_param::<BigInt, _>(&self.program_id)?;
        out.push_sql(" || ':' || ");
        out.push_bind_param::<BigInt, _>(&self.partner_id)?;
        out.push_sql(", 0))");
        Ok(())
    }
}

/// [`lock_partner`] for every (program, partner) of a batch, taken in sorted order so that
/// batches running at once can't wait for each other in a circle.
pub async fn lock_partners(mut conn: &AsyncPgConnection, pairs: &[(i64, i64)]) -> QueryResult<()> {
    let mut pairs = pairs.to_vec();
    pairs.sort_unstable();
    pairs.dedup();
    let (program_ids, partner_ids): (Vec<i64>, Vec<i64>) = pairs.into_iter().unzip();
    if program_ids.is_empty() {
        return Ok(());
    }
    AccrualLocks {
        program_ids,
        partner_ids,
    }
    .execute(&mut conn)
    .await
    .map(drop)
}

/// The locks of [`AccrualLock`], one per row of the arrays, taken in array order.
struct AccrualLocks {
    program_ids: Vec<i64>,
    partner_ids: Vec<i64>,
}

impl QueryId for AccrualLocks {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl QueryFragment<Pg> for AccrualLocks {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("SELECT pg_advisory_xact_lock(hashtextextended('accrual:' || p || ':' || q, 0)) FROM unnest(");
        out.push_bind_param::<Array<BigInt>, _>(&self.program_ids)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.partner_ids)?;
        out.push_sql(") AS locks (p, q)");
        Ok(())
    }
}

/// What the engine needs besides the plan. `country` and `customer_since` come from the
/// caller (the conversion, its click, the customer binding).
pub async fn inputs(
    conn: &AsyncPgConnection,
    plan: &Plan,
    conversion: &ConversionRow,
    partner_id: i64,
    country: Option<String>,
    customer_since: Option<OffsetDateTime>,
) -> QueryResult<Inputs> {
    let needs = Needs::of(plan, conversion);
    let period = month_totals::between(conn, conversion.program_id, partner_id, needs.from, needs.until).await?;
    let history = if needs.carries {
        month_totals::before(conn, conversion.program_id, partner_id, needs.from, &needs.events).await?
    } else {
        Vec::new()
    };
    Ok(needs.inputs(conversion, country, customer_since, &period, &history))
}

/// Which of the partner's month totals one conversion's inputs come from: the months of its
/// period, and for carryover plans the rule's events in every month before.
pub struct Needs<'a> {
    plan: &'a Plan,
    from: Date,
    until: Date,
    events: Vec<String>,
    carries: bool,
}

impl<'a> Needs<'a> {
    pub fn of(plan: &'a Plan, conversion: &ConversionRow) -> Self {
        let (start, end) = periods::bounds(plan.period, conversion.occurred_at);
        let rule = plan.rule_for(&conversion.event).map(|(_, rule)| rule);
        let events = rule
            .map(|r| r.events.clone())
            .unwrap_or_else(|| vec![conversion.event.clone()]);
        let carries = rule.is_some_and(|r| {
            matches!(
                r.model,
                Model::RevShare { carryover: true, .. } | Model::Hybrid { carryover: true, .. }
            )
        });
        Self {
            plan,
            from: month_totals::month_of(start),
            until: month_totals::month_of(end),
            events,
            carries,
        }
    }

    /// The inputs from every month total the partner has (in month order), as [`inputs`] reads
    /// them from the database: for accruing a batch from totals kept in memory.
    pub fn inputs_from_all(
        &self,
        conversion: &ConversionRow,
        country: Option<String>,
        customer_since: Option<OffsetDateTime>,
        all: &[MonthTotal],
    ) -> Inputs {
        let period: Vec<MonthTotal> = all
            .iter()
            .filter(|m| m.month >= self.from && m.month < self.until)
            .cloned()
            .collect();
        let history: Vec<MonthTotal> = if self.carries {
            all.iter()
                .filter(|m| m.month < self.from && self.events.contains(&m.event))
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        self.inputs(conversion, country, customer_since, &period, &history)
    }

    fn inputs(
        &self,
        conversion: &ConversionRow,
        country: Option<String>,
        customer_since: Option<OffsetDateTime>,
        period: &[MonthTotal],
        history: &[MonthTotal],
    ) -> Inputs {
        let totals = PeriodTotals::of(period, &self.events);
        let carry_in = if self.carries {
            carryover::carry_in(&period_nets(self.plan.period, history))
        } else {
            Decimal::ZERO
        };
        Inputs {
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
        }
    }
}

/// A period's totals before the conversion being accrued (which accrual adds only afterwards).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct PeriodTotals {
    /// Conversions of the rule's events, their revenue, net revenue and accruals.
    count: i64,
    revenue: Decimal,
    net: Decimal,
    paid: Decimal,
    /// Accruals on every event.
    earned: Decimal,
}

impl PeriodTotals {
    fn of(months: &[MonthTotal], events: &[String]) -> Self {
        let mut totals = Self::default();
        for month in months {
            totals.earned += month.commission;
            if events.contains(&month.event) {
                totals.count += month.conversions;
                totals.revenue += month.revenue;
                totals.net += month.net;
                totals.paid += month.commission;
            }
        }
        totals
    }
}

/// Net revenue per period, oldest first, from month totals in month order; periods without
/// conversions are absent, as the carryover rule expects.
fn period_nets(kind: PeriodKind, history: &[MonthTotal]) -> Vec<Decimal> {
    let mut nets: Vec<(Date, Decimal)> = Vec::new();
    for month in history {
        let (period, _) = periods::bounds(kind, month.month.midnight().assume_utc());
        match nets.last_mut() {
            Some((last, net)) if *last == period.date() => *net += month.net,
            _ => nets.push((period.date(), month.net)),
        }
    }
    nets.into_iter().map(|(_, net)| net).collect()
}
