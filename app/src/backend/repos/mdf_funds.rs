//! MDF funds, their allocations (append-only) and each partner's balance row in a fund. The
//! balance row is where the budget guarantee lives: `mdf_balances_within_allocation` refuses
//! any change that would commit more than was allocated, and every change adds to the stored
//! numbers (`committed = committed + x`), so concurrent approvals can't overwrite each other.

use crate::backend::schema::{
    mdf_allocations as al, mdf_balances as bal, mdf_funds as funds, program_memberships as pm,
};
use crate::domain::mdf::balance::Share;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date as SqlDate, Nullable, Numeric, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::{Date, OffsetDateTime};

/// The constraint that keeps committed (plus expired) funds within the allocation.
pub const WITHIN_ALLOCATION: &str = "mdf_balances_within_allocation";

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = funds)]
pub struct FundRow {
    pub id: i64,
    pub program_id: i64,
    pub name: String,
    pub period_start: Date,
    pub period_end: Date,
    pub claim_days: i32,
    pub currency: String,
    pub created_at: OffsetDateTime,
    pub expired_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = funds)]
pub struct NewFund {
    pub program_id: i64,
    pub name: String,
    pub period_start: Date,
    pub period_end: Date,
    pub claim_days: i32,
    pub currency: String,
    pub created_by: Option<i64>,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Queryable, Selectable, QueryableByName)]
#[diesel(table_name = bal)]
pub struct BalanceRow {
    pub fund_id: i64,
    pub partner_id: i64,
    pub allocated: Decimal,
    pub requested: Decimal,
    pub approved: Decimal,
    pub claimed: Decimal,
    pub paid: Decimal,
    pub committed: Decimal,
    pub expired: Decimal,
    pub available: Decimal,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = al)]
pub struct NewAllocation {
    pub fund_id: i64,
    pub program_id: i64,
    pub partner_id: i64,
    pub amount: Decimal,
    pub source: String,
    pub tier: Option<String>,
    pub percent: Option<Decimal>,
    pub revenue: Option<Decimal>,
    pub revenue_from: Option<Date>,
    pub revenue_to: Option<Date>,
    pub segment_name: Option<String>,
    /// For an allocation by tier shares: the tier's share, the pool and how many split it.
    pub tier_share: Option<Decimal>,
    pub pool: Option<Decimal>,
    pub split_among: Option<i32>,
    pub created_by: Option<i64>,
    pub created_at: OffsetDateTime,
}

