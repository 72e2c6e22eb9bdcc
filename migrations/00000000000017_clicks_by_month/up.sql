-- Clicks are the one table that grows with traffic. Partitioned by month (UTC), old months can
-- be dropped whole by `trellis retention` once their rollups are checked, without a vacuum of
-- the live months. The key must hold the partition column, so it is (id, clicked_at); ids are
-- random 22-character strings made by the server, so id alone stays unique in practice, and a
-- lookup by id reads one small index per month.
ALTER TABLE clicks RENAME TO clicks_unpartitioned;
ALTER TABLE clicks_unpartitioned RENAME CONSTRAINT clicks_pkey TO clicks_unpartitioned_pkey;

CREATE TABLE clicks (
    id          TEXT COLLATE "C" NOT NULL,
    link_id     BIGINT NOT NULL,
    partner_id  BIGINT NOT NULL,
    program_id  BIGINT NOT NULL,
    clicked_at  TIMESTAMPTZ NOT NULL,
    ip          TEXT NOT NULL,
    user_agent  TEXT NOT NULL,
    referrer    TEXT,
    sub1        TEXT,
    sub2        TEXT,
    sub3        TEXT,
    sub4        TEXT,
    sub5        TEXT,
    country     TEXT,
    flag        TEXT CHECK (flag IN ('bot', 'repeat')),
    PRIMARY KEY (id, clicked_at)
) PARTITION BY RANGE (clicked_at);

-- Catches a click whose month has no partition yet (the partition job runs daily and keeps
-- three months ahead, so this stays empty unless the clock jumps); the job moves such rows
-- into their month when it makes it.
CREATE TABLE clicks_default PARTITION OF clicks DEFAULT;

-- Makes the partition of the month that starts on `month` (a first of the month) unless it
-- exists, moving any of its rows out of the default partition first. Returns whether it made it.
CREATE FUNCTION trellis_ensure_click_partition(month DATE) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
    part TEXT := 'clicks_' || to_char(month, 'YYYY_MM');
    low TIMESTAMPTZ := month::timestamp AT TIME ZONE 'UTC';
    high TIMESTAMPTZ := (month + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC';
BEGIN
    IF date_trunc('month', month)::date <> month THEN
        RAISE EXCEPTION 'a click partition starts on the first of a month, not on %', month;
    END IF;
    IF to_regclass(part) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE clicks INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
    EXECUTE format(
        'WITH moved AS (DELETE FROM clicks_default WHERE clicked_at >= %L AND clicked_at < %L RETURNING *) '
        'INSERT INTO %I SELECT * FROM moved', low, high, part);
    EXECUTE format('ALTER TABLE clicks ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, low, high);
    RETURN true;
END
$$;

-- Every month that holds clicks, and this month and the next three.
SELECT trellis_ensure_click_partition(month::date)
FROM generate_series(
    date_trunc('month', LEAST(
        COALESCE((SELECT min(clicked_at) FROM clicks_unpartitioned), now()), now()) AT TIME ZONE 'UTC'),
    date_trunc('month', now() AT TIME ZONE 'UTC') + INTERVAL '3 months',
    INTERVAL '1 month') AS month;

INSERT INTO clicks SELECT * FROM clicks_unpartitioned;
DROP TABLE clicks_unpartitioned;

-- A conversion keeps its click's sub1, so its rollups stay right after the click's month is
-- dropped by retention.
ALTER TABLE conversions ADD COLUMN sub1 TEXT;
UPDATE conversions c SET sub1 = k.sub1 FROM clicks k WHERE c.attribution = 'click' AND k.id = c.click_id;

-- The first day whose raw clicks are still kept; daily rollups before it are the only record
-- of those clicks, so a rebuild keeps their click counts.
CREATE TABLE click_retention (
    only_row        BOOLEAN PRIMARY KEY DEFAULT true CHECK (only_row),
    kept_from       DATE NOT NULL,
    changed_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
