-- Rollups for the dashboard benchmark (bench/dashboards.sh): a year of daily activity in one
-- program, spread over its active partners with a long tail (the partner ranked r is active on a
-- day with probability min(1, 30/r)), two links per partner and three sub-ids, scaled so the
-- rollups hold :clicks clicks and :conversions conversions. The partner :'partner_email' ranks
-- first, so the portal dashboard shows the busiest partner's figures.
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE ranked AS
SELECT m.partner_id, row_number() OVER (ORDER BY (p.email = :'partner_email') DESC, m.partner_id) AS rank
FROM program_memberships m JOIN partners p ON p.id = m.partner_id
WHERE m.program_id = :program AND m.status = 'active';

INSERT INTO links (program_id, partner_id, code, destination, campaign)
SELECT :program, r.partner_id, 'dash' || r.partner_id || 'x' || n, 'https://shop.example/?p=' || r.partner_id,
       CASE n WHEN 1 THEN 'Newsletter' ELSE 'Reviews' END
FROM ranked r, generate_series(1, 2) AS n;

CREATE TEMP TABLE activity AS
SELECT r.partner_id, d::date AS day, l.id AS link_id, sub.sub1, random() AS weight
FROM ranked r
JOIN links l ON l.partner_id = r.partner_id AND l.program_id = :program AND l.code LIKE 'dash%'
CROSS JOIN generate_series(current_date - 364, current_date, INTERVAL '1 day') AS d
CROSS JOIN (VALUES (''), ('email'), ('social')) AS sub (sub1)
WHERE random() < LEAST(1.0, 30.0 / r.rank);

INSERT INTO daily_stats (program_id, partner_id, day, link_id, sub1, shard, clicks, unique_clicks,
                         conversions, revenue, commission)
SELECT :program, a.partner_id, a.day, a.link_id, a.sub1, 1, c.clicks, c.clicks * 9 / 10, c.conversions,
       c.conversions * 80, c.conversions * 8
FROM activity a,
     LATERAL (SELECT round(a.weight * 2 * :clicks / (SELECT count(*) FROM activity))::bigint AS clicks,
                     round(a.weight * 2 * :conversions / (SELECT count(*) FROM activity))::bigint AS conversions) c;
COMMIT;
VACUUM (ANALYZE) daily_stats;
SELECT count(*) AS rollup_rows, sum(clicks) AS clicks, sum(conversions) AS conversions FROM daily_stats;
