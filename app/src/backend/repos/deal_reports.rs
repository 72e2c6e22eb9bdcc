//! The deal pipeline report's queries, for operators: every aggregate the page and its CSV
//! exports show. Amounts are summed per currency, never across currencies. The filters are
//! bound parameters; the SQL around them is fixed text in this file.

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date as SqlDate, Integer, Nullable, Numeric, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::{Date, OffsetDateTime};

/// What the report covers: one program or all of the operator's, one partner kind or all, and
/// registrations submitted between two dates (inclusive, UTC; either end open).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// The programs in the operator's scope: the report never reads beyond them (none: nothing).
    pub in_scope: Vec<i64>,
    pub program_id: Option<i64>,
    pub partner_kind: Option<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl Filter {
    /// The programs the report covers: the chosen one if it is in scope, or every one in scope.
    pub fn programs(&self) -> Vec<i64> {
        self.in_scope
            .iter()
            .copied()
            .filter(|id| self.program_id.is_none_or(|chosen| chosen == *id))
            .collect()
    }
}

/// The deals `d` the filter covers: `$1` its programs, `$2` partner kind, `$3` and `$4` the submission
/// dates. PostgreSQL plans each query with the values bound, so a filter left empty costs
/// nothing (no join to partners without a kind). Queries aggregate the deals first and join
/// names to the few groups afterwards.
const PROGRAM_AND_KIND: &str = "d.program_id = ANY($1) \
     AND ($2::text IS NULL OR d.partner_id IN (SELECT id FROM partners WHERE kind = $2))";
const DATES: &str = "($3::date IS NULL OR d.submitted_at >= $3::timestamp AT TIME ZONE 'UTC') \
     AND ($4::date IS NULL OR d.submitted_at < ($4::date + 1)::timestamp AT TIME ZONE 'UTC')";
/// Open registrations: pending, or approved and still holding the account.
const OPEN: &str = "d.status IN ('pending', 'approved')";

/// Runs `sql` with the filter bound as `$1`–`$4` (dates as given, or overridden by `dates`).
fn scoped(
    sql: String,
    filter: &Filter,
    dates: Option<(Date, Date)>,
) -> diesel::query_builder::BoxedSqlQuery<'static, diesel::pg::Pg, diesel::query_builder::SqlQuery> {
    let (from, to) = dates.map_or((filter.from, filter.to), |(f, t)| (Some(f), Some(t)));
    diesel::sql_query(sql)
        .into_boxed()
        .bind::<Array<BigInt>, _>(filter.programs())
        .bind::<Nullable<Text>, _>(filter.partner_kind.clone())
        .bind::<Nullable<SqlDate>, _>(from)
        .bind::<Nullable<SqlDate>, _>(to)
}

/// Open deals of one program in one stage, status and currency.
#[derive(Clone, Debug, PartialEq, QueryableByName)]
pub struct OpenGroup {
    #[diesel(sql_type = BigInt)]
    pub program_id: i64,
    #[diesel(sql_type = Text)]
    pub program: String,
    #[diesel(sql_type = Text)]
    pub stage: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub deals: i64,
    #[diesel(sql_type = Numeric)]
    pub value: Decimal,
}

/// The open pipeline, grouped finely enough for the stage, program and forecast views.
pub async fn open_pipeline(conn: &mut AsyncPgConnection, filter: &Filter) -> QueryResult<Vec<OpenGroup>> {
    scoped(
        format!(
            "SELECT a.program_id, g.name AS program, a.stage, a.status, a.currency, a.deals, a.value \
             FROM (SELECT d.program_id, d.stage, d.status, d.currency, count(*) AS deals, sum(d.value) AS value \
                   FROM deals d WHERE {OPEN} AND {PROGRAM_AND_KIND} AND {DATES} GROUP BY 1, 2, 3, 4) a \
             JOIN programs g ON g.id = a.program_id ORDER BY 2, 1, 3, 4, 5"
        ),
        filter,
        None,
    )
    .load(conn)
    .await
}

/// One partner's open deals in one currency.
#[derive(Clone, Debug, PartialEq, QueryableByName)]
pub struct PartnerGroup {
    #[diesel(sql_type = BigInt)]
    pub partner_id: i64,
    #[diesel(sql_type = Text)]
    pub partner: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub deals: i64,
    #[diesel(sql_type = Numeric)]
    pub value: Decimal,
}

/// The open pipeline per partner and currency, largest value first.
pub async fn open_by_partner(conn: &mut AsyncPgConnection, filter: &Filter) -> QueryResult<Vec<PartnerGroup>> {
    scoped(
        format!(
            "SELECT a.partner_id, p.name AS partner, p.kind, a.currency, a.deals, a.value \
             FROM (SELECT d.partner_id, d.currency, count(*) AS deals, sum(d.value) AS value \
                   FROM deals d WHERE {OPEN} AND {PROGRAM_AND_KIND} AND {DATES} GROUP BY 1, 2) a \
             JOIN partners p ON p.id = a.partner_id ORDER BY 6 DESC, 2, 1, 4"
        ),
        filter,
        None,
    )
    .load(conn)
    .await
}

/// Deals of one program, stage and currency that count for a quarter's forecast.
#[derive(Clone, Debug, PartialEq, QueryableByName)]
pub struct ForecastGroup {
    #[diesel(sql_type = BigInt)]
    pub program_id: i64,
    #[diesel(sql_type = Text)]
    pub program: String,
    #[diesel(sql_type = Text)]
    pub stage: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub deals: i64,
    #[diesel(sql_type = Numeric)]
    pub value: Decimal,
}

