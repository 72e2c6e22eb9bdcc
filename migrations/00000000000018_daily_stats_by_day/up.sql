-- A program's reports (the console overview, the console home) read every partner's rollups for
-- a period; the primary key leads with the partner, so without this index they read the
-- program's whole history. Only keys: the click writer's updates of the counts stay HOT.
CREATE INDEX daily_stats_program_day_idx ON daily_stats (program_id, day);
