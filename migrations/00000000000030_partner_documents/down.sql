DELETE FROM payout_skips WHERE reason = 'documents';
ALTER TABLE payout_skips DROP CONSTRAINT payout_skips_reason_check;
ALTER TABLE payout_skips ADD CONSTRAINT payout_skips_reason_check CHECK (reason IN (
    'negative_balance', 'below_minimum', 'on_hold', 'no_details', 'no_tax_form', 'in_review'));
DROP TABLE partner_documents;
DROP TABLE document_requirements;
