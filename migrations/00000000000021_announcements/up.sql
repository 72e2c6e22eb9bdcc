-- Announcements: Markdown news an operator posts to a program's partners (all of them, some
-- partner kinds or some tiers), optionally also by email, and who has read each one, per person.

CREATE TABLE announcements (
    id            BIGSERIAL PRIMARY KEY,
    program_id    BIGINT NOT NULL REFERENCES programs (id),
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    -- Stored as written; rendered to sanitized HTML on the way out.
    body_markdown TEXT NOT NULL CHECK (length(body_markdown) BETWEEN 1 AND 20000),
    visibility    TEXT NOT NULL DEFAULT 'all' CHECK (visibility IN ('all', 'kinds', 'tiers')),
    visible_kinds TEXT[] NOT NULL DEFAULT '{}',
    visible_tiers TEXT[] NOT NULL DEFAULT '{}',
    emailed       BOOLEAN NOT NULL DEFAULT false,
    created_by    BIGINT NOT NULL REFERENCES users (id),
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX announcements_program_idx ON announcements (program_id, created_at DESC);

CREATE TABLE announcement_reads (
    announcement_id BIGINT NOT NULL REFERENCES announcements (id),
    user_id         BIGINT NOT NULL REFERENCES users (id),
    read_at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (announcement_id, user_id)
);
