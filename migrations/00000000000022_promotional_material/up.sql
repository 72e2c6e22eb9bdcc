-- Promotional material that partners make themselves (ads, landing pages, posts, emails): the
-- program's rules for it, and each submission with what the automatic checks flagged and the
-- operator's decision.

CREATE TABLE promo_rules (
    program_id         BIGINT PRIMARY KEY REFERENCES programs (id),
    -- Partners are asked to submit their own material before they use it.
    require_approval   BOOLEAN NOT NULL DEFAULT false,
    -- The text must contain one of these (for example "#ad", "affiliate link").
    disclosure_phrases TEXT[] NOT NULL DEFAULT '{}',
    -- Terms partners may not bid on in paid search.
    brand_terms        TEXT[] NOT NULL DEFAULT '{}',
    updated_at         TIMESTAMPTZ NOT NULL
);

CREATE TABLE promo_submissions (
    id           BIGSERIAL PRIMARY KEY,
    program_id   BIGINT NOT NULL REFERENCES programs (id),
    partner_id   BIGINT NOT NULL REFERENCES partners (id),
    submitted_by BIGINT NOT NULL REFERENCES users (id),
    channel      TEXT NOT NULL CHECK (channel IN ('paid_search', 'social', 'email', 'website', 'video', 'other')),
    url          TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    body         TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    -- What the checks found when it was submitted, for the reviewer: "Missing a disclosure: …".
    flags        TEXT[] NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    reason       TEXT,
    decided_by   BIGINT REFERENCES users (id),
    decided_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    CHECK ((status = 'pending') = (decided_at IS NULL)),
    CHECK (status <> 'rejected' OR length(reason) > 0)
);
CREATE INDEX promo_submissions_program_idx ON promo_submissions (program_id, status, id);
CREATE INDEX promo_submissions_partner_idx ON promo_submissions (partner_id, id);
