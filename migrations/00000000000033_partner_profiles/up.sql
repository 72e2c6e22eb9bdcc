-- A partner's profile, the first step of the portal's onboarding checklist: what the partner
-- is about and how it promotes, beside the website it gave when it applied. The profile is
-- complete when all three are given (app/src/domain/onboarding/profile.rs).
ALTER TABLE partners
  ADD COLUMN about text CHECK (char_length(about) BETWEEN 1 AND 2000),
  ADD COLUMN channels text[] NOT NULL DEFAULT '{}',
  ADD COLUMN profile_updated_at timestamptz;
