DROP TABLE program_two_factor;
DROP TABLE installation_settings;
DROP TABLE user_recovery_codes;
DROP TABLE user_totp;
