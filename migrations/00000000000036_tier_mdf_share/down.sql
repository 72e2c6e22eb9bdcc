-- Allocations made "by tier shares" can't be stored without their columns: they stay as
-- allocations to their tier (the source the older schema knows), keeping every partner's amount.
ALTER TABLE mdf_allocations DROP CONSTRAINT mdf_allocations_share_inputs;
ALTER TABLE mdf_allocations DROP CONSTRAINT mdf_allocations_tier_named;
ALTER TABLE mdf_allocations DROP CONSTRAINT mdf_allocations_source_check;
-- The table is append-only, so its trigger is off for this one rewrite.
ALTER TABLE mdf_allocations DISABLE TRIGGER mdf_allocations_append_only;
UPDATE mdf_allocations SET source = 'tier' WHERE source = 'tier_share';
ALTER TABLE mdf_allocations ENABLE TRIGGER mdf_allocations_append_only;
ALTER TABLE mdf_allocations
  ADD CONSTRAINT mdf_allocations_source_check CHECK (source IN ('partner', 'tier', 'revenue', 'segment')),
  ADD CONSTRAINT mdf_allocations_check CHECK ((source = 'tier') = (tier IS NOT NULL));
ALTER TABLE mdf_allocations DROP COLUMN split_among, DROP COLUMN pool, DROP COLUMN tier_share;
ALTER TABLE program_tiers DROP COLUMN mdf_share;
