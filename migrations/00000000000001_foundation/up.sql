-- Brands, programs, partners, memberships and the people who log in.
-- Enumerations are text with CHECK constraints so that adding a value is a plain migration.

CREATE TABLE brands (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    slug        TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE programs (
    id          BIGSERIAL PRIMARY KEY,
    brand_id    BIGINT NOT NULL REFERENCES brands (id),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    slug        TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    currency    TEXT NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    description TEXT NOT NULL DEFAULT '',
    terms       TEXT NOT NULL,
    is_open     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX programs_brand_id_idx ON programs (brand_id);

CREATE TABLE partners (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    email       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('affiliate', 'creator', 'publisher', 'reseller', 'si', 'msp', 'isv', 'referral')),
    country     TEXT NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    website     TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- One identity per email address, whatever its case.
CREATE UNIQUE INDEX partners_email_key ON partners (lower(email));

CREATE TABLE program_memberships (
    id              BIGSERIAL PRIMARY KEY,
    partner_id      BIGINT NOT NULL REFERENCES partners (id),
    program_id      BIGINT NOT NULL REFERENCES programs (id),
    status          TEXT NOT NULL CHECK (status IN ('applied', 'active', 'rejected', 'suspended')),
    promotion_plan  TEXT NOT NULL,
    terms_accepted_at TIMESTAMPTZ NOT NULL,
    status_reason   TEXT,
    decided_by      BIGINT,
    applied_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    decided_at      TIMESTAMPTZ,
    UNIQUE (partner_id, program_id)
);
CREATE INDEX program_memberships_program_status_idx ON program_memberships (program_id, status, applied_at);

CREATE TABLE users (
    id              BIGSERIAL PRIMARY KEY,
    email           TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    password_hash   TEXT,
    kind            TEXT NOT NULL CHECK (kind IN ('operator', 'partner')),
    operator_role   TEXT CHECK (operator_role IN ('admin', 'manager', 'finance', 'viewer')),
    partner_id      BIGINT REFERENCES partners (id),
    partner_role    TEXT CHECK (partner_role IN ('owner', 'member')),
    is_active       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    password_changed_at TIMESTAMPTZ,
    CONSTRAINT users_kind_shape CHECK (
        (kind = 'operator' AND operator_role IS NOT NULL AND partner_id IS NULL AND partner_role IS NULL)
        OR (kind = 'partner' AND operator_role IS NULL AND partner_id IS NOT NULL AND partner_role IS NOT NULL)
    )
);
-- One login per email address across operators and partners.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_partner_id_idx ON users (partner_id);

ALTER TABLE program_memberships
    ADD CONSTRAINT program_memberships_decided_by_fkey FOREIGN KEY (decided_by) REFERENCES users (id);

-- Single-use tokens for password resets and first-password invitations. Only a hash is stored.
CREATE TABLE password_tokens (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    token_hash  BYTEA NOT NULL UNIQUE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('reset', 'invite')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX password_tokens_user_id_idx ON password_tokens (user_id);

-- tower-sessions records, stored as JSON so that an operator can read them in psql.
CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    data        JSONB NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- Fixed-window counters for throttling (login per account and per IP). Shared by every instance.
CREATE TABLE rate_limits (
    key             TEXT PRIMARY KEY,
    window_started_at TIMESTAMPTZ NOT NULL,
    hits            INTEGER NOT NULL
);
