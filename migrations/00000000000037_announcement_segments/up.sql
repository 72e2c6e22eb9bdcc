-- An announcement can go to a segment's members: they are fixed when it is posted (the
-- partners the segment held then, like the recipients of an email), and it keeps the segment's
-- name for the console's list.
ALTER TABLE announcements DROP CONSTRAINT announcements_visibility_check;
ALTER TABLE announcements
  ADD COLUMN visible_partners BIGINT[] NOT NULL DEFAULT '{}',
  ADD COLUMN segment_name TEXT CHECK (char_length(segment_name) BETWEEN 1 AND 80),
  ADD CONSTRAINT announcements_visibility_check CHECK (visibility IN ('all', 'kinds', 'tiers', 'partners')),
  ADD CONSTRAINT announcements_segment_named CHECK ((visibility = 'partners') = (segment_name IS NOT NULL));
