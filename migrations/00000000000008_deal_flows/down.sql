DROP TABLE deal_extensions;
DROP TABLE deal_events;
DROP INDEX deals_pending_idx;
DROP INDEX deals_protected_idx;
ALTER TABLE deals
    DROP CONSTRAINT deals_conversion_only_when_won,
    DROP COLUMN conversion_id,
    DROP COLUMN reminded_at,
    DROP COLUMN escalated_at,
    DROP COLUMN expiry_warned_at;
ALTER TABLE conversions DROP CONSTRAINT conversions_attribution_check;
-- Won deals' conversions stay (their commissions are in the ledger); only new rows are checked.
ALTER TABLE conversions ADD CONSTRAINT conversions_attribution_check
    CHECK (attribution IN ('click', 'coupon', 'customer', 'none')) NOT VALID;
