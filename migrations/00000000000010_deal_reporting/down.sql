DROP INDEX deals_closed_idx;
DROP INDEX deals_submitted_idx;
DROP INDEX deals_open_pipeline_idx;
DROP TABLE deal_stage_probabilities;
