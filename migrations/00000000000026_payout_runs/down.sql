DELETE FROM mdf_events WHERE kind = 'paid';
ALTER TABLE mdf_events DROP CONSTRAINT mdf_events_kind_check;
ALTER TABLE mdf_events ADD CONSTRAINT mdf_events_kind_check CHECK (kind IN ('allocated', 'requested', 'approved',
    'declined', 'claimed', 'claim_approved', 'claim_rejected', 'lapsed', 'expired'));
DROP TABLE payout_skips;
DROP TABLE payout_item_entries;
DROP TABLE payout_items;
DROP TABLE payout_runs;
DROP TABLE brand_payout_settings;
ALTER TABLE payout_settings DROP COLUMN minimum_payout;
