//! Recorded clicks. Rows are written in batches by the click writer and never changed.

use crate::backend::schema::clicks;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Nullable, SmallInt, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = clicks)]
pub struct ClickRow {
    pub id: String,
    pub link_id: i64,
    pub partner_id: i64,
    pub program_id: i64,
    pub clicked_at: OffsetDateTime,
    pub ip: String,
    pub user_agent: String,
    pub referrer: Option<String>,
    pub sub1: Option<String>,
    pub sub2: Option<String>,
    pub sub3: Option<String>,
    pub sub4: Option<String>,
    pub sub5: Option<String>,
    pub country: Option<String>,
    pub flag: Option<String>,
}

/// Inserts clicks and adds them to the daily rollups in one statement, so that a batch costs one
/// round trip and, outside a transaction, commits by itself. Rollup keys are written in sorted
/// order so that concurrent writers lock rows in the same order and cannot deadlock.
/// `shard` picks the rollup rows this writer adds to (see the `daily_stats` migration).
pub async fn insert_with_rollups(conn: &mut AsyncPgConnection, rows: &[ClickRow], shard: i16) -> QueryResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    let column = |f: fn(&ClickRow) -> Option<String>| rows.iter().map(f).collect::<Vec<_>>();
    let inserted: Inserted = diesel::sql_query(INSERT_WITH_ROLLUPS)
        .bind::<Array<Text>, _>(rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>())
        .bind::<Array<BigInt>, _>(rows.iter().map(|r| r.link_id).collect::<Vec<_>>())
        .bind::<Array<BigInt>, _>(rows.iter().map(|r| r.partner_id).collect::<Vec<_>>())
        .bind::<Array<BigInt>, _>(rows.iter().map(|r| r.program_id).collect::<Vec<_>>())
        .bind::<Array<Timestamptz>, _>(rows.iter().map(|r| r.clicked_at).collect::<Vec<_>>())
        .bind::<Array<Text>, _>(rows.iter().map(|r| r.ip.clone()).collect::<Vec<_>>())
        .bind::<Array<Text>, _>(rows.iter().map(|r| r.user_agent.clone()).collect::<Vec<_>>())
        .bind::<Array<Nullable<Text>>, _>(column(|r| r.referrer.clone()))
        .bind::<Array<Nullable<Text>>, _>(column(|r| r.sub1.clone()))
        .bind::<Array<Nullable<Text>>, _>(column(|r| r.sub2.clone()))
        .bind::<Array<Nullable<Text>>, _>(column(|r| r.sub3.clone()))
        .bind::<Array<Nullable<Text>>, _>(column(|r| r.sub4.clone()))
        .bind::<Array<Nullable<Text>>, _>(column(|r| r.sub5.clone()))
        .bind::<Array<Nullable<Text>>, _>(column(|r| r.country.clone()))
        .bind::<Array<Nullable<Text>>, _>(column(|r| r.flag.clone()))
        .bind::<SmallInt, _>(shard)
        .get_result(conn)
        .await?;
    Ok(inserted.n as usize)
}

#[derive(QueryableByName)]
struct Inserted {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

const INSERT_WITH_ROLLUPS: &str = r#"
WITH new_clicks AS (
    INSERT INTO clicks (id, link_id, partner_id, program_id, clicked_at, ip, user_agent, referrer,
                        sub1, sub2, sub3, sub4, sub5, country, flag)
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::timestamptz[],
                         $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                         $12::text[], $13::text[], $14::text[], $15::text[])
    RETURNING program_id, partner_id, clicked_at, link_id, sub1, flag
), rolled_up AS (
    INSERT INTO daily_stats (program_id, partner_id, day, link_id, sub1, shard, clicks, unique_clicks)
    SELECT program_id, partner_id, (clicked_at AT TIME ZONE 'UTC')::date, link_id, COALESCE(sub1, ''), $16,
           count(*), count(*) FILTER (WHERE flag IS NULL)
    FROM new_clicks
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (program_id, partner_id, day, link_id, sub1, shard) DO UPDATE
        SET clicks = daily_stats.clicks + EXCLUDED.clicks,
            unique_clicks = daily_stats.unique_clicks + EXCLUDED.unique_clicks
)
SELECT count(*) AS n FROM new_clicks
"#;

/// What attribution needs to know about a click id.
#[derive(Clone, Debug, Queryable)]
pub struct ClickForAttribution {
    pub program_id: i64,
    pub partner_id: i64,
    pub link_id: i64,
    pub clicked_at: OffsetDateTime,
    pub sub1: Option<String>,
}

pub async fn for_attribution(conn: &mut AsyncPgConnection, id: &str) -> QueryResult<Option<ClickForAttribution>> {
    clicks::table
        .find(id)
        .select((
            clicks::program_id,
            clicks::partner_id,
            clicks::link_id,
            clicks::clicked_at,
            clicks::sub1,
        ))
        .first(conn)
        .await
        .optional()
}

pub async fn get(conn: &mut AsyncPgConnection, id: &str) -> QueryResult<Option<ClickRow>> {
    clicks::table
        .find(id)
        .select(ClickRow::as_select())
        .first(conn)
        .await
        .optional()
}
