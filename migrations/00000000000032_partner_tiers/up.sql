-- Tiers that move by themselves. A program defines a ladder of ranked tiers, each with criteria
-- over a trailing window and its benefits; a daily evaluation (or an operator, on demand)
-- promotes partners at once and demotes them only after a grace period that starts with a
-- warning. A membership's current tier stays in program_memberships.tier (the name), which the
-- content gates and MDF allocations already read.
-- The ladder's window and grace period, and when it was last evaluated; a row exists once a
-- program saved a ladder.
CREATE TABLE tier_settings (
    program_id   BIGINT PRIMARY KEY REFERENCES programs (id),
    window_days  INTEGER NOT NULL CHECK (window_days BETWEEN 7 AND 730),
    grace_days   INTEGER NOT NULL CHECK (grace_days BETWEEN 0 AND 365),
    evaluated_at TIMESTAMPTZ
);

-- A ladder is saved whole (rows replaced), so history and memberships name tiers, not ids.
CREATE TABLE program_tiers (
    id                   BIGSERIAL PRIMARY KEY,
    program_id           BIGINT NOT NULL REFERENCES programs (id),
    rank                 SMALLINT NOT NULL CHECK (rank BETWEEN 1 AND 10),
    name                 TEXT NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9 _-]{0,39}$'),
    min_revenue          NUMERIC(16, 2) NOT NULL DEFAULT 0 CHECK (min_revenue >= 0),
    min_conversions      INTEGER NOT NULL DEFAULT 0 CHECK (min_conversions >= 0),
    min_won_value        NUMERIC(16, 2) NOT NULL DEFAULT 0 CHECK (min_won_value >= 0),
    min_won_deals        INTEGER NOT NULL DEFAULT 0 CHECK (min_won_deals >= 0),
    min_certified_people INTEGER NOT NULL DEFAULT 0 CHECK (min_certified_people >= 0),
    min_documents        INTEGER NOT NULL DEFAULT 0 CHECK (min_documents >= 0),
    min_days_in_program  INTEGER NOT NULL DEFAULT 0 CHECK (min_days_in_program >= 0),
    -- Benefits: the commission plan the tier pays (none: the program's default plan) and the
    -- deal protection days (none: the program's).
    plan_id              BIGINT,
    protection_days      INTEGER CHECK (protection_days BETWEEN 1 AND 730),
    UNIQUE (program_id, rank),
    UNIQUE (program_id, name),
    FOREIGN KEY (program_id, plan_id) REFERENCES commission_plans (program_id, id)
);

ALTER TABLE program_memberships
    ADD COLUMN tier_since TIMESTAMPTZ,
    -- A demotion waiting for its grace period to end (the warning went out when it was set).
    ADD COLUMN tier_demotion_due_at TIMESTAMPTZ,
    -- An operator's lock: the evaluation leaves the tier as it is.
    ADD COLUMN tier_locked_reason TEXT CHECK (length(tier_locked_reason) BETWEEN 1 AND 500),
    ADD COLUMN tier_locked_by BIGINT REFERENCES users (id),
    ADD COLUMN tier_locked_at TIMESTAMPTZ,
    ADD CONSTRAINT memberships_tier_lock_whole
        CHECK ((tier_locked_reason IS NULL) = (tier_locked_at IS NULL));

-- Every tier event of a membership, for its history; rows are never changed.
CREATE TABLE tier_changes (
    id          BIGSERIAL PRIMARY KEY,
    program_id  BIGINT NOT NULL,
    partner_id  BIGINT NOT NULL,
    kind        TEXT NOT NULL
        CHECK (kind IN ('promoted', 'demoted', 'placed', 'warned', 'recovered', 'locked', 'unlocked', 'renamed')),
    from_tier   TEXT,
    to_tier     TEXT,
    reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    -- NULL: the evaluation did it.
    actor_id    BIGINT REFERENCES users (id),
    -- The terms version the change wrote, when the tier's plan differs from the one in force.
    terms_id    BIGINT REFERENCES partner_terms (id),
    created_at  TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (partner_id, program_id) REFERENCES program_memberships (partner_id, program_id)
);
CREATE INDEX tier_changes_membership_idx ON tier_changes (program_id, partner_id, created_at DESC);
CREATE INDEX tier_changes_program_idx ON tier_changes (program_id, created_at DESC);
CREATE TRIGGER tier_changes_append_only BEFORE UPDATE OR DELETE ON tier_changes
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The evaluation's figures: won deals by when they closed.
CREATE INDEX deals_won_by_partner_idx ON deals (program_id, partner_id, closed_at) WHERE status = 'won';
