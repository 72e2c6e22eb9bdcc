-- Payout runs. Finance gathers what each partner is owed into a run (one item per partner,
-- brand and currency), a second person approves it, the bank file goes out, and each item is
-- settled as paid or failed. Each ledger entry (a commission row or an MDF request) belongs to
-- at most one item that hasn't failed: the partial unique indexes below enforce it, so two runs
-- at once, or a double click, can never pay anything twice.

-- The smallest amount a program pays out; less waits in the balance for the next run.
ALTER TABLE payout_settings
    ADD COLUMN minimum_payout NUMERIC(14, 4) NOT NULL DEFAULT 50 CHECK (minimum_payout >= 0);

-- What a brand pays from, and how it numbers self-billing invoices. The counter is taken with a
-- row lock (UPDATE ... RETURNING) in the transaction that settles the item, so a rollback
-- gives the number back and the sequence has no gaps.
CREATE TABLE brand_payout_settings (
    brand_id            BIGINT PRIMARY KEY REFERENCES brands (id),
    debtor_iban         TEXT CHECK (debtor_iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
    debtor_bic          TEXT CHECK (debtor_bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
    self_billing        BOOLEAN NOT NULL DEFAULT FALSE,
    invoice_prefix      TEXT NOT NULL DEFAULT 'SB-' CHECK (invoice_prefix ~ '^[A-Za-z0-9-]{0,12}$'),
    next_invoice_number BIGINT NOT NULL DEFAULT 1 CHECK (next_invoice_number >= 1)
);

CREATE TABLE payout_runs (
    id          BIGSERIAL PRIMARY KEY,
    -- The brands the run pays for (one, or every brand of its creator).
    brand_ids   BIGINT[] NOT NULL CHECK (cardinality(brand_ids) >= 1),
    -- Entries payable by the end of this day (UTC) are gathered.
    as_of       DATE NOT NULL,
    status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'complete', 'discarded')),
    created_by  BIGINT NOT NULL REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL,
    approved_by BIGINT REFERENCES users (id),
    approved_at TIMESTAMPTZ,
    closed_at   TIMESTAMPTZ,
    -- Maker-checker: the person who made the run can't approve it.
    CONSTRAINT payout_runs_four_eyes CHECK (approved_by <> created_by),
    CHECK ((status IN ('approved', 'complete')) = (approved_by IS NOT NULL AND approved_at IS NOT NULL)),
    CHECK ((status IN ('complete', 'discarded')) = (closed_at IS NOT NULL))
);
CREATE INDEX payout_runs_created_idx ON payout_runs (created_at DESC);

CREATE TABLE payout_items (
    id              BIGSERIAL PRIMARY KEY,
    run_id          BIGINT NOT NULL REFERENCES payout_runs (id),
    partner_id      BIGINT NOT NULL REFERENCES partners (id),
    brand_id        BIGINT NOT NULL REFERENCES brands (id),
    currency        TEXT NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    amount          NUMERIC(14, 4) NOT NULL CHECK (amount > 0),
    entries         INTEGER NOT NULL CHECK (entries >= 1),
    -- The details it is paid to, as they were when the run was made.
    method_id       BIGINT NOT NULL REFERENCES payout_methods (id),
    -- Sent with the payment (the SEPA end-to-end id) and matched in the settlement file.
    reference       TEXT NOT NULL UNIQUE CHECK (reference ~ '^[A-Z0-9-]{1,35}$'),
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'failed')),
    paid_on         DATE,
    bank_reference  TEXT CHECK (length(bank_reference) BETWEEN 1 AND 140),
    failure_reason  TEXT CHECK (length(failure_reason) BETWEEN 1 AND 500),
    settled_by      BIGINT REFERENCES users (id),
    settled_at      TIMESTAMPTZ,
    invoice_number  TEXT,
    UNIQUE (run_id, partner_id, brand_id, currency),
    UNIQUE (brand_id, invoice_number),
    CHECK ((status = 'paid') = (paid_on IS NOT NULL AND bank_reference IS NOT NULL)),
    CHECK ((status = 'failed') = (failure_reason IS NOT NULL)),
    CHECK ((status = 'open') = (settled_at IS NULL)),
    CHECK (invoice_number IS NULL OR status = 'paid')
);
CREATE INDEX payout_items_partner_idx ON payout_items (partner_id, id DESC);
CREATE INDEX payout_items_run_idx ON payout_items (run_id, id);

-- The ledger entries an item pays. `released` is set when the item fails or its run is
-- discarded: the entry is back in the partner's balance and a later run may take it.
-- No foreign keys here, on purpose: rows are written only by the run that makes the item, in
-- one INSERT ... SELECT from rows it read in the same transaction, and every table they point
-- at is append-only or never deleted from. Per-row foreign-key checks cost three index probes
-- per entry: 38 of the 50 seconds of a run over a million entries (measured, bench-payouts).
CREATE TABLE payout_item_entries (
    item_id         BIGINT NOT NULL,
    program_id      BIGINT NOT NULL,
    commission_id   BIGINT,
    mdf_request_id  BIGINT,
    amount          NUMERIC(14, 4) NOT NULL,
    released        BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK ((commission_id IS NULL) <> (mdf_request_id IS NULL))
);
CREATE UNIQUE INDEX payout_item_entries_one_commission ON payout_item_entries (commission_id) WHERE NOT released;
CREATE UNIQUE INDEX payout_item_entries_one_mdf_request ON payout_item_entries (mdf_request_id) WHERE NOT released;
CREATE INDEX payout_item_entries_item_idx ON payout_item_entries (item_id);

-- What a run held back, per partner, brand and currency, and why.
CREATE TABLE payout_skips (
    run_id      BIGINT NOT NULL REFERENCES payout_runs (id),
    partner_id  BIGINT NOT NULL REFERENCES partners (id),
    brand_id    BIGINT NOT NULL REFERENCES brands (id),
    currency    TEXT NOT NULL,
    amount      NUMERIC(14, 4) NOT NULL,
    entries     INTEGER NOT NULL,
    reason      TEXT NOT NULL CHECK (reason IN ('negative_balance', 'below_minimum', 'on_hold', 'no_details', 'no_tax_form', 'in_review')),
    detail      TEXT NOT NULL,
    PRIMARY KEY (run_id, partner_id, brand_id, currency)
);
CREATE INDEX payout_skips_partner_idx ON payout_skips (partner_id);

-- An MDF request becomes "paid" with its payout item.
ALTER TABLE mdf_events DROP CONSTRAINT mdf_events_kind_check;
ALTER TABLE mdf_events ADD CONSTRAINT mdf_events_kind_check CHECK (kind IN ('allocated', 'requested', 'approved',
    'declined', 'claimed', 'claim_approved', 'claim_rejected', 'lapsed', 'expired', 'paid'));
