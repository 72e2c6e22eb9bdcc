-- Partner agreements: a program publishes versioned agreement texts (Markdown, rendered and
-- sanitized on the way out); every partner person accepts the version in force before using the
-- portal. Both tables only grow: a published text and an acceptance are evidence, never edited.

CREATE TABLE agreement_versions (
    id            BIGSERIAL PRIMARY KEY,
    program_id    BIGINT NOT NULL REFERENCES programs (id),
    version       INTEGER NOT NULL CHECK (version >= 1),
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    body_markdown TEXT NOT NULL CHECK (length(body_markdown) BETWEEN 1 AND 100000),
    -- What changed from the version before, in the operator's words (empty for the first).
    changes       TEXT NOT NULL DEFAULT '' CHECK (length(changes) <= 2000),
    -- SHA-256 of body_markdown, hex: what an acceptance refers to.
    text_sha256   TEXT NOT NULL CHECK (text_sha256 ~ '^[0-9a-f]{64}$'),
    published_by  BIGINT NOT NULL REFERENCES users (id),
    published_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (program_id, version)
);
CREATE TRIGGER agreement_versions_append_only BEFORE UPDATE OR DELETE ON agreement_versions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE agreement_acceptances (
    agreement_id BIGINT NOT NULL REFERENCES agreement_versions (id),
    user_id      BIGINT NOT NULL REFERENCES users (id),
    partner_id   BIGINT NOT NULL REFERENCES partners (id),
    accepted_at  TIMESTAMPTZ NOT NULL,
    ip           TEXT NOT NULL CHECK (length(ip) <= 64),
    -- The hash of the text as it was shown and accepted.
    text_sha256  TEXT NOT NULL CHECK (text_sha256 ~ '^[0-9a-f]{64}$'),
    PRIMARY KEY (agreement_id, user_id)
);
CREATE INDEX agreement_acceptances_user_idx ON agreement_acceptances (user_id);
CREATE TRIGGER agreement_acceptances_append_only BEFORE UPDATE OR DELETE ON agreement_acceptances
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
