DROP TABLE promo_submissions;
DROP TABLE promo_rules;