/// The quarter from `first` to `last` (inclusive): open deals expected to close in it, and deals
/// won in it (stage `won`). The filter's program and partner kind apply, its dates don't.
pub async fn forecast(
    conn: &mut AsyncPgConnection,
    filter: &Filter,
    first: Date,
    last: Date,
) -> QueryResult<Vec<ForecastGroup>> {
    scoped(
        format!(
            "SELECT a.program_id, g.name AS program, a.stage, a.currency, a.deals, a.value \
             FROM (SELECT d.program_id, CASE WHEN d.status = 'won' THEN 'won' ELSE d.stage END AS stage, \
                          d.currency, count(*) AS deals, sum(d.value) AS value \
                   FROM deals d WHERE {PROGRAM_AND_KIND} AND ( \
                     ({OPEN} AND d.expected_close BETWEEN $3 AND $4) \
                     OR (d.status = 'won' AND d.closed_at >= $3::timestamp AT TIME ZONE 'UTC' \
                         AND d.closed_at < ($4::date + 1)::timestamp AT TIME ZONE 'UTC')) \
                   GROUP BY 1, 2, 3) a \
             JOIN programs g ON g.id = a.program_id ORDER BY 2, 1, 3, 4"
        ),
        filter,
        Some((first, last)),
    )
    .load(conn)
    .await
}

/// Registrations of one partner kind in one currency, and how the closed ones ended.
#[derive(Clone, Debug, PartialEq, QueryableByName)]
pub struct KindOutcome {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub registered: i64,
    #[diesel(sql_type = BigInt)]
    pub won: i64,
    #[diesel(sql_type = BigInt)]
    pub lost: i64,
    #[diesel(sql_type = Numeric)]
    pub won_value: Decimal,
}

pub async fn outcomes_by_kind(conn: &mut AsyncPgConnection, filter: &Filter) -> QueryResult<Vec<KindOutcome>> {
    scoped(
        format!(
            "SELECT p.kind, a.currency, sum(a.registered)::bigint AS registered, sum(a.won)::bigint AS won, \
             sum(a.lost)::bigint AS lost, sum(a.won_value) AS won_value \
             FROM (SELECT d.partner_id, d.currency, count(*) AS registered, \
                          count(*) FILTER (WHERE d.status = 'won') AS won, \
                          count(*) FILTER (WHERE d.status = 'lost') AS lost, \
                          COALESCE(sum(d.value) FILTER (WHERE d.status = 'won'), 0) AS won_value \
                   FROM deals d WHERE {PROGRAM_AND_KIND} AND {DATES} GROUP BY 1, 2) a \
             JOIN partners p ON p.id = a.partner_id GROUP BY 1, 2 ORDER BY 1, 2"
        ),
        filter,
        None,
    )
    .load(conn)
    .await
}

#[derive(QueryableByName)]
struct WeekCount {
    #[diesel(sql_type = SqlDate)]
    week: Date,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Registrations per week (Monday, UTC) submitted from `first` to `last` (inclusive). The
/// filter's program and partner kind apply; these dates replace its own.
pub async fn weekly_registrations(
    conn: &mut AsyncPgConnection,
    filter: &Filter,
    first: Date,
    last: Date,
) -> QueryResult<Vec<(Date, i64)>> {
    let rows: Vec<WeekCount> = scoped(
        format!(
            "SELECT date_trunc('week', d.submitted_at AT TIME ZONE 'UTC')::date AS week, count(*) AS n \
             FROM deals d WHERE {PROGRAM_AND_KIND} AND {DATES} GROUP BY 1 ORDER BY 1"
        ),
        filter,
        Some((first, last)),
    )
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.week, r.n)).collect())
}

/// A program's registrations against its approval SLA (`deal_sla_hours`) at `now`.
#[derive(Clone, Debug, PartialEq, QueryableByName)]
pub struct SlaGroup {
    #[diesel(sql_type = BigInt)]
    pub program_id: i64,
    #[diesel(sql_type = Text)]
    pub program: String,
    #[diesel(sql_type = Integer)]
    pub sla_hours: i32,
    #[diesel(sql_type = BigInt)]
    pub decided: i64,
    #[diesel(sql_type = BigInt)]
    pub decided_on_time: i64,
    #[diesel(sql_type = BigInt)]
    pub pending: i64,
    #[diesel(sql_type = BigInt)]
    pub pending_overdue: i64,
}

/// Decided means approved or rejected (`decided_at` set); on time means by the deadline itself
/// (`domain::deals::report::decided_on_time`), overdue means past it.
pub async fn sla_by_program(
    conn: &mut AsyncPgConnection,
    filter: &Filter,
    now: OffsetDateTime,
) -> QueryResult<Vec<SlaGroup>> {
    let deadline = "d.submitted_at + make_interval(hours => g.deal_sla_hours)";
    scoped(
        format!(
            "SELECT g.id AS program_id, g.name AS program, g.deal_sla_hours AS sla_hours, \
             count(*) FILTER (WHERE d.decided_at IS NOT NULL) AS decided, \
             count(*) FILTER (WHERE d.decided_at <= {deadline}) AS decided_on_time, \
             count(*) FILTER (WHERE d.status = 'pending') AS pending, \
             count(*) FILTER (WHERE d.status = 'pending' AND $5 > {deadline}) AS pending_overdue \
             FROM deals d JOIN programs g ON g.id = d.program_id \
             WHERE {PROGRAM_AND_KIND} AND {DATES} GROUP BY 1, 2, 3 ORDER BY 2, 1"
        ),
        filter,
        None,
    )
    .bind::<Timestamptz, _>(now)
    .load(conn)
    .await
}

#[cfg(test)]
#[path = "deal_reports_tests.rs"]
pub(crate) mod tests;
