//! Daily rollups per (program, partner, link, sub1, creative). Writers add deltas in the same transaction
//! as the raw rows; `rebuild` recomputes them from the raw rows alone. Dashboards read only this
//! table.

use crate::backend::schema::daily_stats;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::{Date, OffsetDateTime};

/// The rollup key. 0 means "no partner", "no link" or "no creative", and "" means "no sub1".
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StatKey {
    pub program_id: i64,
    pub partner_id: i64,
    pub day: Date,
    pub link_id: i64,
    pub sub1: String,
    pub creative_id: i64,
}

impl StatKey {
    pub fn new(
        program_id: i64,
        partner_id: Option<i64>,
        at: OffsetDateTime,
        link_id: Option<i64>,
        sub1: Option<&str>,
    ) -> Self {
        Self {
            program_id,
            partner_id: partner_id.unwrap_or(0),
            day: at.to_offset(time::UtcOffset::UTC).date(),
            link_id: link_id.unwrap_or(0),
            sub1: sub1.unwrap_or_default().to_owned(),
            creative_id: 0,
        }
    }

    /// The same key for the creative whose code the click came through.
    pub fn with_creative(self, creative_id: Option<i64>) -> Self {
        Self {
            creative_id: creative_id.unwrap_or(0),
            ..self
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Delta {
    pub clicks: i64,
    pub unique_clicks: i64,
    pub conversions: i64,
    pub revenue: Decimal,
    pub commission: Decimal,
}

impl Delta {
    /// Adds another delta of the same key (one statement may touch each row only once).
    pub fn absorb(&mut self, other: &Delta) {
        self.clicks += other.clicks;
        self.unique_clicks += other.unique_clicks;
        self.conversions += other.conversions;
        self.revenue += other.revenue;
        self.commission += other.commission;
    }
}

#[derive(Insertable)]
#[diesel(table_name = daily_stats)]
struct Row<'a> {
    day: Date,
    program_id: i64,
    partner_id: i64,
    link_id: i64,
    sub1: &'a str,
    creative_id: i64,
    clicks: i64,
    unique_clicks: i64,
    conversions: i64,
    revenue: Decimal,
    commission: Decimal,
}

/// Adds deltas. Keys are written in sorted order so that concurrent writers lock rows in the
/// same order and cannot deadlock.
pub async fn add(mut conn: &AsyncPgConnection, deltas: &[(StatKey, Delta)]) -> QueryResult<()> {
    if deltas.is_empty() {
        return Ok(());
    }
    let mut sorted: Vec<&(StatKey, Delta)> = deltas.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let rows: Vec<Row<'_>> = sorted
        .iter()
        .map(|(k, d)| Row {
            day: k.day,
            program_id: k.program_id,
            partner_id: k.partner_id,
            link_id: k.link_id,
            sub1: &k.sub1,
            creative_id: k.creative_id,
            clicks: d.clicks,
            unique_clicks: d.unique_clicks,
            conversions: d.conversions,
            revenue: d.revenue,
            commission: d.commission,
        })
        .collect();
    use daily_stats::dsl as s;
    diesel::insert_into(daily_stats::table)
        .values(&rows)
        .on_conflict((
            s::program_id,
            s::partner_id,
            s::day,
            s::link_id,
            s::sub1,
            s::creative_id,
            s::shard,
        ))
        .do_update()
        .set((
            s::clicks.eq(s::clicks + excluded(s::clicks)),
            s::unique_clicks.eq(s::unique_clicks + excluded(s::unique_clicks)),
            s::conversions.eq(s::conversions + excluded(s::conversions)),
            s::revenue.eq(s::revenue + excluded(s::revenue)),
            s::commission.eq(s::commission + excluded(s::commission)),
        ))
        .execute(&mut conn)
        .await
        .map(drop)
}

/// Throws the rollups away and recomputes them from clicks, conversions, commissions and
/// refunds. Conversions count on the day they occurred; refunds and their reversals on the day
/// they were received. Days before `click_retention.kept_from` keep the click counts they had:
/// their raw clicks were dropped by `trellis retention`, so the rollups are their only record.
pub async fn rebuild(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    use diesel_async::AsyncConnection;
    conn.transaction(async |conn| {
        // Writers wait while the table is rebuilt, so no delta lands in between.
        diesel::sql_query("LOCK TABLE daily_stats IN EXCLUSIVE MODE")
            .execute(conn)
            .await?;
        diesel::sql_query(REBUILD).execute(conn).await.map(drop)
    })
    .await
}

const REBUILD: &str = r#"
WITH previous AS (DELETE FROM daily_stats RETURNING *)
INSERT INTO daily_stats (day, program_id, partner_id, link_id, sub1, creative_id, clicks, unique_clicks, conversions, revenue, commission)
SELECT day, program_id, partner_id, link_id, sub1, creative_id,
       sum(clicks), sum(unique_clicks), sum(conversions), sum(revenue), sum(commission)
FROM (
    SELECT (k.clicked_at AT TIME ZONE 'UTC')::date AS day, k.program_id, k.partner_id, k.link_id,
           COALESCE(k.sub1, '') AS sub1, COALESCE(k.creative_id, 0) AS creative_id, 1 AS clicks, (k.flag IS NULL)::int AS unique_clicks,
           0 AS conversions, 0::numeric AS revenue, 0::numeric AS commission
    FROM clicks k
    UNION ALL
    SELECT p.day, p.program_id, p.partner_id, p.link_id, p.sub1, p.creative_id, p.clicks, p.unique_clicks, 0, 0, 0
    FROM previous p
    WHERE p.day < (SELECT kept_from FROM click_retention) AND p.clicks > 0
    UNION ALL
    SELECT (c.occurred_at AT TIME ZONE 'UTC')::date, c.program_id, COALESCE(c.partner_id, 0),
           COALESCE(c.link_id, 0), COALESCE(c.sub1, ''), COALESCE(c.creative_id, 0), 0, 0, 1, COALESCE(c.amount, 0),
           COALESCE(m.amount, 0)
    FROM conversions c
    LEFT JOIN commissions m ON m.conversion_id = c.id AND m.kind = 'commission'
    UNION ALL
    SELECT (r.created_at AT TIME ZONE 'UTC')::date, c.program_id, COALESCE(c.partner_id, 0),
           COALESCE(c.link_id, 0), COALESCE(c.sub1, ''), COALESCE(c.creative_id, 0), 0, 0, 0, -r.amount, COALESCE(m.amount, 0)
    FROM refunds r
    JOIN conversions c ON c.id = r.conversion_id
    -- The partner's own reversal; masters' override reversals are not in the partner's stats.
    LEFT JOIN commissions m ON m.refund_id = r.id AND m.partner_id = c.partner_id
) AS facts
GROUP BY day, program_id, partner_id, link_id, sub1, creative_id
"#;

#[derive(diesel::QueryableByName, Debug, PartialEq)]
pub struct SnapshotRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub key: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub clicks: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub unique_clicks: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub conversions: i64,
    #[diesel(sql_type = diesel::sql_types::Numeric)]
    pub revenue: Decimal,
    #[diesel(sql_type = diesel::sql_types::Numeric)]
    pub commission: Decimal,
}

/// How many partner-weeks differ from the sum of their days in the rollups: 0 when the triggers
/// on daily_stats kept partner_weeks exact (a week whose days are all gone may stay, as zeros).
pub async fn weeks_drift(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
    #[derive(diesel::QueryableByName)]
    struct Drift {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let drift: Drift = diesel::sql_query(
        "SELECT count(*) AS n
           FROM partner_weeks w
           FULL JOIN (SELECT program_id, date_trunc('week', day)::date AS week, partner_id,
                             sum(clicks) AS clicks, sum(unique_clicks) AS unique_clicks,
                             sum(conversions) AS conversions, sum(revenue) AS revenue, sum(commission) AS commission
                        FROM daily_stats GROUP BY 1, 2, 3) d USING (program_id, week, partner_id)
          WHERE (COALESCE(w.clicks, 0), COALESCE(w.unique_clicks, 0), COALESCE(w.conversions, 0),
                 COALESCE(w.revenue, 0), COALESCE(w.commission, 0))
                <> (COALESCE(d.clicks, 0), COALESCE(d.unique_clicks, 0), COALESCE(d.conversions, 0),
                    COALESCE(d.revenue, 0), COALESCE(d.commission, 0))",
    )
    .get_result(conn)
    .await?;
    Ok(drift.n)
}

/// The rollups summed over shards, in key order: what every report sees (for comparing the
/// incremental result with a rebuild).
pub async fn snapshot(conn: &mut AsyncPgConnection) -> QueryResult<Vec<SnapshotRow>> {
    diesel::sql_query(
        "SELECT concat_ws('/', program_id, partner_id, day, link_id, sub1, creative_id) AS key, sum(clicks)::bigint AS clicks, \
         sum(unique_clicks)::bigint AS unique_clicks, sum(conversions)::bigint AS conversions, \
         sum(revenue) AS revenue, sum(commission) AS commission \
         FROM daily_stats GROUP BY program_id, partner_id, day, link_id, sub1, creative_id ORDER BY 1",
    )
    .load(conn)
    .await
}
