//! The click writer's one statement: a batch of clicks and their rollup deltas, inserted together
//! so that a batch costs one round trip and, outside a transaction, commits by itself.
//!
//! It is a hand-written query type rather than `sql_query` because Diesel never caches raw SQL
//! as a prepared statement; this one is cached by its text, so PostgreSQL parses and plans it
//! once per connection instead of once per batch.

use super::clicks::ClickRow;
use super::stats::StatKey;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Date, Nullable, SmallInt, Text, Timestamptz};
use diesel::QueryResult;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::collections::BTreeMap;

/// Inserts clicks and adds them to the daily rollups. The deltas are summed here and written in
/// key order, so that concurrent writers lock rollup rows in the same order and cannot deadlock.
/// `shard` picks the rollup rows this writer adds to (see the `daily_stats` migration).
pub async fn insert_with_rollups(conn: &mut AsyncPgConnection, rows: &[ClickRow], shard: i16) -> QueryResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    ClickBatch::new(rows, shard).execute(conn).await
}

/// (clicks, unique clicks) per rollup key, in key order.
fn rollup_deltas(rows: &[ClickRow]) -> BTreeMap<StatKey, (i64, i64)> {
    let mut deltas: BTreeMap<StatKey, (i64, i64)> = BTreeMap::new();
    for row in rows {
        let key = StatKey::new(
            row.program_id,
            Some(row.partner_id),
            row.clicked_at,
            Some(row.link_id),
            row.sub1.as_deref(),
        )
        .with_creative(row.creative_id);
        let delta = deltas.entry(key).or_default();
        delta.0 += 1;
        delta.1 += i64::from(row.flag.is_none());
    }
    deltas
}

/// Column-wise arrays, bound as one array parameter each.
struct ClickBatch {
    id: Vec<String>,
    link_id: Vec<i64>,
    partner_id: Vec<i64>,
    program_id: Vec<i64>,
    clicked_at: Vec<time::OffsetDateTime>,
    ip: Vec<String>,
    user_agent: Vec<String>,
    /// referrer, sub1…sub5, country, flag
    optional: [Vec<Option<String>>; 8],
    creative_id: Vec<Option<i64>>,
    stat_program: Vec<i64>,
    stat_partner: Vec<i64>,
    stat_day: Vec<time::Date>,
    stat_link: Vec<i64>,
    stat_sub1: Vec<String>,
    stat_creative: Vec<i64>,
    stat_clicks: Vec<i64>,
    stat_unique: Vec<i64>,
    shard: i16,
}

impl ClickBatch {
    fn new(rows: &[ClickRow], shard: i16) -> Self {
        let deltas = rollup_deltas(rows);
        let optional = [
            |r: &ClickRow| r.referrer.clone(),
            |r: &ClickRow| r.sub1.clone(),
            |r: &ClickRow| r.sub2.clone(),
            |r: &ClickRow| r.sub3.clone(),
            |r: &ClickRow| r.sub4.clone(),
            |r: &ClickRow| r.sub5.clone(),
            |r: &ClickRow| r.country.clone(),
            |r: &ClickRow| r.flag.clone(),
        ]
        .map(|f| rows.iter().map(f).collect());
        Self {
            id: rows.iter().map(|r| r.id.clone()).collect(),
            link_id: rows.iter().map(|r| r.link_id).collect(),
            partner_id: rows.iter().map(|r| r.partner_id).collect(),
            program_id: rows.iter().map(|r| r.program_id).collect(),
            clicked_at: rows.iter().map(|r| r.clicked_at).collect(),
            ip: rows.iter().map(|r| r.ip.clone()).collect(),
            user_agent: rows.iter().map(|r| r.user_agent.clone()).collect(),
            optional,
            creative_id: rows.iter().map(|r| r.creative_id).collect(),
            stat_program: deltas.keys().map(|k| k.program_id).collect(),
            stat_partner: deltas.keys().map(|k| k.partner_id).collect(),
            stat_day: deltas.keys().map(|k| k.day).collect(),
            stat_link: deltas.keys().map(|k| k.link_id).collect(),
            stat_sub1: deltas.keys().map(|k| k.sub1.clone()).collect(),
            stat_creative: deltas.keys().map(|k| k.creative_id).collect(),
            stat_clicks: deltas.values().map(|d| d.0).collect(),
            stat_unique: deltas.values().map(|d| d.1).collect(),
            shard,
        }
    }
}

impl QueryId for ClickBatch {
    type QueryId = ();
    // No static id: Diesel then caches the prepared statement by its SQL text.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl QueryFragment<Pg> for ClickBatch {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(
            "WITH rolled_up AS (INSERT INTO daily_stats \
             (program_id, partner_id, day, link_id, sub1, creative_id, shard, clicks, unique_clicks) \
             SELECT program_id, partner_id, day, link_id, sub1, creative_id, ",
        );
        out.push_bind_param::<SmallInt, _>(&self.shard)?;
        out.push_sql(", clicks, unique_clicks FROM unnest(");
        out.push_bind_param::<Array<BigInt>, _>(&self.stat_program)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.stat_partner)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Date>, _>(&self.stat_day)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.stat_link)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.stat_sub1)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.stat_creative)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.stat_clicks)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.stat_unique)?;
        out.push_sql(
            ") AS d (program_id, partner_id, day, link_id, sub1, creative_id, clicks, unique_clicks) \
             ON CONFLICT (program_id, partner_id, day, link_id, sub1, creative_id, shard) DO UPDATE \
             SET clicks = daily_stats.clicks + EXCLUDED.clicks, \
                 unique_clicks = daily_stats.unique_clicks + EXCLUDED.unique_clicks) \
             INSERT INTO clicks (id, link_id, partner_id, program_id, clicked_at, ip, user_agent, \
             referrer, sub1, sub2, sub3, sub4, sub5, country, flag, creative_id) \
             SELECT * FROM unnest(",
        );
        out.push_bind_param::<Array<Text>, _>(&self.id)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.link_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.partner_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.program_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Timestamptz>, _>(&self.clicked_at)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.ip)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.user_agent)?;
        for column in &self.optional {
            out.push_sql(", ");
            out.push_bind_param::<Array<Nullable<Text>>, _>(column)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<Array<Nullable<BigInt>>, _>(&self.creative_id)?;
        out.push_sql(")");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_becomes_one_rollup_delta_per_key() {
        let click = |sub1: Option<&str>, flag: Option<&str>| ClickRow {
            id: "TestClick0000000000001".into(),
            link_id: 1,
            partner_id: 1,
            program_id: 1,
            clicked_at: time::macros::datetime!(2026-11-21 12:00 UTC),
            ip: "192.0.2.1".into(),
            user_agent: "test".into(),
            referrer: None,
            sub1: sub1.map(str::to_owned),
            sub2: None,
            sub3: None,
            sub4: None,
            sub5: None,
            country: None,
            flag: flag.map(str::to_owned),
            creative_id: None,
        };
        let deltas = rollup_deltas(&[click(None, None), click(None, Some("bot")), click(Some("yt"), None)]);
        assert_eq!(deltas.values().copied().collect::<Vec<_>>(), vec![(2, 1), (1, 1)]);
    }
}
