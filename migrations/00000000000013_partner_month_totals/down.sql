DROP TABLE partner_month_totals;
