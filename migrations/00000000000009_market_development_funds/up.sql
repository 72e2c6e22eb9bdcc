-- Market development funds: funds per program and period, allocations to partners (one partner,
-- every partner of a tier, or a percent of last period's revenue, each materialized per partner
-- with its inputs), requests and claims with proof-of-performance files, and an append-only
-- history. The budget guarantee lives here: a partner's balance row in a fund refuses to commit
-- more than was allocated (CHECK), and approvals add to it with `committed = committed + x`, so
-- two approvals that together exceed what is available can't both commit.

-- Until tier rules arrive, an operator sets a partner's tier by hand.
ALTER TABLE program_memberships
    ADD COLUMN tier TEXT CHECK (tier ~ '^[A-Za-z0-9][A-Za-z0-9 _-]{0,39}$');

CREATE TABLE mdf_funds (
    id              BIGSERIAL PRIMARY KEY,
    program_id      BIGINT NOT NULL REFERENCES programs (id),
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    period_start    DATE NOT NULL,
    period_end      DATE NOT NULL,
    -- Claims are due this many days after the activity ends.
    claim_days      INTEGER NOT NULL CHECK (claim_days BETWEEN 1 AND 365),
    currency        TEXT NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    created_by      BIGINT REFERENCES users (id),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Set by the expiry job once the period is over: unused funds expired then.
    expired_at      TIMESTAMPTZ,
    CHECK (period_end >= period_start),
    UNIQUE (program_id, name),
    UNIQUE (id, program_id)
);

-- What each partner may draw from each fund. `available` is what new approvals can use.
CREATE TABLE mdf_balances (
    fund_id         BIGINT NOT NULL REFERENCES mdf_funds (id),
    partner_id      BIGINT NOT NULL REFERENCES partners (id),
    allocated       NUMERIC(14, 4) NOT NULL DEFAULT 0 CHECK (allocated >= 0),
    requested       NUMERIC(14, 4) NOT NULL DEFAULT 0 CHECK (requested >= 0),
    approved        NUMERIC(14, 4) NOT NULL DEFAULT 0 CHECK (approved >= 0),
    claimed         NUMERIC(14, 4) NOT NULL DEFAULT 0 CHECK (claimed >= 0),
    paid            NUMERIC(14, 4) NOT NULL DEFAULT 0 CHECK (paid >= 0),
    -- Held by approved requests, claims and payable or paid claims.
    committed       NUMERIC(14, 4) NOT NULL DEFAULT 0 CHECK (committed >= 0),
    -- Left unused when the period ended (and released after that).
    expired         NUMERIC(14, 4) NOT NULL DEFAULT 0 CHECK (expired >= 0),
    available       NUMERIC(14, 4) GENERATED ALWAYS AS (allocated - committed - expired) STORED,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (fund_id, partner_id),
    CONSTRAINT mdf_balances_within_allocation CHECK (committed + expired <= allocated)
);
CREATE INDEX mdf_balances_partner_idx ON mdf_balances (partner_id);

-- Allocations are never changed; a correction is another allocation.
CREATE TABLE mdf_allocations (
    id              BIGSERIAL PRIMARY KEY,
    fund_id         BIGINT NOT NULL,
    program_id      BIGINT NOT NULL,
    partner_id      BIGINT NOT NULL,
    amount          NUMERIC(14, 4) NOT NULL CHECK (amount > 0),
    source          TEXT NOT NULL CHECK (source IN ('partner', 'tier', 'revenue')),
    tier            TEXT,
    -- For accruals: the percent, the revenue it applied to and that revenue's period.
    percent         NUMERIC(7, 4) CHECK (percent > 0 AND percent <= 100),
    revenue         NUMERIC(16, 4) CHECK (revenue > 0),
    revenue_from    DATE,
    revenue_to      DATE,
    note            TEXT CHECK (length(note) <= 500),
    created_by      BIGINT REFERENCES users (id),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    FOREIGN KEY (fund_id, program_id) REFERENCES mdf_funds (id, program_id),
    FOREIGN KEY (partner_id, program_id) REFERENCES program_memberships (partner_id, program_id),
    CHECK ((source = 'tier') = (tier IS NOT NULL)),
    CHECK ((source = 'revenue') = (percent IS NOT NULL AND revenue IS NOT NULL
                                   AND revenue_from IS NOT NULL AND revenue_to IS NOT NULL))
);
CREATE INDEX mdf_allocations_fund_idx ON mdf_allocations (fund_id, created_at);
CREATE TRIGGER mdf_allocations_append_only BEFORE UPDATE OR DELETE ON mdf_allocations
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- pending → approved | declined; approved → claimed | lapsed; claimed → payable | approved
-- (claim rejected); payable → paid (by payouts).
CREATE TABLE mdf_requests (
    id              BIGSERIAL PRIMARY KEY,
    fund_id         BIGINT NOT NULL,
    partner_id      BIGINT NOT NULL,
    activity        TEXT NOT NULL CHECK (activity IN ('event', 'ads', 'content', 'webinar', 'other')),
    description     TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
    starts_on       DATE NOT NULL,
    ends_on         DATE NOT NULL,
    amount          NUMERIC(14, 4) NOT NULL CHECK (amount > 0),
    expected_outcome TEXT NOT NULL CHECK (length(expected_outcome) BETWEEN 1 AND 1000),
    -- The first moment a claim is too late: the end of the activity's last day plus the fund's
    -- claim days.
    claim_deadline  TIMESTAMPTZ NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'declined', 'approved', 'claimed', 'payable', 'paid', 'lapsed')),
    approved_amount NUMERIC(14, 4) CHECK (approved_amount > 0 AND approved_amount <= amount),
    decision_reason TEXT CHECK (length(decision_reason) <= 1000),
    decided_by      BIGINT REFERENCES users (id),
    decided_at      TIMESTAMPTZ,
    submitted_at    TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (fund_id, partner_id) REFERENCES mdf_balances (fund_id, partner_id),
    CHECK (ends_on >= starts_on),
    CHECK ((status = 'pending') = (decided_at IS NULL)),
    CHECK ((status IN ('approved', 'claimed', 'payable', 'paid', 'lapsed')) = (approved_amount IS NOT NULL))
);
CREATE INDEX mdf_requests_partner_idx ON mdf_requests (partner_id, submitted_at DESC);
CREATE INDEX mdf_requests_status_idx ON mdf_requests (status, submitted_at);
CREATE INDEX mdf_requests_lapse_idx ON mdf_requests (claim_deadline) WHERE status = 'approved';

