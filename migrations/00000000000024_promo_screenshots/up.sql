-- A partner's submission of its own material may carry a screenshot of it. The image lives on
-- the submission (not with the creatives' public, content-addressed files), so it is served only
-- to the partner who sent it and the program's staff.
ALTER TABLE promo_submissions
    ADD COLUMN screenshot_type TEXT CHECK (screenshot_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
    ADD COLUMN screenshot BYTEA,
    ADD CHECK ((screenshot IS NULL) = (screenshot_type IS NULL));
