DROP TRIGGER audit_events_brand ON audit_events;
DROP FUNCTION audit_events_set_brand();
DROP FUNCTION audit_subject_brand(TEXT, TEXT);
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete;
ALTER TABLE audit_events DROP COLUMN brand_id;
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete;
ALTER TABLE email_outbox DROP COLUMN sender_name;
DROP TABLE setup_tokens;
-- Without brand scopes an operator limited to some brands would see them all: such operators
-- are switched off instead, for an admin to decide about.
UPDATE users SET is_active = false WHERE brand_scoped;
DROP TABLE operator_brands;
ALTER TABLE users DROP CONSTRAINT users_scope_shape, DROP COLUMN invited_by, DROP COLUMN brand_scoped;
ALTER TABLE programs DROP CONSTRAINT programs_archive_shape,
    DROP COLUMN adjustment_review_above, DROP COLUMN links_end_at, DROP COLUMN archived_at,
    DROP COLUMN partner_kinds, DROP COLUMN invite_code, DROP COLUMN kind;
ALTER TABLE brands DROP CONSTRAINT brands_logo_shape,
    DROP COLUMN logo_version, DROP COLUMN logo_type, DROP COLUMN logo, DROP COLUMN primary_color,
    DROP COLUMN sender_name, DROP COLUMN support_email, DROP COLUMN tax_id, DROP COLUMN default_currency,
    DROP COLUMN country, DROP COLUMN address, DROP COLUMN legal_name;
