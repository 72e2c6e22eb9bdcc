ALTER TABLE mdf_allocations DROP CONSTRAINT mdf_allocations_segment_named;
ALTER TABLE mdf_allocations DROP COLUMN segment_name;
ALTER TABLE mdf_allocations DROP CONSTRAINT mdf_allocations_source_check;
ALTER TABLE mdf_allocations
  ADD CONSTRAINT mdf_allocations_source_check CHECK (source IN ('partner', 'tier', 'revenue'));
DROP TABLE segments;
ALTER TABLE program_memberships DROP COLUMN tags;
