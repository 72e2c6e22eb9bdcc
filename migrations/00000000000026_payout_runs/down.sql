-- The older schema has no "paid" event (a request keeps its status). The events are
-- append-only, so their trigger is off for this one delete.
ALTER TABLE mdf_events DISABLE TRIGGER mdf_events_append_only;
DELETE FROM mdf_events WHERE kind = 'paid';
ALTER TABLE mdf_events ENABLE TRIGGER mdf_events_append_only;
ALTER TABLE mdf_events DROP CONSTRAINT mdf_events_kind_check;
ALTER TABLE mdf_events ADD CONSTRAINT mdf_events_kind_check CHECK (kind IN ('allocated', 'requested', 'approved',
    'declined', 'claimed', 'claim_approved', 'claim_rejected', 'lapsed', 'expired'));
DROP TABLE payout_skips;
DROP TABLE payout_item_entries;
DROP TABLE payout_items;
DROP TABLE payout_runs;
DROP TABLE brand_payout_settings;
ALTER TABLE payout_settings DROP COLUMN minimum_payout;
