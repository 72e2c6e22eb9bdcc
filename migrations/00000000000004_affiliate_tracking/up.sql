-- Affiliate tracking: per-program tracking settings, links, coupons, clicks, API keys,
-- conversions, commissions, refunds, lifetime customer bindings and daily rollups.
-- Money and click rows are never updated: corrections are new rows (reversals).

ALTER TABLE programs
    ADD COLUMN allowed_domains TEXT[] NOT NULL DEFAULT '{}',
    ADD COLUMN default_landing_url TEXT,
    ADD COLUMN cookie_days INTEGER NOT NULL DEFAULT 30 CHECK (cookie_days BETWEEN 1 AND 365),
    ADD COLUMN attribution_model TEXT NOT NULL DEFAULT 'last_click'
        CHECK (attribution_model IN ('last_click', 'first_click')),
    ADD COLUMN click_param TEXT NOT NULL DEFAULT 'trl_click' CHECK (click_param ~ '^[A-Za-z_][A-Za-z0-9_]{0,31}$'),
    ADD COLUMN coupons_override BOOLEAN NOT NULL DEFAULT FALSE;

-- The one simple rule per program that creates a pending commission. The commission engine
-- replaces this table with versioned terms.
CREATE TABLE commission_rules (
    program_id  BIGINT PRIMARY KEY REFERENCES programs (id),
    kind        TEXT NOT NULL CHECK (kind IN ('percent', 'flat')),
    value       NUMERIC(14, 4) NOT NULL CHECK (value >= 0),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE links (
    id          BIGSERIAL PRIMARY KEY,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    partner_id  BIGINT NOT NULL REFERENCES partners (id),
    code        TEXT NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9]{6,32}$'),
    destination TEXT NOT NULL CHECK (destination ~ '^https?://'),
    campaign    TEXT CHECK (length(campaign) <= 80),
    sub1        TEXT CHECK (length(sub1) <= 100),
    sub2        TEXT CHECK (length(sub2) <= 100),
    sub3        TEXT CHECK (length(sub3) <= 100),
    sub4        TEXT CHECK (length(sub4) <= 100),
    sub5        TEXT CHECK (length(sub5) <= 100),
    is_default  BOOLEAN NOT NULL DEFAULT FALSE,
    disabled_at TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    FOREIGN KEY (partner_id, program_id) REFERENCES program_memberships (partner_id, program_id)
);
CREATE INDEX links_partner_program_idx ON links (partner_id, program_id);
-- One default link per partner and program, so approving twice cannot make two.
CREATE UNIQUE INDEX links_one_default_idx ON links (partner_id, program_id) WHERE is_default;

CREATE TABLE coupons (
    id          BIGSERIAL PRIMARY KEY,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    partner_id  BIGINT NOT NULL REFERENCES partners (id),
    code        TEXT NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{3,40}$'),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    FOREIGN KEY (partner_id, program_id) REFERENCES program_memberships (partner_id, program_id)
);
CREATE UNIQUE INDEX coupons_program_code_key ON coupons (program_id, lower(code));

-- Clicks are written in batches by the click writer. The id is made by the server before the
-- insert, so that the redirect can carry it.
CREATE TABLE clicks (
    id          TEXT PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9]{20,40}$'),
    link_id     BIGINT NOT NULL REFERENCES links (id),
    partner_id  BIGINT NOT NULL REFERENCES partners (id),
    program_id  BIGINT NOT NULL REFERENCES programs (id),
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
    -- Why the click is left out of unique-click stats: a bot or link previewer, or a repeat.
    flag        TEXT CHECK (flag IN ('bot', 'repeat'))
);
CREATE INDEX clicks_link_time_idx ON clicks (link_id, clicked_at);

