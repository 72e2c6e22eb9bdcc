DROP TABLE click_retention;
ALTER TABLE conversions DROP COLUMN sub1;

CREATE TABLE clicks_unpartitioned (
    id          TEXT COLLATE "C" PRIMARY KEY,
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
    flag        TEXT CHECK (flag IN ('bot', 'repeat'))
);
INSERT INTO clicks_unpartitioned SELECT * FROM clicks;
DROP TABLE clicks;
DROP FUNCTION trellis_ensure_click_partition(DATE);
ALTER TABLE clicks_unpartitioned RENAME TO clicks;
ALTER TABLE clicks RENAME CONSTRAINT clicks_unpartitioned_pkey TO clicks_pkey;
ALTER TABLE clicks RENAME CONSTRAINT clicks_unpartitioned_flag_check TO clicks_flag_check;
