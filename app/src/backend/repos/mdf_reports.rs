//! MDF for the pipeline report: how much of each fund is used, and what each activity's won
//! deals brought in against what the activity cost. Filters are the report's: program, partner
//! kind, and dates (funds whose period overlaps them).

use super::deal_reports::Filter;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date as SqlDate, Nullable, Numeric, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;

/// `$1` the filter's programs, `$2` partner kind (of the balance's or request's partner `x`),
/// `$3` and `$4` the dates, against fund `f`.
const SCOPE: &str = "f.program_id = ANY($1) \
     AND ($2::text IS NULL OR x.partner_id IN (SELECT id FROM partners WHERE kind = $2)) \
     AND ($3::date IS NULL OR f.period_end >= $3) AND ($4::date IS NULL OR f.period_start <= $4)";

fn scoped(
    sql: String,
    filter: &Filter,
) -> diesel::query_builder::BoxedSqlQuery<'static, diesel::pg::Pg, diesel::query_builder::SqlQuery> {
    diesel::sql_query(sql)
        .into_boxed()
        .bind::<Array<BigInt>, _>(filter.programs())
        .bind::<Nullable<Text>, _>(filter.partner_kind.clone())
        .bind::<Nullable<SqlDate>, _>(filter.from)
        .bind::<Nullable<SqlDate>, _>(filter.to)
}

/// One fund's balances summed over its partners.
#[derive(Clone, Debug, PartialEq, QueryableByName)]
pub struct FundUse {
    #[diesel(sql_type = Text)]
    pub program: String,
    #[diesel(sql_type = Text)]
    pub fund: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub partners: i64,
    #[diesel(sql_type = Numeric)]
    pub allocated: Decimal,
    /// Approved for activities (claimed or not), payable and paid.
    #[diesel(sql_type = Numeric)]
    pub committed: Decimal,
    #[diesel(sql_type = Numeric)]
    pub claimed: Decimal,
    #[diesel(sql_type = Numeric)]
    pub paid: Decimal,
    #[diesel(sql_type = Numeric)]
    pub expired: Decimal,
    #[diesel(sql_type = Numeric)]
    pub available: Decimal,
}

pub async fn fund_use(conn: &mut AsyncPgConnection, filter: &Filter) -> QueryResult<Vec<FundUse>> {
    scoped(
        format!(
            "SELECT g.name AS program, f.name AS fund, f.currency, count(*) AS partners, \
             sum(x.allocated) AS allocated, sum(x.committed) AS committed, sum(x.claimed) AS claimed, \
             sum(x.paid) AS paid, sum(x.expired) AS expired, sum(x.available) AS available \
             FROM mdf_balances x JOIN mdf_funds f ON f.id = x.fund_id JOIN programs g ON g.id = f.program_id \
             WHERE {SCOPE} GROUP BY g.name, f.id ORDER BY f.period_start DESC, f.id"
        ),
        filter,
    )
    .load(conn)
    .await
}

/// One activity: what its approved claim cost and what the won deals it sourced brought in.
#[derive(Clone, Debug, PartialEq, QueryableByName)]
pub struct ActivityReturn {
    #[diesel(sql_type = BigInt)]
    pub request_id: i64,
    #[diesel(sql_type = Text)]
    pub partner: String,
    #[diesel(sql_type = Text)]
    pub activity: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Numeric)]
    pub cost: Decimal,
    #[diesel(sql_type = BigInt)]
    pub won_deals: i64,
    #[diesel(sql_type = Numeric)]
    pub revenue: Decimal,
}

/// Activities with an approved claim or a won deal. Revenue counts won deals in the fund's
/// currency (a program's deals are in its currency, like its funds).
pub async fn activity_returns(conn: &mut AsyncPgConnection, filter: &Filter) -> QueryResult<Vec<ActivityReturn>> {
    scoped(
        format!(
            "SELECT x.id AS request_id, p.name AS partner, x.activity, f.currency, \
             coalesce((SELECT sum(c.approved_amount) FROM mdf_claims c WHERE c.request_id = x.id AND c.status = 'approved'), 0) AS cost, \
             (SELECT count(*) FROM deals d WHERE d.mdf_request_id = x.id AND d.status = 'won') AS won_deals, \
             coalesce((SELECT sum(d.value) FROM deals d WHERE d.mdf_request_id = x.id AND d.status = 'won' AND d.currency = f.currency), 0) AS revenue \
             FROM mdf_requests x JOIN mdf_funds f ON f.id = x.fund_id JOIN partners p ON p.id = x.partner_id \
             WHERE {SCOPE} AND (EXISTS (SELECT 1 FROM mdf_claims c WHERE c.request_id = x.id AND c.status = 'approved') \
                 OR EXISTS (SELECT 1 FROM deals d WHERE d.mdf_request_id = x.id AND d.status = 'won')) \
             ORDER BY x.id DESC"
        ),
        filter,
    )
    .load(conn)
    .await
}