CREATE TABLE api_keys (
    id          BIGSERIAL PRIMARY KEY,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    -- The first characters, shown in the console so people can tell keys apart.
    prefix      TEXT NOT NULL,
    key_hash    BYTEA NOT NULL UNIQUE,
    created_by  BIGINT REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX api_keys_program_idx ON api_keys (program_id);

CREATE TABLE conversions (
    id              BIGSERIAL PRIMARY KEY,
    program_id      BIGINT NOT NULL REFERENCES programs (id),
    order_id        TEXT NOT NULL CHECK (length(order_id) BETWEEN 1 AND 200),
    event           TEXT NOT NULL CHECK (event ~ '^[a-z0-9_.-]{1,40}$'),
    amount          NUMERIC(14, 4),
    currency        TEXT CHECK (currency ~ '^[A-Z]{3}$'),
    click_id        TEXT,
    coupon          TEXT,
    customer_id     TEXT,
    customer_email  TEXT,
    occurred_at     TIMESTAMPTZ NOT NULL,
    received_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    metadata        JSONB,
    partner_id      BIGINT REFERENCES partners (id),
    link_id         BIGINT REFERENCES links (id),
    attribution     TEXT NOT NULL CHECK (attribution IN ('click', 'coupon', 'customer', 'none')),
    -- Why a conversion is unattributed (or how a click id was passed over), in plain words.
    attribution_note TEXT,
    -- The request as normalised on first receipt; a replay is compared with it.
    request         JSONB NOT NULL,
    CONSTRAINT conversions_order_key UNIQUE (program_id, order_id),
    CHECK ((attribution = 'none') = (partner_id IS NULL))
);
CREATE INDEX conversions_program_time_idx ON conversions (program_id, occurred_at DESC);
CREATE INDEX conversions_partner_time_idx ON conversions (partner_id, occurred_at DESC);

CREATE TABLE refunds (
    id              BIGSERIAL PRIMARY KEY,
    conversion_id   BIGINT NOT NULL REFERENCES conversions (id),
    program_id      BIGINT NOT NULL REFERENCES programs (id),
    refund_id       TEXT NOT NULL CHECK (length(refund_id) BETWEEN 1 AND 200),
    amount          NUMERIC(14, 4) NOT NULL CHECK (amount > 0),
    reason          TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT refunds_refund_key UNIQUE (program_id, refund_id)
);
CREATE INDEX refunds_conversion_idx ON refunds (conversion_id);

-- Commission rows: one per attributed conversion, and a negative reversal per refund.
CREATE TABLE commissions (
    id              BIGSERIAL PRIMARY KEY,
    conversion_id   BIGINT NOT NULL REFERENCES conversions (id),
    program_id      BIGINT NOT NULL REFERENCES programs (id),
    partner_id      BIGINT NOT NULL REFERENCES partners (id),
    kind            TEXT NOT NULL CHECK (kind IN ('commission', 'reversal')),
    amount          NUMERIC(14, 4) NOT NULL,
    currency        TEXT NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status          TEXT NOT NULL CHECK (status IN ('pending')),
    refund_id       BIGINT REFERENCES refunds (id),
    rule            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((kind = 'commission') = (refund_id IS NULL)),
    CHECK ((kind = 'commission' AND amount >= 0) OR (kind = 'reversal' AND amount <= 0))
);
CREATE UNIQUE INDEX commissions_one_per_conversion_idx ON commissions (conversion_id) WHERE kind = 'commission';
CREATE UNIQUE INDEX commissions_one_per_refund_idx ON commissions (refund_id) WHERE kind = 'reversal';
CREATE INDEX commissions_partner_idx ON commissions (partner_id, created_at DESC);

-- Lifetime customer binding: the first partner credited with a customer keeps them.
CREATE TABLE customer_bindings (
    program_id      BIGINT NOT NULL REFERENCES programs (id),
    customer_key    TEXT NOT NULL,
    partner_id      BIGINT NOT NULL REFERENCES partners (id),
    conversion_id   BIGINT NOT NULL REFERENCES conversions (id),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (program_id, customer_key)
);

-- Daily rollups per (program, partner, link, sub1), kept current by the click writer and the
-- conversion ingestion, and rebuildable from the raw rows. 0 stands for "none" in partner_id
-- and link_id (an unattributed conversion, a coupon sale), and '' in sub1, so that the key has
-- no NULLs.
CREATE TABLE daily_stats (
    day             DATE NOT NULL,
    program_id      BIGINT NOT NULL,
    partner_id      BIGINT NOT NULL,
    link_id         BIGINT NOT NULL,
    sub1            TEXT NOT NULL,
    clicks          BIGINT NOT NULL DEFAULT 0,
    unique_clicks   BIGINT NOT NULL DEFAULT 0,
    conversions     BIGINT NOT NULL DEFAULT 0,
    revenue         NUMERIC(16, 4) NOT NULL DEFAULT 0,
    commission      NUMERIC(16, 4) NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, partner_id, day, link_id, sub1)
);
