DROP INDEX deals_open_match_keys_idx;
ALTER TABLE deals DROP COLUMN match_keys;
