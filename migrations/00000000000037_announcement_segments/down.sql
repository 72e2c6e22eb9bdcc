-- The older schema can't say "these partners": an announcement to a segment goes, with its
-- reads, rather than widen to an audience it was never meant for.
DELETE FROM announcement_reads
 WHERE announcement_id IN (SELECT id FROM announcements WHERE visibility = 'partners');
DELETE FROM announcements WHERE visibility = 'partners';
ALTER TABLE announcements DROP CONSTRAINT announcements_segment_named;
ALTER TABLE announcements DROP CONSTRAINT announcements_visibility_check;
ALTER TABLE announcements DROP COLUMN segment_name, DROP COLUMN visible_partners;
ALTER TABLE announcements
  ADD CONSTRAINT announcements_visibility_check CHECK (visibility IN ('all', 'kinds', 'tiers'));
