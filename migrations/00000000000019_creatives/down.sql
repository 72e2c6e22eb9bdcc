-- Fold the per-creative rollup rows back into one row per key before the column goes.
CREATE TEMP TABLE folded_stats AS
SELECT day, program_id, partner_id, link_id, sub1, shard,
       sum(clicks)::bigint AS clicks, sum(unique_clicks)::bigint AS unique_clicks,
       sum(conversions)::bigint AS conversions, sum(revenue) AS revenue, sum(commission) AS commission
FROM daily_stats
GROUP BY day, program_id, partner_id, link_id, sub1, shard;
DELETE FROM daily_stats;
ALTER TABLE daily_stats DROP CONSTRAINT daily_stats_pkey;
ALTER TABLE daily_stats DROP COLUMN creative_id;
ALTER TABLE daily_stats ADD PRIMARY KEY (program_id, partner_id, day, link_id, sub1, shard);
INSERT INTO daily_stats (day, program_id, partner_id, link_id, sub1, shard, clicks, unique_clicks, conversions, revenue, commission)
SELECT day, program_id, partner_id, link_id, sub1, shard, clicks, unique_clicks, conversions, revenue, commission
FROM folded_stats;
DROP TABLE folded_stats;
ALTER TABLE conversions DROP COLUMN creative_id;
ALTER TABLE clicks DROP COLUMN creative_id;
DROP TABLE creatives;
DROP TABLE creative_files;
