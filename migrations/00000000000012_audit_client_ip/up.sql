-- The client address of the request behind an audit event (uploads, and every MDF step), as the
-- server decided it (socket peer or the trusted proxy header). Text, not inet: it is shown and
-- searched as written, and older rows (and events without a request) have none.
ALTER TABLE audit_events ADD COLUMN ip TEXT;
