DROP TABLE rate_limits;
DROP TABLE sessions;
DROP TABLE password_tokens;
ALTER TABLE program_memberships DROP CONSTRAINT program_memberships_decided_by_fkey;
DROP TABLE users;
DROP TABLE program_memberships;
DROP TABLE partners;
DROP TABLE programs;
DROP TABLE brands;
