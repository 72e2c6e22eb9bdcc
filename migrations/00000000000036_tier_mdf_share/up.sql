-- A tier's MDF share: the percent of an allocation "by tier shares" that the tier's partners
-- split evenly (for example Platinum 50%, Gold 30%, Silver 20% of a EUR 100,000 pool).
ALTER TABLE program_tiers ADD COLUMN mdf_share NUMERIC(5, 2) CHECK (mdf_share > 0 AND mdf_share <= 100);

-- Such an allocation keeps its inputs beside each partner's amount: the tier, its share, the
-- pool it was a share of, and how many partners split it.
ALTER TABLE mdf_allocations
  ADD COLUMN tier_share NUMERIC(5, 2) CHECK (tier_share > 0 AND tier_share <= 100),
  ADD COLUMN pool NUMERIC(14, 4) CHECK (pool > 0),
  ADD COLUMN split_among INTEGER CHECK (split_among > 0);
ALTER TABLE mdf_allocations DROP CONSTRAINT mdf_allocations_source_check;
ALTER TABLE mdf_allocations DROP CONSTRAINT mdf_allocations_check;
ALTER TABLE mdf_allocations
  ADD CONSTRAINT mdf_allocations_source_check
      CHECK (source IN ('partner', 'tier', 'revenue', 'segment', 'tier_share')),
  ADD CONSTRAINT mdf_allocations_tier_named CHECK ((source IN ('tier', 'tier_share')) = (tier IS NOT NULL)),
  ADD CONSTRAINT mdf_allocations_share_inputs
      CHECK ((source = 'tier_share') = (tier_share IS NOT NULL AND pool IS NOT NULL AND split_among IS NOT NULL));
