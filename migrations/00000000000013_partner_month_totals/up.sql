-- Running totals of each partner's attributed conversions per program, event and calendar month
-- (UTC), with the accrual each conversion earned. The commission engine reads a period's totals
-- (and, for carryover, the earlier periods') from here instead of summing the conversions, so
-- accruing one conversion costs the same however many the partner already has. Accrual writes
-- them under the partner's accrual lock, in the conversion's transaction. Conversions and
-- accruals are never updated or deleted (a refund is a new reversal entry), so nothing else
-- changes a total.
CREATE TABLE partner_month_totals (
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    partner_id  BIGINT NOT NULL REFERENCES partners (id),
    month       DATE NOT NULL CHECK (extract(day FROM month) = 1),
    event       TEXT NOT NULL,
    conversions BIGINT NOT NULL CHECK (conversions > 0),
    -- the amounts, a conversion without one counting as 0
    revenue     NUMERIC NOT NULL,
    -- amount less deductions
    net         NUMERIC NOT NULL,
    -- the conversions' accruals (commission entries of kind 'commission')
    commission  NUMERIC NOT NULL,
    PRIMARY KEY (program_id, partner_id, month, event)
);

INSERT INTO partner_month_totals (program_id, partner_id, month, event, conversions, revenue, net, commission)
SELECT v.program_id, v.partner_id, date_trunc('month', v.occurred_at AT TIME ZONE 'UTC')::date, v.event,
       count(*), COALESCE(sum(v.amount), 0), sum(COALESCE(v.amount, 0) - v.deductions),
       COALESCE(sum(c.amount), 0)
FROM conversions v
LEFT JOIN commissions c ON c.conversion_id = v.id AND c.kind = 'commission'
WHERE v.partner_id IS NOT NULL
GROUP BY 1, 2, 3, 4;
