ALTER TABLE mdf_allocations DROP CONSTRAINT mdf_allocations_segment_named;
ALTER TABLE mdf_allocations DROP CONSTRAINT mdf_allocations_source_check;
-- Allocations to a segment's members stay, each as an allocation to its partner (the source
-- the older schema knows), with its amount. The table is append-only, so its trigger is off for
-- this one rewrite.
ALTER TABLE mdf_allocations DISABLE TRIGGER mdf_allocations_append_only;
UPDATE mdf_allocations SET source = 'partner' WHERE source = 'segment';
ALTER TABLE mdf_allocations ENABLE TRIGGER mdf_allocations_append_only;
ALTER TABLE mdf_allocations DROP COLUMN segment_name;
ALTER TABLE mdf_allocations
  ADD CONSTRAINT mdf_allocations_source_check CHECK (source IN ('partner', 'tier', 'revenue'));
DROP TABLE segments;
ALTER TABLE program_memberships DROP COLUMN tags;
