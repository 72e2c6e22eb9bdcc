//! Report queries. They read only the daily rollups, never raw clicks.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Numeric, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::Date;

/// What a report covers. `partner_id` narrows to one partner (always set for the portal).
#[derive(Clone, Copy, Debug)]
pub struct Scope {
    pub program_id: i64,
    pub partner_id: Option<i64>,
    pub from: Date,
    pub to: Date,
}

#[derive(Clone, Debug, Default, PartialEq, QueryableByName)]
pub struct Totals {
    #[diesel(sql_type = BigInt)]
    pub clicks: i64,
    #[diesel(sql_type = BigInt)]
    pub unique_clicks: i64,
    #[diesel(sql_type = BigInt)]
    pub conversions: i64,
    #[diesel(sql_type = Numeric)]
    pub revenue: Decimal,
    #[diesel(sql_type = Numeric)]
    pub commission: Decimal,
}

#[derive(QueryableByName)]
struct Grouped {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Text)]
    label: String,
    #[diesel(embed)]
    totals: Totals,
}

/// Sums the rollups in `scope`, grouped by a key expression (`'all'` for one total row).
/// `key` and `label` are fixed SQL written in this file, never user input.
async fn grouped(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    key: &str,
    label: &str,
    join: &str,
    order: &str,
    limit: i64,
) -> QueryResult<Vec<Grouped>> {
    let sql = format!(
        "SELECT ({key})::text AS key, ({label})::text AS label, \
         COALESCE(sum(s.clicks), 0)::bigint AS clicks, COALESCE(sum(s.unique_clicks), 0)::bigint AS unique_clicks, \
         COALESCE(sum(s.conversions), 0)::bigint AS conversions, COALESCE(sum(s.revenue), 0) AS revenue, \
         COALESCE(sum(s.commission), 0) AS commission \
         FROM daily_stats s {join} \
         WHERE s.program_id = $1 AND s.day BETWEEN $2 AND $3 AND ($4::bigint IS NULL OR s.partner_id = $4) \
         GROUP BY 1, 2 ORDER BY {order} LIMIT $5"
    );
    diesel::sql_query(sql)
        .bind::<BigInt, _>(scope.program_id)
        .bind::<diesel::sql_types::Date, _>(scope.from)
        .bind::<diesel::sql_types::Date, _>(scope.to)
        .bind::<Nullable<BigInt>, _>(scope.partner_id)
        .bind::<BigInt, _>(limit)
        .load(conn)
        .await
}

pub async fn totals(conn: &mut AsyncPgConnection, scope: &Scope) -> QueryResult<Totals> {
    let rows = grouped(conn, scope, "'all'", "''", "", "1", 1).await?;
    Ok(rows.into_iter().next().map(|g| g.totals).unwrap_or_default())
}

/// One row per day that has activity, oldest first.
pub async fn daily(conn: &mut AsyncPgConnection, scope: &Scope) -> QueryResult<Vec<(Date, Totals)>> {
    let rows = grouped(conn, scope, "s.day", "''", "", "1", 1000).await?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Ok(rows
        .into_iter()
        .filter_map(|g| Date::parse(&g.key, format).ok().map(|d| (d, g.totals)))
        .collect())
}

/// Per link: (link id, "Campaign · code", totals), most clicks first. Link 0 (code "") gathers conversions
/// without a link, such as coupon sales.
pub async fn by_link(conn: &mut AsyncPgConnection, scope: &Scope) -> QueryResult<Vec<(i64, String, Totals)>> {
    let rows = grouped(
        conn,
        scope,
        "s.link_id",
        "COALESCE(COALESCE(l.campaign, CASE WHEN l.is_default THEN 'Default link' ELSE 'Link' END) || ' · ' || l.code, '')",
        "LEFT JOIN links l ON l.id = s.link_id",
        "sum(s.clicks) DESC, 1",
        200,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|g| (g.key.parse().unwrap_or(0), g.label, g.totals))
        .collect())
}

/// Per sub1 value ("" = none), most clicks first.
pub async fn by_sub1(conn: &mut AsyncPgConnection, scope: &Scope) -> QueryResult<Vec<(String, Totals)>> {
    let rows = grouped(conn, scope, "s.sub1", "''", "", "sum(s.clicks) DESC, 1", 100).await?;
    Ok(rows.into_iter().map(|g| (g.key, g.totals)).collect())
}

/// Partners by commission earned: (partner id, name, totals). Unattributed activity is left out.
pub async fn top_partners(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    limit: i64,
) -> QueryResult<Vec<(i64, String, Totals)>> {
    let rows = grouped(
        conn,
        scope,
        "s.partner_id",
        "p.name",
        "JOIN partners p ON p.id = s.partner_id",
        "sum(s.commission) DESC, sum(s.clicks) DESC, 2",
        limit,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|g| (g.key.parse().unwrap_or(0), g.label, g.totals))
        .collect())
}

#[derive(QueryableByName)]
struct LinkCounts {
    #[diesel(sql_type = BigInt)]
    link_id: i64,
    #[diesel(sql_type = BigInt)]
    clicks: i64,
    #[diesel(sql_type = BigInt)]
    conversions: i64,
}

/// All-time (link id, clicks, conversions) per link of a partner (or of every partner when
/// `partner_id` is `None`) in the given programs, for link tables.
pub async fn link_lifetime(
    conn: &mut AsyncPgConnection,
    program_ids: &[i64],
    partner_id: Option<i64>,
) -> QueryResult<Vec<(i64, i64, i64)>> {
    let rows: Vec<LinkCounts> = diesel::sql_query(
        "SELECT link_id, sum(clicks)::bigint AS clicks, sum(conversions)::bigint AS conversions \
         FROM daily_stats WHERE program_id = ANY($1) AND link_id <> 0 AND ($2::bigint IS NULL OR partner_id = $2) \
         GROUP BY link_id",
    )
    .bind::<diesel::sql_types::Array<BigInt>, _>(program_ids)
    .bind::<Nullable<BigInt>, _>(partner_id)
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.link_id, r.clicks, r.conversions)).collect())
}
