DROP TRIGGER daily_stats_weeks ON daily_stats;
DROP FUNCTION partner_weeks_follow();
DROP FUNCTION partner_weeks_add(BIGINT, BIGINT, DATE, BIGINT, BIGINT, BIGINT, NUMERIC, NUMERIC);
DROP TABLE partner_weeks;
