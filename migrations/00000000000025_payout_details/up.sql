-- Payout details. Account numbers, TINs and VAT ids are sealed in the application with
-- AES-256-GCM under TRELLIS_DATA_KEY; key_id names the key (a fingerprint, never the key), so
-- start-up can tell a missing or wrong key and `trellis rotate-key` finds what to re-seal. Only
-- the last four characters are stored in the clear, for showing.

-- A program's payout settings; a program without a row has the defaults.
CREATE TABLE payout_settings (
    program_id bigint PRIMARY KEY REFERENCES programs (id),
    -- How long a partner's payouts wait after its payout details change (account-takeover
    -- defence).
    review_days integer NOT NULL DEFAULT 7 CHECK (review_days BETWEEN 0 AND 90)
);

-- One current method per partner and currency; a change replaces the row and keeps the old one.
CREATE TABLE payout_methods (
    id bigserial PRIMARY KEY,
    partner_id bigint NOT NULL REFERENCES partners (id),
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    kind text NOT NULL CHECK (kind IN ('sepa', 'us_bank', 'paypal', 'wise', 'other')),
    account_holder text,
    account_sealed bytea,
    account_last4 text,
    bank_code text,
    email text,
    instructions text,
    key_id text,
    -- Payouts to this partner are held until then (null: the first details, nothing to review).
    review_until timestamptz,
    created_at timestamptz NOT NULL,
    created_by bigint REFERENCES users (id),
    replaced_at timestamptz,
    CHECK ((account_sealed IS NULL) = (key_id IS NULL)),
    CHECK ((account_sealed IS NULL) = (account_last4 IS NULL)),
    CHECK (kind NOT IN ('sepa', 'us_bank') OR (account_sealed IS NOT NULL AND bank_code IS NOT NULL)),
    CHECK (kind NOT IN ('paypal', 'wise') OR email IS NOT NULL),
    CHECK (kind <> 'other' OR instructions IS NOT NULL)
);
CREATE UNIQUE INDEX payout_methods_current ON payout_methods (partner_id, currency) WHERE replaced_at IS NULL;

-- One current tax profile per partner; a change replaces the row and keeps the old one.
CREATE TABLE tax_profiles (
    id bigserial PRIMARY KEY,
    partner_id bigint NOT NULL REFERENCES partners (id),
    form text NOT NULL CHECK (form IN ('w9', 'w8ben', 'w8bene')),
    legal_name text NOT NULL,
    entity_type text,
    tin_sealed bytea,
    tin_last4 text,
    address text NOT NULL,
    country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    treaty_article text,
    vat_sealed bytea,
    vat_last4 text,
    invoice_name text NOT NULL,
    invoice_address text NOT NULL,
    key_id text,
    created_at timestamptz NOT NULL,
    created_by bigint REFERENCES users (id),
    replaced_at timestamptz,
    CHECK ((tin_sealed IS NULL AND vat_sealed IS NULL) = (key_id IS NULL)),
    CHECK ((tin_sealed IS NULL) = (tin_last4 IS NULL)),
    CHECK ((vat_sealed IS NULL) = (vat_last4 IS NULL)),
    CHECK (form <> 'w9' OR (tin_sealed IS NOT NULL AND country = 'US'))
);
CREATE UNIQUE INDEX tax_profiles_current ON tax_profiles (partner_id) WHERE replaced_at IS NULL;
