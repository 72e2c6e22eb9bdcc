-- Commission engine: reusable plans, versioned partner terms, an append-only ledger whose
-- approval decisions are rows of their own, routing thresholds and lock periods per program,
-- and sub-partner links for multi-level overrides.

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

ALTER TABLE programs
    ADD COLUMN auto_approve_below NUMERIC(14, 4) CHECK (auto_approve_below >= 0),
    ADD COLUMN finance_above NUMERIC(14, 4) CHECK (finance_above >= 0),
    ADD COLUMN lock_days INTEGER NOT NULL DEFAULT 30 CHECK (lock_days BETWEEN 0 AND 365),
    ADD COLUMN sla_remind_hours INTEGER NOT NULL DEFAULT 48 CHECK (sla_remind_hours BETWEEN 1 AND 8760),
    ADD COLUMN sla_escalate_hours INTEGER NOT NULL DEFAULT 96 CHECK (sla_escalate_hours BETWEEN 1 AND 8760),
    ADD COLUMN sub_partner_invites BOOLEAN NOT NULL DEFAULT FALSE,
    ADD CONSTRAINT programs_thresholds_order CHECK (finance_above >= auto_approve_below),
    ADD CONSTRAINT programs_sla_order CHECK (sla_escalate_hours > sla_remind_hours);

-- A plan is never edited once saved, so a terms version that points at it means the same thing
-- forever. To change a plan, save a new one and amend the partners' terms.
CREATE TABLE commission_plans (
    id          BIGSERIAL PRIMARY KEY,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    definition  JSONB NOT NULL,
    created_by  BIGINT REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (program_id, name),
    UNIQUE (program_id, id)
);
CREATE TRIGGER commission_plans_append_only BEFORE UPDATE OR DELETE ON commission_plans
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The plan a newly approved partner gets.
ALTER TABLE programs ADD COLUMN default_plan_id BIGINT REFERENCES commission_plans (id);

-- Every change of a partner's terms is a new version; the terms in force at time T are the
-- latest version with effective_from <= T.
CREATE TABLE partner_terms (
    id              BIGSERIAL PRIMARY KEY,
    program_id      BIGINT NOT NULL,
    partner_id      BIGINT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    plan_id         BIGINT NOT NULL,
    overrides       JSONB NOT NULL DEFAULT '{}',
    effective_from  TIMESTAMPTZ NOT NULL,
    author_id       BIGINT REFERENCES users (id),
    reason          TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (program_id, partner_id, version),
    FOREIGN KEY (partner_id, program_id) REFERENCES program_memberships (partner_id, program_id),
    FOREIGN KEY (program_id, plan_id) REFERENCES commission_plans (program_id, id)
);
CREATE INDEX partner_terms_in_force_idx ON partner_terms (program_id, partner_id, effective_from DESC, version DESC);
CREATE TRIGGER partner_terms_append_only BEFORE UPDATE OR DELETE ON partner_terms
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- A flagged partner's new commissions go on hold.
ALTER TABLE program_memberships
    ADD COLUMN flagged_reason TEXT CHECK (length(flagged_reason) BETWEEN 1 AND 500),
    ADD COLUMN invited_by BIGINT REFERENCES partners (id);

-- Who is whose sub-partner, per program. Set by operators or through a master's invitation.
CREATE TABLE sub_partner_links (
    program_id  BIGINT NOT NULL,
    partner_id  BIGINT NOT NULL,
    master_id   BIGINT NOT NULL,
    created_by  BIGINT REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (program_id, partner_id),
    FOREIGN KEY (partner_id, program_id) REFERENCES program_memberships (partner_id, program_id),
    FOREIGN KEY (master_id, program_id) REFERENCES program_memberships (partner_id, program_id),
    CHECK (partner_id <> master_id)
);
CREATE INDEX sub_partner_links_master_idx ON sub_partner_links (program_id, master_id);

-- A master's invitation code; people who apply through it become its sub-partners when approved.
CREATE TABLE sub_partner_invites (
    program_id  BIGINT NOT NULL,
    master_id   BIGINT NOT NULL,
    code        TEXT NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9]{8,32}$'),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (program_id, master_id),
    FOREIGN KEY (master_id, program_id) REFERENCES program_memberships (partner_id, program_id)
);

-- What the merchant reports besides the amount: deductions for net RevShare and the country.
ALTER TABLE conversions
    ADD COLUMN deductions NUMERIC(14, 4) NOT NULL DEFAULT 0 CHECK (deductions >= 0),
    ADD COLUMN country TEXT CHECK (country ~ '^[A-Z]{2}$');

-- The ledger. Accruals ('commission'), reversals, adjustments and overrides; amounts are never
-- updated and a balance is a sum. Each accrual records the terms version and the inputs it was
-- computed from, so it can be recomputed exactly.
ALTER TABLE commissions
    DROP CONSTRAINT commissions_kind_check,
    DROP CONSTRAINT commissions_check,
    DROP CONSTRAINT commissions_check1,
    ALTER COLUMN conversion_id DROP NOT NULL,
    ADD COLUMN terms_version_id BIGINT REFERENCES partner_terms (id),
    ADD COLUMN inputs JSONB,
    ADD COLUMN source_id BIGINT REFERENCES commissions (id),
    ADD COLUMN level SMALLINT CHECK (level BETWEEN 1 AND 5),
    ADD COLUMN reason TEXT CHECK (length(reason) BETWEEN 1 AND 500),
    ADD COLUMN created_by BIGINT REFERENCES users (id),
    ADD COLUMN payable_at TIMESTAMPTZ;
