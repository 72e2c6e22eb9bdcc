DROP TABLE segments;
ALTER TABLE program_memberships DROP COLUMN tags;
