ALTER TABLE promo_submissions DROP COLUMN screenshot, DROP COLUMN screenshot_type;
