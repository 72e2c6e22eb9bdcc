-- When each periodic job (approval reminders, deal and MDF deadlines, clean-up) last started, so
-- that with several `trellis serve` instances on one database each period's run happens once, on
-- whichever instance claims it first.
CREATE TABLE periodic_jobs (
    name            TEXT PRIMARY KEY,
    last_started_at TIMESTAMPTZ NOT NULL
);
