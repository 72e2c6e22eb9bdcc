//! The figures on the console's home page, per currency, for the operator's programs only:
//! traffic and money from the daily rollups (never raw clicks), new partners, the open deal
//! pipeline and MDF paid out, each for the last 30 days and the 30 before.

use crate::backend::scope::Scope;
use crate::domain::home::window::Windows;
use crate::domain::period::Period;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date as SqlDate, Numeric, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::{Date, OffsetDateTime};

/// One currency's rollups on one day.
#[derive(Clone, Debug, PartialEq, QueryableByName)]
pub struct Day {
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = SqlDate)]
    pub day: Date,
    #[diesel(sql_type = BigInt)]
    pub clicks: i64,
    #[diesel(sql_type = BigInt)]
    pub conversions: i64,
    #[diesel(sql_type = Numeric)]
    pub revenue: Decimal,
    #[diesel(sql_type = Numeric)]
    pub commission: Decimal,
}

/// One partner's rollups in one currency, in both periods.
#[derive(Clone, Debug, PartialEq, QueryableByName)]
pub struct PartnerTotals {
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub partner_id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = BigInt)]
    pub clicks_now: i64,
    #[diesel(sql_type = BigInt)]
    pub conversions_now: i64,
    #[diesel(sql_type = Numeric)]
    pub revenue_now: Decimal,
    #[diesel(sql_type = BigInt)]
    pub clicks_before: i64,
    #[diesel(sql_type = BigInt)]
    pub conversions_before: i64,
    #[diesel(sql_type = Numeric)]
    pub revenue_before: Decimal,
}

/// Distinct partners that joined a program of the currency, and how many are active now.
#[derive(Clone, Debug, PartialEq, Eq, QueryableByName)]
pub struct Joined {
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub current: i64,
    #[diesel(sql_type = BigInt)]
    pub previous: i64,
    #[diesel(sql_type = BigInt)]
    pub active: i64,
}

/// An amount of one currency now (or in the last 30 days) and before.
#[derive(Clone, Debug, PartialEq, Eq, QueryableByName)]
pub struct Amounts {
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Numeric)]
    pub current: Decimal,
    #[diesel(sql_type = Numeric)]
    pub previous: Decimal,
}

/// Everything the page's figures need.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    /// The currencies of the operator's programs, sorted.
    pub currencies: Vec<String>,
    pub days: Vec<Day>,
    pub partners: Vec<PartnerTotals>,
    pub joined: Vec<Joined>,
    pub pipeline: Vec<Amounts>,
    pub mdf_spent: Vec<Amounts>,
}

pub async fn load(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    windows: &Windows,
    now: OffsetDateTime,
    partners_listed: i64,
) -> QueryResult<Figures> {
    Ok(Figures {
        currencies: currencies(conn, scope).await?,
        days: days(conn, scope, windows.both()).await?,
        partners: partners(conn, scope, windows, partners_listed).await?,
        joined: joined(conn, scope, windows, now).await?,
        pipeline: pipeline(conn, scope, windows, now).await?,
        mdf_spent: mdf_spent(conn, scope, windows, now).await?,
    })
}

#[derive(QueryableByName)]
struct Currency {
    #[diesel(sql_type = Text)]
    currency: String,
}

pub async fn currencies(conn: &mut AsyncPgConnection, scope: &Scope) -> QueryResult<Vec<String>> {
    let rows: Vec<Currency> =
        diesel::sql_query("SELECT DISTINCT currency FROM programs WHERE id = ANY($1) ORDER BY currency")
            .bind::<Array<BigInt>, _>(&scope.programs)
            .load(conn)
            .await?;
    Ok(rows.into_iter().map(|r| r.currency).collect())
}

