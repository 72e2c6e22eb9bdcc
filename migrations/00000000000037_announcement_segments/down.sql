ALTER TABLE announcements DROP CONSTRAINT announcements_segment_named;
ALTER TABLE announcements DROP CONSTRAINT announcements_visibility_check;
ALTER TABLE announcements DROP COLUMN segment_name, DROP COLUMN visible_partners;
ALTER TABLE announcements
  ADD CONSTRAINT announcements_visibility_check CHECK (visibility IN ('all', 'kinds', 'tiers'));
