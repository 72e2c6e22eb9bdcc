-- Know-your-partner documents. A program lists the documents it requires (an ID, a company
-- registration, proof of address, or its own names), each needed before approval, before the
-- first payout, or optional. Partners upload them; an admin or finance operator approves or
-- rejects each one, and may set an expiry date. The file is sealed with the data key (AES-GCM),
-- as payout details are: a database dump alone doesn't show anyone's passport.

CREATE TABLE document_requirements (
    id            BIGSERIAL PRIMARY KEY,
    program_id    BIGINT NOT NULL REFERENCES programs (id),
    kind          TEXT NOT NULL CHECK (kind IN ('government_id', 'company_registration', 'proof_of_address', 'other')),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    help          TEXT NOT NULL DEFAULT '' CHECK (length(help) <= 500),
    needed_before TEXT NOT NULL CHECK (needed_before IN ('approval', 'first_payout', 'optional')),
    created_at    TIMESTAMPTZ NOT NULL,
    retired_at    TIMESTAMPTZ
);
CREATE UNIQUE INDEX document_requirements_live_name ON document_requirements (program_id, lower(name))
    WHERE retired_at IS NULL;

CREATE TABLE partner_documents (
    id                 BIGSERIAL PRIMARY KEY,
    requirement_id     BIGINT NOT NULL REFERENCES document_requirements (id),
    partner_id         BIGINT NOT NULL REFERENCES partners (id),
    uploaded_by        BIGINT NOT NULL REFERENCES users (id),
    uploaded_at        TIMESTAMPTZ NOT NULL,
    filename           TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
    content_type       TEXT NOT NULL,
    size_bytes         INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256             BYTEA NOT NULL,
    -- The file, sealed with the data key named by key_id.
    sealed             BYTEA NOT NULL,
    key_id             TEXT NOT NULL,
    -- 'replaced': the partner uploaded another file before this one was reviewed.
    status             TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'replaced')),
    decided_by         BIGINT REFERENCES users (id),
    decided_at         TIMESTAMPTZ,
    reason             TEXT CHECK (length(reason) BETWEEN 1 AND 1000),
    expires_on         DATE,
    -- When the partner was told the approved document expired.
    expiry_notified_at TIMESTAMPTZ,
    CHECK ((status IN ('approved', 'rejected')) = (decided_at IS NOT NULL AND decided_by IS NOT NULL)),
    CHECK (status <> 'rejected' OR reason IS NOT NULL),
    CHECK (expires_on IS NULL OR status = 'approved')
);
CREATE INDEX partner_documents_partner_idx ON partner_documents (partner_id, requirement_id, id DESC);
CREATE INDEX partner_documents_waiting_idx ON partner_documents (uploaded_at) WHERE status = 'pending';
CREATE INDEX partner_documents_expiring_idx ON partner_documents (expires_on)
    WHERE status = 'approved' AND expires_on IS NOT NULL AND expiry_notified_at IS NULL;
-- At most one file per partner and requirement waits for review.
CREATE UNIQUE INDEX partner_documents_one_waiting ON partner_documents (partner_id, requirement_id)
    WHERE status = 'pending';

-- Payout runs hold back partners whose documents needed before payouts aren't approved.
ALTER TABLE payout_skips DROP CONSTRAINT payout_skips_reason_check;
ALTER TABLE payout_skips ADD CONSTRAINT payout_skips_reason_check CHECK (reason IN (
    'negative_balance', 'below_minimum', 'on_hold', 'no_details', 'no_tax_form', 'in_review', 'documents'));
