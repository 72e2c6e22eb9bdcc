-- Fold the shards back into one row per key before the old key returns.
CREATE TEMP TABLE folded AS
    SELECT program_id, partner_id, day, link_id, sub1, sum(clicks)::bigint AS clicks,
           sum(unique_clicks)::bigint AS unique_clicks, sum(conversions)::bigint AS conversions,
           sum(revenue) AS revenue, sum(commission) AS commission
    FROM daily_stats GROUP BY 1, 2, 3, 4, 5;
DELETE FROM daily_stats;
ALTER TABLE daily_stats DROP CONSTRAINT daily_stats_pkey;
ALTER TABLE daily_stats DROP COLUMN shard;
ALTER TABLE daily_stats ADD PRIMARY KEY (program_id, partner_id, day, link_id, sub1);
INSERT INTO daily_stats (program_id, partner_id, day, link_id, sub1, clicks, unique_clicks, conversions, revenue, commission)
    SELECT * FROM folded;
DROP TABLE folded;
ALTER TABLE clicks ALTER COLUMN id TYPE TEXT COLLATE "default";
CREATE INDEX clicks_link_time_idx ON clicks (link_id, clicked_at);
ALTER TABLE clicks
    ADD CONSTRAINT clicks_id_check CHECK (id ~ '^[A-Za-z0-9]{20,40}$'),
    ADD CONSTRAINT clicks_link_id_fkey FOREIGN KEY (link_id) REFERENCES links (id),
    ADD CONSTRAINT clicks_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES partners (id),
    ADD CONSTRAINT clicks_program_id_fkey FOREIGN KEY (program_id) REFERENCES programs (id);
