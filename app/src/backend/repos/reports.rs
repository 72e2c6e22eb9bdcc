//! Report queries. They read only the daily rollups, never raw clicks.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Numeric, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use std::collections::HashMap;
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

/// Everything a report shows, from one pass over the rollups in its scope.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub totals: Totals,
    /// One row per day that has activity, oldest first.
    pub days: Vec<(Date, Totals)>,
    /// (link id, "Campaign · code", totals), most clicks first, at most [`LINKS_LISTED`]. Link 0
    /// (code "") gathers conversions without a link, such as coupon sales.
    pub by_link: Vec<(i64, String, Totals)>,
    /// Per sub1 value ("" = none), most clicks first, at most [`SUB_IDS_LISTED`].
    pub by_sub1: Vec<(String, Totals)>,
    /// (creative id, name, totals) for activity through a creative's code, most clicks first,
    /// at most [`CREATIVES_LISTED`].
    pub by_creative: Vec<(i64, String, Totals)>,
    /// (partner id, name, totals) by commission earned, then clicks and name; only with
    /// `top_partners` above zero. Unattributed activity is left out.
    pub top_partners: Vec<(i64, String, Totals)>,
}

pub const LINKS_LISTED: usize = 200;
pub const SUB_IDS_LISTED: usize = 100;
pub const CREATIVES_LISTED: usize = 200;

/// One group of the rollups: which grouping it belongs to is the key that is set.
#[derive(QueryableByName)]
struct Group {
    #[diesel(sql_type = Nullable<diesel::sql_types::Date>)]
    day: Option<Date>,
    #[diesel(sql_type = Nullable<BigInt>)]
    link_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    sub1: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    partner_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    creative_id: Option<i64>,
    /// GROUPING(day, link_id, sub1, partner_id, creative_id): a bit for each key left out of
    /// the group.
    #[diesel(sql_type = diesel::sql_types::Integer)]
    grouping: i32,
    #[diesel(embed)]
    totals: Totals,
}

/// The report of `scope`: the rollups in its period are read once (through the (program, day)
/// index, or the partner's primary key prefix), grouped every way the page shows at once, and
/// names are looked up only for the rows listed. Over a year of a busy program that is one
/// scan where five separate queries each scanned the period.
pub async fn summary(conn: &mut AsyncPgConnection, scope: &Scope, top_partners: usize) -> QueryResult<Summary> {
    let partner_filter = if scope.partner_id.is_some() {
        "AND s.partner_id = $4"
    } else {
        ""
    };
    let sql = format!(
        "SELECT s.day, s.link_id, s.sub1, s.partner_id, s.creative_id,
                GROUPING(s.day, s.link_id, s.sub1, s.partner_id, s.creative_id) AS grouping,
                COALESCE(sum(s.clicks), 0)::bigint AS clicks, COALESCE(sum(s.unique_clicks), 0)::bigint AS unique_clicks,
                COALESCE(sum(s.conversions), 0)::bigint AS conversions, COALESCE(sum(s.revenue), 0) AS revenue,
                COALESCE(sum(s.commission), 0) AS commission
         FROM daily_stats s
         WHERE s.program_id = $1 AND s.day BETWEEN $2 AND $3 {partner_filter}
         GROUP BY GROUPING SETS ((), (s.day), (s.link_id), (s.sub1), (s.partner_id), (s.creative_id))"
    );
    let query = diesel::sql_query(sql)
        .into_boxed()
        .bind::<BigInt, _>(scope.program_id)
        .bind::<diesel::sql_types::Date, _>(scope.from)
        .bind::<diesel::sql_types::Date, _>(scope.to);
    let query = match scope.partner_id {
        Some(partner_id) => query.bind::<BigInt, _>(partner_id),
        None => query,
    };
    let groups: Vec<Group> = query.load(conn).await?;
    let mut summary = Summary::default();
    let mut links = Vec::new();
    let mut partners = Vec::new();
    let mut creatives = Vec::new();
    for group in groups {
        // Each grouping leaves out all keys but its own: 0b11111 is the grand total, 0b01111
        // the day, 0b10111 the link, 0b11011 the sub-id, 0b11101 the partner and 0b11110 the
        // creative.
        match group.grouping {
            0b11111 => summary.totals = group.totals,
            0b01111 => summary.days.extend(group.day.map(|day| (day, group.totals))),
            0b10111 => links.extend(group.link_id.map(|id| (id, group.totals))),
            0b11011 => summary.by_sub1.extend(group.sub1.map(|sub1| (sub1, group.totals))),
            0b11101 => partners.extend(group.partner_id.filter(|id| *id != 0).map(|id| (id, group.totals))),
            0b11110 => creatives.extend(group.creative_id.filter(|id| *id != 0).map(|id| (id, group.totals))),
            _ => {}
        }
    }
    summary.days.sort_by_key(|(day, _)| *day);
    summary
        .by_sub1
        .sort_by(|(a, x), (b, y)| y.clicks.cmp(&x.clicks).then_with(|| a.cmp(b)));
    summary.by_sub1.truncate(SUB_IDS_LISTED);
    links.sort_by(|(a, x), (b, y)| y.clicks.cmp(&x.clicks).then_with(|| a.cmp(b)));
    links.truncate(LINKS_LISTED);
    summary.by_link = label_links(conn, links).await?;
    creatives.sort_by(|(a, x), (b, y)| y.clicks.cmp(&x.clicks).then_with(|| a.cmp(b)));
    creatives.truncate(CREATIVES_LISTED);
    let ids: Vec<i64> = creatives.iter().map(|(id, _)| *id).collect();
    let names = named(conn, "SELECT id, name FROM creatives WHERE id = ANY($1)", &ids).await?;
    summary.by_creative = creatives
        .into_iter()
        .map(|(id, totals)| (id, names.get(&id).cloned().unwrap_or_default(), totals))
        .collect();
    summary.top_partners = top_by_commission(conn, partners, top_partners).await?;
    Ok(summary)
}

