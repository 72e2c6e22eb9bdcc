ALTER TABLE partners DROP COLUMN profile_updated_at, DROP COLUMN channels, DROP COLUMN about;
