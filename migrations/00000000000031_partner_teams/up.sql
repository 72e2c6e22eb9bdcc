-- Partner teams: besides owners and members, admins (who manage the team, but not its owners)
-- and finance people (who see payouts and statements). Removing someone deactivates the login
-- (its rows in deals, audit and elsewhere stay theirs); invitations are the password tokens
-- operators' invitations already use.
ALTER TABLE users DROP CONSTRAINT users_partner_role_check;
ALTER TABLE users ADD CONSTRAINT users_partner_role_check
    CHECK (partner_role IN ('owner', 'admin', 'member', 'finance'));
