-- Near-match warnings on deal registration compared the new prospect with every open
-- registration of the program in memory, so each registration cost more than the one before.
-- Each deal now carries its match keys (domain stem, company key, and the company key with each
-- letter left out; see domain::deals::prospect::match_keys), and a registration looks up only the
-- open deals that share one, through this index. Deals stored before have none until
-- `trellis migrate` (or `serve`) fills them in, right after this migration.
ALTER TABLE deals ADD COLUMN match_keys TEXT[];
CREATE INDEX deals_open_match_keys_idx ON deals USING gin (match_keys) WHERE status IN ('pending', 'approved');
