-- Application questions: a program asks applicants more than the standard form does. A question
-- that is removed is retired, not deleted, so the answers given to it stay readable; each answer
-- keeps the question's wording as the applicant saw it.

CREATE TABLE application_questions (
    id         BIGSERIAL PRIMARY KEY,
    program_id BIGINT NOT NULL REFERENCES programs (id),
    position   INTEGER NOT NULL,
    label      TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    help       TEXT NOT NULL DEFAULT '' CHECK (length(help) <= 500),
    kind       TEXT NOT NULL CHECK (kind IN ('short_text', 'long_text', 'single_choice', 'multiple_choice', 'url', 'checkbox')),
    -- The choices of a single or multiple choice question, in order (empty for other kinds).
    options    TEXT[] NOT NULL DEFAULT '{}',
    required   BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL,
    retired_at TIMESTAMPTZ,
    CHECK ((kind IN ('single_choice', 'multiple_choice')) = (cardinality(options) >= 2))
);
CREATE INDEX application_questions_program_idx ON application_questions (program_id, position)
    WHERE retired_at IS NULL;

CREATE TABLE application_answers (
    membership_id BIGINT NOT NULL REFERENCES program_memberships (id),
    question_id   BIGINT NOT NULL REFERENCES application_questions (id),
    -- The question's wording when it was answered.
    label         TEXT NOT NULL,
    -- One value, or the picks of a multiple choice question.
    answer        TEXT[] NOT NULL CHECK (cardinality(answer) >= 1),
    PRIMARY KEY (membership_id, question_id)
);
CREATE TRIGGER application_answers_append_only BEFORE UPDATE OR DELETE ON application_answers
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
