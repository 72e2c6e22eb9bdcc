-- Dynamic segments: a program's saved filters over its active partners (kind, tier, country,
-- tags, performance and traffic quality in a window, last activity, onboarding). A segment keeps
-- only its filter; its members are worked out whenever it is used, so it is always current
-- (app/src/domain/segments, app/src/backend/repos/segments.rs).

-- Operators' own labels on a partner in a program, for segments ("newsletter", "q3-push").
ALTER TABLE program_memberships
  ADD COLUMN tags text[] NOT NULL DEFAULT '{}'
  CHECK (cardinality(tags) <= 20);

CREATE TABLE segments (
    id          BIGSERIAL PRIMARY KEY,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    name        TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
    -- The filter's fields as the form names them; parsed by domain::segments::filter on read.
    filter      JSONB NOT NULL,
    created_by  BIGINT REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX segments_program_name ON segments (program_id, lower(name));

-- MDF can be allocated to a segment's members; the allocation keeps the segment's name then.
ALTER TABLE mdf_allocations DROP CONSTRAINT mdf_allocations_source_check;
ALTER TABLE mdf_allocations
  ADD CONSTRAINT mdf_allocations_source_check CHECK (source IN ('partner', 'tier', 'revenue', 'segment')),
  ADD COLUMN segment_name TEXT CHECK (char_length(segment_name) BETWEEN 1 AND 80),
  ADD CONSTRAINT mdf_allocations_segment_named CHECK ((source = 'segment') = (segment_name IS NOT NULL));