/// Rollups per currency and day; days without activity have no row.
pub async fn days(conn: &mut AsyncPgConnection, scope: &Scope, period: Period) -> QueryResult<Vec<Day>> {
    diesel::sql_query(
        "SELECT p.currency, s.day, sum(s.clicks)::bigint AS clicks, sum(s.conversions)::bigint AS conversions,
                sum(s.revenue) AS revenue, sum(s.commission) AS commission
         FROM daily_stats s JOIN programs p ON p.id = s.program_id
         WHERE s.program_id = ANY($1) AND s.day BETWEEN $2 AND $3
         GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .bind::<Array<BigInt>, _>(&scope.programs)
    .bind::<SqlDate, _>(period.from)
    .bind::<SqlDate, _>(period.to)
    .load(conn)
    .await
}

/// The partners that can make either list of `domain::home::partners` (the first `listed` of
/// each currency in the same orders, names compared bytewise as Rust does), so the page never
/// loads every partner.
pub async fn partners(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    windows: &Windows,
    listed: i64,
) -> QueryResult<Vec<PartnerTotals>> {
    let sum = |column: &str, when: &str| format!("COALESCE(sum(s.{column}) FILTER (WHERE s.day {when} $3), 0)");
    diesel::sql_query(format!(
        "SELECT currency, partner_id, name, clicks_now, conversions_now, revenue_now,
                clicks_before, conversions_before, revenue_before
         FROM (SELECT a.*, pa.name,
                 row_number() OVER (PARTITION BY a.currency ORDER BY a.revenue_now DESC, a.conversions_now DESC,
                     a.clicks_now DESC, pa.name COLLATE \"C\", a.partner_id) AS top_rank,
                 row_number() OVER (PARTITION BY a.currency ORDER BY a.revenue_before - a.revenue_now DESC,
                     a.clicks_before - a.clicks_now DESC, pa.name COLLATE \"C\", a.partner_id) AS fall_rank
               FROM (SELECT p.currency, s.partner_id,
                       {}::bigint AS clicks_now, {}::bigint AS conversions_now, {} AS revenue_now,
                       {}::bigint AS clicks_before, {}::bigint AS conversions_before, {} AS revenue_before
                     FROM daily_stats s JOIN programs p ON p.id = s.program_id
                     WHERE s.program_id = ANY($1) AND s.partner_id <> 0 AND s.day BETWEEN $2 AND $4
                     GROUP BY 1, 2) a
               JOIN partners pa ON pa.id = a.partner_id) r
         WHERE top_rank <= $5 OR fall_rank <= $5
         ORDER BY currency, partner_id",
        sum("clicks", ">="),
        sum("conversions", ">="),
        sum("revenue", ">="),
        sum("clicks", "<"),
        sum("conversions", "<"),
        sum("revenue", "<"),
    ))
    .bind::<Array<BigInt>, _>(&scope.programs)
    .bind::<SqlDate, _>(windows.previous.from)
    .bind::<SqlDate, _>(windows.current.from)
    .bind::<SqlDate, _>(windows.current.to)
    .bind::<BigInt, _>(listed)
    .load(conn)
    .await
}

type Query = diesel::query_builder::BoxedSqlQuery<'static, diesel::pg::Pg, diesel::query_builder::SqlQuery>;

/// `sql` over timestamped facts, with `$1` the programs in scope, `$2` the first instant of the
/// previous period, `$3` of the current period, and `$4` now.
fn over_periods(sql: &str, scope: &Scope, windows: &Windows, now: OffsetDateTime) -> Query {
    let (previous_start, current_start) = windows.starts();
    diesel::sql_query(sql)
        .into_boxed()
        .bind::<Array<BigInt>, _>(scope.programs.clone())
        .bind::<Timestamptz, _>(previous_start)
        .bind::<Timestamptz, _>(current_start)
        .bind::<Timestamptz, _>(now)
}

/// New partners: memberships that applied in each period and were accepted (active or
/// suspended now), counted once per partner and currency.
pub async fn joined(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    windows: &Windows,
    now: OffsetDateTime,
) -> QueryResult<Vec<Joined>> {
    over_periods(
        "SELECT p.currency,
                count(DISTINCT m.partner_id) FILTER (WHERE m.applied_at >= $3 AND m.applied_at <= $4) AS current,
                count(DISTINCT m.partner_id) FILTER (WHERE m.applied_at >= $2 AND m.applied_at < $3) AS previous,
                count(DISTINCT m.partner_id) FILTER (WHERE m.status = 'active') AS active
         FROM program_memberships m JOIN programs p ON p.id = m.program_id
         WHERE m.program_id = ANY($1) AND m.status IN ('active', 'suspended')
         GROUP BY 1 ORDER BY 1",
        scope,
        windows,
        now,
    )
    .load(conn)
    .await
}

/// The open pipeline (pending or protected registrations, as the pipeline report counts it)
/// now, and as it stood when the current period began (`$3`): registered by then and not yet
/// rejected, won, lost or expired (a deal's protection ends at `protected_until`). Values are
/// today's values.
pub async fn pipeline(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    windows: &Windows,
    now: OffsetDateTime,
) -> QueryResult<Vec<Amounts>> {
    over_periods(
        "SELECT d.currency,
                COALESCE(sum(d.value) FILTER (WHERE d.status IN ('pending', 'approved')), 0) AS current,
                COALESCE(sum(d.value) FILTER (WHERE d.submitted_at <= $3 AND (d.status IN ('pending', 'approved')
                    OR COALESCE(CASE d.status WHEN 'rejected' THEN d.decided_at WHEN 'expired' THEN d.protected_until
                                ELSE d.closed_at END, 'infinity') > $3)), 0) AS previous
         FROM deals d WHERE d.program_id = ANY($1) AND d.submitted_at <= $4
         GROUP BY 1 ORDER BY 1",
        scope,
        windows,
        now,
    )
    .load(conn)
    .await
}

/// MDF spent: claims approved for payment in each period (the `claim_approved` history).
pub async fn mdf_spent(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    windows: &Windows,
    now: OffsetDateTime,
) -> QueryResult<Vec<Amounts>> {
    over_periods(
        "SELECT f.currency,
                COALESCE(sum(e.amount) FILTER (WHERE e.occurred_at >= $3), 0) AS current,
                COALESCE(sum(e.amount) FILTER (WHERE e.occurred_at < $3), 0) AS previous
         FROM mdf_events e JOIN mdf_funds f ON f.id = e.fund_id
         WHERE f.program_id = ANY($1) AND e.kind = 'claim_approved' AND e.occurred_at >= $2 AND e.occurred_at <= $4
         GROUP BY 1 ORDER BY 1",
        scope,
        windows,
        now,
    )
    .load(conn)
    .await
}

#[cfg(test)]
#[path = "home_figures_tests.rs"]
mod tests;
