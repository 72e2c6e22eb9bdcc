UPDATE users SET partner_role = 'member' WHERE partner_role IN ('admin', 'finance');
ALTER TABLE users DROP CONSTRAINT users_partner_role_check;
ALTER TABLE users ADD CONSTRAINT users_partner_role_check CHECK (partner_role IN ('owner', 'member'));
