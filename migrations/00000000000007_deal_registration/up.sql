-- Deal registration: per-program rules, a product catalogue, existing customers, and deals whose
-- open registrations (pending, or approved and still protected) are unique per normalized
-- domain in a program, so of any number of concurrent registrations for one account exactly one
-- is accepted.

ALTER TABLE programs
    ADD COLUMN deal_partner_kinds TEXT[] NOT NULL DEFAULT '{reseller,si,msp,referral}',
    ADD COLUMN deal_protection_days INTEGER NOT NULL DEFAULT 90 CHECK (deal_protection_days BETWEEN 1 AND 730),
    ADD COLUMN deal_sla_hours INTEGER NOT NULL DEFAULT 48 CHECK (deal_sla_hours BETWEEN 1 AND 8760),
    ADD COLUMN existing_customer_policy TEXT NOT NULL DEFAULT 'refuse'
        CHECK (existing_customer_policy IN ('refuse', 'flag'));

CREATE TABLE products (
    id          BIGSERIAL PRIMARY KEY,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    archived_at TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX products_program_name_key ON products (program_id, lower(name));

-- Domains the vendor already sells to (imported from CSV, or added when a deal is won).
CREATE TABLE customer_domains (
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    domain      TEXT NOT NULL CHECK (domain ~ '^[a-z0-9.-]+\.[a-z]{2,}$'),
    source      TEXT NOT NULL CHECK (source IN ('import', 'won_deal')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (program_id, domain)
);

CREATE TABLE deals (
    id              BIGSERIAL PRIMARY KEY,
    program_id      BIGINT NOT NULL,
    partner_id      BIGINT NOT NULL,
    company         TEXT NOT NULL CHECK (length(company) BETWEEN 1 AND 200),
    domain          TEXT NOT NULL CHECK (domain ~ '^[a-z0-9.-]+\.[a-z]{2,}$'),
    country         TEXT NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    contact_name    TEXT NOT NULL CHECK (length(contact_name) BETWEEN 1 AND 120),
    contact_email   TEXT NOT NULL CHECK (length(contact_email) BETWEEN 3 AND 254),
    contact_title   TEXT CHECK (length(contact_title) <= 120),
    value           NUMERIC(14, 2) NOT NULL CHECK (value > 0),
    currency        TEXT NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    expected_close  DATE NOT NULL,
    notes           TEXT CHECK (length(notes) <= 4000),
    -- pending → approved | rejected; approved → expired | won | lost
    status          TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'won', 'lost')),
    stage           TEXT NOT NULL DEFAULT 'registered'
        CHECK (stage IN ('registered', 'qualified', 'proposal', 'negotiation', 'won', 'lost')),
    -- Set when a reviewer saw a near match or an existing customer (policy 'flag').
    warnings        TEXT[] NOT NULL DEFAULT '{}',
    protected_until TIMESTAMPTZ,
    submitted_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    decided_at      TIMESTAMPTZ,
    decided_by      BIGINT REFERENCES users (id),
    decision_reason TEXT CHECK (length(decision_reason) <= 1000),
    closed_at       TIMESTAMPTZ,
    FOREIGN KEY (partner_id, program_id) REFERENCES program_memberships (partner_id, program_id),
    CHECK ((status = 'approved') <= (protected_until IS NOT NULL))
);
-- The conflict rule itself: one open registration per account and program.
CREATE UNIQUE INDEX deals_one_open_per_domain_idx ON deals (program_id, domain) WHERE status IN ('pending', 'approved');
CREATE INDEX deals_partner_idx ON deals (partner_id, submitted_at DESC);
CREATE INDEX deals_program_status_idx ON deals (program_id, status, submitted_at);

CREATE TABLE deal_products (
    deal_id     BIGINT NOT NULL REFERENCES deals (id),
    product_id  BIGINT NOT NULL REFERENCES products (id),
    PRIMARY KEY (deal_id, product_id)
);
