-- A conversion's ledger entries (its accrual, the overrides and reversals on it) are read by
-- conversion id on every replayed conversion and every refund. The only index on conversion_id
-- was the partial one for accruals, so those reads scanned the whole ledger: 4.9 ms each at
-- 16,000 entries, growing with it.
CREATE INDEX commissions_conversion_idx ON commissions (conversion_id);
