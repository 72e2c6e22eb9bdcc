-- A partner's profile, the first step of the portal's onboarding checklist: what the partner
-- is about and how it promotes, beside the website it gave when it applied. The profile is
-- complete when all three are given (app/src/domain/onboarding/profile.rs). Operators read it
-- on the application page.
ALTER TABLE partners
  ADD COLUMN about text CHECK (char_length(about) BETWEEN 1 AND 2000),
  ADD COLUMN channels text[] NOT NULL DEFAULT '{}';

-- When a membership was first approved, for the time-to-first report. `decided_at` moves with
-- every later suspension or reinstatement, so it can't say when the partner started. Set once,
-- by the database, whichever path makes a membership active (review, invitation, seeding).
ALTER TABLE program_memberships ADD COLUMN approved_at timestamptz;

UPDATE program_memberships m
   SET approved_at = coalesce(
         (SELECT min(e.occurred_at) FROM audit_events e
           WHERE e.action = 'membership.approve' AND e.subject_type = 'membership'
             AND e.subject_id = m.id::text),
         m.decided_at, m.applied_at)
 WHERE m.status IN ('active', 'suspended');

CREATE FUNCTION program_memberships_first_approval() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'active' AND NEW.approved_at IS NULL THEN
    NEW.approved_at := coalesce(NEW.decided_at, now());
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER program_memberships_first_approval
  BEFORE INSERT OR UPDATE OF status ON program_memberships
  FOR EACH ROW EXECUTE FUNCTION program_memberships_first_approval();