/// One partner's totals in each of `programs` over `from..=to`, for the portal's view of all
/// their programs together; programs without activity are left out.
pub async fn partner_by_program(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    programs: &[i64],
    from: Date,
    to: Date,
) -> QueryResult<Vec<(i64, Totals)>> {
    #[derive(QueryableByName)]
    struct ProgramTotals {
        #[diesel(sql_type = BigInt)]
        program_id: i64,
        #[diesel(embed)]
        totals: Totals,
    }
    let rows: Vec<ProgramTotals> = diesel::sql_query(
        "SELECT s.program_id,
                COALESCE(sum(s.clicks), 0)::bigint AS clicks, COALESCE(sum(s.unique_clicks), 0)::bigint AS unique_clicks,
                COALESCE(sum(s.conversions), 0)::bigint AS conversions, COALESCE(sum(s.revenue), 0) AS revenue,
                COALESCE(sum(s.commission), 0) AS commission
         FROM daily_stats s
         WHERE s.program_id = ANY($1) AND s.partner_id = $2 AND s.day BETWEEN $3 AND $4
         GROUP BY s.program_id",
    )
    .bind::<diesel::sql_types::Array<BigInt>, _>(programs)
    .bind::<BigInt, _>(partner_id)
    .bind::<diesel::sql_types::Date, _>(from)
    .bind::<diesel::sql_types::Date, _>(to)
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.program_id, r.totals)).collect())
}

async fn label_links(
    conn: &mut AsyncPgConnection,
    links: Vec<(i64, Totals)>,
) -> QueryResult<Vec<(i64, String, Totals)>> {
    let ids: Vec<i64> = links.iter().map(|(id, _)| *id).collect();
    let labels: HashMap<i64, String> = named(
        conn,
        "SELECT id, COALESCE(campaign, CASE WHEN is_default THEN 'Default link' ELSE 'Link' END) || ' · ' || code AS name
         FROM links WHERE id = ANY($1)",
        &ids,
    )
    .await?;
    Ok(links
        .into_iter()
        .map(|(id, totals)| (id, labels.get(&id).cloned().unwrap_or_default(), totals))
        .collect())
}

/// The `limit` partners with the most commission, then clicks, then name. Names are read only
/// for the partners that can make the list: those tied with the last one listed, or above it.
async fn top_by_commission(
    conn: &mut AsyncPgConnection,
    mut partners: Vec<(i64, Totals)>,
    limit: usize,
) -> QueryResult<Vec<(i64, String, Totals)>> {
    if limit == 0 || partners.is_empty() {
        return Ok(Vec::new());
    }
    let rank = |t: &Totals| (std::cmp::Reverse(t.commission), std::cmp::Reverse(t.clicks));
    partners.sort_by_key(|(_, t)| rank(t));
    let last = rank(&partners[limit.min(partners.len()) - 1].1);
    partners.retain(|(_, t)| rank(t) <= last);
    let ids: Vec<i64> = partners.iter().map(|(id, _)| *id).collect();
    let names = named(conn, "SELECT id, name FROM partners WHERE id = ANY($1)", &ids).await?;
    let mut listed: Vec<(i64, String, Totals)> = partners
        .into_iter()
        .map(|(id, totals)| (id, names.get(&id).cloned().unwrap_or_default(), totals))
        .collect();
    listed.sort_by(|(_, a, x), (_, b, y)| rank(x).cmp(&rank(y)).then_with(|| a.cmp(b)));
    listed.truncate(limit);
    Ok(listed)
}

/// `sql` selecting (id, name) for the ids in `$1`.
async fn named(conn: &mut AsyncPgConnection, sql: &'static str, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    #[derive(QueryableByName)]
    struct Named {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Text)]
        name: String,
    }
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<Named> = diesel::sql_query(sql)
        .bind::<diesel::sql_types::Array<BigInt>, _>(ids)
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
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
