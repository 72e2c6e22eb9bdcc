-- Deal flows: the history of every deal, protection extensions, the notices already sent (so
-- reminders, escalations and expiry warnings go once), and the conversion a won deal became, so
-- its commission goes through the commission engine. Deals are in the program's currency, the
-- currency of its plans and ledger.

ALTER TABLE conversions DROP CONSTRAINT conversions_attribution_check;
ALTER TABLE conversions ADD CONSTRAINT conversions_attribution_check
    CHECK (attribution IN ('click', 'coupon', 'customer', 'deal', 'none'));

ALTER TABLE deals
    ADD COLUMN conversion_id  BIGINT UNIQUE REFERENCES conversions (id),
    ADD COLUMN reminded_at    TIMESTAMPTZ,
    ADD COLUMN escalated_at   TIMESTAMPTZ,
    ADD COLUMN expiry_warned_at TIMESTAMPTZ,
    -- Only a won deal is booked as a conversion (the won flow books every one).
    ADD CONSTRAINT deals_conversion_only_when_won CHECK (conversion_id IS NULL OR status = 'won');
CREATE INDEX deals_pending_idx ON deals (submitted_at) WHERE status = 'pending';
CREATE INDEX deals_protected_idx ON deals (protected_until) WHERE status = 'approved';

-- Everything that happened to a deal, in order; never changed.
CREATE TABLE deal_events (
    id          BIGSERIAL PRIMARY KEY,
    deal_id     BIGINT NOT NULL REFERENCES deals (id),
    at          TIMESTAMPTZ NOT NULL,
    -- NULL for the system (expiry job, reminders).
    actor_id    BIGINT REFERENCES users (id),
    kind        TEXT NOT NULL CHECK (kind IN (
        'submitted', 'approved', 'rejected', 'stage', 'corrected', 'extension_requested',
        'extension_approved', 'extension_denied', 'expiry_warned', 'expired', 'reminded', 'escalated')),
    stage       TEXT,
    value       NUMERIC(14, 2),
    note        TEXT CHECK (length(note) <= 1000)
);
CREATE INDEX deal_events_deal_idx ON deal_events (deal_id, id);
CREATE TRIGGER deal_events_append_only BEFORE UPDATE OR DELETE ON deal_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE deal_extensions (
    id              BIGSERIAL PRIMARY KEY,
    deal_id         BIGINT NOT NULL REFERENCES deals (id),
    days            INTEGER NOT NULL CHECK (days BETWEEN 1 AND 365),
    reason          TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    requested_by    BIGINT NOT NULL REFERENCES users (id),
    requested_at    TIMESTAMPTZ NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied')),
    decided_by      BIGINT REFERENCES users (id),
    decided_at      TIMESTAMPTZ,
    decision_reason TEXT CHECK (length(decision_reason) <= 1000),
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
-- One open extension request per deal.
CREATE UNIQUE INDEX deal_extensions_one_pending_idx ON deal_extensions (deal_id) WHERE status = 'pending';
