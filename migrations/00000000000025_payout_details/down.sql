DROP TABLE tax_profiles;
DROP TABLE payout_methods;
DROP TABLE payout_settings;
