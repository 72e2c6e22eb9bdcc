-- A partner's submission of its own material may carry a screenshot of it, stored like a
-- creative's image (by its SHA-256, once) and served only to the partner and the program's staff.
ALTER TABLE promo_submissions ADD COLUMN screenshot_sha256 TEXT REFERENCES creative_files (sha256);
