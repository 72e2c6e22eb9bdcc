-- Back to one simple rule per program: the first rule of each program's default plan, and
-- commissions with a single 'pending' status. Decisions, terms and plans are dropped.
CREATE TABLE commission_rules (
    program_id  BIGINT PRIMARY KEY REFERENCES programs (id),
    kind        TEXT NOT NULL CHECK (kind IN ('percent', 'flat')),
    value       NUMERIC(14, 4) NOT NULL CHECK (value >= 0),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO commission_rules (program_id, kind, value)
SELECT p.id,
       CASE WHEN cp.definition #>> '{rules,0,model,model}' = 'percent' THEN 'percent' ELSE 'flat' END,
       COALESCE(cp.definition #>> '{rules,0,model,rate}', cp.definition #>> '{rules,0,model,amount}', '0')::numeric
FROM programs p JOIN commission_plans cp ON cp.id = p.default_plan_id
WHERE cp.definition #>> '{rules,0,model,model}' IN ('percent', 'flat');

DROP TRIGGER commissions_append_only ON commissions;
DROP TABLE commission_sla_notices;
DROP TABLE commission_decisions;
-- The older ledger has no overrides or adjustments. Reversals of them go with them (they cancel
-- out), leaving each refund the one reversal the older ledger allows: the accrual's.
DELETE FROM commissions r
 USING commissions s
 WHERE r.kind = 'reversal' AND r.source_id = s.id AND s.kind IN ('adjustment', 'override');
DELETE FROM commissions WHERE kind IN ('adjustment', 'override');
DROP INDEX commissions_one_reversal_per_refund_idx;
DROP INDEX commissions_one_override_per_level_idx;
DROP INDEX commissions_source_idx;
DROP INDEX commissions_program_partner_idx;
CREATE UNIQUE INDEX commissions_one_per_refund_idx ON commissions (refund_id) WHERE kind = 'reversal';
ALTER TABLE commissions RENAME COLUMN explanation TO rule;
ALTER TABLE commissions
    DROP CONSTRAINT commissions_shape,
    DROP CONSTRAINT commissions_kind_check,
    ADD COLUMN status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending')),
    DROP COLUMN terms_version_id,
    DROP COLUMN inputs,
    DROP COLUMN source_id,
    DROP COLUMN level,
    DROP COLUMN reason,
    DROP COLUMN created_by,
    DROP COLUMN payable_at,
    ALTER COLUMN conversion_id SET NOT NULL,
    ADD CONSTRAINT commissions_kind_check CHECK (kind IN ('commission', 'reversal')),
    ADD CONSTRAINT commissions_check CHECK ((kind = 'commission') = (refund_id IS NULL)),
    ADD CONSTRAINT commissions_check1 CHECK ((kind = 'commission' AND amount >= 0) OR (kind = 'reversal' AND amount <= 0));
ALTER TABLE commissions ALTER COLUMN status DROP DEFAULT;

ALTER TABLE conversions DROP COLUMN deductions, DROP COLUMN country;
DROP TABLE sub_partner_invites;
DROP TABLE sub_partner_links;
ALTER TABLE program_memberships DROP COLUMN flagged_reason, DROP COLUMN invited_by;
DROP TABLE partner_terms;
ALTER TABLE programs DROP COLUMN default_plan_id;
DROP TABLE commission_plans;
ALTER TABLE programs
    DROP CONSTRAINT programs_thresholds_order,
    DROP CONSTRAINT programs_sla_order,
    DROP COLUMN auto_approve_below,
    DROP COLUMN finance_above,
    DROP COLUMN lock_days,
    DROP COLUMN sla_remind_hours,
    DROP COLUMN sla_escalate_hours,
    DROP COLUMN sub_partner_invites;
DROP FUNCTION refuse_change();