ALTER TABLE commissions RENAME COLUMN rule TO explanation;

UPDATE commissions SET payable_at = created_at + interval '30 days';
UPDATE commissions r SET source_id = c.id
    FROM commissions c
    WHERE r.kind = 'reversal' AND c.conversion_id = r.conversion_id AND c.kind = 'commission';

-- The approval state lives in commission_decisions from now on.
CREATE TABLE commission_decisions (
    id              BIGSERIAL PRIMARY KEY,
    commission_id   BIGINT NOT NULL REFERENCES commissions (id),
    -- 1 for the routing decision, then one more per decision. A second decision on the same
    -- state collides on (commission_id, seq), so two approvers can never both decide.
    seq             INTEGER NOT NULL CHECK (seq >= 1),
    status          TEXT NOT NULL CHECK (status IN ('pending', 'on_hold', 'approved', 'rejected')),
    stage           TEXT CHECK (stage IN ('manager', 'finance')),
    actor_id        BIGINT REFERENCES users (id),
    reason          TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (commission_id, seq),
    CHECK ((status = 'pending') = (stage IS NOT NULL))
);
CREATE TRIGGER commission_decisions_append_only BEFORE UPDATE OR DELETE ON commission_decisions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

INSERT INTO commission_decisions (commission_id, seq, status, stage, reason, created_at)
    SELECT id, 1, 'pending', 'manager', 'recorded before approvals existed', created_at
    FROM commissions WHERE kind = 'commission';

ALTER TABLE commissions
    DROP COLUMN status,
    ALTER COLUMN payable_at SET NOT NULL,
    ADD CONSTRAINT commissions_kind_check CHECK (kind IN ('commission', 'reversal', 'adjustment', 'override')),
    ADD CONSTRAINT commissions_shape CHECK (
        (kind = 'commission' AND conversion_id IS NOT NULL AND refund_id IS NULL AND source_id IS NULL AND amount >= 0)
        OR (kind = 'reversal' AND refund_id IS NOT NULL AND source_id IS NOT NULL AND amount <= 0)
        OR (kind = 'override' AND source_id IS NOT NULL AND level IS NOT NULL AND refund_id IS NULL AND amount >= 0)
        OR (kind = 'adjustment' AND reason IS NOT NULL AND created_by IS NOT NULL AND refund_id IS NULL AND amount <> 0)
    );
DROP INDEX commissions_one_per_refund_idx;
CREATE UNIQUE INDEX commissions_one_reversal_per_refund_idx ON commissions (refund_id, source_id) WHERE kind = 'reversal';
CREATE UNIQUE INDEX commissions_one_override_per_level_idx ON commissions (source_id, level) WHERE kind = 'override';
CREATE INDEX commissions_source_idx ON commissions (source_id) WHERE source_id IS NOT NULL;
CREATE INDEX commissions_program_partner_idx ON commissions (program_id, partner_id, created_at);
CREATE TRIGGER commissions_append_only BEFORE UPDATE OR DELETE ON commissions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Reminders and escalations already sent, one of each per wait (the decision that began it).
CREATE TABLE commission_sla_notices (
    commission_id   BIGINT NOT NULL REFERENCES commissions (id),
    seq             INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('reminder', 'escalation')),
    sent_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (commission_id, seq, kind)
);

-- The single rule per program becomes a plan, and every member gets version 1 of its terms.
INSERT INTO commission_plans (program_id, name, definition)
SELECT r.program_id, 'Standard',
    jsonb_build_object(
        'currency', p.currency,
        'period', 'month',
        'rules', jsonb_build_array(jsonb_build_object(
            'events', (SELECT jsonb_agg(DISTINCT e) FROM (
                SELECT 'sale' AS e UNION SELECT event FROM conversions c WHERE c.program_id = r.program_id) events),
            'model', CASE r.kind
                WHEN 'percent' THEN jsonb_build_object('model', 'percent', 'rate', r.value::text)
                ELSE jsonb_build_object('model', 'flat', 'amount', r.value::text) END)))
FROM commission_rules r JOIN programs p ON p.id = r.program_id;
UPDATE programs p SET default_plan_id = cp.id FROM commission_plans cp WHERE cp.program_id = p.id;
INSERT INTO partner_terms (program_id, partner_id, version, plan_id, effective_from, reason)
SELECT m.program_id, m.partner_id, 1, p.default_plan_id, TIMESTAMPTZ '2000-01-01 00:00:00+00',
       'Carried over from the program''s single commission rule'
FROM program_memberships m JOIN programs p ON p.id = m.program_id
WHERE p.default_plan_id IS NOT NULL AND m.status IN ('active', 'suspended');
DROP TABLE commission_rules;