-- A claim against an approved request. At most one is open (waiting or approved); a rejected
-- claim leaves the request approved, so the partner can file a corrected one before the deadline.
CREATE TABLE mdf_claims (
    id              BIGSERIAL PRIMARY KEY,
    request_id      BIGINT NOT NULL REFERENCES mdf_requests (id),
    partner_id      BIGINT NOT NULL REFERENCES partners (id),
    amount          NUMERIC(14, 4) NOT NULL CHECK (amount > 0),
    actual_cost     NUMERIC(14, 4) NOT NULL CHECK (actual_cost >= amount),
    leads           INTEGER NOT NULL DEFAULT 0 CHECK (leads >= 0),
    attendees       INTEGER NOT NULL DEFAULT 0 CHECK (attendees >= 0),
    notes           TEXT CHECK (length(notes) <= 2000),
    status          TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'rejected')),
    approved_amount NUMERIC(14, 4) CHECK (approved_amount > 0 AND approved_amount <= amount),
    decision_reason TEXT CHECK (length(decision_reason) <= 1000),
    decided_by      BIGINT REFERENCES users (id),
    decided_at      TIMESTAMPTZ,
    submitted_at    TIMESTAMPTZ NOT NULL,
    CHECK ((status = 'approved') = (approved_amount IS NOT NULL)),
    CHECK ((status = 'submitted') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX mdf_claims_one_open_idx ON mdf_claims (request_id) WHERE status IN ('submitted', 'approved');
CREATE INDEX mdf_claims_status_idx ON mdf_claims (status, submitted_at);

-- Proof of performance, kept in PostgreSQL so that any instance can serve it. The type is
-- sniffed from the bytes, not taken from the browser.
CREATE TABLE mdf_files (
    id              BIGSERIAL PRIMARY KEY,
    claim_id        BIGINT NOT NULL REFERENCES mdf_claims (id),
    partner_id      BIGINT NOT NULL REFERENCES partners (id),
    filename        TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
    content_type    TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg', 'image/webp')),
    size_bytes      INTEGER NOT NULL CHECK (size_bytes BETWEEN 1 AND 5242880),
    sha256          BYTEA NOT NULL CHECK (length(sha256) = 32),
    data            BYTEA NOT NULL CHECK (length(data) = size_bytes),
    uploaded_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX mdf_files_claim_idx ON mdf_files (claim_id);
CREATE TRIGGER mdf_files_append_only BEFORE UPDATE OR DELETE ON mdf_files
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Every allocation and transition with its amount, for the partner's history.
CREATE TABLE mdf_events (
    id              BIGSERIAL PRIMARY KEY,
    fund_id         BIGINT NOT NULL REFERENCES mdf_funds (id),
    partner_id      BIGINT NOT NULL REFERENCES partners (id),
    request_id      BIGINT REFERENCES mdf_requests (id),
    kind            TEXT NOT NULL CHECK (kind IN ('allocated', 'requested', 'approved', 'declined', 'claimed',
                                                  'claim_approved', 'claim_rejected', 'lapsed', 'expired')),
    amount          NUMERIC(14, 4),
    actor_id        BIGINT REFERENCES users (id),
    note            TEXT,
    occurred_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX mdf_events_partner_idx ON mdf_events (partner_id, occurred_at DESC, id DESC);
CREATE INDEX mdf_events_request_idx ON mdf_events (request_id, id);
CREATE TRIGGER mdf_events_append_only BEFORE UPDATE OR DELETE ON mdf_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- A deal may point to the MDF activity that sourced it (MDF ROI: won deals' value against the
-- activity's approved claim).
ALTER TABLE deals ADD COLUMN mdf_request_id BIGINT REFERENCES mdf_requests (id);
CREATE INDEX deals_mdf_request_idx ON deals (mdf_request_id) WHERE mdf_request_id IS NOT NULL;
