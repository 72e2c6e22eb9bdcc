//! Running totals of a partner's conversions per program, UTC month and event, with the accrual
//! each earned (`partner_month_totals`). Accrual adds to them under the partner's accrual lock,
//! so the commission engine reads a period in a handful of rows however many conversions the
//! partner has. `recount_differences` checks them against the conversions themselves.

use crate::backend::repos::conversions::ConversionRow;
use crate::backend::schema::partner_month_totals;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::{Date, OffsetDateTime, UtcOffset};

/// One row: a month's conversions of one event.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = partner_month_totals)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct MonthTotal {
    pub month: Date,
    pub event: String,
    pub conversions: i64,
    pub revenue: Decimal,
    pub net: Decimal,
    pub commission: Decimal,
}

/// The first day of the UTC month `at` falls in.
pub fn month_of(at: OffsetDateTime) -> Date {
    at.to_offset(UtcOffset::UTC)
        .date()
        .replace_day(1)
        .expect("every month has a first day")
}

/// Adds one conversion, credited to `partner_id`, and the accrual it earned (zero when it
/// earned none).
pub async fn add(
    conn: &AsyncPgConnection,
    conversion: &ConversionRow,
    partner_id: i64,
    commission: Decimal,
) -> QueryResult<()> {
    add_many(conn, &[MonthDelta::of(conversion, partner_id, commission)]).await
}

/// What one batch adds to one (program, partner, month, event) total.
#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = partner_month_totals)]
pub struct MonthDelta {
    pub program_id: i64,
    pub partner_id: i64,
    pub month: Date,
    pub event: String,
    pub conversions: i64,
    pub revenue: Decimal,
    pub net: Decimal,
    pub commission: Decimal,
}

impl MonthDelta {
    /// One conversion credited to `partner_id`, with the accrual it earned.
    pub fn of(conversion: &ConversionRow, partner_id: i64, commission: Decimal) -> Self {
        let revenue = conversion.amount.unwrap_or_default();
        Self {
            program_id: conversion.program_id,
            partner_id,
            month: month_of(conversion.occurred_at),
            event: conversion.event.clone(),
            conversions: 1,
            revenue,
            net: revenue - conversion.deductions,
            commission,
        }
    }

    /// Adds another delta of the same total.
    pub fn absorb(&mut self, other: &MonthDelta) {
        self.conversions += other.conversions;
        self.revenue += other.revenue;
        self.net += other.net;
        self.commission += other.commission;
    }

    /// Adds the delta to a total kept in memory.
    pub fn apply_to(&self, total: &mut MonthTotal) {
        total.conversions += self.conversions;
        total.revenue += self.revenue;
        total.net += self.net;
        total.commission += self.commission;
    }
}

/// Adds a batch's deltas, one per total (in the order given: callers sort them, so concurrent
/// batches lock rows in the same order).
pub async fn add_many(mut conn: &AsyncPgConnection, deltas: &[MonthDelta]) -> QueryResult<()> {
    if deltas.is_empty() {
        return Ok(());
    }
    use partner_month_totals::dsl as t;
    diesel::insert_into(partner_month_totals::table)
        .values(deltas)
        .on_conflict((t::program_id, t::partner_id, t::month, t::event))
        .do_update()
        .set((
            t::conversions.eq(t::conversions + excluded(t::conversions)),
            t::revenue.eq(t::revenue + excluded(t::revenue)),
            t::net.eq(t::net + excluded(t::net)),
            t::commission.eq(t::commission + excluded(t::commission)),
        ))
        .execute(&mut conn)
        .await
        .map(drop)
}

/// Every total of the partners in any of the programs, as (program, partner, total), in month
/// order: what a batch keeps in memory while it accrues.
pub async fn of_partners(
    mut conn: &AsyncPgConnection,
    program_ids: &[i64],
    partner_ids: &[i64],
) -> QueryResult<Vec<(i64, i64, MonthTotal)>> {
    use partner_month_totals::dsl as t;
    partner_month_totals::table
        .filter(t::program_id.eq_any(program_ids))
        .filter(t::partner_id.eq_any(partner_ids))
        .order((t::month.asc(), t::event.asc()))
        .select((t::program_id, t::partner_id, MonthTotal::as_select()))
        .load(&mut conn)
        .await
}

/// The partner's totals of every event for the months in `from..until`.
pub async fn between(
    mut conn: &AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    from: Date,
    until: Date,
) -> QueryResult<Vec<MonthTotal>> {
    use partner_month_totals::dsl as t;
    partner_month_totals::table
        .filter(t::program_id.eq(program_id))
        .filter(t::partner_id.eq(partner_id))
        .filter(t::month.ge(from))
        .filter(t::month.lt(until))
        .select(MonthTotal::as_select())
        .load(&mut conn)
        .await
}

/// The partner's totals of `events` for every month before `until`, oldest first.
pub async fn before(
    mut conn: &AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    until: Date,
    events: &[String],
) -> QueryResult<Vec<MonthTotal>> {
    use partner_month_totals::dsl as t;
    partner_month_totals::table
        .filter(t::program_id.eq(program_id))
        .filter(t::partner_id.eq(partner_id))
        .filter(t::month.lt(until))
        .filter(t::event.eq_any(events))
        .order(t::month.asc())
        .select(MonthTotal::as_select())
        .load(&mut conn)
        .await
}

/// The totals recounted from the conversions and their accruals.
const RECOUNT: &str = "SELECT v.program_id, v.partner_id,
        date_trunc('month', v.occurred_at AT TIME ZONE 'UTC')::date AS month, v.event,
        count(*) AS conversions, COALESCE(sum(v.amount), 0) AS revenue,
        sum(COALESCE(v.amount, 0) - v.deductions) AS net, COALESCE(sum(c.amount), 0) AS commission
    FROM conversions v
    LEFT JOIN commissions c ON c.conversion_id = v.id AND c.kind = 'commission'
    WHERE v.partner_id IS NOT NULL
    GROUP BY 1, 2, 3, 4";

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// How many (program, partner, month, event) totals differ from a recount: zero when the
/// running totals are right.
pub async fn recount_differences(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
    let count: Count = diesel::sql_query(format!(
        "SELECT count(*) AS n
         FROM ({RECOUNT}) r
         FULL JOIN partner_month_totals t USING (program_id, partner_id, month, event)
         WHERE (r.conversions, r.revenue, r.net, r.commission)
               IS DISTINCT FROM (t.conversions, t.revenue, t.net, t.commission)"
    ))
    .get_result(conn)
    .await?;
    Ok(count.n)
}

/// Replaces every total with a recount, for conversions stored without accrual (bulk loads in
/// benchmarks). Accruals wait meanwhile, so none lands in between.
pub async fn rebuild(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    use diesel_async::AsyncConnection;
    conn.transaction(async |conn| {
        diesel::sql_query("LOCK TABLE partner_month_totals IN EXCLUSIVE MODE")
            .execute(conn)
            .await?;
        diesel::sql_query("DELETE FROM partner_month_totals")
            .execute(conn)
            .await?;
        diesel::sql_query(format!(
            "INSERT INTO partner_month_totals
                 (program_id, partner_id, month, event, conversions, revenue, net, commission) {RECOUNT}"
        ))
        .execute(conn)
        .await
        .map(drop)
    })
    .await
}
