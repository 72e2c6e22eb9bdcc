ALTER TABLE clicks DROP COLUMN creative_id;
DROP TABLE creatives;
DROP TABLE creative_files;
