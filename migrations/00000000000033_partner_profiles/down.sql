DROP TRIGGER program_memberships_first_approval ON program_memberships;
DROP FUNCTION program_memberships_first_approval();
ALTER TABLE program_memberships DROP COLUMN approved_at;
ALTER TABLE partners DROP COLUMN channels, DROP COLUMN about;