pub async fn insert_fund(conn: &mut AsyncPgConnection, fund: &NewFund) -> QueryResult<FundRow> {
    diesel::insert_into(funds::table)
        .values(fund)
        .returning(FundRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn get_fund(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Option<FundRow>> {
    funds::table
        .find(id)
        .select(FundRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The program's funds, newest period first.
pub async fn funds_of_program(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<FundRow>> {
    funds::table
        .filter(funds::program_id.eq(program_id))
        .order((funds::period_start.desc(), funds::id.desc()))
        .select(FundRow::as_select())
        .load(conn)
        .await
}

/// Adds an allocation and the amount to the partner's balance row (made on first use).
pub async fn allocate(conn: &mut AsyncPgConnection, allocation: &NewAllocation) -> QueryResult<i64> {
    let id = diesel::insert_into(al::table)
        .values(allocation)
        .returning(al::id)
        .get_result(conn)
        .await?;
    diesel::insert_into(bal::table)
        .values((
            bal::fund_id.eq(allocation.fund_id),
            bal::partner_id.eq(allocation.partner_id),
            bal::allocated.eq(allocation.amount),
            bal::updated_at.eq(allocation.created_at),
        ))
        .on_conflict((bal::fund_id, bal::partner_id))
        .do_update()
        .set((
            bal::allocated.eq(bal::allocated + allocation.amount),
            bal::updated_at.eq(allocation.created_at),
        ))
        .execute(conn)
        .await?;
    Ok(id)
}

#[derive(Clone, Debug, QueryableByName)]
pub struct AllocationLine {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub fund_id: i64,
    #[diesel(sql_type = BigInt)]
    pub partner_id: i64,
    #[diesel(sql_type = Text)]
    pub partner_name: String,
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
    #[diesel(sql_type = Text)]
    pub source: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub tier: Option<String>,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub percent: Option<Decimal>,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub revenue: Option<Decimal>,
    #[diesel(sql_type = Nullable<SqlDate>)]
    pub revenue_from: Option<Date>,
    #[diesel(sql_type = Nullable<SqlDate>)]
    pub revenue_to: Option<Date>,
    #[diesel(sql_type = Nullable<Text>)]
    pub segment_name: Option<String>,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub tier_share: Option<Decimal>,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub pool: Option<Decimal>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Integer>)]
    pub split_among: Option<i32>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: OffsetDateTime,
}

/// Every allocation of the funds, in one query: by fund, each fund's newest first.
pub async fn allocations_of_funds(conn: &mut AsyncPgConnection, fund_ids: &[i64]) -> QueryResult<Vec<AllocationLine>> {
    diesel::sql_query(
        "SELECT a.id, a.fund_id, a.partner_id, p.name AS partner_name, a.amount, a.source, a.tier, a.percent,
                a.revenue, a.revenue_from, a.revenue_to, a.segment_name, a.tier_share, a.pool, a.split_among, a.created_at
         FROM mdf_allocations a JOIN partners p ON p.id = a.partner_id
         WHERE a.fund_id = ANY($1) ORDER BY a.fund_id, a.id DESC",
    )
    .bind::<Array<BigInt>, _>(fund_ids)
    .load(conn)
    .await
}

/// Every partner's balance in each of the funds, with names, in one query: by fund, each
/// fund's by name.
pub async fn balances_of_funds(
    conn: &mut AsyncPgConnection,
    fund_ids: &[i64],
) -> QueryResult<Vec<(BalanceRow, String)>> {
    use crate::backend::schema::partners;
    bal::table
        .inner_join(partners::table.on(partners::id.eq(bal::partner_id)))
        .filter(bal::fund_id.eq_any(fund_ids))
        .order((bal::fund_id.asc(), partners::name.asc(), bal::partner_id.asc()))
        .select((BalanceRow::as_select(), partners::name))
        .load(conn)
        .await
}

/// Active members of the program with this tier (any case).
pub async fn tier_members(conn: &mut AsyncPgConnection, program_id: i64, tier: &str) -> QueryResult<Vec<i64>> {
    pm::table
        .filter(pm::program_id.eq(program_id))
        .filter(pm::status.eq("active"))
        .filter(crate::backend::sql::lower(pm::tier.assume_not_null()).eq(tier.to_lowercase()))
        .select(pm::partner_id)
        .order(pm::partner_id.asc())
        .load(conn)
        .await
}

#[derive(Clone, Debug, QueryableByName)]
pub struct PartnerRevenue {
    #[diesel(sql_type = BigInt)]
    pub partner_id: i64,
    #[diesel(sql_type = Numeric)]
    pub revenue: Decimal,
}

/// Each active member's revenue in the program between two dates (inclusive, UTC): the sum of
/// its attributed conversions' amounts in the program's currency. Members with none are left out.
pub async fn revenue_by_partner(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    from: Date,
    to: Date,
) -> QueryResult<Vec<PartnerRevenue>> {
    diesel::sql_query(
        "SELECT c.partner_id, sum(c.amount) AS revenue
         FROM conversions c
         JOIN programs pr ON pr.id = c.program_id
         JOIN program_memberships m ON m.partner_id = c.partner_id AND m.program_id = c.program_id
         WHERE c.program_id = $1 AND m.status = 'active' AND c.amount IS NOT NULL
           AND COALESCE(c.currency, pr.currency) = pr.currency
           AND c.occurred_at >= $2::date AND c.occurred_at < ($3::date + 1)
         GROUP BY c.partner_id HAVING sum(c.amount) > 0 ORDER BY c.partner_id",
    )
    .bind::<BigInt, _>(program_id)
    .bind::<SqlDate, _>(from)
    .bind::<SqlDate, _>(to)
    .load(conn)
    .await
}

/// The partner's balance row in a fund, locked until the transaction ends.
pub async fn lock_balance(
    conn: &mut AsyncPgConnection,
    fund_id: i64,
    partner_id: i64,
) -> QueryResult<Option<BalanceRow>> {
    bal::table
        .find((fund_id, partner_id))
        .for_update()
        .select(BalanceRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn balance(conn: &mut AsyncPgConnection, fund_id: i64, partner_id: i64) -> QueryResult<Option<BalanceRow>> {
    bal::table
        .find((fund_id, partner_id))
        .select(BalanceRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Adds a transition's change to the stored balance. The database refuses (check violation on
/// `WITHIN_ALLOCATION`) when it would commit more than was allocated.
pub async fn apply(
    conn: &mut AsyncPgConnection,
    fund_id: i64,
    partner_id: i64,
    change: Share,
    expired: Decimal,
    now: OffsetDateTime,
) -> QueryResult<BalanceRow> {
    diesel::update(bal::table.find((fund_id, partner_id)))
        .set((
            bal::requested.eq(bal::requested + change.requested),
            bal::approved.eq(bal::approved + change.approved),
            bal::claimed.eq(bal::claimed + change.claimed),
            bal::paid.eq(bal::paid + change.paid),
            bal::committed.eq(bal::committed + change.committed),
            bal::expired.eq(bal::expired + expired),
            bal::updated_at.eq(now),
        ))
        .returning(BalanceRow::as_returning())
        .get_result(conn)
        .await
}

#[derive(Clone, Debug, QueryableByName)]
pub struct PartnerFund {
    #[diesel(sql_type = Text)]
    pub fund_name: String,
    #[diesel(sql_type = BigInt)]
    pub program_id: i64,
    #[diesel(sql_type = Text)]
    pub program_name: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = SqlDate)]
    pub period_start: Date,
    #[diesel(sql_type = SqlDate)]
    pub period_end: Date,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub claim_days: i32,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub expired_at: Option<OffsetDateTime>,
    #[diesel(embed)]
    pub balance: BalanceRow,
}

/// The partner's balance in every fund it has one in, current periods first. Scoped to the
/// partner (from the session) and to programs it is still active in.
pub async fn partner_funds(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<Vec<PartnerFund>> {
    diesel::sql_query(
        "SELECT f.name AS fund_name, f.program_id, pr.name AS program_name, f.currency,
                f.period_start, f.period_end, f.claim_days, f.expired_at,
                b.fund_id, b.partner_id, b.allocated, b.requested, b.approved, b.claimed, b.paid,
                b.committed, b.expired, b.available
         FROM mdf_balances b
         JOIN mdf_funds f ON f.id = b.fund_id
         JOIN programs pr ON pr.id = f.program_id
         JOIN program_memberships m ON m.partner_id = b.partner_id AND m.program_id = f.program_id
         WHERE b.partner_id = $1 AND m.status = 'active'
         ORDER BY (f.expired_at IS NULL) DESC, f.period_start DESC, f.id DESC",
    )
    .bind::<BigInt, _>(partner_id)
    .load(conn)
    .await
}

/// Funds whose period ended before `today` and that have not expired yet, locked; other
/// instances skip them.
pub async fn claim_due_expiries(conn: &mut AsyncPgConnection, today: Date, limit: i64) -> QueryResult<Vec<FundRow>> {
    funds::table
        .filter(funds::expired_at.is_null())
        .filter(funds::period_end.lt(today))
        .order(funds::id.asc())
        .limit(limit)
        .for_update()
        .skip_locked()
        .select(FundRow::as_select())
        .load(conn)
        .await
}

/// Marks the fund expired and moves every balance's uncommitted funds to expired. Returns each
/// partner's expired amount.
pub async fn expire(
    conn: &mut AsyncPgConnection,
    fund_id: i64,
    now: OffsetDateTime,
) -> QueryResult<Vec<(i64, Decimal)>> {
    diesel::update(funds::table.find(fund_id))
        .set(funds::expired_at.eq(now))
        .execute(conn)
        .await?;
    diesel::update(bal::table.filter(bal::fund_id.eq(fund_id)))
        .set((
            bal::expired.eq(bal::allocated - bal::committed),
            bal::updated_at.eq(now),
        ))
        .returning((bal::partner_id, bal::expired))
        .get_results(conn)
        .await
}

#[cfg(test)]
#[path = "mdf_funds_tests.rs"]
mod tests;
