-- Deal pipeline reporting: each program's stage probabilities for the forecast, and indexes for
-- the report's queries over many deals.

-- A program without a row uses the defaults (10, 25, 50, 75 percent). Won counts 100% and lost
-- 0%, always, so they are not stored.
CREATE TABLE deal_stage_probabilities (
    program_id  BIGINT PRIMARY KEY REFERENCES programs (id),
    registered  NUMERIC(5, 2) NOT NULL CHECK (registered BETWEEN 0 AND 100),
    qualified   NUMERIC(5, 2) NOT NULL CHECK (qualified BETWEEN 0 AND 100),
    proposal    NUMERIC(5, 2) NOT NULL CHECK (proposal BETWEEN 0 AND 100),
    negotiation NUMERIC(5, 2) NOT NULL CHECK (negotiation BETWEEN 0 AND 100),
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  BIGINT REFERENCES users (id),
    CHECK (registered <= qualified AND qualified <= proposal AND proposal <= negotiation)
);

-- The open pipeline (by stage, program and partner) reads only these index entries.
CREATE INDEX deals_open_pipeline_idx ON deals (program_id, stage, currency)
    INCLUDE (status, partner_id, value, submitted_at, expected_close)
    WHERE status IN ('pending', 'approved');
-- Registration velocity: the last weeks of registrations.
CREATE INDEX deals_submitted_idx ON deals (submitted_at);
-- Won this quarter, and win rates: closed deals by close time.
CREATE INDEX deals_closed_idx ON deals (closed_at) WHERE status IN ('won', 'lost');
