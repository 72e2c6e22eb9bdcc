-- Two-factor sign-in (TOTP, RFC 6238). The shared secret is sealed with the data key, as payout
-- details are (`key_id` names the key); `confirmed_at` stays null while the person is setting it
-- up (the secret shown, no code entered yet). `last_step` is the time step of the last code
-- accepted, so each code works once.
CREATE TABLE user_totp (
    user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_sealed bytea NOT NULL,
    key_id text NOT NULL,
    confirmed_at timestamptz,
    last_step bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Recovery codes, shown once and kept only as SHA-256 hashes (each code is 80 random bits, so a
-- fast hash is enough); a used code keeps its row with `used_at`.
CREATE TABLE user_recovery_codes (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash bytea NOT NULL,
    used_at timestamptz,
    UNIQUE (user_id, code_hash)
);

-- Settings of the whole installation, in one row.
CREATE TABLE installation_settings (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    operators_need_two_factor boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO installation_settings DEFAULT VALUES;

-- The programs that ask every person of their partners to sign in with a second factor.
CREATE TABLE program_two_factor (
    program_id bigint PRIMARY KEY REFERENCES programs (id) ON DELETE CASCADE,
    required_since timestamptz NOT NULL DEFAULT now()
);
