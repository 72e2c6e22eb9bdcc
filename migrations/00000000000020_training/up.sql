-- Training and certification: courses of ordered lessons with an optional quiz, every attempt
-- kept per person, certifications awarded for passing a set of courses, each certificate with a
-- public verification code, and the stored count of certified people per partner.

CREATE TABLE courses (
    id             BIGSERIAL PRIMARY KEY,
    program_id     BIGINT NOT NULL REFERENCES programs (id),
    title          TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    summary        TEXT NOT NULL DEFAULT '' CHECK (length(summary) <= 2000),
    -- Who sees it: everyone, some partner kinds or some membership tiers.
    visibility     TEXT NOT NULL DEFAULT 'all' CHECK (visibility IN ('all', 'kinds', 'tiers')),
    visible_kinds  TEXT[] NOT NULL DEFAULT '{}',
    visible_tiers  TEXT[] NOT NULL DEFAULT '{}',
    -- The quiz's rules (a course without questions is completed by saying so).
    pass_mark      SMALLINT NOT NULL DEFAULT 80 CHECK (pass_mark BETWEEN 1 AND 100),
    max_attempts   SMALLINT NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 20),
    wait_minutes   INTEGER NOT NULL DEFAULT 60 CHECK (wait_minutes BETWEEN 0 AND 43200),
    partial_credit BOOLEAN NOT NULL DEFAULT false,
    -- Partners see a course once it is published.
    published_at   TIMESTAMPTZ,
    created_by     BIGINT NOT NULL REFERENCES users (id),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX courses_program_idx ON courses (program_id, id);

CREATE TABLE lessons (
    id            BIGSERIAL PRIMARY KEY,
    course_id     BIGINT NOT NULL REFERENCES courses (id),
    position      INTEGER NOT NULL CHECK (position > 0),
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    -- Stored as written; rendered to sanitized HTML on the way out.
    body_markdown TEXT NOT NULL DEFAULT '' CHECK (length(body_markdown) <= 50000),
    video_url     TEXT,
    UNIQUE (course_id, position)
);

CREATE TABLE quiz_questions (
    id        BIGSERIAL PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES courses (id),
    position  INTEGER NOT NULL CHECK (position > 0),
    prompt    TEXT NOT NULL CHECK (length(prompt) BETWEEN 1 AND 1000),
    multiple  BOOLEAN NOT NULL,
    UNIQUE (course_id, position)
);

CREATE TABLE quiz_options (
    id          BIGSERIAL PRIMARY KEY,
    question_id BIGINT NOT NULL REFERENCES quiz_questions (id),
    position    INTEGER NOT NULL CHECK (position > 0),
    label       TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 300),
    correct     BOOLEAN NOT NULL,
    UNIQUE (question_id, position)
);
CREATE INDEX quiz_options_question_idx ON quiz_options (question_id);

-- Every submitted attempt, kept. The number is unique per person and course, so two
-- submissions racing for the last attempt can't both count.
CREATE TABLE course_attempts (
    id            BIGSERIAL PRIMARY KEY,
    course_id     BIGINT NOT NULL REFERENCES courses (id),
    user_id       BIGINT NOT NULL REFERENCES users (id),
    partner_id    BIGINT NOT NULL REFERENCES partners (id),
    attempt_no    INTEGER NOT NULL CHECK (attempt_no > 0),
    -- {"question id": [option ids]}
    answers       JSONB NOT NULL DEFAULT '{}',
    score_percent SMALLINT NOT NULL CHECK (score_percent BETWEEN 0 AND 100),
    passed        BOOLEAN NOT NULL,
    submitted_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (course_id, user_id, attempt_no)
);
CREATE INDEX course_attempts_partner_idx ON course_attempts (partner_id);

CREATE TABLE certifications (
    id           BIGSERIAL PRIMARY KEY,
    program_id   BIGINT NOT NULL REFERENCES programs (id),
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    description  TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    valid_months SMALLINT NOT NULL CHECK (valid_months BETWEEN 1 AND 120),
    -- Awarded to a person who has passed every one of these courses.
    course_ids   BIGINT[] NOT NULL CHECK (cardinality(course_ids) > 0),
    created_by   BIGINT NOT NULL REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX certifications_program_idx ON certifications (program_id);

-- One row each time a person is certified (a renewal adds a row), with the code of its public
-- verification page. Reminders before expiry are sent once each.
CREATE TABLE certificates (
    id               BIGSERIAL PRIMARY KEY,
    certification_id BIGINT NOT NULL REFERENCES certifications (id),
    user_id          BIGINT NOT NULL REFERENCES users (id),
    partner_id       BIGINT NOT NULL REFERENCES partners (id),
    code             TEXT NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9]{12}$'),
    awarded_at       TIMESTAMPTZ NOT NULL,
    valid_until      TIMESTAMPTZ NOT NULL,
    reminded_30_at   TIMESTAMPTZ,
    reminded_7_at    TIMESTAMPTZ,
    CHECK (valid_until > awarded_at)
);
CREATE INDEX certificates_holder_idx ON certificates (user_id, certification_id, valid_until DESC);
CREATE INDEX certificates_expiry_idx ON certificates (valid_until);

-- The stored figure tiers and content gates read: how many people at a partner hold a valid
-- certificate of each certification. Written with each award and by the daily expiry job.
CREATE TABLE partner_certified_people (
    partner_id       BIGINT NOT NULL REFERENCES partners (id),
    certification_id BIGINT NOT NULL REFERENCES certifications (id),
    people           INTEGER NOT NULL CHECK (people >= 0),
    updated_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (partner_id, certification_id)
);
