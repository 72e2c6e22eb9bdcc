-- Running Trellis for a real company: brands and programs made in the console, operators
-- invited and limited to brands, the one-time setup link, and the four-eyes threshold for
-- manual adjustments.

-- Brands carry what the portal and the emails of their programs show.
ALTER TABLE brands
    ADD COLUMN legal_name    TEXT NOT NULL DEFAULT '' CHECK (length(legal_name) <= 200),
    ADD COLUMN address       TEXT NOT NULL DEFAULT '' CHECK (length(address) <= 500),
    ADD COLUMN country       TEXT NOT NULL DEFAULT '' CHECK (country = '' OR country ~ '^[A-Z]{2}$'),
    ADD COLUMN default_currency TEXT NOT NULL DEFAULT 'EUR' CHECK (default_currency ~ '^[A-Z]{3}$'),
    ADD COLUMN tax_id        TEXT NOT NULL DEFAULT '' CHECK (length(tax_id) <= 40),
    ADD COLUMN support_email TEXT NOT NULL DEFAULT '' CHECK (length(support_email) <= 254),
    ADD COLUMN sender_name   TEXT NOT NULL DEFAULT '' CHECK (length(sender_name) <= 80),
    ADD COLUMN primary_color TEXT NOT NULL DEFAULT '#1f6f5c' CHECK (primary_color ~ '^#[0-9a-f]{6}$'),
    -- The logo's bytes (PNG, JPEG or WebP, checked from the bytes), served with its own type.
    ADD COLUMN logo          BYTEA CHECK (logo IS NULL OR octet_length(logo) <= 1048576),
    ADD COLUMN logo_type     TEXT CHECK (logo_type IN ('image/png', 'image/jpeg', 'image/webp')),
    ADD COLUMN logo_version  INTEGER NOT NULL DEFAULT 0,
    ADD CONSTRAINT brands_logo_shape CHECK ((logo IS NULL) = (logo_type IS NULL));

-- What a program is and whom it takes. `is_open` now reads "public": the program is listed and
-- anyone may apply; an invite-only program takes applications only through its invitation link.
ALTER TABLE programs
    ADD COLUMN kind          TEXT NOT NULL DEFAULT 'mixed' CHECK (kind IN ('affiliate', 'reseller', 'referral', 'mixed')),
    ADD COLUMN invite_code   TEXT NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', ''),
    -- Empty: every partner kind may apply.
    ADD COLUMN partner_kinds TEXT[] NOT NULL DEFAULT '{}',
    -- Archived programs take no applications and no new links; links redirect until links_end_at.
    ADD COLUMN archived_at   TIMESTAMPTZ,
    ADD COLUMN links_end_at  TIMESTAMPTZ,
    -- Manual adjustments larger than this (in absolute value) need a second person with finance rights.
    ADD COLUMN adjustment_review_above NUMERIC NOT NULL DEFAULT 0 CHECK (adjustment_review_above >= 0),
    ADD CONSTRAINT programs_archive_shape CHECK (links_end_at IS NULL OR archived_at IS NOT NULL);

-- Operators limited to some brands see only those brands' data. `brand_scoped` is explicit so
-- that removing an operator's last brand narrows what they see instead of widening it.
ALTER TABLE users
    ADD COLUMN brand_scoped BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN invited_by   BIGINT REFERENCES users (id),
    ADD CONSTRAINT users_scope_shape CHECK (kind = 'operator' OR NOT brand_scoped);

CREATE TABLE operator_brands (
    user_id  BIGINT NOT NULL REFERENCES users (id),
    brand_id BIGINT NOT NULL REFERENCES brands (id),
    PRIMARY KEY (user_id, brand_id)
);
CREATE INDEX operator_brands_brand_id_idx ON operator_brands (brand_id);

-- The one-time setup link `trellis serve` prints while no operator exists. Only a hash is kept.
CREATE TABLE setup_tokens (
    token_hash BYTEA PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);

-- Program emails go out under their brand's sender name (the address stays the installation's).
ALTER TABLE email_outbox ADD COLUMN sender_name TEXT CHECK (length(sender_name) <= 80);

-- Every audit row knows its brand, so a brand-scoped operator's trail is one indexed filter.
-- PostgreSQL derives it from the subject on insert; callers can't forget it.
ALTER TABLE audit_events ADD COLUMN brand_id BIGINT;
CREATE INDEX audit_events_brand_idx ON audit_events (brand_id, occurred_at DESC);

CREATE FUNCTION audit_subject_brand(subject_type TEXT, subject_id TEXT) RETURNS BIGINT
LANGUAGE plpgsql STABLE AS $$
DECLARE
    program BIGINT;
    num BIGINT;
BEGIN
    IF subject_type = 'brand' AND subject_id ~ '^[0-9]+$' THEN
        RETURN subject_id::BIGINT;
    END IF;
    -- "program:partner" subjects (terms, tiers, partner settings) name their program first.
    IF subject_id ~ '^[0-9]+:[0-9]+$' THEN
        program := split_part(subject_id, ':', 1)::BIGINT;
    ELSIF subject_id ~ '^[0-9]+$' THEN
        num := subject_id::BIGINT;
        program := CASE subject_type
            WHEN 'program' THEN num
            WHEN 'membership' THEN (SELECT program_id FROM program_memberships WHERE id = num)
            WHEN 'commission' THEN (SELECT program_id FROM commissions WHERE id = num)
            WHEN 'deal' THEN (SELECT program_id FROM deals WHERE id = num)
            WHEN 'link' THEN (SELECT program_id FROM links WHERE id = num)
            WHEN 'coupon' THEN (SELECT program_id FROM coupons WHERE id = num)
            WHEN 'plan' THEN (SELECT program_id FROM commission_plans WHERE id = num)
            WHEN 'api_key' THEN (SELECT program_id FROM api_keys WHERE id = num)
            WHEN 'mdf_fund' THEN (SELECT program_id FROM mdf_funds WHERE id = num)
            WHEN 'mdf_request' THEN (SELECT f.program_id FROM mdf_requests r JOIN mdf_funds f ON f.id = r.fund_id WHERE r.id = num)
            ELSE NULL
        END;
    END IF;
    RETURN (SELECT brand_id FROM programs WHERE id = program);
END;
$$;

CREATE FUNCTION audit_events_set_brand() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.brand_id IS NULL THEN
        NEW.brand_id := audit_subject_brand(NEW.subject_type, NEW.subject_id);
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_events_brand
    BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_set_brand();

-- Existing rows get their brand once, here; the append-only guard is lifted only for this
-- derived column and put back in the same transaction.
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete;
UPDATE audit_events SET brand_id = audit_subject_brand(subject_type, subject_id);
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete;
