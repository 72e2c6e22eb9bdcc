ALTER TABLE promo_submissions DROP COLUMN screenshot_sha256;
