ALTER TABLE mdf_allocations DROP CONSTRAINT mdf_allocations_share_inputs;
ALTER TABLE mdf_allocations DROP CONSTRAINT mdf_allocations_tier_named;
ALTER TABLE mdf_allocations DROP CONSTRAINT mdf_allocations_source_check;
ALTER TABLE mdf_allocations
  ADD CONSTRAINT mdf_allocations_source_check CHECK (source IN ('partner', 'tier', 'revenue', 'segment')),
  ADD CONSTRAINT mdf_allocations_check CHECK ((source = 'tier') = (tier IS NOT NULL));
ALTER TABLE mdf_allocations DROP COLUMN split_among, DROP COLUMN pool, DROP COLUMN tier_share;
ALTER TABLE program_tiers DROP COLUMN mdf_share;
