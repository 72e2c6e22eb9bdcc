-- Each partner's rollups by ISO week (Monday), kept by a trigger on daily_stats, so a window's
-- performance reads one row per partner and week instead of every day of every link, sub-id,
-- creative and writer shard. A segment over 90 days adds up its whole weeks here and only the
-- days at either end from daily_stats.
--
-- The trigger is per row, so every writer of daily_stats (the click writer, conversions,
-- refunds, deals, the rebuild) keeps this table exact without knowing it exists. It costs about
-- 10 microseconds per conversion (a statement trigger with a transition table cost 60). Writers
-- sort their rows by (program, partner, day), so the weeks they touch are locked in one order
-- and concurrent writers can't deadlock here.
CREATE TABLE partner_weeks (
    program_id    BIGINT NOT NULL,
    week          DATE NOT NULL CHECK (extract(isodow FROM week) = 1),
    partner_id    BIGINT NOT NULL,
    clicks        BIGINT NOT NULL DEFAULT 0,
    unique_clicks BIGINT NOT NULL DEFAULT 0,
    conversions   BIGINT NOT NULL DEFAULT 0,
    revenue       NUMERIC(18, 4) NOT NULL DEFAULT 0,
    commission    NUMERIC(18, 4) NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, week, partner_id)
);

INSERT INTO partner_weeks (program_id, week, partner_id, clicks, unique_clicks, conversions, revenue, commission)
SELECT program_id, date_trunc('week', day)::date, partner_id,
       sum(clicks), sum(unique_clicks), sum(conversions), sum(revenue), sum(commission)
  FROM daily_stats
 GROUP BY 1, 2, 3;

-- Adds figures to a partner's week.
CREATE FUNCTION partner_weeks_add(program BIGINT, partner BIGINT, day DATE, add_clicks BIGINT, add_unique BIGINT,
                                  add_conversions BIGINT, add_revenue NUMERIC, add_commission NUMERIC)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO partner_weeks AS w (program_id, week, partner_id, clicks, unique_clicks, conversions, revenue, commission)
  VALUES (program, date_trunc('week', day)::date, partner, add_clicks, add_unique, add_conversions, add_revenue, add_commission)
  ON CONFLICT (program_id, week, partner_id) DO UPDATE
     SET clicks = w.clicks + EXCLUDED.clicks, unique_clicks = w.unique_clicks + EXCLUDED.unique_clicks,
         conversions = w.conversions + EXCLUDED.conversions, revenue = w.revenue + EXCLUDED.revenue,
         commission = w.commission + EXCLUDED.commission;
END $$;

CREATE FUNCTION partner_weeks_follow() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW.program_id, NEW.partner_id, date_trunc('week', NEW.day))
                        = (OLD.program_id, OLD.partner_id, date_trunc('week', OLD.day)) THEN
    -- The usual update, a writer adding to its row: one step, by the difference.
    PERFORM partner_weeks_add(NEW.program_id, NEW.partner_id, NEW.day, NEW.clicks - OLD.clicks,
                              NEW.unique_clicks - OLD.unique_clicks, NEW.conversions - OLD.conversions,
                              NEW.revenue - OLD.revenue, NEW.commission - OLD.commission);
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM partner_weeks_add(OLD.program_id, OLD.partner_id, OLD.day, -OLD.clicks, -OLD.unique_clicks,
                              -OLD.conversions, -OLD.revenue, -OLD.commission);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    PERFORM partner_weeks_add(NEW.program_id, NEW.partner_id, NEW.day, NEW.clicks, NEW.unique_clicks,
                              NEW.conversions, NEW.revenue, NEW.commission);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER daily_stats_weeks AFTER INSERT OR UPDATE OR DELETE ON daily_stats
  FOR EACH ROW EXECUTE FUNCTION partner_weeks_follow();
