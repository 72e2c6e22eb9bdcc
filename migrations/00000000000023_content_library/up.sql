-- The content library: a program's documents in folders. Every upload of a document is a new
-- version (the history stays; partners get the latest). The bytes live in the database in
-- chunks, so an upload streams in without being held whole in memory and any instance serves
-- it. Partners search title, description and tags; downloads are counted per document and
-- partner.

CREATE TABLE library_folders (
    id         BIGSERIAL PRIMARY KEY,
    program_id BIGINT NOT NULL REFERENCES programs (id),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (id, program_id)
);
CREATE UNIQUE INDEX library_folders_name_idx ON library_folders (program_id, lower(name));

CREATE TABLE documents (
    id               BIGSERIAL PRIMARY KEY,
    program_id       BIGINT NOT NULL REFERENCES programs (id),
    folder_id        BIGINT NOT NULL,
    title            TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 160),
    description      TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    tags             TEXT[] NOT NULL DEFAULT '{}',
    -- Who sees it: everyone, some partner kinds, some tiers, or partners with at least one person
    -- holding a live certificate of one certification (the stored certified-people figure).
    visibility       TEXT NOT NULL DEFAULT 'all'
                     CHECK (visibility IN ('all', 'kinds', 'tiers', 'certification')),
    visible_kinds    TEXT[] NOT NULL DEFAULT '{}',
    visible_tiers    TEXT[] NOT NULL DEFAULT '{}',
    certification_id BIGINT REFERENCES certifications (id),
    -- Title, description and tags in one text (written with each save), for search.
    search_text      TEXT NOT NULL,
    search           TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', search_text)) STORED,
    -- The version partners get; raised in the transaction that stores a new one.
    latest_version   INTEGER NOT NULL CHECK (latest_version > 0),
    archived_at      TIMESTAMPTZ,
    created_by       BIGINT NOT NULL REFERENCES users (id),
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    -- A document sits in a folder of its own program.
    FOREIGN KEY (folder_id, program_id) REFERENCES library_folders (id, program_id),
    CHECK ((visibility = 'certification') = (certification_id IS NOT NULL))
);
CREATE INDEX documents_program_idx ON documents (program_id, folder_id);
CREATE INDEX documents_search_idx ON documents USING GIN (search);

CREATE TABLE document_versions (
    id           BIGSERIAL PRIMARY KEY,
    document_id  BIGINT NOT NULL REFERENCES documents (id),
    version      INTEGER NOT NULL CHECK (version > 0),
    file_name    TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
    content_type TEXT NOT NULL,
    -- Written once the last chunk is in, in the same transaction.
    size_bytes   BIGINT NOT NULL CHECK (size_bytes >= 0),
    sha256       TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    uploaded_by  BIGINT NOT NULL REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (document_id, version)
);

CREATE TABLE document_chunks (
    version_id BIGINT NOT NULL REFERENCES document_versions (id),
    seq        INTEGER NOT NULL CHECK (seq >= 0),
    data       BYTEA NOT NULL,
    PRIMARY KEY (version_id, seq)
);

-- One row per document and partner; each download adds one in a single upsert, so downloads
-- at the same moment all count.
CREATE TABLE document_downloads (
    document_id BIGINT NOT NULL REFERENCES documents (id),
    partner_id  BIGINT NOT NULL REFERENCES partners (id),
    downloads   BIGINT NOT NULL CHECK (downloads > 0),
    last_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (document_id, partner_id)
);

-- Library documents a lesson points to (each shown only to partners who may see it).
CREATE TABLE lesson_attachments (
    lesson_id   BIGINT NOT NULL REFERENCES lessons (id),
    document_id BIGINT NOT NULL REFERENCES documents (id),
    PRIMARY KEY (lesson_id, document_id)
);
CREATE INDEX lesson_attachments_document_idx ON lesson_attachments (document_id);
